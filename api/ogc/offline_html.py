"""pygeoapi's HTML pages without the outside world: CDN assets swapped for our vendored copies.

pygeoapi's templates load Leaflet, Bootstrap, Swagger UI… from unpkg and
other CDNs; our servers and many users' networks reach no CDN, so the pages
point at frontend/static/vendor/ instead (versions fixed by the files there),
and any other external script, stylesheet or font is dropped.
"""
import re

from django.conf import settings

VENDORED = {
    "https://unpkg.com/leaflet@1.3.1/dist/": "vendor/leaflet/",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet/1.3.1/": "vendor/leaflet/",
    "https://unpkg.com/leaflet.markercluster/dist/": "vendor/leaflet.markercluster/",
    "https://unpkg.com/leaflet.vectorgrid@latest/dist/": "vendor/leaflet.vectorgrid/",
    "https://unpkg.com/swagger-ui-dist/": "vendor/swagger-ui/",
    "https://unpkg.com/bootstrap@5.1.3/dist/css/": "vendor/bootstrap/",
}
_EXTERNAL_TAG = re.compile(r'<script[^>]*\ssrc="https?://[^"]*"[^>]*>\s*</script>'
                           r'|<link[^>]*\shref="https?://[^"]*"[^>]*>')


def localise(html):
    """`html` (str) with vendored assets served locally and other external assets removed."""
    for cdn, local in VENDORED.items():
        html = html.replace(cdn, f"{settings.STATIC_URL}{local}")
    return _EXTERNAL_TAG.sub("", html)
