"""The pygeoapi configuration and API object, built from the layer registry and cached.

pygeoapi's own Django views build an API object on every request; here one
API (and its OpenAPI document) is built per (data version, base URL) and
reused by every request of the worker. The data version covers the
publication flags and the plan tables, so a publish, an unpublish or a new
plan changes the key and every worker rebuilds on its next request.
"""
import contextvars
import copy
import datetime
import threading
from pathlib import Path

from django.conf import settings

from geoportal.core.shell import shell_for
from django.utils.module_loading import import_string

from geoportal.core.qr import site_root
from plans.versions import VERSIONED_TABLES, data_version

from . import layer_queries
from .ogc_crs import CRS84, SUPPORTED_CRS_URIS
from .ogc_params import DEFAULT_LIMIT, MAX_LIMIT
from .registry import PUBLICATION_TABLE, published_layers

_SPEC = "http://www.opengis.net/spec/"
# What /ogc/ implements, stated by us: pygeoapi's own list claims transactions
# (Features Part 4), record sorting and free-text search that we do not serve,
# omits the CQL2 filtering we do, and grows a global list on every call.
CONFORMANCE = sorted(
    [_SPEC + f"ogcapi-common-1/1.0/conf/{c}" for c in ("core", "html", "json", "landing-page", "oas30")]
    + [_SPEC + "ogcapi-common-2/1.0/conf/collections"]
    + [_SPEC + f"ogcapi-features-1/1.0/conf/{c}" for c in ("core", "geojson", "html", "oas30")]
    + [_SPEC + "ogcapi-features-2/1.0/conf/crs"]
    + [_SPEC + f"ogcapi-features-3/1.0/conf/{c}"
       for c in ("queryables", "queryables-query-parameters", "filter", "features-filter")]
    + [_SPEC + f"cql2/1.0/conf/{c}" for c in ("cql2-text", "cql2-json", "basic-cql2", "advanced-comparison-operators",
                                               "basic-spatial-functions", "spatial-functions")]
    + [_SPEC + f"ogcapi-records-1/1.0/conf/{c}" for c in ("core", "json", "html")]
    + [_SPEC + f"ogcapi-tiles-1/1.0/conf/{c}" for c in ("core", "mvt", "oas30", "tileset", "tilesets-list",
                                                        "geodata-tilesets")]
)
CONFIG_TABLES = VERSIONED_TABLES + (PUBLICATION_TABLE,)
HTML_TEMPLATES = Path(__file__).resolve().parent / "templates"
_base_url = contextvars.ContextVar("ogc_base_url", default="http://127.0.0.1:8000/ogc")
_cache = {}
_lock = threading.Lock()


def base_url():
    """Absolute URL of /ogc for the request being served (PUBLIC_BASE_URL when set)."""
    return _base_url.get()


def set_base_url(request):
    _base_url.set(f"{site_root(request)}/ogc")


def _provider(layer):
    providers = [{
        "type": layer.item_type, "name": "layers.serving.pygeoapi_providers.PublicLayerProvider", "data": layer.id,
        "id_field": "id", "title_field": layer.title_field, "crs": list(SUPPORTED_CRS_URIS), "storage_crs": CRS84,
    }]
    if layer.item_type == "feature":
        providers.append({
            "type": "tile", "name": "layers.serving.pygeoapi_providers.PublicTileProvider", "data": layer.id,
            "options": {"zoom": {"min": layer.min_zoom, "max": 22}, "schemes": ["WebMercatorQuad"]},
            "format": {"name": "mvt", "mimetype": "application/vnd.mapbox-vector-tile"},
        })
    return providers


GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"


def _temporal(layer):
    """The collection's temporal extent: from the first day one of its features took legal effect, open-ended
    (features are in force until their plan expires or is replaced); None for layers without legal dates."""
    first = layer_queries.first_legal_day(layer) if layer.item_type == "feature" else None
    if first is None:
        return None
    begin = datetime.datetime.combine(first, datetime.time(), tzinfo=datetime.timezone.utc)
    return {"begin": begin, "end": None, "trs": GREGORIAN}


def _resource(layer):
    bbox = layer_queries.extent(layer) or [-17.2, 20.7, -1.0, 35.95]
    temporal = _temporal(layer)
    return {
        "type": "collection",
        "title": {"fr": layer.title_fr, "ar": layer.title_ar, "en": layer.title_fr},
        "description": {"fr": layer.description, "ar": layer.title_ar, "en": layer.description},
        "keywords": {"fr": list(layer.keywords) or [layer.id]},
        "extents": {"spatial": {"bbox": bbox, "crs": CRS84}, **({"temporal": temporal} if temporal else {})},
        "limits": {"default_items": DEFAULT_LIMIT, "max_items": MAX_LIMIT, "on_exceed": "error"},
        "links": [],
        "providers": _provider(layer),
    }


def build_config(url):
    """The pygeoapi configuration dict of the published layers, served at `url` (…/ogc)."""
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": 8000}, "url": url,
            "mimetype": "application/json; charset=UTF-8", "encoding": "utf-8",
            "languages": ["fr", "ar", "en"], "pretty_print": False, "cors": True, "gzip": False,
            "limits": {"default_items": DEFAULT_LIMIT, "max_items": MAX_LIMIT, "on_exceed": "error"},
            "map": {"url": settings.BASE_MAP_URL or "", "attribution": settings.BASE_MAP_ATTRIBUTION},
            # Our HTML templates replace pygeoapi's (escaped values, no inline script: layers/serving/templates/README.md).
            "templates": {"path": str(HTML_TEMPLATES)}, "static_url": settings.STATIC_URL,
            # The site shell (geoportal.core.shell) in each language: pygeoapi hands its templates the entry
            # of the page's locale (l10n.translate_struct), which _base.html draws as the site's header.
            "shell": {lang: shell_for(lang, "/ogc/") for lang in ("fr", "ar")},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": {"fr": "Géoportail des agences urbaines — OGC API",
                          "ar": "البوابة الجغرافية للوكالات الحضرية", "en": "Urban agencies geoportal — OGC API"},
                "description": {"fr": "Documents d'urbanisme approuvés et en vigueur: zones et leurs règles, "
                                      "servitudes, voirie, équipements, parcelles.",
                                "ar": "وثائق التعمير المصادق عليها والسارية", "en": "Approved planning documents"},
                "keywords": {"fr": ["urbanisme", "plan d'aménagement", "Maroc"]},
                "keywords_type": "theme", "terms_of_service": "", "url": url,
            },
            "license": {"name": "Données publiques des agences urbaines", "url": url},
            "provider": {"name": "Agences urbaines du Maroc", "url": url},
            "contact": {"name": "Géoportail", "position": "", "address": "", "city": "", "stateorprovince": "",
                        "postalcode": "", "country": "Maroc", "phone": "", "fax": "", "email": "", "url": url,
                        "hours": "", "instructions": "", "role": "pointOfContact"},
        },
        "resources": {layer.id: _resource(layer) for layer in published_layers().values()},
        # pygeoapi 0.21 renders the /TileMatrixSets pages with the whole configuration as their template
        # settings (api/tiles.py): the same path at the top level makes them use our templates too.
        "path": str(HTML_TEMPLATES),
    }


def current_api(request, items=False):
    """pygeoapi's API for the current data version and this request's base URL; with `items`, the API that pages
    items: the same configuration without temporal extents. pygeoapi 0.21 answers 400 "datetime parameter out
    of range" for a `datetime` before a collection's first legal day, where Features Part 1 expects an empty
    page (what our JSON fast path answers); ogc_time has refused malformed values before pygeoapi sees them."""
    from pygeoapi.api import API
    from pygeoapi.openapi import get_oas

    set_base_url(request)
    url = base_url()
    key = (data_version(CONFIG_TABLES), url)
    apis = _cache.get(key)
    if apis is None:
        with _lock:
            apis = _cache.get(key)
            if apis is None:
                config = build_config(url)
                oas = get_oas(config, fail_on_invalid_collection=False)
                for complete in settings.OGC_OPENAPI_COMPLETERS:
                    oas = import_string(complete)(oas, url)
                timeless = copy.deepcopy(config)
                for resource in timeless["resources"].values():
                    resource["extents"].pop("temporal", None)
                apis = (API(config, oas), API(timeless, oas))
                _cache.clear()
                _cache[key] = apis
    return apis[1] if items else apis[0]
