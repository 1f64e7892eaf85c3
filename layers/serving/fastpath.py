"""The short way through Django for /ogc/ data: pages of items, one item, vector tiles.

These answers are public GeoJSON and MVT that PostGIS wrote. They read no
session, user, language nor CSRF token, so the site's middleware (security
headers, WhiteNoise, sessions, locale, CSRF, auth, messages, frame options)
is pure fixed cost on them: this middleware, first in settings.MIDDLEWARE,
calls their views directly and maps API errors as geoportal.core.responses does. HTML
pages and every other path take the normal chain. Every /ogc answer, by either way, gets the
HTTP manners of layers.serving.ogc_http (CORS, preflight, JSON 405, Vary, ETag/304, gzip).
"""
from django.db import connections
from django.urls import Resolver404, resolve

from geoportal.core.errors import ApiError
from geoportal.core.replica import read_alias
from geoportal.core.responses import error_response

from . import ogc_http
from .views import wants_html

PREFIX = "/ogc/collections/"
DATA_VIEWS = frozenset({"ogc-items", "ogc-item", "ogc-tile"})


class OgcDataMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not ogc_http.is_ogc(request.path_info):
            return self.get_response(request)
        response = ogc_http.refusal(request) or self._answer(request)
        return ogc_http.finish(request, response)

    def _answer(self, request):
        match = self._data_view(request)
        if match is None:
            return self.get_response(request)
        # Django checks a persistent connection with a SELECT 1 round trip before each request's
        # first query; the data queries replace a dropped connection themselves (layers.serving.layer_queries).
        connections[read_alias()].health_check_done = True
        request.resolver_match = match
        try:
            response = match.func(request, *match.args, **match.kwargs)
        except ApiError as error:
            response = error_response(error)
        response["X-Content-Type-Options"] = "nosniff"
        return response

    @staticmethod
    def _data_view(request):
        """The URL match of a data view that may skip the middleware chain, or None."""
        if request.method not in ("GET", "HEAD") or not request.path_info.startswith(PREFIX):
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.url_name not in DATA_VIEWS or wants_html(request):
            return None
        return match
