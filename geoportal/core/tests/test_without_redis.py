"""Redis is a cache and a queue, never a single point of failure: a real server with no Redis behind it."""
import math
import socket

import requests

from conftest import live_server_env, serve


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed when the block ends: nothing listens there


def _tile_path(geometry, z):
    """The zones tile at zoom `z` holding the first vertex of `geometry` (lon/lat)."""
    coordinates = geometry["coordinates"]
    while isinstance(coordinates[0], list):
        coordinates = coordinates[0]
    lon, lat = coordinates[:2]
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return f"/ogc/collections/zones/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt"


def test_without_redis_tiles_pages_limits_and_health_still_answer(django_db_setup):
    env = live_server_env(REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0", NOTE_ANONYMOUS_RATE="2/hour")
    with serve(env) as base:
        health = requests.get(f"{base}/healthz", timeout=10)
        assert health.status_code == 200, health.text
        assert health.json()["status"] == "degraded" and health.json()["redis"].startswith("unreachable"), health.json()
        assert health.json()["database"].startswith("PostgreSQL")

        zone = requests.get(f"{base}/ogc/collections/zones/items?limit=1", timeout=10).json()["features"][0]
        tile = _tile_path(zone["geometry"], 15)
        for path in (tile, "/ogc/collections/zones/items?limit=3", "/api/territories", tile):
            response = requests.get(base + path, timeout=10)
            assert response.status_code == 200, (path, response.status_code, response.text[:300])
        assert len(requests.get(base + tile, timeout=10).content) > 50  # drawn by PostGIS, not an empty answer

        # The anonymous limit (2/hour) still holds, counted in each of the server's 2 processes: at most 4 notes
        # of 8 requests, the others refused with 429, none an error.
        statuses = [requests.post(f"{base}/api/notes", json={"title_number": "TF 10001/19", "mode": "indicative"},
                                  timeout=60).status_code for _ in range(8)]
        assert set(statuses) <= {201, 429}, statuses
        assert 2 <= statuses.count(201) <= 4 and statuses.count(429) >= 4, statuses
