"""The draft under public inquiry is public only between its dates, marked not binding, and never law.

Oracles: the generator's own plans (data.generator, the `sample_dataset` fixture: which codes only the draft
has) and the dates set here relative to today; the ORM only names the rows to look for.
"""
import datetime
import json
import random
import re
from html import unescape

import mapbox_vector_tile
import morecantile
import pytest
from django.db import connection
from django.utils import timezone

from plans import vocabulary
from plans.crs import to_wgs84
from plans.models import Parcel, PlanDocument, Servitude, Zone

pytestmark = pytest.mark.django_db
MERCATOR = morecantile.tms.get("WebMercatorQuad")
INQUIRY_COLLECTIONS = ("zones-inquiry", "servitudes-inquiry", "changes-inquiry")
IN_FORCE_COLLECTIONS = ("zones", "servitudes", "roads", "equipment", "plans", "zones-history", "servitudes-history")


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.NOTE_ANONYMOUS_RATE = ""


@pytest.fixture(autouse=True)
def _fresh_data_versions():
    """Each test's writes roll back, and so do the version counters: jump them so no cached tile of another
    test (same counters, other dates) is served."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE plans_table_version SET version = version + %s", [random.randrange(10**6, 10**9)])


def _spec(dataset, version):
    agency = dataset.agencies[0]
    return agency, next(p for p in agency.plans if p.reference == "pa-tetouan-centre" and p.version == version)


def _draft():
    plan = PlanDocument.objects.get(reference="pa-tetouan-centre", version=3)
    assert plan.status == PlanDocument.Status.PUBLIC_INQUIRY
    return plan


def _set_dates(plan, start_days, end_days):
    today = timezone.localdate()
    plan.inquiry_start = today + datetime.timedelta(days=start_days)
    plan.inquiry_end = today + datetime.timedelta(days=end_days)
    plan.save(update_fields=["inquiry_start", "inquiry_end"])


PERIODS = {"before": (1, 31), "during": (-10, 0), "after": (-31, -1)}


def _items(client, collection, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = client.get(f"/ogc/collections/{collection}/items?limit=10000&f=json&{query}")
    assert response.status_code == 200, response.content[:300]
    return json.loads(response.content)["features"]


def _tile_ids(client, collection, lon, lat, zooms=(13, 15)):
    ids = set()
    for z in zooms:
        tile = MERCATOR.tile(lon, lat, z)
        response = client.get(f"/ogc/collections/{collection}/tiles/WebMercatorQuad/{z}/{tile.y}/{tile.x}?f=mvt")
        assert response.status_code == 200, response.content[:200]
        for layer in mapbox_vector_tile.decode(response.content).values():
            ids |= {f["id"] for f in layer["features"]}
    return ids


@pytest.mark.parametrize("period", PERIODS)
def test_the_draft_is_public_only_during_its_inquiry_on_every_public_endpoint(client, period):
    draft = _draft()
    _set_dates(draft, *PERIODS[period])
    during = period == "during"
    zones = set(Zone.objects.live().filter(plan=draft).values_list("id", flat=True))
    servitudes = set(Servitude.objects.live().filter(plan=draft).values_list("id", flat=True))
    assert zones and servitudes

    listed = {c["id"] for c in json.loads(client.get("/ogc/collections?f=json").content)["collections"]}
    assert set(INQUIRY_COLLECTIONS) <= listed  # always listed; empty outside the inquiry
    served_zones = _items(client, "zones-inquiry")
    served_servitudes = _items(client, "servitudes-inquiry")
    assert {f["id"] for f in served_zones} == (zones if during else set())
    assert {f["id"] for f in served_servitudes} == (servitudes if during else set())
    served_changes = _items(client, "changes-inquiry")
    assert bool(served_changes) == during
    for feature in served_zones + served_servitudes + served_changes:
        props = feature["properties"]
        assert props["binding"] is False and props["plan_id"] == draft.id
        assert props["notice_fr"] == vocabulary.DRAFT_NOTICE_FR and props["notice_ar"] == vocabulary.DRAFT_NOTICE_AR
        assert props["inquiry_end"] == draft.inquiry_end.isoformat()

    point = Zone.objects.live().filter(plan=draft).first().geom.point_on_surface
    assert _tile_ids(client, "zones-inquiry", point.x, point.y) & zones if during else \
        not _tile_ids(client, "zones-inquiry", point.x, point.y)

    record = client.get(f"/ogc/collections/catalogue/items/{draft.id}?f=json")
    records = {f["id"] for f in _items(client, "catalogue")}
    if during:
        assert record.status_code == 200 and draft.id in records
        props = json.loads(record.content)["properties"]
        assert props["legal_state"] == "inquiry" and props["binding"] is False
        assert vocabulary.DRAFT_NOTICE_FR in props["title"] and vocabulary.DRAFT_NOTICE_AR in props["description"]
        hrefs = [link["href"] for link in json.loads(record.content)["links"]]
        assert any(f"/collections/zones-inquiry/items?plan_id={draft.id}" in h for h in hrefs)
        assert not any("/collections/zones/items" in h for h in hrefs)
        page = client.get(f"/ogc/collections/zones-inquiry/items/{min(zones)}?f=html").content.decode()
        assert vocabulary.DRAFT_NOTICE_FR in unescape(page)
    else:
        assert record.status_code == 404 and draft.id not in records
        assert client.get(f"/ogc/collections/zones-inquiry/items/{min(zones)}?f=json").status_code == 404

    inquiries = client.get("/api/inquiries").json()
    assert [f["id"] for f in inquiries["features"]] == ([draft.id] if during else [])
    svg = client.get(f"/api/inquiries/{draft.id}/map.svg", {"lang": "ar"})
    if during:
        props = inquiries["features"][0]["properties"]
        assert props["binding"] is False and props["notice_ar"] == vocabulary.DRAFT_NOTICE_AR
        assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml")
        assert svg.content.decode().count(vocabulary.DRAFT_NOTICE_AR) == 2  # the watermark, twice
    else:
        assert svg.status_code == 404 and "between the dates" in svg.json()["description"]


def test_the_print_map_of_the_plan_in_force_has_no_watermark(client):
    from frontend.cartography.printmap import render_print_map

    _set_dates(_draft(), *PERIODS["during"])
    plan = PlanDocument.objects.get(reference="pa-tetouan-centre", version=2)
    x, y = plan.perimeter.transform(26191, clone=True).centroid.coords
    svg = render_print_map(26191, (x - 200, y - 150, x + 200, y + 150), (200, 160)).svg
    assert "draft-watermark" not in svg and vocabulary.DRAFT_NOTICE_FR not in svg
    drawn = render_print_map(26191, (x - 200, y - 150, x + 200, y + 150), (200, 160), plan_ids=[_draft().id]).svg
    assert drawn.count(vocabulary.DRAFT_NOTICE_FR) == 2


def test_no_draft_geometry_or_rule_reaches_notes_extracts_or_in_force_answers(client, sample_dataset):
    """During the inquiry: what only the draft has (a planned road, zone codes) is nowhere binding."""
    draft = _draft()
    _set_dates(draft, *PERIODS["during"])
    agency, draft_spec = _spec(sample_dataset, 3)
    _, in_force_spec = _spec(sample_dataset, 2)
    only_draft_servitudes = {s.code for s in draft_spec.servitudes} - {s.code for s in in_force_spec.servitudes}
    assert "VP2" in only_draft_servitudes
    road = next(s for s in draft_spec.servitudes if s.code == "VP2")
    draft_zones = set(Zone.objects.live().filter(plan=draft).values_list("id", flat=True))
    draft_servitudes = set(Servitude.objects.live().filter(plan=draft).values_list("id", flat=True))

    # The draft is public right now (so the checks below can fail)...
    assert {f["properties"]["code"] for f in _items(client, "servitudes-inquiry")} >= {"VP2"}
    # ...but none of the "in force" collections serves it.
    for collection in IN_FORCE_COLLECTIONS:
        ids = {f["id"] for f in _items(client, collection)}
        hidden = {draft.id} if collection == "plans" else (
            draft_zones if collection.startswith("zones") else draft_servitudes)
        assert not ids & hidden, f"{collection} serves the draft"

    # The web map's answers.
    lon, lat = to_wgs84(*road.geom.interpolate(0.5, normalized=True).coords[0], agency.srid)
    place = client.get("/api/place", {"lon": lon, "lat": lat}).json()
    assert {p["version"] for p in place["plans"]} == {2}
    assert "VP2" not in {s["code"] for s in place["servitudes"]}
    assert draft.id not in {f["properties"]["id"] for f in client.get("/api/plans").json()["features"]}

    # A note for a parcel the draft's road crosses: plans, zones, servitudes of the plan in force only.
    crossed = Parcel.objects.filter(geom__intersects=Servitude.objects.live().get(plan=draft, code="VP2").footprint)
    parcel = crossed.order_by("title_number").first()
    assert parcel is not None
    response = client.post("/api/notes", json.dumps({"title_number": parcel.title_number}),
                           content_type="application/json")
    assert response.status_code == 201, response.content
    content = response.json()["content"]
    assert {p["version"] for p in content["plans"]} == {2}
    assert not {s["code"] for s in content["servitudes"]} & only_draft_servitudes
    in_force_codes = {code for code, _ in in_force_spec.zones}
    assert {z["code"] for z in content["zones"]} <= in_force_codes
    assert "under_revision" in {w["code"] for w in content["warnings"]}  # it says a revision is under inquiry

    # An extract over the draft's road: GeoJSON features of the plan in force only.
    x, y = road.geom.interpolate(0.5, normalized=True).coords[0]
    extract = client.get("/api/extracts", {"format": "geojson", "bbox": f"{x - 40},{y - 40},{x + 40},{y + 40}",
                                           "area-crs": "EPSG:26191"})
    assert extract.status_code == 200, extract.content[:300]
    features = json.loads(extract.content)["features"]
    assert features
    assert not {f["properties"].get("code") for f in features} & only_draft_servitudes
    text = extract.content.decode()
    assert vocabulary.DRAFT_NOTICE_FR not in text
    assert not re.search(r'"(plan_)?version"\s*:\s*3\b', text)
    assert client.get("/api/extracts", {"format": "geojson", "bbox": f"{x - 40},{y - 40},{x + 40},{y + 40}",
                                        "area-crs": "EPSG:26191", "plan": "nowhere"}).status_code == 404


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_web_map_offers_the_draft_layers_marked_not_binding(client, lang):
    page = client.get("/carte/", {"lang": lang}).content.decode()
    config = json.loads(unescape(re.search(r'<script id="map-config" type="application/json">(.*?)</script>',
                                           page, re.S).group(1)))
    drafts = {layer["collection"]: layer for layer in config["map"]["vectorLayers"] if layer["draft"]}
    assert set(drafts) == set(INQUIRY_COLLECTIONS) | {"observations"}
    for collection, layer in drafts.items():
        assert layer["visible"] is False  # off until the visitor asks for the draft
        assert layer["label"] == vocabulary.DRAFT_LAYER_LABELS[collection][0 if lang == "fr" else 1]
        assert f"/ogc/collections/{collection}/tiles/" in layer["url"]
    assert config["styles"]["draftNotice"][lang] == vocabulary.draft_notice(lang)
    assert not any(layer["draft"] for layer in config["map"]["vectorLayers"] if layer["collection"] in
                   IN_FORCE_COLLECTIONS)
