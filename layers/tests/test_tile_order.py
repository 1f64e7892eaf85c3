"""Tile paths follow OGC API – Tiles: …/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol} (z/y/x)."""
import json

import mapbox_vector_tile
import morecantile
import pytest
from django.contrib.gis.geos import Polygon

from plans.models import Parcel

pytestmark = pytest.mark.django_db
MERCATOR = morecantile.tms.get("WebMercatorQuad")
TEMPLATE = "{tileMatrix}/{tileRow}/{tileCol}"


def _tile_ids(client, z, row, col):
    response = client.get(f"/ogc/collections/parcels/tiles/WebMercatorQuad/{z}/{row}/{col}?f=mvt")
    assert response.status_code == 200, response.content[:300]
    return {f["id"] for f in mapbox_vector_tile.decode(response.content).get("parcels", {}).get("features", [])}


def test_a_known_tile_holds_the_parcels_of_its_area(client):
    centre = Parcel.objects.filter(title_number="TF 10001/19").get().geom.centroid
    z = 17
    tile = MERCATOR.tile(centre.x, centre.y, z)
    assert tile.x != tile.y  # a swapped order would name another tile
    bounds = MERCATOR.bounds(tile)
    area = Polygon.from_bbox((bounds.left, bounds.bottom, bounds.right, bounds.top))
    area.srid = 4326
    inside = set(Parcel.objects.filter(geom__within=area).values_list("id", flat=True))
    # The tile carries a 64/4096 buffer: anything it holds touches the tile widened by 2 %.
    margin = 0.02 * (bounds.right - bounds.left)
    near = Polygon.from_bbox((bounds.left - margin, bounds.bottom - margin, bounds.right + margin,
                              bounds.top + margin))
    near.srid = 4326
    nearby = set(Parcel.objects.filter(geom__intersects=near).values_list("id", flat=True))
    assert len(inside) >= 5

    served = _tile_ids(client, z, tile.y, tile.x)
    assert inside <= served <= nearby
    assert not served & _tile_ids(client, z, tile.x, tile.y)  # column first: another place, none of these


def test_advertised_tile_templates_use_the_row_then_column_order(client):
    body = json.loads(client.get("/ogc/collections/parcels/tiles/WebMercatorQuad/metadata?f=json").content)
    templates = [link["href"] for link in body["links"] if link["rel"] == "item"]
    assert templates and all(TEMPLATE in href for href in templates)
    paths = json.loads(client.get("/ogc/openapi?f=json").content)["paths"]
    tile_paths = [path for path in paths if "/tiles/{tileMatrixSetId}/" in path]
    assert tile_paths and all(path.endswith(TEMPLATE) for path in tile_paths)


def test_the_web_map_asks_for_tiles_row_then_column(client):
    from frontend.webmap.config import map_config

    urls = [layer["url"] for layer in map_config()["vectorLayers"]] + [map_config()["historyUrl"]]
    assert urls and all("/WebMercatorQuad/{z}/{y}/{x}?" in url for url in urls)


def test_data_paths_survive_dropped_database_connections(live_server_url, django_db_blocker):
    """Items and tiles skip Django's per-request health check: a connection the server dropped is replaced."""
    import urllib.request

    from django.db import connection

    tile = MERCATOR.tile(-5.3626, 35.5889, 16)
    paths = ["/ogc/collections/zones/items?limit=1", "/ogc/collections/agencies/items/1",
             f"/ogc/collections/zones/tiles/WebMercatorQuad/16/{tile.y}/{tile.x}"]
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for _ in range(2):
            cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")
            for path in paths * 3:  # every worker meets a dead connection
                with urllib.request.urlopen(live_server_url + path, timeout=30) as response:
                    assert response.status == 200, path
