"""Links that leave the site (QR codes, e-mails, the OGC API's own URLs) and the QR codes (segno) that carry them.

settings.PUBLIC_BASE_URL when set (e.g. https://geoportail.example.ma), else the request's own scheme and host;
a background job without a request gets "" unless PUBLIC_BASE_URL is set (callers pass the root they saved).
"""
import segno
from django.conf import settings


def site_root(request=None):
    """The absolute URL of the site, without a trailing slash."""
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL
    return request.build_absolute_uri("/").rstrip("/") if request is not None else ""


def absolute_url(request, path):
    """The link a QR code or an e-mail carries: site_root(request) + `path`."""
    return site_root(request) + path


def qr_data_uri(url):
    """A PNG data URI of a QR code for `url` (error correction M), to inline in a page."""
    return segno.make(url, error="m").png_data_uri(scale=5, border=2)


def qr_svg_data_uri(url):
    """An SVG data URI of a QR code for `url` (error correction M), sharp at any print size (the note's PDF)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)
