"""This geoportal, served as in production: gunicorn, DEBUG off, a real SECRET_KEY, Redis cache."""
import json
import os
import sys
import time
import urllib.error
import urllib.request

from .base import ROOT, WMS_GETMAP, Server, Unavailable, kind_of

WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))


class App(Server):
    name = "app"
    label = f"geoportal (gunicorn, {WORKERS} workers)"
    ready_path = "/healthz"
    urls = {
        "items": "{base}/ogc/collections/parcels/items?bbox={bbox}&limit={limit}",
        "item": "{base}/ogc/collections/parcels/items/{id}",
        "filter": "{base}/ogc/collections/zones/items?filter={cql}&filter-lang=cql2-text&limit=100",
        "tile": "{base}/ogc/collections/parcels/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt",
        "wms": "{base}/ows?" + WMS_GETMAP,
        "wfs": "{base}/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=parcels&COUNT=100"
               "&BBOX={latlon},urn:ogc:def:crs:EPSG::4326&OUTPUTFORMAT=application/json",
    }

    def command(self, probe, workdir):
        argv = [sys.executable, "-m", "gunicorn", "geoportal.wsgi", "--chdir", str(ROOT), "-b",
                f"127.0.0.1:{self.port}", "-w", str(WORKERS), "--timeout", "120"]
        # A cache prefix of its own per run: the first request of each query is truly cold.
        # As in production the server holds no owner credentials: both URLs name the dataset's app role.
        env = dict(DATABASE_URL=probe.url, DATABASE_OWNER_URL=probe.url, DEBUG="0", SECRET_KEY="bench-only-" + os.urandom(16).hex(),
                   NOTE_SIGNING_KEY="bench-only-" + os.urandom(24).hex(),
                   CACHE_KEY_PREFIX=f"bench-{probe.size}-{time.time_ns()}", PYTHONUNBUFFERED="1",
                   # Throughput, not the anonymous issuance limit, is measured here.
                   NOTE_ANONYMOUS_RATE="")
        return argv, env

    def request(self, query, probe):
        if kind_of(query) != "note":
            return super().request(query, probe)
        body = json.dumps({"title_number": probe.title_number})
        if query.key == "note_json":
            return f"{self.base}/api/notes", "POST", body
        try:
            link = self._pdf_link(body)
        except Unavailable as exc:
            return str(exc)
        if query.key == "note_3d":
            # The 3D envelope of one issued note, downloaded again and again (drawn from its stored content).
            return link.removesuffix(".pdf") + "/envelope.glb", None, None
        # The PDF is drawn on the first GET of a note's link and stored: time that first GET, on fresh notes.
        return lambda: _timed_get(self._pdf_link(body))

    def _pdf_link(self, body):
        """The PDF link given in a new note's answer (the note branch's contract); Unavailable says why not."""
        req = urllib.request.Request(f"{self.base}/api/notes", data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as response:
                answer = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            raise Unavailable(f"not available on this build (POST /api/notes: HTTP {exc.code})") from None
        except (OSError, ValueError) as exc:
            raise Unavailable(f"not available on this build (POST /api/notes: {exc})") from None
        link = answer.get("links", {}).get("pdf") if isinstance(answer.get("links"), dict) else None
        if not link:
            raise Unavailable("not available on this build (no links.pdf in the note's answer)")
        return link if link.startswith("http") else self.base + link


def _timed_get(url):
    """(seconds, bytes) of one GET of `url`; raises OSError on a failed request."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        size = len(response.read())
    return time.perf_counter() - started, size
