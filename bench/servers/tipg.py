"""tipg (developmentseed), from PyPI, in its own virtualenv: it reads the tables directly.

It runs as uvicorn workers under gunicorn: `uvicorn --workers N` leaves
Nagle's algorithm on for keep-alive connections, which adds ~40 ms to every
request (PERFORMANCE.md) and would measure the socket, not tipg.
"""
from urllib.parse import quote, urlsplit, urlunsplit

from .app import WORKERS
from .base import Server, venv_install

REQUIREMENTS = ["tipg==1.6.1", "uvicorn==0.54.0", "uvicorn-worker==0.4.0", "gunicorn==27.0.1"]


class Tipg(Server):
    name = "tipg"
    label = f"tipg 1.6.1 (gunicorn + uvicorn workers ×{WORKERS})"
    ready_path = "/collections"

    def install(self):
        self.bin = venv_install("tipg", REQUIREMENTS)

    def command(self, probe, workdir):
        url = urlunsplit(urlsplit(probe.url)._replace(scheme="postgresql"))
        env = dict(DATABASE_URL=url, TIPG_DB_SCHEMAS='["public"]',
                   TIPG_DB_TABLES='["public.plans_parcel","public.plans_zone"]',
                   TIPG_DB_SPATIAL_EXTENT="false", TIPG_DB_DATETIME_EXTENT="false")
        argv = [str(self.bin / "gunicorn"), "tipg.main:app", "-k", "uvicorn_worker.UvicornWorker", "-b",
                f"127.0.0.1:{self.port}", "-w", str(WORKERS), "--timeout", "120"]
        return argv, env

    def request(self, query, probe):
        base, key = f"{self.base}/collections", query.key
        if key in ("items_100", "items_1000"):
            bbox, limit = (probe.bbox_small, 100) if key == "items_100" else (probe.bbox_large, 1000)
            return f"{base}/public.plans_parcel/items?bbox={probe.bbox_param(bbox)}&limit={limit}&f=geojson", None, None
        if key == "item":
            return f"{base}/public.plans_parcel/items/{probe.parcel_id}?f=geojson", None, None
        if key == "filter":
            return (f"{base}/public.plans_zone/items?filter={quote(f'code={probe.zone_code!r}')}"
                    f"&filter-lang=cql2-text&limit=100&f=geojson"), None, None
        if key.startswith("tile_z"):
            z, x, y = probe.tiles[int(key[6:])]
            return f"{base}/public.plans_parcel/tiles/WebMercatorQuad/{z}/{x}/{y}", None, None
        return "no urbanism note (a features and tiles server)"
