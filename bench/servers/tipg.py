"""tipg (developmentseed), from PyPI, on uvicorn, in its own virtualenv: it reads the tables directly."""
from urllib.parse import quote, urlsplit, urlunsplit

from .app import WORKERS
from .base import Server, venv_install

REQUIREMENTS = ["tipg==1.6.1", "uvicorn==0.54.0"]


class Tipg(Server):
    name = "tipg"
    label = "tipg 1.6.1 (uvicorn)"
    ready_path = "/collections"

    def install(self):
        self.bin = venv_install("tipg", REQUIREMENTS)

    def command(self, probe, workdir):
        url = urlunsplit(urlsplit(probe.url)._replace(scheme="postgresql"))
        env = dict(DATABASE_URL=url, TIPG_DB_SCHEMAS='["public"]',
                   TIPG_DB_TABLES='["public.plans_parcel","public.plans_zone"]',
                   TIPG_DB_SPATIAL_EXTENT="false", TIPG_DB_DATETIME_EXTENT="false")
        argv = [str(self.bin / "uvicorn"), "tipg.main:app", "--host", "127.0.0.1", "--port", str(self.port),
                "--workers", str(WORKERS), "--no-access-log"]
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
