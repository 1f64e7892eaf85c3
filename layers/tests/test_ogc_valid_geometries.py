"""Geometries stay valid as served, in every CRS, on real zoning (tests/data/real: Pezou, a French PLUi, Forest City).

Polygons valid in the database may become invalid once their coordinates are rounded to the digits written
(7 decimals in degrees, 2 in metres): the OGC API snaps them to that grid and makes them valid there, in
PostGIS. The oracle is shapely on the GeoJSON a client receives, and shapely's own rounding of the stored
geometries shows that the test data has the trap in the first place.
"""
import json

import numpy as np
import pyogrio
import pytest
import shapely
from django.db import connection

from plans.models import Zone

from .files import REAL

pytestmark = pytest.mark.django_db
DATASETS = [("fr-plu-41175-pezou/ZONE_URBA.shp", 2154), ("fr-plui-241800432/241800432_ZONE_URBA_20200128.shp", 2154),
            ("us-forestcity-nc/zoning.geojson", 2264)]
SERVED_CRS = {"CRS84": 7, "EPSG:4326": 7, "EPSG:3857": 2, "EPSG:26191": 2, "EPSG:26192": 2}


def _load_real_zones(plan):
    """The real zones, valid in storage as publishing keeps them (EPSG:4326 multipolygons), on `plan`'s live
    revision; returns their ids."""
    revision = plan.live_revision
    ids = []
    with connection.cursor() as cursor:
        for name, srid in DATASETS:
            _meta, _fids, geoms, _fields = pyogrio.raw.read(REAL / name)
            for wkb in geoms:
                if wkb is None:
                    continue
                cursor.execute(
                    "INSERT INTO plans_zone (plan_id, code, revision, geom) SELECT %s, 'REAL', %s, g FROM ("
                    "SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Transform(ST_SetSRID("
                    "ST_Force2D(ST_GeomFromWKB(%s)), %s), 4326)), 3)) AS g) s "
                    "WHERE NOT ST_IsEmpty(g) RETURNING id", [plan.pk, revision, bytes(wkb), srid])
                ids += [row[0] for row in cursor.fetchall()]
    return ids


def test_every_served_real_zone_is_valid_in_every_crs(client, plan_in_force):
    ids = set(_load_real_zones(plan_in_force))
    assert len(ids) > 800
    stored = [shapely.from_wkb(bytes(z.geom.wkb)) for z in Zone.objects.filter(id__in=ids)]
    assert all(shapely.is_valid(stored)), "stored geometries are valid"
    rounded = [
        shapely.transform(g, lambda xy: np.round(xy, 7)) for g in stored]
    assert sum(not shapely.is_valid(g) for g in rounded) > 10, "rounding alone breaks some: the trap is there"

    for crs, _digits in SERVED_CRS.items():
        served = {}
        offset = 0
        while True:
            page = client.get("/ogc/collections/zones/items", {"code": "REAL", "crs": crs, "limit": 500,
                                                                "offset": offset}).json()
            served.update({f["id"]: f["geometry"] for f in page["features"]})
            if page["numberReturned"] < 500:
                break
            offset += 500
        assert set(served) == ids, crs
        invalid = [i for i, g in served.items() if not shapely.is_valid(shapely.geometry.shape(g))]
        assert invalid == [], f"{crs}: {len(invalid)} invalid, e.g. {[shapely.is_valid_reason(shapely.geometry.shape(served[i])) for i in invalid[:3]]}"
        assert all(g["type"] == "MultiPolygon" for g in served.values()), crs

    one = next(iter(ids))
    item = json.loads(client.get(f"/ogc/collections/zones/items/{one}", {"crs": "EPSG:26191"}).content)
    assert shapely.is_valid(shapely.geometry.shape(item["geometry"]))
