"""Publishing is atomic and versioned: a new revision goes live at once, the old one stays restorable."""
import pytest
import shapely

from geoportal.core.errors import Conflict, Forbidden, NotFound
from layers.publishing import publishing, uploads
from layers.records import AuditEntry, FieldMapping
from plans.models import PlanDocument, Servitude, Zone, ZoneRule
from plans.versions import data_version

from .files import in_force_plan, multi, servitudes_gpkg, write_layer, zones_gpkg

pytestmark = pytest.mark.django_db
ZONE_MAPPING = {"code": "CODE", "label_fr": "LIBELLE", "cos": "COS"}


def _validated(receive, user, agency, plan, path, target="zones", field_mapping=ZONE_MAPPING):
    upload = receive(user, agency, target, path, plan=plan)
    uploads.stage(upload)
    uploads.map_fields(upload, field_mapping, user)
    uploads.validate(upload, user)
    return upload


def test_publish_zones_then_roll_back(publisher, aut, plan_in_force, tmp_path, receive, sample_dataset):
    live_before = set(Zone.objects.live().filter(plan=plan_in_force).values_list("id", flat=True))
    servitudes_before = Servitude.objects.live().filter(plan=plan_in_force).count()
    version_before = data_version()
    upload = _validated(receive, publisher, aut, plan_in_force,
                        zones_gpkg(sample_dataset, tmp_path / "z.gpkg", extra_codes=["B9"]))
    assert upload.report["publishable"], upload.report
    assert [c["code"] for c in upload.report["codes_without_rule"]] == ["B9"]

    revision = publishing.publish(upload, publisher)
    plan_in_force.refresh_from_db()
    assert plan_in_force.live_revision == revision == 2
    live = Zone.objects.live().filter(plan=plan_in_force)
    assert live.count() == len(in_force_plan(sample_dataset)[1].zones)
    assert not live_before & set(live.values_list("id", flat=True))
    assert live.get(code="B9").rule.label_fr == "Zone B9 — منطقة"  # new code: rule made from the file's label
    assert Servitude.objects.live().filter(plan=plan_in_force).count() == servitudes_before  # carried over
    assert data_version() != version_before
    # The areas survive the trip file (Lambert) → storage (lon/lat) → Lambert: edges are densified before
    # storage, so long zone sides stay straight in Lambert and every zone keeps its area to the dm².
    expected = sorted(round(g.area, 1) for _c, g in in_force_plan(sample_dataset)[1].zones)
    got = sorted(round(shapely.from_wkb(bytes(z.geom.transform(26191, clone=True).wkb)).area, 1) for z in live)
    assert got == pytest.approx(expected, abs=0.1)

    with pytest.raises(Conflict, match="already published"):
        uploads.validate(upload, publisher)

    publishing.rollback(plan_in_force, 1, publisher)
    plan_in_force.refresh_from_db()
    assert plan_in_force.live_revision == 1
    assert set(Zone.objects.live().filter(plan=plan_in_force).values_list("id", flat=True)) == live_before
    history = publishing.versions(plan_in_force)
    assert [(v["revision"], v["live"]) for v in history] == [(2, False), (1, True)]
    assert history[0]["file"] == "z.gpkg" and history[0]["published_by"] == "pub-aut"
    actions = list(AuditEntry.objects.filter(plan=plan_in_force).values_list("action", flat=True))
    assert actions[:4] == ["rollback", "publish", "validate", "upload"]
    publish_entry = AuditEntry.objects.get(plan=plan_in_force, action="publish")
    assert publish_entry.sha256 == upload.sha256 and publish_entry.feature_count == live.count()
    with pytest.raises(NotFound, match="no revision 9"):
        publishing.rollback(plan_in_force, 9, publisher)


def test_mapping_is_remembered_for_the_agency(publisher, aut, plan_in_force, tmp_path, receive, sample_dataset):
    _validated(receive, publisher, aut, plan_in_force, zones_gpkg(sample_dataset, tmp_path / "a.gpkg"))
    assert FieldMapping.objects.filter(agency=aut, target="zones").count() == 1
    again = receive(publisher, aut, "zones", zones_gpkg(sample_dataset, tmp_path / "b.gpkg"), plan=plan_in_force)
    uploads.stage(again)
    assert uploads.mapping_for(again) == {k: {"field": v} for k, v in ZONE_MAPPING.items()}
    assert uploads.validate(again, publisher)["publishable"]


def test_errors_block_and_warnings_need_acknowledgement(publisher, aut, plan_in_force, tmp_path, receive,
                                                        sample_dataset):
    spec, plan = in_force_plan(sample_dataset)
    zones = [g for _c, g in plan.zones]
    first = zones[0].geoms[0] if zones[0].geom_type == "MultiPolygon" else zones[0]
    p = list(first.minimum_rotated_rectangle.exterior.coords)
    centre = first.centroid
    p = [(centre.x + (x - centre.x) * 0.5, centre.y + (y - centre.y) * 0.5) for x, y in p]  # inside the zone
    bowtie = shapely.Polygon([p[0], p[2], p[1], p[3]])
    geoms = [bowtie] + zones[1:] + [zones[1]]  # a self-intersection and a duplicate
    codes = ["B1"] * len(geoms)
    path = write_layer(tmp_path / "w.gpkg", [multi(g) for g in geoms],
                       {"CODE": codes, "LIBELLE": codes, "COS": ["2"] * len(geoms)}, spec.srid)
    upload = _validated(receive, publisher, aut, plan_in_force, path)
    checks = {c["check"]: c for c in upload.report["checks"]}
    assert upload.report["errors"] == 0, checks
    invalid = checks["invalid_geometry"]["items"][0]
    assert invalid["fid"] == 1 and "Self-intersection" in invalid["message"]
    assert invalid["repair"].startswith("make_valid")
    assert abs(invalid["lon"] - (-5.36)) < 0.1 and abs(invalid["lat"] - 35.58) < 0.1  # located in Tétouan
    assert checks["duplicate"]["count"] == 1
    with pytest.raises(Conflict, match="acknowledge_warnings"):
        publishing.publish(upload, publisher)
    assert PlanDocument.objects.get(pk=plan_in_force.pk).live_revision == 1
    publishing.publish(upload, publisher, acknowledge_warnings=True)
    assert Zone.objects.live().filter(plan=plan_in_force).count() == len(zones)  # duplicate dropped, bowtie repaired

    bad = write_layer(tmp_path / "bad.gpkg", [multi(g) for g in zones],
                      {"CODE": codes[:len(zones)], "LIBELLE": codes[:len(zones)], "COS": ["35"] * len(zones)},
                      spec.srid)
    upload = _validated(receive, publisher, aut, plan_in_force, bad)
    rng = next(c for c in upload.report["checks"] if c["check"] == "range_cos")
    assert rng["severity"] == "error" and "'35' is not a number between 0 and 20" in rng["items"][0]["message"]
    overlaps = next(c for c in upload.report["checks"] if c["check"] == "overlap") if any(
        c["check"] == "overlap" for c in upload.report["checks"]) else None
    assert overlaps is None
    with pytest.raises(Conflict, match="validation error"):
        publishing.publish(upload, publisher, acknowledge_warnings=True)


def test_overlaps_gaps_and_territory(client, publisher, aut, plan_in_force, tmp_path, receive, sample_dataset):
    spec, plan = in_force_plan(sample_dataset)
    zones = [g for _c, g in plan.zones]
    grown = zones[0].buffer(30)  # overlaps its neighbours by far more than the tolerance
    far = shapely.affinity.translate(zones[2], 300_000, 0)  # ~300 km east: outside the agency
    geoms = [grown] + zones[3:] + [far]
    path = write_layer(tmp_path / "o.gpkg", [multi(g) for g in geoms],
                       {"CODE": ["B1"] * len(geoms), "LIBELLE": ["B1"] * len(geoms), "COS": [None] * len(geoms)},
                       spec.srid)
    upload = _validated(receive, publisher, aut, plan_in_force, path)
    report = upload.report
    client.force_login(publisher)
    page = client.get(f"/layers/uploads/{upload.pk}/report").content.decode()
    assert 'data-lon="-5.' in page and 'data-lat="35.' in page  # not localised to "-5,36": the map reads them
    checks = {c["check"]: c for c in report["checks"]}
    assert checks["overlap"]["severity"] == "error" and checks["overlap"]["count"] >= 1
    assert checks["outside_territory"]["items"][0]["fid"] == len(geoms)
    assert checks["gap"]["count"] >= 1  # zones[1] and zones[2] left a hole in the perimeter
    gaps = sum(float(i["message"].split()[2]) for i in checks["gap"]["items"])
    assert zones[1].area * 0.5 < gaps, (gaps, zones[1].area, zones[2].area)


def test_publish_servitudes_with_recoded_kinds(publisher, aut, plan_in_force, tmp_path, receive, sample_dataset):
    kinds = {"VOIE PROJETEE": "planned_road", "ELARGISSEMENT": "road_widening"}
    upload = _validated(receive, publisher, aut, plan_in_force, servitudes_gpkg(sample_dataset, tmp_path / "s.gpkg"),
                        target="servitudes", field_mapping={
                            "kind": {"field": "NATURE", "values": kinds}, "code": "CODE", "label_fr": "LIBELLE",
                            "width_m": "LARGEUR"})
    assert upload.report["publishable"], upload.report["checks"]
    publishing.publish(upload, publisher, acknowledge_warnings=True)
    live = Servitude.objects.live().filter(plan=plan_in_force)
    assert live.count() == len(in_force_plan(sample_dataset)[1].servitudes)
    road = live.filter(kind="planned_road").first()
    assert road.geom.geom_type in ("LineString", "MultiLineString") and road.footprint.geom_type == "MultiPolygon"
    # The footprint is the line buffered by half its width, in Lambert metres.
    lambert = road.footprint.transform(26191, clone=True)
    assert abs(lambert.area - road.geom.transform(26191, clone=True).length * float(road.width_m)) < 5


def test_staff_of_another_agency_cannot_publish(guelmim_publisher, editor, publisher, aut, plan_in_force, tmp_path,
                                                receive, sample_dataset):
    with pytest.raises(Forbidden, match="not editor of agency AUT"):
        receive(guelmim_publisher, aut, "zones", zones_gpkg(sample_dataset, tmp_path / "z.gpkg"), plan=plan_in_force)
    upload = _validated(receive, editor, aut, plan_in_force, zones_gpkg(sample_dataset, tmp_path / "z2.gpkg"))
    with pytest.raises(Forbidden, match="not publisher of agency AUT"):
        publishing.publish(upload, editor)
    with pytest.raises(Forbidden):
        publishing.rollback(plan_in_force, 1, guelmim_publisher)
    assert ZoneRule.objects.filter(plan=plan_in_force, code="B9").count() == 0
