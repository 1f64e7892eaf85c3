"""Typed errors to HTTP, in one place: OGC exception JSON on /api/ and /ogc/, an HTML page for people.

ApiErrorMiddleware maps the ApiError a view raises (JSON on the APIs, a small
HTML page with the same message on the site's pages (site/refused.html, in the site shell), which browsers open) and
answers any other exception on /api/ and /ogc/ with the JSON 500 the OpenAPI
document declares (the traceback goes to the log, never to the client);
refusal() maps an error raised before any view (geoportal.request_guard); the
handler400/403/404/500 views answer Django's own errors (a malformed multipart
body, an unknown /api/ route, a crash) as the same JSON on /api/ and /ogc/, and
as Django's pages elsewhere. The OGC fast path uses error_response too.
"""
import logging

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import Resolver404
from django.utils.html import escape
from django.views import defaults

from .errors import ApiError, Forbidden, InvalidParameter, NotFound, ServerError

JSON_PREFIXES = ("/api/", "/ogc/")
OWS_PATH = "/ows"  # WMS/WFS clients read an OWS exception report (XML)
log = logging.getLogger("django.request")


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ApiError):
            return refusal(request, exception)
        if wants_json(request):
            log.error("%s %s: %s", request.method, request.path, exception, exc_info=exception,
                      extra={"status_code": 500, "request": request})
            return error_response(ServerError(f"{request.path}: the server failed to answer; the error is logged"))
        return None


def error_response(error):
    """The JSON response of an ApiError, with its status."""
    response = JsonResponse(error.as_json(), status=error.status, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/json; charset=utf-8"
    return response


def wants_json(request):
    return request.path_info.startswith(JSON_PREFIXES)


def ows_exception(error):
    """`error` as the OWS 1.1 exception report WMS and WFS clients read, with its status."""
    locator = f' locator="{escape(error.parameter)}"' if error.parameter else ""
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" '
            f'version="2.0.0"><ows:Exception exceptionCode="{error.code}"{locator}><ows:ExceptionText>'
            f"{escape(error.description)}</ows:ExceptionText></ows:Exception></ows:ExceptionReport>")
    return HttpResponse(body, status=error.status, content_type="application/xml; charset=utf-8")


def refusal(request, error):
    """`error` as JSON on the APIs, as an OWS exception report on /ows, as a small HTML page on the site's pages."""
    if request.path_info == OWS_PATH:
        return ows_exception(error)
    if wants_json(request):
        return error_response(error)
    page = render_to_string("site/refused.html", {"status": error.status, "description": error.description},
                            request=request)
    return HttpResponse(page, status=error.status, content_type="text/html; charset=utf-8")


def _handler(error_class, message, default_view):
    def view(request, exception=None, **kwargs):
        if wants_json(request):
            detail = "" if exception is None or isinstance(exception, Resolver404) or error_class is ServerError \
                else str(exception)
            return error_response(error_class(f"{request.path}: {message}{': ' + detail if detail else ''}"))
        if exception is None:
            return default_view(request, **kwargs)
        return default_view(request, exception, **kwargs)
    return view


handler400 = _handler(InvalidParameter, "the request cannot be read", defaults.bad_request)
handler403 = _handler(Forbidden, "forbidden", defaults.permission_denied)
handler404 = _handler(NotFound, "no such resource; see /api/openapi.json for the routes", defaults.page_not_found)
handler500 = _handler(ServerError, "the server failed to answer; the error is logged", defaults.server_error)
