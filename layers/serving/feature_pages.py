"""OGC API Features responses whose GeoJSON PostGIS wrote: items pages, single items, vector tiles.

The feature text from layers.serving.layer_queries is wrapped with the OGC members
(links, numberReturned, timeStamp) by string assembly, never parsed.
"""
import datetime
import hashlib
import json
import threading
from urllib.parse import urlencode

from cachetools import LRUCache
from django.core.cache import cache
from django.utils import timezone

from geoportal.core.errors import InvalidParameter, NotFound

from . import layer_queries
from .ogc_crs import parse_crs
from .registry import PUBLICATION_TABLE, get_layer

GEOJSON = "application/geo+json"
MVT = "application/vnd.mapbox-vector-tile"
MAX_ZOOM = 22
TILE_CACHE_SECONDS = 24 * 3600
# Tiles this worker process served last (32 MB at most), in front of Redis: a Redis round trip
# costs as much as a z18 tile. Keys are ETags, which name the data versions: nothing to invalidate.
recent_tiles = LRUCache(maxsize=32 * 1024 * 1024, getsizeof=len)
_recent_lock = threading.Lock()


def _link(rel, href, type_=GEOJSON, title=None):
    link = {"rel": rel, "type": type_, "href": href}
    if title:
        link["title"] = title
    return link


def items_page(layer, query, params, collection_url):
    """(body bytes, headers) of one page of items as a GeoJSON FeatureCollection; NotFound if unpublished."""
    text, returned, registry_version, matched = layer_queries.features_page(layer, query)
    get_layer(layer.id, layer.item_type, version=registry_version)
    kept = [(k, v) for k, v in params.items() if k not in ("f", "offset")]
    items_url = f"{collection_url}/items"

    def page(offset, fmt="json"):
        return f"{items_url}?{urlencode([('f', fmt)] + kept + [('offset', offset)])}"

    links = [_link("self", page(query.offset), title="Cette page (GeoJSON)"),
             _link("alternate", page(query.offset, "html"), "text/html", "Cette page (HTML)"),
             _link("collection", collection_url, "application/json", layer.title_fr)]
    last = matched.exact and matched.number is not None and query.offset + returned >= matched.number
    if returned == query.limit and not query.hits and not last:
        links.append(_link("next", page(query.offset + query.limit), title="Page suivante"))
    if query.offset > 0:
        links.append(_link("prev", page(max(0, query.offset - query.limit)), title="Page précédente"))
    members = {"type": "FeatureCollection", "numberReturned": returned, "links": links}
    if matched.number is not None:
        members["numberMatched"] = matched.number
        if not matched.exact:
            members["numberMatchedEstimated"] = True  # the planner's statistics of a large table (docs: README)
    head = json.dumps(dict(members, timeStamp=_now()), ensure_ascii=False)
    features = text.encode()
    body = f'{head[:-1]},"features":['.encode() + features + b"]}"
    # The ETag names the page's content, not its timeStamp: a client's copy is still good while they agree.
    digest = hashlib.blake2b(features, digest_size=16)
    digest.update(json.dumps(members, sort_keys=True).encode())
    return body, {"Content-Type": GEOJSON, "Content-Crs": f"<{query.crs.uri}>", "ETag": f'"{digest.hexdigest()}"'}


def single_item(layer, feature_id, params, collection_url):
    """(body bytes, headers) of one feature, or NotFound naming the id (or the collection if unpublished)."""
    crs = parse_crs(params.get("crs") or "CRS84", "crs")
    try:
        number = int(feature_id)
    except ValueError:
        number = None
    if number is None or abs(number) >= 2**63:
        get_layer(layer.id, layer.item_type)
        text = None
    else:
        text, registry_version = layer_queries.published_feature(layer, number, crs)
        get_layer(layer.id, layer.item_type, version=registry_version)
    if text is None:
        raise NotFound(f"no item {feature_id!r} in collection {layer.id}", parameter="featureId")
    links = json.dumps([_link("self", f"{collection_url}/items/{feature_id}"),
                        _link("collection", collection_url, "application/json", layer.title_fr)])
    body = f'{text[:-1]},"links":{links}}}'.encode()
    return body, {"Content-Type": GEOJSON, "Content-Crs": f"<{crs.uri}>"}


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def check_tile(z, x, y):
    """Refuse a tile outside WebMercatorQuad, naming the coordinate at fault."""
    if not 0 <= z <= MAX_ZOOM:
        raise InvalidParameter(f"tileMatrix {z} is outside 0..{MAX_ZOOM}", parameter="tileMatrix")
    for name, value in (("x (tileCol)", x), ("y (tileRow)", y)):
        if not 0 <= value < 2**z:
            raise InvalidParameter(f"{name}={value} is outside 0..{2**z - 1} at zoom {z}", parameter=name)


def published_tile_etag(layer, z, x, y):
    """ETag of a tile of `layer` (NotFound if unpublished), from one query of data versions.

    The ETag covers the data versions of the layer's tables, today's date (legal force) and z/x/y.
    """
    versions = layer_queries.table_versions((PUBLICATION_TABLE,) + layer.source_tables)
    get_layer(layer.id, "feature", version=str(versions.get(PUBLICATION_TABLE, 0)))
    version = "-".join(str(versions.get(table, 0)) for table in layer.source_tables)
    raw = f"{layer.id}/{version}/{timezone.localdate()}/{z}/{x}/{y}"
    return '"' + hashlib.sha1(raw.encode()).hexdigest()[:20] + '"'


def tile_bytes(layer, z, x, y, etag):
    """MVT bytes of the tile: from this process's memory, the shared cache or PostGIS (empty below min zoom).

    The ETag names the data versions, so an entry never needs invalidating:
    a publish changes the key.
    """
    if z < layer.min_zoom:
        return b""
    with _recent_lock:
        data = recent_tiles.get(etag)
    if data is None:
        key = f"ogc-tile:{etag}"
        data = cache.get(key)
        if data is None:
            data = layer_queries.vector_tile(layer, z, x, y)
            cache.set(key, data, TILE_CACHE_SECONDS)
        if len(data) <= recent_tiles.maxsize // 8:  # a few huge low-zoom tiles would push out all others
            with _recent_lock:
                recent_tiles[etag] = data
    return data
