"""What the attack tests share: a client for the live server, hostile files, row counts, a loopback listener."""
import http.client
import http.server
import io
import json
import threading
import zipfile
from urllib.parse import urlsplit

import requests


def row_counts():
    """{table: rows} of every table of the public schema, in one query (committed data, as the server sees it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        tables = [row[0] for row in cursor.fetchall()]
        cursor.execute(" UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in tables))
        return dict(cursor.fetchall())


def reset_rate_limits():
    """Forget the anonymous rate counters of 127.0.0.1, so that every case is judged on its input alone."""
    from django.core.cache import cache

    redis = cache._cache.get_client(None, write=True)  # Django's RedisCache: the same keys as the live server's
    for pattern in ("rate:*:127.0.0.1:*",):
        for key in redis.scan_iter(match=cache.make_key(pattern)):
            redis.delete(key)


def send(base, method, path, *, params=None, data=None, files=None, json_body=None, raw=None,
         content_type=None, headers=None, declared_length=None, csrf_page=None):
    """(status, content type, body bytes) of one request. `declared_length`: a Content-Length header larger
    than the body actually sent (what a client streaming a huge file sends first); `csrf_page`: a form page
    to GET first, as a browser does, for its CSRF cookie and token."""
    headers = dict(headers or {})
    session = requests.Session()
    if csrf_page:
        session.get(base + csrf_page, timeout=60)
        data = {**(data or {}), "csrfmiddlewaretoken": session.cookies["csrftoken"]}
    if declared_length is not None:
        return _declared(base, method, path, declared_length, content_type or "application/octet-stream", headers)
    if json_body is not None:
        raw, content_type = json.dumps(json_body).encode(), "application/json"
    if raw is not None:
        headers["Content-Type"] = content_type or "application/json"
    response = session.request(method, base + path, params=params, data=raw if raw is not None else data,
                                files=files, headers=headers, timeout=120, allow_redirects=False)
    return response.status_code, response.headers.get("Content-Type", ""), response.content


def _declared(base, method, path, length, content_type, headers):
    url = urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        connection.putrequest(method, path)
        for name, value in {"Content-Type": content_type, "Content-Length": str(length), **headers}.items():
            connection.putheader(name, value)
        connection.endheaders()
        try:
            connection.send(b"x" * 65536)  # the start of the body; the server must answer without the rest
        except OSError:
            pass
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def zipped(members):
    """Bytes of a zip of {name: bytes}."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def ogr_vrt(source, layer="zones"):
    """An OGR VRT whose layer reads `source` (a path, a /vsicurl/ URL, a CSV of /etc/passwd…)."""
    return (f'<OGRVRTDataSource><OGRVRTLayer name="{layer}"><SrcDataSource>{source}</SrcDataSource>'
            f"<GeometryType>wkbPolygon</GeometryType></OGRVRTLayer></OGRVRTDataSource>").encode()


def raster_vrt(source):
    return (f'<VRTDataset rasterXSize="10" rasterYSize="10"><VRTRasterBand dataType="Byte" band="1"><SimpleSource>'
            f"<SourceFilename>{source}</SourceFilename><SourceBand>1</SourceBand></SimpleSource></VRTRasterBand>"
            "</VRTDataset>").encode()


def huge_sparse_geotiff(path, width=30000, height=30000):
    """A GeoTIFF of a few KB declaring width × height pixels (no tile is written: SPARSE_OK)."""
    import rasterio
    from rasterio.transform import from_origin

    with rasterio.open(path, "w", driver="GTiff", width=width, height=height, count=3, dtype="uint8",
                       crs="EPSG:26191", transform=from_origin(503100, 554300, 0.1, 0.1), tiled=True,
                       blockxsize=1024, blockysize=1024, compress="deflate", sparse_ok=True):
        pass
    return path.read_bytes()


class Listener:
    """A loopback HTTP server that records every request it receives (none may come from a payload)."""

    def __init__(self):
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(f"{self.command} {self.path}")
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b'{"type": "FeatureCollection", "features": []}')

            do_HEAD = do_POST = do_GET

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
