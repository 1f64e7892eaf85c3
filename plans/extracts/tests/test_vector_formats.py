"""GeoPackage, Shapefile and GeoJSON extracts, read back with GDAL (pyogrio) and checked against the generator."""
import json

import numpy as np
import pyogrio
import pytest
import shapely
from shapely.geometry import box

from plans.models import ExtractLog

from .conftest import extract, lambert_bbox, oracle_zones, unzip

pytestmark = pytest.mark.django_db


def test_geopackage_has_the_clipped_layers_their_attributes_and_a_metadata_table(client, tmp_path, plan_in_force,
                                                                                  parcel_box):
    response = extract(client, format="gpkg", **lambert_bbox(parcel_box))
    assert response["Content-Type"] == "application/geopackage+sqlite3"
    path = tmp_path / "extract.gpkg"
    path.write_bytes(response.content)
    layers = dict(pyogrio.list_layers(path))
    assert set(layers) == {"zones", "servitudes", "parcelles", "emprise", "metadonnees"}

    area = box(*parcel_box)
    expected = oracle_zones(plan_in_force, area)
    info = pyogrio.read_info(path, layer="zones")
    assert info["crs"] == "EPSG:26191"
    assert info["features"] == len(expected) > 0
    _, _, wkb, fields = pyogrio.raw.read(path, layer="zones")
    names = list(info["fields"])
    codes = fields[names.index("code")]
    assert sorted(codes) == sorted(code for code, _ in expected)
    # Exact clipping: every piece lies in the box, pieces cover exactly (zones ∩ box).
    pieces = shapely.from_wkb(wkb)
    assert all(area.buffer(0.001).contains(piece) for piece in pieces)
    expected_area = sum(polygon.intersection(area).area for _, polygon in expected)
    # Storage in lon/lat moves vertices by under a millimetre: allow 1 mm along the box's perimeter.
    tolerance = area.length * 0.001
    assert sum(p.area for p in pieces) == pytest.approx(expected_area, abs=tolerance)
    assert fields[names.index("surface_m2")].sum() == pytest.approx(expected_area, abs=tolerance)
    assert fields[names.index("decoupe")].any()
    assert not np.isnan(fields[names.index("haut_max_m")]).all()

    metadata = dict(zip(*pyogrio.raw.read(path, layer="metadonnees")[3]))
    assert metadata["reference"] == "pa-tetouan-centre" and metadata["version"] == "2"
    assert metadata["statut"] == "Approuvé" and metadata["decret"] == plan_in_force.decree_reference
    assert metadata["crs"].startswith("EPSG:26191")
    assert "font foi" in metadata["avertissement"] and "الوكالة الحضرية" in metadata["avertissement_ar"]
    assert metadata["date_extraction"][:4] >= "2026"


def test_whole_clipping_keeps_features_as_drawn(client, tmp_path, plan_in_force, parcel_box):
    response = extract(client, format="gpkg", layers="zones", clip="whole", **lambert_bbox(parcel_box))
    path = tmp_path / "whole.gpkg"
    path.write_bytes(response.content)
    _, _, wkb, fields = pyogrio.raw.read(path, layer="zones")
    expected = dict(oracle_zones(plan_in_force, box(*parcel_box)))
    assert not fields[-1].any(), "no feature is flagged as cut in whole mode"
    for code, piece in zip(fields[0], shapely.from_wkb(wkb)):
        source = expected[code]
        assert piece.area == pytest.approx(source.area, abs=0.01)
        # Lon/lat storage: a Lambert → WGS 84 → Lambert round trip moves a vertex by up to ~2 mm.
        assert shapely.hausdorff_distance(piece, source) < 0.005  # metres
    assert set(dict(pyogrio.list_layers(path))) == {"zones", "emprise", "metadonnees"}


def test_zipped_shapefiles_carry_prj_and_cpg(client, tmp_path, tetouan, parcel_box):
    response = extract(client, format="shp", parcel="TF 10001/19", margin="10")
    assert response["Content-Disposition"].endswith('.zip"')
    names = unzip(response.content, tmp_path)
    for layer in ("zones", "servitudes", "parcelles", "emprise"):
        for ext in ("shp", "shx", "dbf", "prj", "cpg"):
            assert any(name.endswith(f"/{layer}.{ext}") for name in names), f"{layer}.{ext} missing: {names}"
    shp = next(tmp_path.glob("*/parcelles.shp"))
    assert next(tmp_path.glob("*/parcelles.cpg")).read_text().strip() == "UTF-8"
    info = pyogrio.read_info(shp)
    assert info["crs"] == "EPSG:26191"
    titles = pyogrio.raw.read(shp)[3][0]
    assert "TF 10001/19" in titles
    # Oracle: the generator's parcels touching the parcel grown by 10 m.
    index = list(tetouan.parcel_titles).index("TF 10001/19")
    area = tetouan.parcel_geoms[index].buffer(10)
    expected = {t for t, g in zip(tetouan.parcel_titles, tetouan.parcel_geoms) if g.intersection(area).area > 1e-6}
    assert set(titles) == expected
    meta, _, _, fields = pyogrio.raw.read(next(tmp_path.glob("*/zones.shp")))
    arabic = fields[list(meta["fields"]).index("libelle_ar")]
    assert len(arabic) and all("\u0600" <= label[0] <= "\u06ff" for label in arabic)


def test_geojson_in_wgs84_tags_each_feature_with_its_layer(client, tmp_path, parcel_box):
    response = extract(client, format="geojson", crs="EPSG:4326", **lambert_bbox(parcel_box))
    path = tmp_path / "extract.geojson"
    path.write_bytes(response.content)
    info = pyogrio.read_info(path)
    assert info["crs"] == "EPSG:4326"
    meta, _, wkb, fields = pyogrio.raw.read(path)
    layers = fields[list(meta["fields"]).index("couche")]
    assert set(layers) == {"zones", "servitudes", "parcelles"}
    body = json.loads(response.content)
    assert body["metadonnees"]["crs"].startswith("EPSG:4326")
    lon, lat = shapely.from_wkb(wkb[0]).centroid.coords[0]
    assert -5.5 < lon < -5.2 and 35.4 < lat < 35.7


def test_every_extract_is_logged_with_its_metadata(client, parcel_box):
    before = ExtractLog.objects.count()
    response = extract(client, format="gpkg", layers="parcelles", **lambert_bbox(parcel_box))
    log = ExtractLog.objects.get(pk=response["X-Extract-Id"])
    assert ExtractLog.objects.count() == before + 1
    assert log.status == "done" and log.format == "gpkg" and log.srid == 26191 and not log.background
    assert log.client_address == "127.0.0.1" and log.size_bytes == len(response.content)
    assert log.plan.version == 2 and log.feature_counts["parcelles"] > 0
    assert log.area_m2 == pytest.approx(120 * 100, rel=1e-6)
    assert log.parameters["layers"] == ["parcelles"] and log.metadata["reference"] == "pa-tetouan-centre"


def test_a_past_date_extracts_the_plan_then_in_force(client, tmp_path, parcel_box):
    response = extract(client, format="gpkg", layers="zones", date="2015-06-01", **lambert_bbox(parcel_box))
    path = tmp_path / "old.gpkg"
    path.write_bytes(response.content)
    metadata = dict(zip(*pyogrio.raw.read(path, layer="metadonnees")[3]))
    assert metadata["version"] == "1" and metadata["en_vigueur_le"] == "2015-06-01"


def test_a_polygon_posted_as_geojson_in_lon_lat(client, tmp_path, tetouan, parcel_box):
    from plans.crs import to_wgs84

    minx, miny, maxx, maxy = parcel_box
    ring = [list(to_wgs84(x, y, 26191)) for x, y in ((minx, miny), (maxx, miny), (maxx, maxy), (minx, miny))]
    body = {"polygon": {"type": "Polygon", "coordinates": [ring]}, "format": "gpkg", "layers": ["parcelles"]}
    response = client.post("/api/extracts", body, content_type="application/json")
    assert response.status_code == 200, response.content
    path = tmp_path / "triangle.gpkg"
    path.write_bytes(response.content)
    _, _, wkb, fields = pyogrio.raw.read(path, layer="parcelles")
    triangle = shapely.Polygon([(minx, miny), (maxx, miny), (maxx, maxy)])
    expected = {t for t, g in zip(tetouan.parcel_titles, tetouan.parcel_geoms) if g.intersection(triangle).area > 0.01}
    assert set(fields[0]) == expected
    assert all(triangle.buffer(0.01).contains(piece) for piece in shapely.from_wkb(wkb))
