"""The pinned Merchich -> WGS 84 shift: exact round trips, and PostGIS agrees with Python."""
import numpy as np
import pytest
from django.db import connection

from plans import crs

# Points spread over each zone's territory (Lambert metres).
NORD = [(503243.0, 554174.0), (460000.0, 520000.0), (528000.0, 565000.0), (380000.0, 300000.0)]
SUD = [(46241.0, 230401.0), (-50000.0, 180000.0), (150000.0, 260000.0)]


def test_known_point_in_tetouan():
    # DOMAIN.md, checked with GDAL 3.6: (-5.3626, 35.5889) -> (503243, 554174) in EPSG:26191.
    x, y = crs.from_wgs84(-5.3626, 35.5889, 26191)
    assert abs(x - 503243) < 1 and abs(y - 554174) < 1


@pytest.mark.parametrize("srid, points", [(26191, NORD), (26192, SUD)])
def test_round_trip_lambert_wgs84_lambert_under_a_centimetre(srid, points):
    for x, y in points:
        lon, lat = crs.to_wgs84(x, y, srid)
        x2, y2 = crs.from_wgs84(lon, lat, srid)
        assert np.hypot(x2 - x, y2 - y) < 0.01, (srid, x, y, x2, y2)


@pytest.mark.django_db
@pytest.mark.parametrize("srid, points", [(26191, NORD), (26192, SUD)])
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
