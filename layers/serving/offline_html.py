"""pygeoapi's HTML pages without the outside world: CDN assets swapped for our vendored copies.

pygeoapi's templates load Leaflet, Bootstrap, Swagger UI… from CDNs; our
servers and many users' networks reach none, so every external script or
stylesheet whose npm package and file name we vendor under
frontend/static/vendor/<package>/ is pointed there (the package is read from
the URL's path, e.g. /leaflet@1.3.1/dist/leaflet.js or /libs/leaflet/1.3.1/
leaflet.js → vendor/leaflet/leaflet.js), and any other external asset
(fonts, unused chart libraries) is dropped. Our own assets under the OGC base
URL (pygeoapi's stylesheet and images at /ogc/static/) stay.
"""
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

VENDOR_DIR = Path(__file__).resolve().parents[2] / "frontend" / "static" / "vendor"
_ASSET_URL = re.compile(r'(<(?:script|link)\b[^>]*\s(?:src|href)=")(https?://[^"]+)(")')
_EXTERNAL_TAG = re.compile(r'<script[^>]*\ssrc="https?://[^"]*"[^>]*>\s*</script>'
                           r'|<link[^>]*\shref="https?://[^"]*"[^>]*>')


@lru_cache(maxsize=256)
def vendored(url):
    """The static URL of our copy of the asset at `url`, or None when we vendor no such file."""
    path = urlsplit(url).path
    name = path.rsplit("/", 1)[-1]
    for segment in path.split("/")[:-1]:
        package = segment.split("@", 1)[0]
        if package and (VENDOR_DIR / package / name).is_file():
            return f"{settings.STATIC_URL}vendor/{package}/{name}"
    return None


def localise(html, own_root=""):
    """`html` (str) with vendored assets served locally and other external assets removed.

    own_root: the absolute URL of this site (e.g. https://geoportail.example.ma); assets under it stay.
    """
    def keep_ours(match):
        return match.group(0) if own_root and _url_of(match.group(0)).startswith(own_root + "/") else ""

    html = _ASSET_URL.sub(lambda m: m.group(1) + (vendored(m.group(2)) or m.group(2)) + m.group(3), html)
    return _EXTERNAL_TAG.sub(keep_ours, html)


def _url_of(tag):
    return re.search(r'\s(?:src|href)="([^"]*)"', tag).group(1)
