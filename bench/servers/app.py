"""This geoportal, served as in production: gunicorn, DEBUG off, a real SECRET_KEY, Redis cache."""
import json
import os
import sys
import time
import urllib.error
import urllib.request

from .base import ROOT, Server, kind_of

WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))


class App(Server):
    name = "app"
    label = f"geoportal (gunicorn, {WORKERS} workers)"
    ready_path = "/healthz"
    urls = {
        "items": "{base}/ogc/collections/parcels/items?bbox={bbox}&limit={limit}",
        "item": "{base}/ogc/collections/parcels/items/{id}",
        "filter": "{base}/ogc/collections/zones/items?filter={cql}&filter-lang=cql2-text&limit=100",
        "tile": "{base}/ogc/collections/parcels/tiles/WebMercatorQuad/{z}/{x}/{y}?f=mvt",
    }

    def command(self, probe, workdir):
        argv = [sys.executable, "-m", "gunicorn", "geoportal.wsgi", "--chdir", str(ROOT), "-b",
                f"127.0.0.1:{self.port}", "-w", str(WORKERS), "--timeout", "120"]
        # A cache prefix of its own per run: the first request of each query is truly cold.
        env = dict(DATABASE_URL=probe.url, DEBUG="0", SECRET_KEY="bench-only-" + os.urandom(16).hex(),
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
        return self._pdf_link(body)

    def _pdf_link(self, body):
        """The PDF link given in the note's answer (the note branch's contract), or why there is none."""
        req = urllib.request.Request(f"{self.base}/api/notes", data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as response:
                answer = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return f"not available on this build (POST /api/notes: HTTP {exc.code})"
        except (OSError, ValueError) as exc:
            return f"not available on this build (POST /api/notes: {exc})"
        link = _find_pdf_link(answer)
        if not link:
            return "not available on this build (no PDF link in the note's answer)"
        return (link if link.startswith("http") else self.base + link), None, None


def _find_pdf_link(node):
    """The first string value that looks like a link to the PDF, searching the JSON answer depth-first."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and "pdf" in key.lower() and ("/" in value):
                return value
        for key, value in node.items():
            if key in ("links",) and isinstance(value, list):
                for link in value:
                    if isinstance(link, dict) and "pdf" in (link.get("type", "") + link.get("href", "")).lower():
                        return link.get("href")
        for value in node.values():
            found = _find_pdf_link(value)
            if found:
                return found
    elif isinstance(node, list):
        for value in node:
            found = _find_pdf_link(value)
            if found:
                return found
    return None
