"""HTTP manners of every answer under /ogc: CORS and preflight, methods, Vary, conditional GET, gzip.

The OGC API is public, read-only data for any web page and GIS client, so
every answer (data, landing page, OpenAPI, records, errors) carries
`Access-Control-Allow-Origin: *`, a browser's preflight gets 204, and a
write method gets a JSON 405 before any CSRF check (there is no session
here to protect). Answers switch between GeoJSON and HTML on Accept, so
they say `Vary: Accept`. ETags (of the content, or the ones the views set
from data versions) answer If-None-Match with 304; bodies are gzipped when
the client accepts it. Django's own ConditionalGet and GZip middlewares do
the work, applied here to /ogc only.
"""
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_vary_headers

from geoportal.core.errors import MethodNotAllowed
from geoportal.core.responses import error_response

ALLOWED = ("GET", "HEAD", "OPTIONS")
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Content-Crs, Content-Language, Content-Length, Link",
}
PREFLIGHT = {
    "Access-Control-Allow-Methods": ", ".join(ALLOWED),
    "Access-Control-Allow-Headers": "Accept, Accept-Language, Content-Type, If-None-Match, If-Modified-Since, Range",
    "Access-Control-Max-Age": "86400",
}
_conditional = ConditionalGetMiddleware(get_response=lambda request: None)
_gzip = GZipMiddleware(get_response=lambda request: None)


def is_ogc(path):
    return path == "/ogc" or path.startswith("/ogc/")


def refusal(request):
    """The answer to a preflight (204) or to a method /ogc does not serve (JSON 405); None for GET and HEAD."""
    if request.method in ("GET", "HEAD"):
        return None
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        for key, value in PREFLIGHT.items():
            response[key] = value
    else:
        response = error_response(MethodNotAllowed(
            f"{request.method} {request.path}: the OGC API is read-only; use GET (or HEAD, OPTIONS)"))
    response["Allow"] = ", ".join(ALLOWED)
    return response


def finish(request, response):
    """`response` with CORS, Vary: Accept, a 304 when the client's ETag still matches, and gzip."""
    for key, value in CORS.items():
        if key not in response:
            response[key] = value
    patch_vary_headers(response, ("Accept",))
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        response = _conditional.process_response(request, response)
    return _gzip.process_response(request, response)
