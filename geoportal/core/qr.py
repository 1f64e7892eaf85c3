"""QR codes (segno) on what the agency issues, and absolute links for them."""
import segno
from django.conf import settings


def absolute_url(request, path):
    """The link a QR code or an e-mail carries: PUBLIC_BASE_URL when set, else the request's own host."""
    base = settings.PUBLIC_BASE_URL or (request.build_absolute_uri("/").rstrip("/") if request else "")
    return base + path


def qr_data_uri(url):
    """A PNG data URI of a QR code for `url` (error correction M), to inline in a page."""
    return segno.make(url, error="m").png_data_uri(scale=5, border=2)
