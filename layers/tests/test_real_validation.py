"""Publishing loses no information, shown on real deliveries (tests/data/real: Forest City NC, Pezou's PLU).

Each test reads the real file with GDAL/shapely on its own (the oracle) and compares with the report that the
validation SQL wrote: same geometry with different values is an error located on the map, identical features
merge; the overlap tolerance is chosen per upload and every overlap beyond it is listed with its area; a value
can be given to empty source values; empty geometries are not duplicates; malformed ones are called malformed.
"""
import json
from collections import defaultdict

import numpy as np
import pyogrio
import pytest
import shapely
from django.contrib.gis.geos import GEOSGeometry
from pyproj import Transformer

from geoportal.core.errors import InvalidParameter
from geoportal.staff import roles
from layers.publishing import uploads
from plans import crs
from plans.models import Agency, PlanDocument

from .files import real, zip_files

pytestmark = pytest.mark.django_db


def _agency_and_plan(path, srid):
    """A test agency (Merchich Nord) whose territory and plan perimeter are the file's extent, in lon/lat."""
    _meta, _f, geoms, _c = pyogrio.raw.read(path)
    to_lonlat = Transformer.from_crs(srid, 4326, always_xy=True)
    extent = shapely.box(*shapely.total_bounds(shapely.from_wkb([g for g in geoms if g is not None])))
    lonlat = shapely.transform(shapely.segmentize(extent, extent.length / 400),
                               lambda xy: np.column_stack(to_lonlat.transform(xy[:, 0], xy[:, 1]))).buffer(0.01)
    area = GEOSGeometry(shapely.MultiPolygon([lonlat]).wkt, srid=4326)
    agency = Agency.objects.create(code="TST", name_fr="Agence d'essai", name_ar="وكالة تجريبية", srid=26191,
                                   jurisdiction=area)
    plan = PlanDocument.objects.create(agency=agency, reference="pa-essai", kind="pa", title_fr="Essai",
                                       title_ar="تجربة", srid=26191, perimeter=area)
    return agency, plan


@pytest.fixture
def real_upload(receive, django_user_model, tmp_path):
    """real_upload(folder, name, mapping, file_srid, target="zones", **options) -> (validated upload, user)."""
    def make(folder, name, field_mapping, file_srid, target="zones", path=None, **options):
        path = path or real(folder, tmp_path, name.rsplit(".", 1)[0] + ".*") / name
        agency, plan = _agency_and_plan(path, file_srid)
        if path.suffix == ".shp":  # a shapefile travels zipped with its .shx, .dbf and .prj
            path = zip_files(tmp_path / (path.stem + ".zip"), sorted(path.parent.iterdir()))
        user = django_user_model.objects.create_user("pub-tst", password="x-secret-42")
        roles.grant(user, agency, roles.PUBLISHER)
        upload = receive(user, agency, target, path, plan=plan if target != "parcels" else None, **options)
        uploads.stage(upload)
        uploads.map_fields(upload, field_mapping, user)
        uploads.validate(upload, user)
        return upload, user
    return make


def _check(report, name):
    return next((c for c in report["checks"] if c["check"] == name), {"count": 0, "items": []})


def _groups_by_geometry(path, field):
    """{normalised WKB: [(fid, value of `field`), …]} of the groups of features sharing one geometry (≥ 2)."""
    meta, fids, geoms, columns = pyogrio.raw.read(path, return_fids=True)
    values = dict(zip(meta["fields"], columns))[field]
    groups = defaultdict(list)
    for fid, wkb, value in zip(fids.tolist(), geoms, values):
        geom = shapely.from_wkb(wkb)
        if not geom.is_empty:
            groups[shapely.to_wkb(shapely.normalize(geom))].append((fid, (value or "").strip() or None))
    return [members for members in groups.values() if len(members) > 1]


def test_same_geometry_with_other_values_is_an_error_located_on_the_map(real_upload):
    upload, _user = real_upload("us-forestcity-nc", "zoning.geojson", {"code": "BASE_DISTR"}, 2264)
    groups = _groups_by_geometry(next(uploads.work_dir(upload).rglob("zoning.geojson")), "BASE_DISTR")
    conflicts = {fid for members in groups for fid, value in sorted(members)[1:] if value != sorted(members)[0][1]}
    identical = {fid for members in groups for fid, value in sorted(members)[1:] if value == sorted(members)[0][1]}
    assert len(conflicts) > 50 and identical  # the issue: 59 of Forest City's 112 pairs carry different codes
    report = upload.report
    conflict, merged = _check(report, "duplicate_conflict"), _check(report, "duplicate")
    assert conflict["severity"] == "error" and conflict["count"] == len(conflicts)
    assert {i["fid"] for i in conflict["items"]} == conflicts
    assert merged["severity"] == "warning" and {i["fid"] for i in merged["items"]} == identical
    item = conflict["items"][0]
    assert "code" in item["message"] and " here, " in item["message"]
    assert -82.0 < item["lon"] < -81.7 and 35.2 < item["lat"] < 35.4  # on the report map, in Forest City
    assert not report["publishable"]


def test_empty_source_values_get_the_value_the_mapping_gives(real_upload):
    path_name = "zoning.geojson"
    upload, _user = real_upload("us-forestcity-nc", path_name, {"code": {"field": "BASE_DISTR", "empty": "NZ"}},
                                2264)
    source = next(uploads.work_dir(upload).rglob(path_name))
    meta, _f, _g, columns = pyogrio.raw.read(source)
    empty = sum(1 for v in dict(zip(meta["fields"], columns))["BASE_DISTR"] if not (v or "").strip())
    assert empty == 220  # tests/data/real/README.md
    assert _check(upload.report, "missing_code")["count"] == 0
    from django.db import connection

    from layers.publishing import staging

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {staging.name(upload.staging_table + '_v')} WHERE code = 'NZ'")
        assert cursor.fetchone()[0] == empty


def test_without_a_value_for_empty_the_message_says_how_to_give_one(real_upload):
    upload, _user = real_upload("us-forestcity-nc", "zoning.geojson", {"code": "BASE_DISTR"}, 2264)
    missing = _check(upload.report, "missing_code")
    assert missing["count"] == 220 and '"empty"' in missing["items"][0]["message"]


def _overlaps_in_lambert(path, srid):
    """Areas (m², Merchich Nord Lambert as the test agency) of the overlaps between the zones of `path`."""
    _meta, fids, geoms, _c = pyogrio.raw.read(path, return_fids=True)
    to_lambert = Transformer.from_crs(srid, crs.crs(26191), always_xy=True)
    zones = shapely.make_valid(shapely.from_wkb(geoms))
    zones = shapely.transform(shapely.segmentize(zones, 5.0),
                              lambda xy: np.column_stack(to_lambert.transform(xy[:, 0], xy[:, 1])))
    tree = shapely.STRtree(zones)
    a, b = tree.query(zones, predicate="intersects")
    found = {}
    for i, j in zip(a[a < b], b[a < b]):
        if shapely.touches(zones[i], zones[j]) or shapely.equals(zones[i], zones[j]):
            continue
        found[(int(fids[i]), int(fids[j]))] = shapely.area(shapely.intersection(zones[i], zones[j]))
    return found


@pytest.mark.parametrize("tolerance", [25.0, 100.0])
def test_overlap_tolerance_is_chosen_per_upload_and_every_overlap_beyond_is_listed(real_upload, tolerance):
    upload, _user = real_upload("fr-plu-41175-pezou", "ZONE_URBA.shp", {"code": "LIBELLE"}, 2154,
                                tolerance_m2=tolerance)
    oracle = _overlaps_in_lambert(next(uploads.work_dir(upload).rglob("ZONE_URBA.shp")), 2154)
    beyond = {pair: area for pair, area in oracle.items() if area > tolerance}
    assert not [a for a in oracle.values() if abs(a - tolerance) < 0.5]  # no overlap at the edge of the choice
    overlap = _check(upload.report, "overlap")
    assert upload.report["tolerance_m2"] == tolerance and overlap["count"] == len(beyond) > 0
    listed = {}
    for item in overlap["items"]:
        other = int(item["message"].split("overlaps feature ")[1].split(" ")[0])
        listed[(item["fid"], other)] = item["area_m2"]
        assert item["lon"] is not None and 1.0 < item["lon"] < 1.3 and 47.8 < item["lat"] < 48.0  # Pezou
    assert set(listed) == set(beyond)
    for pair, area in listed.items():
        assert area == pytest.approx(beyond[pair], rel=1e-3, abs=0.05)


@pytest.mark.parametrize("value", ["-1", "501", "beaucoup", "nan"])
def test_a_tolerance_outside_the_documented_bounds_is_refused(receive, publisher, aut, plan_in_force, tmp_path,
                                                              value):
    path = real("fr-plu-41175-pezou", tmp_path, "ZONE_URBA.*") / "ZONE_URBA.shp"
    with pytest.raises(InvalidParameter, match="between 0 and 500"):
        receive(publisher, aut, "zones", path, plan=plan_in_force, tolerance_m2=value)


def test_empty_geometries_are_not_duplicates_of_each_other(real_upload):
    upload, _user = real_upload("us-forestcity-nc", "parcels.topojson", {"title_number": "PIN"}, 4326,
                                target="parcels", srid=4326)
    source = next(uploads.work_dir(upload).rglob("parcels.topojson"))
    _meta, fids, geoms, _c = pyogrio.raw.read(source, return_fids=True)
    empty = {int(f) for f, g in zip(fids, geoms) if shapely.from_wkb(g).is_empty}
    assert len(empty) == 3
    assert {i["fid"] for i in _check(upload.report, "empty_geometry")["items"]} == empty
    duplicated = {i["fid"] for name in ("duplicate", "duplicate_conflict")
                  for i in _check(upload.report, name)["items"]}
    assert not duplicated & empty


def test_a_malformed_geometry_is_reported_as_malformed_not_as_missing(real_upload, tmp_path):
    """Forest City's zoning with two geometries broken as careless exports break them, and one left out."""
    original = real("us-forestcity-nc", tmp_path / "orig", "zoning.geojson") / "zoning.geojson"
    data = json.loads(original.read_text())
    data["features"][3]["geometry"]["coordinates"] = [[["a", "b"], ["c", "d"]]]  # text where numbers go
    data["features"][7]["geometry"] = {"type": "Polygone", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 0]]]}
    data["features"][11]["geometry"] = None  # truly no geometry
    broken = tmp_path / "zoning.geojson"
    broken.write_text(json.dumps(data))
    upload, _user = real_upload("us-forestcity-nc", "zoning.geojson", {"code": {"field": "BASE_DISTR",
                                                                                 "empty": "NZ"}},
                                2264, path=broken)
    _meta, fids, _g, _c = pyogrio.raw.read(broken, return_fids=True)
    malformed = _check(upload.report, "malformed_geometry")
    assert malformed["severity"] == "error"
    assert [i["fid"] for i in malformed["items"]] == [int(fids[3]), int(fids[7])]
    assert '"a"' in malformed["items"][0]["message"] and "Polygone" in malformed["items"][1]["message"]
    assert [i["fid"] for i in _check(upload.report, "empty_geometry")["items"]] == [int(fids[11])]
