"""QGIS Server (Debian qgis-server) as FastCGI behind lighttpd, answering OGC API Features (its /wfs3).

QGIS Server 3.22 has no CQL2: the attribute filter is its property filter
(?code=B3); it has no OGC API Tiles.
"""
import subprocess
from pathlib import Path

from .app import WORKERS
from .base import WMS_GETMAP, Server, Unavailable, apt_install
from .fastcgi import lighttpd_command
from ..datasets import libpq_dsn

PROJECT_SCRIPT = Path(__file__).with_name("qgis_project.py")


class QgisServer(Server):
    name = "qgis"
    label = f"QGIS Server 3.22 (FastCGI ×{WORKERS}, lighttpd)"
    ready_path = "/qgis/wfs3/collections.json"
    urls = {
        "items": "{base}/qgis/wfs3/collections/parcels/items.json?bbox={bbox}&limit={limit}",
        "item": "{base}/qgis/wfs3/collections/parcels/items/{id}.json",
        "filter": "{base}/qgis/wfs3/collections/zones/items.json?code={code}&limit=100",
        "wms": "{base}/qgis?" + WMS_GETMAP,
        # QGIS Server 3.22 speaks WFS 1.1.0 (no 2.0): the same bbox, lon/lat, GeoJSON output.
        "wfs": "{base}/qgis?SERVICE=WFS&VERSION=1.1.0&REQUEST=GetFeature&TYPENAME=parcels&MAXFEATURES=100"
               "&BBOX={bbox},EPSG:4326&OUTPUTFORMAT=application/vnd.geo%2Bjson",
    }
    lacks = {"tile": "QGIS Server 3.22 has no OGC API Tiles", "note": "no urbanism note (a map and features server)"}

    def install(self):
        apt_install("qgis-server", "python3-qgis", "lighttpd")

    def command(self, probe, workdir):
        project = workdir / "bench.qgs"
        env = {"QT_QPA_PLATFORM": "offscreen", "HOME": str(workdir)}
        done = subprocess.run(["/usr/bin/python3", str(PROJECT_SCRIPT), str(project), libpq_dsn(probe.url)],
                              capture_output=True, text=True, env=env, timeout=120)
        if done.returncode:
            raise Unavailable(f"writing the QGIS project failed: {(done.stderr or done.stdout).strip()[-300:]}")
        fcgi_env = dict(env, QGIS_PROJECT_FILE=str(project), QGIS_SERVER_LOG_LEVEL="2",
                        QGIS_SERVER_LOG_STDERR="1", QGIS_SERVER_PARALLEL_RENDERING="false")
        argv = lighttpd_command(workdir, self.port, "/qgis", "/usr/lib/cgi-bin/qgis_mapserv.fcgi", WORKERS,
                                fcgi_env)
        return argv, {}
