"""Stock pygeoapi 0.21 (Flask on gunicorn) with its PostgreSQL and MVT-postgresql providers, untuned."""
import subprocess
from urllib.parse import urlsplit

import yaml

from .app import WORKERS
from .base import Server, Unavailable, venv_install

REQUIREMENTS = ["pygeoapi==0.21.0", "GeoAlchemy2==0.20.0", "psycopg2-binary==2.9.13", "gunicorn==27.0.1"]


class PygeoapiStock(Server):
    name = "pygeoapi"
    label = "pygeoapi 0.21 stock (gunicorn)"
    ready_path = "/collections?f=json"
    urls = {
        "items": "{base}/collections/parcels/items?bbox={bbox}&limit={limit}&f=json",
        "item": "{base}/collections/parcels/items/{id}?f=json",
        "filter": "{base}/collections/zones/items?filter={cql}&filter-lang=cql-text&limit=100&f=json",
        # pygeoapi orders tile paths {tileMatrix}/{tileRow}/{tileCol}, i.e. z/y/x.
        "tile": "{base}/collections/parcels/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt",
    }

    def install(self):
        self.bin = venv_install("pygeoapi", REQUIREMENTS)

    def command(self, probe, workdir):
        parts = urlsplit(probe.url)
        data = dict(host=parts.hostname, port=parts.port or 5432, dbname=parts.path.lstrip("/"),
                    user=parts.username, password=parts.password or "", search_path=["public"])
        feature = dict(type="feature", name="PostgreSQL", data=data, id_field="id", geom_field="geom")
        tiles = dict(type="tile", name="MVT-postgresql", data=data, id_field="id", geom_field="geom",
                     table="plans_parcel", options=dict(zoom=dict(min=0, max=22)),
                     format=dict(name="pbf", mimetype="application/vnd.mapbox-vector-tile"))
        extent = dict(spatial=dict(bbox=[-17.1, 21.3, -1.0, 35.9], crs="http://www.opengis.net/def/crs/OGC/1.3/CRS84"))

        def collection(title, table, *more):
            return dict(type="collection", title=title, description=title, keywords=[title], extents=extent,
                        links=[], providers=[dict(feature, table=table), *more])

        config = dict(
            server=dict(bind=dict(host="127.0.0.1", port=self.port), url=self.base, mimetype="application/json",
                        encoding="utf-8", language="en-US", limits=dict(default_items=10, max_items=10000),
                        map=dict(url="", attribution=""), languages=["en-US"]),
            logging=dict(level="ERROR"),
            metadata=dict(identification=dict(title="bench", description="bench", keywords=["bench"],
                                              keywords_type="theme", terms_of_service="", url=self.base),
                          license=dict(name="CC-BY 4.0", url=""), provider=dict(name="bench", url=""),
                          contact=dict(name="bench")),
            resources=dict(parcels=collection("parcels", "plans_parcel", tiles),
                           zones=collection("zones", "plans_zone")),
        )
        config_path, openapi_path = workdir / "pygeoapi-config.yml", workdir / "pygeoapi-openapi.yml"
        config_path.write_text(yaml.safe_dump(config, sort_keys=False))
        env = dict(PYGEOAPI_CONFIG=str(config_path), PYGEOAPI_OPENAPI=str(openapi_path))
        done = subprocess.run([str(self.bin / "pygeoapi"), "openapi", "generate", str(config_path),
                               "--output-file", str(openapi_path)], capture_output=True, text=True, env=env)
        if done.returncode:
            raise Unavailable(f"pygeoapi openapi generate failed: {done.stderr.strip()[-300:]}")
        argv = [str(self.bin / "gunicorn"), "pygeoapi.flask_app:APP", "-b", f"127.0.0.1:{self.port}", "-w",
                str(WORKERS), "--timeout", "120"]
        return argv, env
