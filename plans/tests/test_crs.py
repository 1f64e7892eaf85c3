"""The pinned Merchich -> WGS 84 shift: exact round trips, and PostGIS agrees with Python."""
import numpy as np
import pytest
from django.db import connection

from plans import crs

# Points spread over each zone's territory (Lambert metres).
NORD = [(503243.0, 554174.0), (460000.0, 520000.0), (528000.0, 565000.0), (380000.0, 300000.0)]
SUD = [(46241.0, 230401.0), (-50000.0, 180000.0), (150000.0, 260000.0)]
# Laâyoune, Smara, Boujdour (Sahara Nord); Dakhla, Aousserd, Lagouira (Sahara Sud).
SAHARA_NORD = [(427373.0, 539838.0), (580000.0, 500000.0), (300000.0, 470000.0)]
SAHARA_SUD = [(426312.0, 572199.0), (600000.0, 400000.0), (330000.0, 220000.0)]
ZONES = [(26191, NORD), (26192, SUD), (26194, SAHARA_NORD), (26195, SAHARA_SUD)]


def test_known_point_in_tetouan():
    # DOMAIN.md, checked with GDAL 3.6: (-5.3626, 35.5889) -> (503243, 554174) in EPSG:26191.
    x, y = crs.from_wgs84(-5.3626, 35.5889, 26191)
    assert abs(x - 503243) < 1 and abs(y - 554174) < 1


@pytest.mark.parametrize("srid, points", ZONES)
def test_round_trip_lambert_wgs84_lambert_under_a_centimetre(srid, points):
    for x, y in points:
        lon, lat = crs.to_wgs84(x, y, srid)
        x2, y2 = crs.from_wgs84(lon, lat, srid)
        assert np.hypot(x2 - x, y2 - y) < 0.01, (srid, x, y, x2, y2)


@pytest.mark.django_db
@pytest.mark.parametrize("srid, points", ZONES)
def test_postgis_uses_the_same_transformation_as_python(srid, points):
    with connection.cursor() as cursor:
        for x, y in points:
            cursor.execute(
                "SELECT ST_X(g), ST_Y(g) FROM ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), %s), 4326) AS g",
                [x, y, srid],
            )
            lon_db, lat_db = cursor.fetchone()
            lon, lat = crs.to_wgs84(x, y, srid)
            # 1e-8 degree is about a millimetre.
            assert abs(lon_db - lon) < 1e-8 and abs(lat_db - lat) < 1e-8, (srid, x, y)
            cursor.execute(
                "SELECT ST_X(g), ST_Y(g) FROM ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), 4326), %s) AS g",
                [lon, lat, srid],
            )
            x_db, y_db = cursor.fetchone()
            assert np.hypot(x_db - x, y_db - y) < 0.01


def test_unsupported_crs_is_named_in_the_error():
    with pytest.raises(crs.UnsupportedCRS, match="EPSG:2154 is not supported"):
        crs.check_srid(2154)
    with pytest.raises(crs.UnsupportedCRS, match="'lambert' is not an EPSG code"):
        crs.check_srid("lambert")


# EPSG:1166 as the EPSG registry spells it (PROJ's database), applied step by step: an oracle independent of
# the PROJ strings of plans/crs.py.
EPSG_1166 = ("+proj=pipeline +step +proj=axisswap +order=2,1 +step +proj=unitconvert +xy_in=deg +xy_out=rad "
             "+step +proj=push +v_3 +step +proj=cart +ellps=clrk80ign +step +proj=helmert +x=31 +y=146 +z=47 "
             "+step +inv +proj=cart +ellps=WGS84 +step +proj=pop +v_3 +step +proj=unitconvert +xy_in=rad "
             "+xy_out=deg +step +proj=axisswap +order=2,1")


@pytest.mark.parametrize("srid, points", ZONES)
def test_python_is_the_registry_projection_then_epsg_1166(srid, points):
    from pyproj import Transformer

    to_merchich = Transformer.from_crs(f"EPSG:{srid}", "EPSG:4261")  # projection only (same datum), lat/lon
    helmert = Transformer.from_pipeline(EPSG_1166)  # lat/lon Merchich -> lat/lon WGS 84
    for x, y in points:
        lat, lon = helmert.transform(*to_merchich.transform(x, y))
        lon2, lat2 = crs.to_wgs84(x, y, srid)
        assert abs(lon2 - lon) < 1e-9 and abs(lat2 - lat) < 1e-9, (srid, x, y)


@pytest.mark.django_db
@pytest.mark.parametrize("srid", crs.SAHARA_SRIDS)
def test_postgis_no_longer_uses_a_ballpark_shift_in_the_sahara(srid):
    """Without migration 0011, PostGIS (like PROJ from the EPSG code alone) applies no shift there."""
    from pyproj import Transformer

    x, y = (SAHARA_NORD if srid == 26194 else SAHARA_SUD)[0]
    ballpark = Transformer.from_crs(f"EPSG:{srid}", "EPSG:4326", always_xy=True).transform(x, y)
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_X(g), ST_Y(g) FROM ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), %s), 4326) g",
                       [x, y, srid])
        lon, lat = cursor.fetchone()
        cursor.execute("SELECT auth_name, auth_srid FROM spatial_ref_sys WHERE srid = %s", [srid])
        assert cursor.fetchone() == ("EPSG", None)
    gap_m = np.hypot((lon - ballpark[0]) * 111320 * np.cos(np.radians(lat)), (lat - ballpark[1]) * 110570)
    assert 100 < gap_m < 400, gap_m


@pytest.mark.parametrize("lat, srid", [(35.59, 26191), (31.5, 26191), (28.99, 26192), (27.15, 26194),
                                       (23.71, 26195), (20.9, 26195)])
def test_zone_for_latitude(lat, srid):
    assert crs.zone_for(lat) == srid
