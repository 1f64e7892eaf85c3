"""The Content-Security-Policy of every page (django-csp sends it; settings.CONTENT_SECURITY_POLICY).

Every script and stylesheet is served by us (frontend/static/vendor, no CDN),
so the policy admits our own origin and nothing else: no inline script or
style without the request's nonce (request.csp_nonce, `{{ CSP_NONCE }}` in
templates), no eval, no plugin, no foreign form target, no framing (the
embeds set their own frame-ancestors). Should a published label ever slip
past escaping, the browser still runs none of it. Images may also be data:
URIs (QR codes, Leaflet's icons) and, when the deployment configures an XYZ
base map (BASE_MAP_URL), tiles from that one host.
"""
import re
from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, REPORT_SAMPLE, SELF

_TEMPLATE_LABEL = re.compile(r"^\{[^}]*\}\.")


def tile_source(url):
    """The CSP source of an XYZ template's host ("https://{s}.tile.example.org/{z}/…" → "https://*.tile.example.org")."""
    if not url:
        return None
    parts = urlsplit(url.replace("{", "%7B").replace("}", "%7D"))
    host = parts.netloc.replace("%7B", "{").replace("%7D", "}")
    if parts.scheme not in ("http", "https") or not host:
        raise ValueError(f"BASE_MAP_URL={url!r} is not an http(s) XYZ template such as https://tiles.example.org/{{z}}/{{x}}/{{y}}.png")
    host = _TEMPLATE_LABEL.sub("*.", host)
    if "{" in host or "}" in host:
        raise ValueError(f"BASE_MAP_URL={url!r}: only the first label of the host may be a {{placeholder}}")
    return f"{parts.scheme}://{host}"


def policy(base_map_url="", form_targets=()):
    """The django-csp CONTENT_SECURITY_POLICY setting.

    form_targets: origins a form may lead to besides ours (a payment provider's checkout, which the
    invoice form redirects to: browsers apply form-action to that redirect too).
    """
    tiles = tile_source(base_map_url)
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            # 'report-sample': a violation report (and the browser's event) quotes the blocked code
            "script-src": [SELF, NONCE, REPORT_SAMPLE],
            "style-src": [SELF, NONCE, REPORT_SAMPLE],
            "img-src": [SELF, "data:", *([tiles] if tiles else [])],
            "font-src": [SELF],
            "connect-src": [SELF],
            "object-src": [NONE],
            "base-uri": [NONE],
            "form-action": [SELF, *form_targets],
            "frame-ancestors": [NONE],
        }
    }
