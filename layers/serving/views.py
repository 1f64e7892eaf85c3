"""Views of /ogc/: thin wrappers over layers.serving.feature_pages and a cached pygeoapi API object."""
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.views.decorators.http import require_safe

from .feature_pages import MVT, check_tile, items_page, published_tile_etag, single_item, tile_bytes
from .ogc_config import CONFORMANCE, base_url, current_api, set_base_url
from .ogc_params import parse_items_query
from .registry import defined_layer, get_layer

from geoportal.core.errors import InvalidParameter, NotFound

from .offline_html import localise


def _pygeoapi(request, function, *args, items=False):
    """Run a pygeoapi API function with the cached API object (the one paging items with `items`) and return a
    Django response."""
    from pygeoapi.api import APIRequest

    api = current_api(request, items=items)
    api_request = APIRequest.from_django(request, api.locales)
    if not api_request.is_valid():
        headers, status, content = api.get_format_exception(api_request)
    else:
        headers, status, content = function(api, api_request, *args)
    if headers.get("Content-Type", "").startswith("text/html"):
        content = localise(content, _site_root())
    response = HttpResponse(content, status=status)
    for key, value in headers.items():
        response[key] = value
    return response


def _site_root():
    """The absolute URL of this site for the request being served (base_url() without /ogc)."""
    return base_url().removesuffix("/ogc")


def wants_html(request):
    fmt = request.GET.get("f")
    if fmt:
        return fmt == "html"
    accept = request.headers.get("Accept", "")
    return "text/html" in accept and "json" not in accept


def _respond(body, headers):
    response = HttpResponse(body)
    response["Access-Control-Allow-Origin"] = "*"
    for key, value in headers.items():
        response[key] = value
    return response


# pygeoapi's landing page always links these; this server runs no OGC API - Processes.
ABSENT_RELS = ("http://www.opengis.net/def/rel/ogc/1.0/processes", "http://www.opengis.net/def/rel/ogc/1.0/job-list")


def _landing(api, api_request):
    """pygeoapi's landing page, linking only what this server answers."""
    import json

    import pygeoapi.api as core

    headers, status, content = core.landing_page(api, api_request)
    if status == 200 and headers.get("Content-Type", "").startswith("application/json"):
        body = json.loads(content)
        body["links"] = [link for link in body.get("links", []) if link.get("rel") not in ABSENT_RELS]
        content = json.dumps(body, ensure_ascii=False)
    return headers, status, content


@require_safe
def landing_page(request):
    return _pygeoapi(request, _landing)


@require_safe
def conformance(request):
    from pygeoapi.api import APIRequest
    from pygeoapi.util import render_j2_template

    body = {"conformsTo": CONFORMANCE}
    if not wants_html(request):
        return JsonResponse(body)
    api = current_api(request)
    locale = APIRequest.from_django(request, api.locales).locale
    html = render_j2_template(api.tpl_config, api.config["server"]["templates"], "conformance.html", body, locale)
    return HttpResponse(localise(html, _site_root()), content_type="text/html; charset=utf-8")


@require_safe
def openapi(request):
    import pygeoapi.api as core

    return _pygeoapi(request, core.openapi_)


@require_safe
def tilematrixsets(request, tilematrixset_id=None):
    import pygeoapi.api.tiles as tiles

    if tilematrixset_id:
        return _pygeoapi(request, _tilematrixset, tilematrixset_id)
    return _pygeoapi(request, tiles.tilematrixsets)


def _tilematrixset(api, api_request, tilematrixset_id):
    """pygeoapi's TileMatrixSet 2.0 JSON, with the members of TMS 1.0 beside them (identifier, supportedCRS,
    boundingBox, topLeftCorner), which GDAL 3.6's OGC API Tiles driver reads: one document for both readers."""
    import json

    import pygeoapi.api.tiles as tiles

    headers, status, content = tiles.tilematrixset(api, api_request, tilematrixset_id)
    if status != 200 or not headers.get("Content-Type", "").startswith("application/json"):
        return headers, status, content
    tms = json.loads(content)
    matrices = tms["tileMatrices"]
    for matrix in matrices:
        matrix.update(type="TileMatrix", identifier=matrix["id"], topLeftCorner=matrix["pointOfOrigin"])
    left, top = matrices[0]["pointOfOrigin"]
    size = matrices[0]["cellSize"] * matrices[0]["tileWidth"] * matrices[0]["matrixWidth"]
    tms.update(type="TileMatrixSetType", identifier=tms["id"], supportedCRS=tms["crs"],
               boundingBox={"type": "BoundingBoxType", "crs": tms["crs"], "lowerCorner": [left, top - size],
                            "upperCorner": [left + size, top]})
    return headers, status, json.dumps(tms)


@require_safe
def collections(request, collection_id=None):
    import pygeoapi.api as core

    if collection_id is not None:
        get_layer(collection_id)
    return _pygeoapi(request, core.describe_collections, collection_id)


@require_safe
def queryables(request, collection_id):
    import pygeoapi.api.itemtypes as itemtypes

    get_layer(collection_id)
    return _pygeoapi(request, itemtypes.get_collection_queryables, collection_id)


@require_safe
def schema(request, collection_id):
    import pygeoapi.api as core

    get_layer(collection_id)
    return _pygeoapi(request, core.get_collection_schema, collection_id)


@require_safe
def items(request, collection_id):
    import pygeoapi.api.itemtypes as itemtypes

    layer = defined_layer(collection_id)  # publication is checked with the page, in the same query
    query = parse_items_query(request.GET, layer)
    if layer.item_type == "feature" and query.format == "json" and not wants_html(request):
        set_base_url(request)
        return _respond(*items_page(layer, query, request.GET, f"{base_url()}/collections/{layer.id}"))
    get_layer(collection_id)
    return _pygeoapi(request, itemtypes.get_collection_items, collection_id, items=True)


@require_safe
def item(request, collection_id, feature_id):
    import pygeoapi.api.itemtypes as itemtypes

    layer = defined_layer(collection_id)  # publication is checked with the item, in the same query
    if layer.item_type == "feature" and request.GET.get("f", "json") in ("json", "geojson") \
            and not wants_html(request):
        set_base_url(request)
        return _respond(*single_item(layer, feature_id, request.GET, f"{base_url()}/collections/{layer.id}"))
    get_layer(collection_id)
    return _pygeoapi(request, itemtypes.get_collection_item, collection_id, feature_id)


@require_safe
def tilesets(request, collection_id):
    import pygeoapi.api.tiles as tiles

    get_layer(collection_id, item_type="feature")
    return _pygeoapi(request, tiles.get_collection_tiles, collection_id)


@require_safe
def tileset(request, collection_id, tilematrixset_id):
    import pygeoapi.api.tiles as tiles

    get_layer(collection_id, item_type="feature")
    _check_tilematrixset(tilematrixset_id)
    return _pygeoapi(request, tiles.get_collection_tiles_metadata, collection_id, tilematrixset_id)


def _check_tilematrixset(tilematrixset_id):
    if tilematrixset_id != "WebMercatorQuad":
        raise NotFound(f"tile matrix set {tilematrixset_id!r} is not served; use WebMercatorQuad",
                       parameter="tileMatrixSetId")


@require_safe
def tile(request, collection_id, tilematrixset_id, z, x, y):
    """A Mapbox vector tile; the path is …/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol} (z/y/x)."""
    layer = defined_layer(collection_id, item_type="feature")
    _check_tilematrixset(tilematrixset_id)
    if request.GET.get("f", "mvt") not in ("mvt", "pbf"):
        raise InvalidParameter(f"f={request.GET['f']!r}: tiles are served as f=mvt", parameter="f")
    check_tile(z, x, y)
    etag = published_tile_etag(layer, z, x, y)
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(tile_bytes(layer, z, x, y, etag), content_type=MVT)
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=60, must-revalidate"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def not_found(request, path):
    """Any other path under /ogc/: an OGC exception rather than Django's HTML 404 page."""
    raise NotFound(f"no resource /ogc/{path}; start from the landing page /ogc/", parameter="path")
