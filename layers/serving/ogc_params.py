"""Parse and check OGC API Features query parameters into one ItemsQuery.

Every bad value raises a typed error of geoportal.core.errors naming the parameter and
how to fix it (mapped to OGC exception JSON by geoportal.core.responses). CRSs follow
OGC API Features Part 2: CRS84 is lon/lat, EPSG:4326 is lat/lon (axis order
of the EPSG registry); projected CRSs are easting/northing in metres.
"""
import math
from dataclasses import dataclass, field

from geoportal.core.body import BIGINT_MAX, integer
from geoportal.core.errors import InvalidParameter

from .cql import translated_filter
from .ogc_crs import CRS84, SUPPORTED_CRS, Crs, parse_crs
from .ogc_time import Interval, parse_datetime

DEFAULT_LIMIT = 10
MAX_LIMIT = 10_000
# Query parameters of OGC API Features/Records we understand; any other name must be a property.
RESERVED = {"f", "bbox", "bbox-crs", "crs", "limit", "offset", "properties", "filter", "filter-lang", "filter-crs",
            "lang", "datetime", "q", "skipGeometry", "resulttype"}
# Standard parameters we do not implement: refused rather than silently ignored.
UNSUPPORTED = {"sortby": "items are ordered by id"}
MAX_TERMS = 20
BOOLEANS = {"true": True, "false": False}
FORMATS = {"json", "geojson", "html", "jsonld", "csv"}


@dataclass
class ItemsQuery:
    """What a client asked of a collection's items, checked."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0
    bbox: tuple = None  # (minx, miny, maxx, maxy) in bbox_crs axis order x/y (already un-flipped)
    bbox_crs: Crs = SUPPORTED_CRS[CRS84]
    crs: Crs = SUPPORTED_CRS[CRS84]
    properties: tuple = None  # None = all
    filter: object = None  # pygeofilter AST
    filter_sql: tuple = None  # (where SQL over the view aliased t, params) of `filter`, when already translated
    equals: dict = field(default_factory=dict)  # property=value query parameters
    format: str = "json"
    datetime: Interval = None  # legal force on a day or during days (layers.serving.ogc_time)
    q: tuple = ()  # free-text terms, any of which a text property contains (case-insensitive)
    skip_geometry: bool = False
    hits: bool = False  # resulttype=hits: numberMatched only, no features


def _int(params, name, default, low, high=BIGINT_MAX):
    raw = params.get(name)
    if raw in (None, ""):
        return default
    return integer(raw, name, low, high, hint="; page with offset and next links" if high < BIGINT_MAX else "")


def parse_bbox(raw, crs):
    """(minx, miny, maxx, maxy) in x/y order from 'a,b,c,d' (or 6 numbers with heights) in `crs`."""
    try:
        numbers = [float(part) for part in raw.split(",")]
    except ValueError:
        raise InvalidParameter(f"bbox={raw!r}: give 4 numbers minx,miny,maxx,maxy separated by commas",
                               parameter="bbox") from None
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise InvalidParameter(f"bbox={raw!r}: give 4 finite numbers minx,miny,maxx,maxy (or 6 with heights)",
                               parameter="bbox")
    if crs.lat_lon:
        numbers = [numbers[1], numbers[0], numbers[3], numbers[2]]
    minx, miny, maxx, maxy = numbers
    # In longitude, minx > maxx is a box across the antimeridian (OGC API Features Part 1, 7.15.3).
    if (minx > maxx and not crs.geographic) or miny > maxy:
        raise InvalidParameter(f"bbox={raw!r}: the lower corner must come first (minx <= maxx, miny <= maxy)",
                               parameter="bbox")
    if crs.geographic and not (-180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90):
        raise InvalidParameter(f"bbox={raw!r} is outside longitude -180..180 / latitude -90..90 in {crs.uri}; "
                               f"for Lambert or Web Mercator coordinates give bbox-crs", parameter="bbox")
    return tuple(numbers)


def parse_items_query(params, layer):
    """An ItemsQuery from request parameters for `layer` (a layers.serving.registry.Layer)."""
    fmt = params.get("f") or "json"
    if fmt not in FORMATS:
        raise InvalidParameter(f"f={fmt!r} is not a format of this endpoint; use one of: {', '.join(sorted(FORMATS))}",
                               parameter="f")
    query = ItemsQuery(format="json" if fmt == "geojson" else fmt)
    query.limit = _int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    query.offset = _int(params, "offset", 0, 0)
    if params.get("crs"):
        query.crs = parse_crs(params["crs"], "crs")
    if params.get("bbox-crs"):
        if not params.get("bbox"):
            raise InvalidParameter("bbox-crs is given without bbox: add bbox=minx,miny,maxx,maxy or drop bbox-crs",
                                   parameter="bbox-crs")
        query.bbox_crs = parse_crs(params["bbox-crs"], "bbox-crs")
    if params.get("bbox"):
        query.bbox = parse_bbox(params["bbox"], query.bbox_crs)
    if params.get("properties"):
        names = tuple(dict.fromkeys(name.strip() for name in params["properties"].split(",") if name.strip()))
        unknown = [name for name in names if name not in layer.properties]
        if unknown:
            raise InvalidParameter(f"properties: unknown property {', '.join(unknown)} of collection {layer.id}; "
                                   f"available: {', '.join(layer.properties)}", parameter="properties")
        query.properties = names
    if params.get("filter"):
        tree, sql, filter_params = translated_filter(params["filter"], params.get("filter-lang"),
                                                     params.get("filter-crs"), layer)
        query.filter, query.filter_sql = tree, (sql, filter_params)
    elif params.get("filter-lang") and params["filter-lang"] not in ("cql2-text", "cql2-json"):
        raise InvalidParameter(f"filter-lang={params['filter-lang']!r}: use cql2-text or cql2-json",
                               parameter="filter-lang")
    if params.get("datetime"):
        query.datetime = parse_datetime(params["datetime"])
    if params.get("q"):
        query.q = search_terms(params["q"])
    query.skip_geometry = _boolean(params, "skipGeometry")
    resulttype = params.get("resulttype") or "results"
    if resulttype not in ("results", "hits"):
        raise InvalidParameter(f"resulttype={resulttype!r}: use results (features) or hits (numberMatched only)",
                               parameter="resulttype")
    query.hits = resulttype == "hits"
    for name in params:
        if name in UNSUPPORTED:
            raise InvalidParameter(f"{name} is not supported here: {UNSUPPORTED[name]}", parameter=name)
        if name in RESERVED:
            continue
        if name not in layer.properties:
            raise InvalidParameter(f"unknown parameter {name!r} for collection {layer.id}: use one of its properties "
                                   f"({', '.join(layer.properties)}) or an OGC API parameter", parameter=name)
        query.equals[name] = params[name]
    return query


def search_terms(raw):
    """Search terms of `q`: separated by commas or spaces, any may match (OGC API Records, 7.3.4)."""
    terms = tuple(dict.fromkeys(term for term in raw.replace(",", " ").split() if term))
    if len(terms) > MAX_TERMS:
        raise InvalidParameter(f"q: {len(terms)} terms; give at most {MAX_TERMS}", parameter="q")
    return terms


def _boolean(params, name):
    raw = params.get(name)
    if raw in (None, ""):
        return False
    if raw.lower() not in BOOLEANS:
        raise InvalidParameter(f"{name}={raw!r}: use true or false", parameter=name)
    return BOOLEANS[raw.lower()]
