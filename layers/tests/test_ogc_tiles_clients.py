"""OGC API - Tiles through real clients against the live server: GDAL's OGCAPI driver listing the features of
our vector tiles, Debian's ogrinfo on the same collection URL, and what OWSLib knows of Tiles.

Oracles: the ORM (current zones) and PostGIS's own intersection with the box; never the tile SQL.
"""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.gis.geos import Polygon
from owslib.ogcapi.features import Features

from layers.ows.tests.test_ows_clients import current_zones
from layers.serving.feature_pages import MAX_ZOOM

pytestmark = pytest.mark.django_db
CLIENT = Path(__file__).with_name("gdal_ogcapi_client.py")
TILES_CONFORMANCE = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core"


def mercator_box(zone, margin=20):
    """A box (EPSG:3857 metres) around the zone's extent, `margin` metres wider on each side."""
    minx, miny, maxx, maxy = zone.geom.transform(3857, clone=True).extent
    return minx - margin, miny - margin, maxx + margin, maxy + margin


def read_with_gdal(url, zoom, box):
    # Outside this process: Django's GDAL guard took the network drivers from every GDAL in it.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GDAL_", "CPL_", "DJANGO"))}
    done = subprocess.run([sys.executable, str(CLIENT), url, str(zoom), ",".join(map(str, box))],
                          capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_gdal_ogcapi_driver_lists_the_features_of_our_vector_tiles(live_server_url, live_server_log):
    zone = current_zones().order_by("id").first()
    box = mercator_box(zone)
    answer = read_with_gdal(f"{live_server_url}/ogc/collections/zones", 16, box)
    assert answer["driver"] == "OGCAPI" and answer["crs"] == "EPSG:3857"
    # tileMatrixSetLimits: GDAL lists the zoom levels we serve, not the 30 of WebMercatorQuad.
    assert answer["layers"] == [f"Zoom level {z}" for z in range(0, MAX_ZOOM + 1)]
    area = Polygon.from_bbox(box)
    area.srid = 3857
    expected = {(z.id, z.code) for z in current_zones().filter(geom__intersects=area)}
    assert len(expected) > 1 and (zone.id, zone.code) in expected
    assert {tuple(f) for f in answer["features"]} == expected
    assert re.search(r'"GET /ogc/collections/zones/tiles/WebMercatorQuad/16/\d+/\d+\?f=mvt HTTP/1.1" 200 .*GDAL/',
                     live_server_log.read_text())


def test_debian_ogrinfo_reads_the_collection_url_through_the_ogcapi_driver(live_server_url):
    """Debian's GDAL 3.6.2 lacks the vector-tiles half of the driver (see gdal_ogcapi_client.py); the same URL
    opens with API=ITEMS, which bridges to its OAPIF driver."""
    url = f"OGCAPI:{live_server_url}/ogc/collections/zones"
    done = subprocess.run(["ogrinfo", "-ro", "-al", "-so", "-oo", "API=ITEMS", url],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(re.search(r"Feature Count: (\d+)", done.stdout).group(1)) == current_zones().count()


def test_owslib_discovers_the_tiles(live_server_url):
    """OWSLib (0.35) has no OGC API - Tiles client; what it reads is the discovery: the conformance class and
    the collection's tilesets link, which lead to the tileset that GDAL and QGIS read."""
    api = Features(f"{live_server_url}/ogc")
    assert TILES_CONFORMANCE in api.conformance()["conformsTo"]
    links = {link["rel"]: link["href"] for link in api.collection("zones")["links"]}
    tilesets = links["http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"]
    assert tilesets.startswith(f"{live_server_url}/ogc/collections/zones/tiles")
