"""Validation that scales: totals counted whole, only the first problems listed, canonical titles kept in SQL."""
import json

import pytest
import shapely
import shapely.affinity
from django.db import connection

from layers.publishing import reading, staging, uploads, validation
from layers.publishing.title_checks import CANONICAL_TITLE
from plans.crs import WGS84, from_wgs84, transform_shapely
from plans.titles import InvalidTitleNumber, normalise_title

from .files import write_layer

pytestmark = pytest.mark.django_db


def _parcels(dataset, path, titles, shift_first=0, srid=None):
    """A parcels GeoPackage of the sample's first len(titles) AUT parcels; the first `shift_first` moved
    300 km east (out of the agency's territory)."""
    spec = next(a for a in dataset.agencies if a.code == "AUT")
    geoms = list(spec.parcel_geoms[:len(titles)])
    geoms[:shift_first] = [shapely.affinity.translate(g, 300_000, 0) for g in geoms[:shift_first]]
    return write_layer(path, geoms, {"NUM_TF": titles, "SUPERFICIE": ["5OO"] + [100.0] * (len(titles) - 1)},
                       srid or spec.srid, layer="parcelles", geometry_type="Polygon")


def _report(receive, publisher, aut, path, mapping=None):
    upload = receive(publisher, aut, "parcels", path)
    uploads.stage(upload)
    uploads.map_fields(upload, mapping or {"title_number": "NUM_TF", "area_on_title_m2": "SUPERFICIE"}, publisher)
    return upload, uploads.validate(upload, publisher)


def test_report_lists_the_first_problems_and_counts_them_all(monkeypatch, publisher, aut, tmp_path, receive,
                                                             sample_dataset):
    monkeypatch.setattr(validation, "ITEMS_PER_CHECK", 3)
    titles = [f"TF {20000 + i}/19" for i in range(40)]
    titles[10:17] = ["TF 20000/19"] * 7  # 7 repeats of feature 1's title
    titles[20:25] = [None, "", "  ", None, None]  # 5 without a title
    titles[30:34] = ["tf 777 - 19", "T.F. 778/19", "Titre 779/19", "xx"]  # 3 to normalise, 1 unreadable
    upload, report = _report(receive, publisher, aut, _parcels(sample_dataset, tmp_path / "p.gpkg", titles, 6))
    checks = {c["check"]: c for c in report["checks"]}
    outside = checks["outside_territory"]
    assert (outside["count"], outside["truncated"], report["items_per_check"]) == (6, True, 3)
    assert [i["fid"] for i in outside["items"]] == [1, 2, 3]  # the first ones by FID, located east of Tétouan
    assert all(-5 < i["lon"] < 0 and 34 < i["lat"] < 37 for i in outside["items"])
    assert (checks["duplicate_title"]["count"], len(checks["duplicate_title"]["items"])) == (7, 3)
    assert checks["duplicate_title"]["items"][0] == {"fid": 11, "message": "title TF 20000/19 also on feature 1",
                                                     "lon": None, "lat": None, "repair": None}
    assert (checks["missing_title_number"]["count"], checks["missing_title_number"]["truncated"]) == (5, True)
    assert (checks["title_number"]["count"], checks["title_number"]["truncated"]) == (1, False)
    assert "'xx'" in checks["title_number"]["items"][0]["message"]
    assert checks["range_area_on_title_m2"]["count"] == 1  # "5OO" typed with letters O
    assert report["errors"] == 6 + 7 + 5 + 1 + 1 and not report["publishable"]
    assert len(json.dumps(report)) < 10_000
    with connection.cursor() as cursor:  # what publishing will join: every readable title, normalised, once
        titles = staging.name(upload.staging_table + "_titles")
        cursor.execute(f'SELECT fid, title FROM {titles} WHERE fid BETWEEN 31 AND 34 '
                       "ORDER BY fid")
        assert cursor.fetchall() == [(31, "TF 777/19"), (32, "TF 778/19"), (33, "TF 779/19")]
        cursor.execute(f'SELECT count(*), count(DISTINCT fid) FROM {titles}')
        assert cursor.fetchone() == (34, 34)


def test_territory_is_checked_in_the_files_own_crs(publisher, aut, tmp_path, receive, sample_dataset):
    """Lon/lat parcels inside the province pass; the same numbers declared as Lambert metres do not."""
    spec = next(a for a in sample_dataset.agencies if a.code == "AUT")
    lonlat = [transform_shapely(g, spec.srid, WGS84) for g in spec.parcel_geoms[:5]]
    titles = [f"TF {30000 + i}/19" for i in range(5)]
    path = write_layer(tmp_path / "ll.gpkg", lonlat, {"NUM_TF": titles}, 4326, geometry_type="Polygon")
    _upload, report = _report(receive, publisher, aut, path, {"title_number": "NUM_TF"})
    assert not any(c["check"] == "outside_territory" for c in report["checks"]), report["checks"]
    path = write_layer(tmp_path / "wrong.gpkg", lonlat, {"NUM_TF": titles}, spec.srid, geometry_type="Polygon")
    _upload, report = _report(receive, publisher, aut, path, {"title_number": "NUM_TF"})
    assert next(c for c in report["checks"] if c["check"] == "outside_territory")["count"] == 5


TITLES = ["TF 12345/19", "R 678/19", "TF 0/00", "TF 5/05", "R 1/100", "TF 123456789/999", "TF 012/19",
          "TF 12/5", "TF 12/019", "tf 12/19", "TF  12/19", "T.F. 12345-19", "12345/19", "R 678 / 19", "TF 12/1000",
          "TF 1234567890/19", "TF 12345/19 ", "Titre foncier n° 12/19", "TF 12/19\n", "TR 1/19", "TF 1/0"]


def test_canonical_titles_are_exactly_what_normalise_title_leaves_unchanged():
    with connection.cursor() as cursor:
        cursor.execute("SELECT t, t ~ %s FROM unnest(%s::text[]) t", [CANONICAL_TITLE, TITLES])
        canonical = dict(cursor.fetchall())
    for text in TITLES:
        try:
            unchanged = normalise_title(text) == text
        except InvalidTitleNumber:
            unchanged = False
        assert canonical[text] == unchanged, text
    assert sum(canonical.values()) == 6


def test_feature_location_uses_lambert_oracle(publisher, aut, tmp_path, receive, sample_dataset):
    """The location of an outside feature is on it: its lon/lat back in Lambert falls inside the shape."""
    titles = [f"TF {40000 + i}/19" for i in range(3)]
    _upload, report = _report(receive, publisher, aut, _parcels(sample_dataset, tmp_path / "o.gpkg", titles, 1))
    item = next(c for c in report["checks"] if c["check"] == "outside_territory")["items"][0]
    spec = next(a for a in sample_dataset.agencies if a.code == "AUT")
    moved = shapely.affinity.translate(spec.parcel_geoms[0], 300_000, 0)
    assert moved.buffer(0.01).contains(shapely.Point(from_wgs84(item["lon"], item["lat"], spec.srid)))


@pytest.mark.parametrize("driver,name", [("GPKG", "p.gpkg"), ("ESRI Shapefile", "p.shp"), ("GeoJSON", "p.geojson")])
def test_layers_are_read_in_batches_whole_and_in_order(tmp_path, sample_dataset, driver, name):
    spec = next(a for a in sample_dataset.agencies if a.code == "AUT")
    titles = [f"TF {50000 + i}/19" for i in range(23)]
    path = write_layer(tmp_path / name, list(spec.parcel_geoms[:23]), {"NUM_TF": titles}, spec.srid,
                       layer="p", driver=driver, geometry_type="Polygon")
    source = reading.Source(path, "vector")
    batches = list(reading.read_batches(source, "p", batch_size=5))
    assert [len(fids) for fids, _g, _v, _p in batches] == [5, 5, 5, 5, 3]
    assert [t for _f, _g, values, _p in batches for t in values["NUM_TF"]] == titles
    assert [shapely.from_wkb(g).equals(spec.parcel_geoms[i])
            for i, g in enumerate(g for _f, geoms, _v, _p in batches for g in geoms)] == [True] * 23
