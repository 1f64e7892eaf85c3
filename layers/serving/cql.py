"""CQL2 (text and JSON) filters turned into parameterised SQL over a layer's view.

pygeofilter parses; this module walks its AST and writes a WHERE clause with
%s placeholders, so that no client value is ever spliced into SQL. Only the
layer's own properties may be named (unknown ones are refused, naming the
valid ones), literals must match the property's type, and geometry
literals (WKT, GeoJSON, BBOX(minx, miny, maxx, maxy)) are read in filter-crs
(default CRS84, lon/lat; EPSG:4326 is lat/lon; Lambert and Web Mercator in
metres) and transformed by PostGIS to the stored EPSG:4326 geometries.
"""
import datetime
import functools
import json

from pygeofilter import ast, values
from pygeofilter.backends.evaluator import Evaluator, handle
from pygeofilter.parsers.cql2_json import parse as parse_cql2_json
from pygeofilter.parsers.cql2_text import parse as parse_cql2_text

from plans import outlines
from geoportal.core.body import integer, number, parse_json
from geoportal.core.errors import InvalidParameter
from geoportal.core.replica import reads

from .ogc_crs import CRS84, parse_crs
from .registry import LAYERS

LAYERS_BY_ID = {layer.id: layer for layer in LAYERS}

COMPARISON = {ast.ComparisonOp.EQ: "=", ast.ComparisonOp.NE: "<>", ast.ComparisonOp.LT: "<",
              ast.ComparisonOp.LE: "<=", ast.ComparisonOp.GT: ">", ast.ComparisonOp.GE: ">="}
SPATIAL = {ast.SpatialComparisonOp.INTERSECTS: "ST_Intersects", ast.SpatialComparisonOp.DISJOINT: "ST_Disjoint",
           ast.SpatialComparisonOp.CONTAINS: "ST_Contains", ast.SpatialComparisonOp.WITHIN: "ST_Within",
           ast.SpatialComparisonOp.TOUCHES: "ST_Touches", ast.SpatialComparisonOp.CROSSES: "ST_Crosses",
           ast.SpatialComparisonOp.OVERLAPS: "ST_Overlaps", ast.SpatialComparisonOp.EQUALS: "ST_Equals"}
GEOMETRY_NAMES = ("geom", "geometry")
MAX_DEPTH = 100  # ANDed conditions nest one level each; Python recursion must stay far below its limit


class Sql:
    """A fragment of SQL with its parameters; `kind` is the JSON type of its value when known; `bound` the
    largest magnitude an integer column holds (a literal compared with it must fit)."""

    def __init__(self, text, params=(), kind=None, bound=None):
        self.text, self.params, self.kind, self.bound = text, list(params), kind, bound


INTEGER_BOUNDS = {"smallint": 2**15 - 1, "integer": 2**31 - 1, "bigint": 2**63 - 1}


@functools.lru_cache(maxsize=64)
def column_types(view):
    """{column: SQL type} of a public view, read once per process from PostgreSQL (the one source of types)."""
    with reads().cursor() as cursor:
        cursor.execute("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                       "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped", [view])
        return dict(cursor.fetchall())


def translated_filter(text, lang, filter_crs, layer):
    """(AST, where SQL, params) of a filter over `layer`'s view aliased t.

    pygeofilter's parser costs milliseconds, more than the query a filter
    usually selects, and clients (web maps, QGIS) repeat the same filters:
    each (filter, language, CRS, collection) is parsed once per process.
    """
    if isinstance(text, str) and LAYERS_BY_ID.get(layer.id) is layer:
        return _translated(text, lang, filter_crs, layer.id)
    return _translate(text, lang, filter_crs, layer)


@functools.lru_cache(maxsize=512)
def _translated(text, lang, filter_crs, layer_id):
    return _translate(text, lang, filter_crs, LAYERS_BY_ID[layer_id])


def _translate(text, lang, filter_crs, layer):
    lang = lang or "cql2-text"
    crs = parse_crs(filter_crs or CRS84, "filter-crs")
    try:
        if lang == "cql2-text":
            tree = parse_cql2_text(text)
        elif lang == "cql2-json":
            tree = parse_cql2_json(parse_json(text, "filter", "filter (cql2-json)") if isinstance(text, str) else text)
        else:
            raise InvalidParameter(f"filter-lang={lang!r}: use cql2-text or cql2-json", parameter="filter-lang")
    except InvalidParameter:
        raise
    except Exception as exc:  # noqa: BLE001 - the parsers raise many types (lark, JSON, KeyError…)
        raise InvalidParameter(f"filter is not valid {lang}: {str(exc).splitlines()[0][:200]}; "
                               f"e.g. filter=code = 'B3'", parameter="filter") from None
    _check_depth(tree)
    sql, params = to_sql(tree, layer, crs=crs)  # refuses unknown properties and type mismatches before any SQL runs
    return tree, sql, tuple(params)


def _check_depth(tree):
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InvalidParameter(f"filter is nested more than {MAX_DEPTH} levels deep; write it flatter",
                                   parameter="filter")
        if isinstance(node, ast.Node):
            stack.extend((child, depth + 1) for child in node.get_sub_nodes())


def to_sql(tree, layer, alias="t", crs=None):
    """(where, params) for a parsed filter over `layer`'s view aliased `alias`; geometry literals in `crs` (CRS84)."""
    try:
        result = _Translator(layer, alias, crs or parse_crs(CRS84, "filter-crs")).evaluate(tree)
    except InvalidParameter:
        raise
    except NotImplementedError as exc:
        raise InvalidParameter(f"filter uses an operation this server does not support ({exc}); supported: "
                               f"comparisons, LIKE, IN, BETWEEN, IS NULL, AND/OR/NOT, S_INTERSECTS…",
                               parameter="filter") from None
    if not isinstance(result, Sql) or result.kind != "boolean":
        raise InvalidParameter("filter must be a condition, e.g. code = 'B3'", parameter="filter")
    return result.text, result.params


def _literal_kind(value):
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return "date"
    if isinstance(value, str):
        return "string"
    return None


def _compatible(a, b):
    numeric = {"integer", "number"}
    return a is None or b is None or a == b or (a in numeric and b in numeric) or {a, b} == {"date", "string"}


def _check(lhs, rhs, what):
    if not _compatible(lhs.kind, rhs.kind):
        raise InvalidParameter(f"filter: {what} compares a {lhs.kind} with a {rhs.kind}", parameter="filter")
    for column, literal in ((lhs, rhs), (rhs, lhs)):
        for value in literal.params if column.bound and literal.kind in ("integer", "number") else ():
            if not -column.bound - 1 <= value <= column.bound:
                raise InvalidParameter(f"filter: {value} is beyond what {column.text.split('.')[-1]} holds "
                                       f"({-column.bound - 1} to {column.bound})", parameter="filter")
    for side in (lhs, rhs):
        # A date property compared with text: the text must be an ISO date, or PostgreSQL would fail the query.
        if {lhs.kind, rhs.kind} == {"date", "string"} and side.kind == "string":
            for value in side.params:
                try:
                    datetime.date.fromisoformat(value)
                except (TypeError, ValueError):
                    raise InvalidParameter(f"filter: {value!r} is not a date (YYYY-MM-DD)",
                                           parameter="filter") from None


def _require(kind, lhs, rhs, message):
    if lhs.kind != kind or rhs.kind != kind:
        raise InvalidParameter(f"filter: {message}", parameter="filter")


class _Translator(Evaluator):
    def __init__(self, layer, alias, crs):
        self.layer, self.alias, self.crs = layer, alias, crs

    def _stored(self, template):
        """SQL of a geometry literal (`template` with {srid}, x/y as written in filter-crs) in the storage CRS,
        EPSG:4326 lon/lat."""
        sql = template.format(srid=int(self.crs.srid))
        if self.crs.lat_lon:
            return f"ST_FlipCoordinates({sql})"
        return sql if self.crs.srid == 4326 else f"ST_Transform({sql}, 4326)"

    def _bool(self, text, *parts):
        return Sql(text, [p for part in parts for p in part.params], "boolean")

    @handle(ast.Not)
    def not_(self, node, sub):
        return self._bool(f"NOT ({sub.text})", sub)

    @handle(ast.And, ast.Or)
    def combination(self, node, lhs, rhs):
        return self._bool(f"({lhs.text} {node.op.value} {rhs.text})", lhs, rhs)

    @handle(ast.Comparison, subclasses=True)
    def comparison(self, node, lhs, rhs):
        _check(lhs, rhs, f"{COMPARISON[node.op]}")
        return self._bool(f"({lhs.text} {COMPARISON[node.op]} {rhs.text})", lhs, rhs)

    @handle(ast.Between)
    def between(self, node, lhs, low, high):
        _check(lhs, low, "BETWEEN")
        _check(lhs, high, "BETWEEN")
        negate = "NOT " if node.not_ else ""
        return self._bool(f"({lhs.text} {negate}BETWEEN {low.text} AND {high.text})", lhs, low, high)

    @handle(ast.Like)
    def like(self, node, lhs):
        if lhs.kind != "string" or not isinstance(node.pattern, str):
            raise InvalidParameter("filter: LIKE applies to a text property and a text pattern", parameter="filter")
        pattern = node.pattern.replace(node.wildcard, "%").replace(node.singlechar, "_")
        operator = ("NOT " if node.not_ else "") + ("ILIKE" if node.nocase else "LIKE")
        return Sql(f"({lhs.text} {operator} %s ESCAPE %s)", lhs.params + [pattern, node.escapechar or "\\"],
                   "boolean")

    @handle(ast.In)
    def in_(self, node, lhs, *options):
        for option in options:
            _check(lhs, option, "IN")
        listed = ", ".join(option.text for option in options)
        return self._bool(f"({lhs.text} {'NOT ' if node.not_ else ''}IN ({listed}))", lhs, *options)

    @handle(ast.IsNull)
    def null(self, node, lhs):
        return self._bool(f"({lhs.text} IS {'NOT ' if node.not_ else ''}NULL)", lhs)

    @handle(ast.SpatialComparisonPredicate, subclasses=True)
    def spatial(self, node, lhs, rhs):
        _require("geometry", lhs, rhs, "spatial predicates compare the geometry with a geometry literal, "
                                       "e.g. S_INTERSECTS(geometry, POINT(-5.36 35.58))")
        return self._bool(f"{SPATIAL[node.op]}({lhs.text}, {rhs.text})", lhs, rhs)

    @handle(ast.BBox)
    def bbox(self, node, lhs):
        box = [number(v, "filter", " (a BBOX corner)") for v in (node.minx, node.miny, node.maxx, node.maxy)]
        return Sql(f"ST_Intersects({lhs.text}, {self._stored('ST_MakeEnvelope(%s, %s, %s, %s, {srid})')})",
                   lhs.params + box, "boolean")

    @handle(ast.Attribute)
    def attribute(self, node):
        if node.name in GEOMETRY_NAMES:
            return Sql(f"{self.alias}.geom", kind="geometry")
        if node.name == "id":
            return Sql(f"{self.alias}.id", kind="integer", bound=INTEGER_BOUNDS["bigint"])
        kind = self.layer.properties.get(node.name)
        if kind is None:
            raise InvalidParameter(f"filter: unknown property {node.name!r} of collection {self.layer.id}; "
                                   f"queryables: {', '.join(self.layer.properties)}", parameter="filter")
        if kind == "integer":  # compared as numeric, so that max_floors > 2.5 means 3 and more, not "> 3"
            bound = INTEGER_BOUNDS.get(column_types(self.layer.view).get(node.name), INTEGER_BOUNDS["bigint"])
            return Sql(f'{self.alias}."{node.name}"::numeric', kind="number", bound=bound)
        return Sql(f'{self.alias}."{node.name}"', kind=kind)

    @handle(values.Geometry)
    def geometry(self, node):
        if self.crs.geographic:
            outlines.from_geojson(node.geometry, "filter")  # GeoJSON types, finite [x, y], vertex cap: or a 400
        return Sql(self._stored("ST_SetSRID(ST_GeomFromGeoJSON(%s), {srid})"), [json.dumps(node.geometry)], "geometry")

    def _box(self, corners, what):
        """A BBOX literal (minx, miny, maxx, maxy, or 6 numbers with heights) as a geometry in storage."""
        if len(corners) == 6:
            corners = [corners[0], corners[1], corners[3], corners[4]]
        if len(corners) != 4:
            raise InvalidParameter(f"filter: {what} takes 4 numbers minx, miny, maxx, maxy (or 6 with heights)",
                                   parameter="filter")
        box = [number(v, "filter", f" (a {what} corner)") for v in corners]
        return Sql(self._stored("ST_MakeEnvelope(%s, %s, %s, %s, {srid})"), box, "geometry")

    @handle(values.Envelope)
    def envelope(self, node):
        # pygeofilter's CQL2-JSON parser builds Envelope(*bbox): x1, x2, y1, y2 hold minx, miny, maxx, maxy.
        return self._box([node.x1, node.x2, node.y1, node.y2], "bbox")

    @handle(ast.Function)
    def function(self, node, *args):
        # CQL2 text writes a bbox literal BBOX(minx, miny, maxx, maxy); pygeofilter reads it as a function.
        if node.name.lower() == "bbox" and all(isinstance(a, (int, float)) and not isinstance(a, bool)
                                               for a in node.arguments):
            return self._box(list(node.arguments), "BBOX")
        raise NotImplementedError(f"function {node.name}")

    @handle(str, int, float, bool, datetime.date, datetime.datetime)
    def literal(self, node):
        if isinstance(node, int) and not isinstance(node, bool):
            integer(node, "filter", hint=" (integers are 64-bit)")
        elif isinstance(node, float):
            number(node, "filter")
        return Sql("%s", [node], _literal_kind(node))

    # pygeofilter's CQL2 parsers read no array functions (A_CONTAINS…), so arrays are not filterable.
    @handle(ast.Arithmetic, ast.TemporalPredicate, ast.ArrayPredicate, subclasses=True)
    def unsupported(self, node, *args):
        raise NotImplementedError(type(node).__name__)
