"""tipg (developmentseed), from PyPI, in its own virtualenv: it reads the tables directly.

It runs as uvicorn workers under gunicorn: `uvicorn --workers N` leaves
Nagle's algorithm on for keep-alive connections, which adds ~40 ms to every
request (PERFORMANCE.md) and would measure the socket, not tipg.
"""
from urllib.parse import urlsplit, urlunsplit

from .app import WORKERS
from .base import Server, venv_install

REQUIREMENTS = ["tipg==1.6.1", "uvicorn==0.54.0", "uvicorn-worker==0.4.0", "gunicorn==27.0.1"]


class Tipg(Server):
    name = "tipg"
    label = f"tipg 1.6.1 (gunicorn + uvicorn workers ×{WORKERS})"
    ready_path = "/collections"
    urls = {
        "items": "{base}/collections/public.plans_parcel/items?bbox={bbox}&limit={limit}&f=geojson",
        "item": "{base}/collections/public.plans_parcel/items/{id}?f=geojson",
        "filter": "{base}/collections/public.plans_zone/items?filter={cql}&filter-lang=cql2-text&limit=100&f=geojson",
        "tile": "{base}/collections/public.plans_parcel/tiles/WebMercatorQuad/{z}/{x}/{y}",
    }

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
