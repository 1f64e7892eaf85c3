"""/api/changes: what the draft (or any version) changes on parcels or an area, checked against shapely.

Oracle: the generator's plans in Lambert metres (data.generator via `sample_dataset`), intersected with the
parcels' generator geometries by shapely; servitude footprints as the loader makes them (lambert_footprint).
Stored geometries went through lon/lat and back, so areas agree to a fraction of a square metre.
"""
import datetime
import json

import pytest
import shapely
from django.contrib.auth.models import User
from django.utils import timezone

from geoportal.staff.roles import VIEWER, grant
from plans.models import Agency, PlanDocument, ZoneRule
from plans.models.zoning import lambert_footprint
from plans.reglement import provisions

pytestmark = pytest.mark.django_db
TOLERANCE_M2 = 0.5


@pytest.fixture(autouse=True)
def _inquiry_open():
    plan = PlanDocument.objects.get(reference="pa-tetouan-centre", version=3)
    today = timezone.localdate()
    plan.inquiry_start, plan.inquiry_end = today - datetime.timedelta(days=3), today + datetime.timedelta(days=20)
    plan.save(update_fields=["inquiry_start", "inquiry_end"])
    return plan


@pytest.fixture(scope="module")
def spec(sample_dataset):
    agency = sample_dataset.agencies[0]
    plans = {p.version: p for p in agency.plans if p.reference == "pa-tetouan-centre"}
    parcels = dict(zip(agency.parcel_titles, agency.parcel_geoms))
    return agency, plans, parcels


def _shares(plan, land):
    out = {}
    for code, geom in plan.zones:
        area = geom.intersection(land).area
        if area >= TOLERANCE_M2:
            out[code] = out.get(code, 0) + area
    return out


def _servitudes(plan, land):
    out = {}
    for s in plan.servitudes:
        area = lambert_footprint(s.geom, s.width or 0).intersection(land).area
        if area >= TOLERANCE_M2:
            out[(s.kind, s.code)] = out.get((s.kind, s.code), 0) + area
    return out


def _get(client, **params):
    response = client.get("/api/changes", params)
    assert response.status_code == 200, response.content[:400]
    return response.json()


def _check_against_oracle(result, before, after, land):
    assert result["area_m2"] == pytest.approx(land.area, abs=TOLERANCE_M2)
    a, b = _shares(before, land), _shares(after, land)
    served = {z["code"]: z for z in result["zones"]}
    assert set(served) == set(a) | set(b)
    for code, zone in served.items():
        assert (zone["area_before_m2"] or 0) == pytest.approx(a.get(code, 0), abs=TOLERANCE_M2), code
        assert (zone["area_after_m2"] or 0) == pytest.approx(b.get(code, 0), abs=TOLERANCE_M2), code
        expected = "added" if code not in a else "removed" if code not in b else None
        if expected:
            assert zone["status"] == expected, code
    sa, sb = _servitudes(before, land), _servitudes(after, land)
    got = {(s["kind"], s["code"]): s for s in result["servitudes"]}
    assert set(got) == set(sa) | set(sb)
    for key, s in got.items():
        assert (s["area_before_m2"] or 0) == pytest.approx(sa.get(key, 0), abs=TOLERANCE_M2), key
        assert (s["area_after_m2"] or 0) == pytest.approx(sb.get(key, 0), abs=TOLERANCE_M2), key
        assert s["status"] == ("added" if key not in sa else "removed" if key not in sb else s["status"])


def _parcel_where(parcels, test):
    return next(title for title, geom in sorted(parcels.items()) if test(geom))


def test_a_parcel_the_draft_road_crosses_loses_land_to_it(client, spec):
    _, plans, parcels = spec
    road = next(s for s in plans[3].servitudes if s.code == "VP2")
    road_land = lambert_footprint(road.geom, road.width)
    title = _parcel_where(parcels, lambert_footprint(road.geom, road.width).intersects)
    body = _get(client, parcel=title)
    assert body["from"]["version"] == 2 and body["from"]["binding"] is True
    assert body["to"]["version"] == 3 and body["to"]["binding"] is False and body["to"]["notice_fr"]
    [result] = body["results"]
    assert result["parcel"] == title
    _check_against_oracle(result, plans[2], plans[3], parcels[title])
    vp2 = next(s for s in result["servitudes"] if s["code"] == "VP2")
    assert vp2["status"] == "added" and vp2["area_before_m2"] is None
    assert vp2["area_after_m2"] == pytest.approx(road_land.intersection(parcels[title]).area, abs=TOLERANCE_M2)


def test_zone_code_changes_are_the_land_going_from_one_code_to_another(client, spec):
    _, plans, parcels = spec

    def recoded(geom):
        return any(c2 != c3 and g2.intersection(g3).intersection(geom).area > 20
                   for c2, g2 in plans[2].zones for c3, g3 in plans[3].zones)

    title = _parcel_where(parcels, recoded)
    [result] = _get(client, parcel=title)["results"]
    land = parcels[title]
    _check_against_oracle(result, plans[2], plans[3], land)
    expected = {}
    for c2, g2 in plans[2].zones:
        for c3, g3 in plans[3].zones:
            area = g2.intersection(g3).intersection(land).area
            if c2 != c3 and area >= TOLERANCE_M2:
                expected[(c2, c3)] = expected.get((c2, c3), 0) + area
    got = {(c["from_code"], c["to_code"]): c for c in result["code_changes"]}
    assert set(got) == set(expected)
    for key, change in got.items():
        assert change["area_m2"] == pytest.approx(expected[key], abs=TOLERANCE_M2)
        assert change["share"] == pytest.approx(expected[key] / land.area, abs=1e-3)


def test_a_provision_changed_in_the_draft_is_listed_with_before_and_after(client, spec):
    _, plans, parcels = spec
    draft = PlanDocument.objects.get(reference="pa-tetouan-centre", version=3)
    title = _parcel_where(parcels, lambda g: bool(_shares(plans[2], g).keys() & _shares(plans[3], g).keys()))
    code = sorted(_shares(plans[2], parcels[title]).keys() & _shares(plans[3], parcels[title]).keys())[0]
    rule = ZoneRule.objects.get(plan=draft, code=code)
    rows = provisions.rows_of(rule)
    height = next(r for r in rows if r["subject"] == "max_height" and not any(
        r[c] not in (None, "") for c in ("road_width_min", "road_width_max", "sub_zone", "use")))
    old = height["expression"]
    height["expression"] = str(float(old) + 3)
    rows.append({**height, "subject": "depth_band", "unit": "m", "expression": "15", "id": None,
                 "position": len(rows) + 1})
    provisions.replace(rule, rows)
    [result] = _get(client, parcel=title)["results"]
    [changed] = [r for r in result["rules"] if r["code"] == code]
    by_subject = {p["subject"]: p for p in changed["provisions"]}
    assert by_subject["max_height"]["status"] == "changed"
    assert by_subject["max_height"]["before"]["expression"] == old
    assert by_subject["max_height"]["after"]["expression"] == str(float(old) + 3)
    assert by_subject["depth_band"]["status"] == "added" and by_subject["depth_band"]["before"] is None
    assert by_subject["max_height"]["label_ar"]
    assert set(by_subject) == {"max_height", "depth_band"}, "unchanged provisions are not listed"


def test_several_parcels_and_a_drawn_area(client, spec):
    agency, plans, parcels = spec
    titles = sorted(parcels)[:3]
    body = _get(client, parcel=",".join(titles[:2]), **{"agency": "AUT"})
    assert [r["parcel"] for r in body["results"]] == titles[:2]
    # repeated parameter form too
    response = client.get(f"/api/changes?parcel={titles[0]}&parcel={titles[2]}")
    assert [r["parcel"] for r in response.json()["results"]] == [titles[0], titles[2]]
    for result, title in zip(body["results"], titles[:2]):
        _check_against_oracle(result, plans[2], plans[3], parcels[title])
    # An area drawn in Lambert around the draft's road.
    road = next(s for s in plans[3].servitudes if s.code == "VP2")
    x, y = road.geom.interpolate(0.5, normalized=True).coords[0]
    area = shapely.box(x - 80, y - 60, x + 80, y + 60)
    [result] = _get(client, area=area.wkt, **{"area-crs": f"EPSG:{agency.srid}"})["results"]
    assert result["parcel"] is None
    _check_against_oracle(result, plans[2], plans[3], area)


def test_any_two_versions_public_ones_for_all_drafts_for_their_staff(client, spec):
    _, plans, parcels = spec
    title = sorted(parcels)[0]
    v1, v2 = (PlanDocument.objects.get(reference="pa-tetouan-centre", version=v) for v in (1, 2))
    body = _get(client, parcel=title, **{"from": v1.id, "to": v2.id})
    assert (body["from"]["version"], body["to"]["version"]) == (1, 2) and body["to"]["binding"] is True
    _check_against_oracle(body["results"][0], plans[1], plans[2], parcels[title])
    # A draft not under inquiry: hidden from the public, open to the agency's GIS staff.
    draft = PlanDocument.objects.get(reference="pa-tetouan-centre", version=3)
    draft.inquiry_end = timezone.localdate() - datetime.timedelta(days=1)
    draft.save(update_fields=["inquiry_end"])
    refused = client.get("/api/changes", {"parcel": title, "from": v2.id, "to": draft.id})
    assert refused.status_code == 404 and refused.json()["parameter"] == "to"
    user = User.objects.create_user("gis-aut", password="x")
    grant(user, Agency.objects.get(code="AUT"), VIEWER)
    client.force_login(user)
    staff = client.get("/api/changes", {"parcel": title, "from": v2.id, "to": draft.id})
    assert staff.status_code == 200 and staff["Cache-Control"] == "private, no-store"
    assert staff.json()["to"]["binding"] is False


@pytest.mark.parametrize("params, status, parameter, words", [
    ({}, 400, "parcel", "either parcel"),
    ({"parcel": "TF 10001/19", "area": "POLYGON((0 0,1 0,1 1,0 0))"}, 400, "parcel", "either parcel"),
    ({"parcel": "nonsense"}, 400, "parcel", "TF"),
    ({"parcel": "TF 99999999/19"}, 404, "parcel", "no parcel"),
    ({"parcel": ",".join(f"TF {10001 + i}/19" for i in range(21))}, 400, "parcel", "at most 20"),
    ({"area": "LINESTRING(0 0, 1 1)"}, 400, "area", "LineString"),
    ({"area": "POLYGON((0 0,1 0,1 1,0 0))", "area-crs": "EPSG:2154"}, 400, "area-crs", "EPSG:2154"),
    ({"area": "POLYGON((-5.0 33.0,-4.99 33.0,-4.99 33.01,-5.0 33.0))"}, 404, "to", "no draft under public inquiry"),
    ({"parcel": "TF 10001/19", "to": "abc"}, 400, "to", "not a plan id"),
    ({"parcel": "TF 10001/19", "to": "999999"}, 404, "to", "no plan 999999"),
])
def test_bad_requests_say_what_is_wrong(client, params, status, parameter, words):
    response = client.get("/api/changes", params)
    assert response.status_code == status, response.content
    body = response.json()
    assert body["parameter"] == parameter and words in body["description"], body


def test_outside_the_inquiry_dates_there_is_no_default_draft(client, _inquiry_open, spec):
    _inquiry_open.inquiry_start = timezone.localdate() + datetime.timedelta(days=1)
    _inquiry_open.save(update_fields=["inquiry_start"])
    response = client.get("/api/changes", {"parcel": sorted(spec[2])[0]})
    assert response.status_code == 404 and "no draft under public inquiry" in response.json()["description"]
    assert json.loads(client.get("/api/inquiries").content)["features"] == []


def test_the_changes_layer_is_the_draft_against_the_plan_in_force(client, spec, _inquiry_open):
    _, plans, _ = spec
    response = client.get("/ogc/collections/changes-inquiry/items?limit=10000&f=json")
    assert response.status_code == 200
    features = json.loads(response.content)["features"]
    zones = [f["properties"] for f in features if f["properties"]["subject"] == "zone"]
    expected = {}
    for c2, g2 in plans[2].zones:
        for c3, g3 in plans[3].zones:
            area = g2.intersection(g3).area
            if c2 != c3 and area > 0:
                expected[(c2, c3)] = expected.get((c2, c3), 0) + area
    got = {}
    for z in zones:
        assert z["change"] == "changed" and z["binding"] is False and z["plan_id"] == _inquiry_open.id
        got[(z["code_before"], z["code_after"])] = got.get((z["code_before"], z["code_after"]), 0) + z["area_m2"]
    assert {k for k, v in expected.items() if v >= 1} <= set(got)
    for key, area in got.items():
        assert area == pytest.approx(expected.get(key, 0), abs=max(1.0, 1e-5 * area)), key
    servitudes = {(f["properties"]["change"], f["properties"]["kind"], f["properties"]["code_after"]
                   or f["properties"]["code_before"]) for f in features if f["properties"]["subject"] == "servitude"}
    only_draft = {(s.kind, s.code) for s in plans[3].servitudes} - {(s.kind, s.code) for s in plans[2].servitudes}
    only_in_force = {(s.kind, s.code) for s in plans[2].servitudes} - {(s.kind, s.code) for s in plans[3].servitudes}
    assert {(k, c) for change, k, c in servitudes if change == "added"} == only_draft
    assert {(k, c) for change, k, c in servitudes if change == "removed"} == only_in_force
    vp2 = next(f["properties"] for f in features if f["properties"].get("code_after") == "VP2")
    road = next(s for s in plans[3].servitudes if s.code == "VP2")
    assert vp2["area_m2"] == pytest.approx(lambert_footprint(road.geom, road.width).area, rel=1e-4)
    # Closed inquiry: no changes layer.
    _inquiry_open.inquiry_end = timezone.localdate() - datetime.timedelta(days=1)
    _inquiry_open.save(update_fields=["inquiry_end"])
    assert json.loads(client.get("/ogc/collections/changes-inquiry/items?f=json").content)["features"] == []
