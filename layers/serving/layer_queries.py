"""The SQL behind /ogc/: a page of GeoJSON features, one feature, one vector tile, an extent.

PostGIS writes the GeoJSON text and the MVT bytes in one query per request;
Python passes them through without parsing. Filters run in the storage CRS
(EPSG:4326) so the GiST indexes of the base tables are used, and output
CRSs are integer SRIDs (a text CRS in ST_Transform takes PostGIS's slow
path). Coordinates keep ~1 cm: 7 decimals in degrees, 2 in metres, and geometries
are snapped to that grid by ST_ReducePrecision, which also makes them valid
there: a polygon valid in storage stays valid once its coordinates are rounded.

numberMatched costs nothing on a page that is not full (offset + returned) and
is counted otherwise, in the same statement, only when that page is full;
large tables (Layer.estimate_table) answer an unfiltered count from the
planner's statistics (marked estimated) and stop a filtered count at
count_cap(query): ten rows per row of the page (at least MIN_EXACT_COUNT), so that counting
never costs more than a fifth of the page (bench/matched.py measures it), and MAX_EXACT_COUNT
for resulttype=hits, where the count is all that is asked. Beyond the cap numberMatched is left
out, as Features Part 1 allows.
"""
import itertools
import re
import weakref

from django.db import InterfaceError, OperationalError, ProgrammingError, connections
from psycopg.errors import InvalidSqlStatementName

from geoportal.core.replica import read_alias

from .cql import to_sql
from .ogc_time import datetime_where, legal_span_sql
from .registry import PUBLICATION_TABLE

# Tiles: WebMercatorQuad, 4096 units a side, 64 units of buffer around the tile.
TILE_EXTENT = 4096
TILE_BUFFER = 64
MAX_TILE_FEATURES = 50_000
MAX_EXACT_COUNT = 100_000
EXACT_COUNT_PER_PAGE_ROW = 10
MIN_EXACT_COUNT = 1_000
# The data version of one table (plans.versions), read in the same statement as the data.
_VERSION = "(SELECT version FROM plans_table_version WHERE table_name = %s)"


def _fetchone(sql, params):
    """The first row of one query (%s placeholders), prepared once per connection, in one round trip.

    Django's cursors bind parameters on the client, so PostgreSQL would parse
    and plan the joins of the public views on every request (0.1–0.5 ms, as
    much as fetching a z18 tile). Each query is PREPAREd once per database
    connection, in the same message as its first EXECUTE; later requests send
    only the EXECUTE, and PostgreSQL reuses its plan. PostGIS's spatial
    predicates carry a high declared cost, so the planner would start
    parallel workers for a bbox of a few hundred rows (~15 ms of start-up for
    a 1 ms query): the SET LOCAL in the same message ends with its implicit
    transaction, so other users of the connection keep their setting. The connection is the one the request's
    reads go to (geoportal.core.replica: the streaming replica for public reads, else the primary).
    """
    connection = connections[read_alias()]
    for attempt in (1, 2):
        try:
            return _execute_prepared(connection, sql, params)
        except (OperationalError, InterfaceError):
            # The OGC data paths skip Django's per-request health check (a SELECT 1 round trip,
            # layers.serving.fastpath): a connection the server dropped while idle fails here instead,
            # and is replaced once when no transaction of ours can be lost.
            if attempt == 2 or connection.in_atomic_block:
                raise
            connection.close()
        except ProgrammingError as exc:
            # The session lost its prepared statements (DISCARD ALL by a pooler): prepare again.
            if attempt == 2 or connection.in_atomic_block or not isinstance(exc.__cause__, InvalidSqlStatementName):
                raise
            _prepared.pop(connection.connection, None)


_prepared = weakref.WeakKeyDictionary()  # psycopg connection -> {query text: prepared statement name}
_statement_numbers = itertools.count(1)
# Filters and property lists make new query texts; past this many per connection, start afresh.
MAX_PREPARED = 200
_PLACEHOLDER = re.compile(r"%s")


def _execute_prepared(connection, sql, params):
    connection.ensure_connection()
    names = _prepared.setdefault(connection.connection, {})
    name = names.get(sql)
    prepare = ""
    if name is None and len(names) >= MAX_PREPARED:
        names.clear()
        prepare = "DEALLOCATE ALL; "
    if name is None:
        # A fresh name each time: a PREPARE that failed with its EXECUTE never blocks a retry.
        name = f"ogc_query_{next(_statement_numbers)}"
        numbers = itertools.count(1)
        prepare += f"PREPARE {name} AS {_PLACEHOLDER.sub(lambda _: f'${next(numbers)}', sql)}; "
    arguments = f"({', '.join(['%s'] * len(params))})" if params else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL max_parallel_workers_per_gather = 0; {prepare}EXECUTE {name}{arguments}",
                       params)
        while cursor.nextset():
            pass
        row = cursor.fetchone()
    names[sql] = name
    return row


def _where(layer, query):
    """(sql, params) of the WHERE clause for an ItemsQuery over the view aliased t."""
    clauses, params = ["true"], []
    if query.bbox and query.bbox_crs.geographic and query.bbox[0] > query.bbox[2]:
        # Across the antimeridian: the part east of minx and the part west of maxx.
        minx, miny, maxx, maxy = query.bbox
        box = "ST_MakeEnvelope(%s, %s, %s, %s, 4326)"
        clauses.append(f"(ST_Intersects(t.geom, {box}) OR ST_Intersects(t.geom, {box}))")
        params += [minx, miny, 180, maxy, -180, miny, maxx, maxy]
    elif query.bbox and query.bbox_crs.geographic:
        # A feature whose bounding box lies inside a lon/lat box intersects it: the exact
        # (costly) test is left for the features straddling the box's edges.
        box = "ST_MakeEnvelope(%s, %s, %s, %s, 4326)"
        clauses.append(f"t.geom && {box} AND (t.geom @ {box} OR ST_Intersects(t.geom, {box}))")
        params += list(query.bbox) * 3
    elif query.bbox:
        clauses.append("ST_Intersects(t.geom, ST_Transform(ST_MakeEnvelope(%s, %s, %s, %s, %s), 4326))")
        params += list(query.bbox) + [query.bbox_crs.srid]
    for name, value in query.equals.items():
        clauses.append(f't."{name}"::text = %s')
        params.append(value)
    if query.filter is not None:
        sql, filter_params = query.filter_sql or to_sql(query.filter, layer)
        clauses.append(sql)
        params += filter_params
    in_force = datetime_where(layer, query.datetime)
    if in_force:
        clauses.append(in_force[0])
        params += in_force[1]
    if query.q:
        clauses.append(_text_search(layer, len(query.q)))
        params += [f"%{_like_escaped(term)}%" for term in query.q]
    return " AND ".join(clauses), params


def _text_search(layer, terms):
    """`q`: any term found, case-insensitive, in the layer's text properties joined (OGC API Records q)."""
    texts = [f't."{name}"' for name, kind in layer.properties.items() if kind == "string"]
    if not texts:
        return "false"
    joined = f"concat_ws(' ', {', '.join(texts)})"
    return "(" + " OR ".join([f"{joined} ILIKE %s"] * terms) + ")"


def _like_escaped(term):
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _geometry_sql(crs):
    """The served geometry of row t in `crs`, snapped to the grid of the digits written, and valid on it."""
    grid = 10.0 ** -crs.decimals
    projected = "t.geom" if crs.srid == 4326 else f"ST_Transform(t.geom, {int(crs.srid)})"
    # ST_ReducePrecision snap-rounds to the grid and makes the result valid there; it may leave one polygon of
    # a multipolygon: the served type stays the stored one.
    reduced = f"ST_ReducePrecision({projected}, {grid!r})"
    reduced = f"(CASE WHEN GeometryType(t.geom) LIKE 'MULTI%%' THEN ST_Multi({reduced}) ELSE {reduced} END)"
    if crs.srid == 4326:
        # Plain rounding keeps most lon/lat geometries valid, and checking costs a few microseconds each:
        # only the others pay for ST_ReducePrecision (ten times dearer), on the fast pages of the bench.
        # In metres, a rounded vertex a client reads back may sit one ulp off PostGIS's snapped one, which
        # can cross a spike: projected output always takes the robust way.
        reduced = (f"(SELECT CASE WHEN ST_IsValid(s) THEN s ELSE {reduced} END "
                   f"FROM (SELECT ST_SnapToGrid({projected}, {grid!r}) AS s) AS g)")
    return f"ST_FlipCoordinates({reduced})" if crs.lat_lon else reduced


def _feature_sql(layer, crs, properties, skip_geometry=False):
    """SQL text of one GeoJSON Feature of row t, id at feature level, properties as listed."""
    names = properties or tuple(layer.properties)
    pairs = ", ".join(f"'{name}', t.\"{name}\"" for name in names)
    # json_build_object takes at most 100 arguments: a layer has at most 50 properties (zones have 28).
    if len(names) > 50:
        raise ValueError(f"layer {layer.id} has more than 50 properties")
    geometry = "'null'" if skip_geometry else f"COALESCE(ST_AsGeoJSON({_geometry_sql(crs)}, {crs.decimals}, 0), 'null')"
    return ("'{\"type\":\"Feature\",\"id\":' || t.id || ',\"geometry\":' || "
            f"{geometry} || "
            f"',\"properties\":' || json_build_object({pairs})::text || '}}'")


def features_page(layer, query):
    """(features JSON text joined by commas, number returned, registry version, Matched) for one page.

    The registry version (layers.serving.registry) comes back with the page, read in
    the same statement, so that checking the layer is still published costs
    no extra round trip; so does numberMatched (module docstring).
    """
    sql, params, estimated = page_statement(layer, query)
    limit = 0 if query.hits else query.limit
    text, count, version, matched = _fetchone(sql, params)
    free = count < limit and (count > 0 or query.offset == 0)
    if not free and layer.estimate_table and not estimated and matched > count_cap(query):
        matched = Matched(None, False)
    else:
        matched = Matched(matched, free or not estimated)
    return text, count, str(version or 0), matched


def page_statement(layer, query, count=True):
    """(SQL, parameters, whether numberMatched is the planner's estimate) of one page in one statement: features,
    number returned, registry version, numberMatched. With `count=False` numberMatched is left NULL: the page
    without it, which bench/matched.py times beside this one."""
    where, params = _where(layer, query)
    count_sql, count_params, estimated = (_count_sql(layer, where, params, count_cap(query)) if count
                                          else ("NULL", [], False))
    limit = 0 if query.hits else query.limit
    # string_agg keeps the order of the sorted subquery (an ORDER BY inside it would sort twice). The count
    # subquery is an InitPlan: PostgreSQL runs it only when the CASE reaches it, i.e. on full pages.
    sql = (f"SELECT COALESCE(string_agg(feature, ','), ''), count(*), {_VERSION}, "
           f"CASE WHEN count(*) < %s::bigint AND (count(*) > 0 OR %s::bigint = 0) THEN %s::bigint + count(*) "
           f"ELSE ({count_sql}) END FROM ("
           f"SELECT t.id, {_feature_sql(layer, query.crs, query.properties, query.skip_geometry)} AS feature "
           f"FROM (SELECT * FROM {layer.view} t WHERE {where} ORDER BY t.id LIMIT %s OFFSET %s) t) f")
    params = [PUBLICATION_TABLE, limit, query.offset, query.offset] + count_params + params + [limit, query.offset]
    return sql, params, estimated


class Matched(tuple):
    """numberMatched of a page: (count or None when not counted, whether it is exact)."""

    def __new__(cls, number, exact):
        return super().__new__(cls, (number, exact))

    number = property(lambda self: self[0])
    exact = property(lambda self: self[1])


def count_cap(query):
    """Rows a filtered count of a large table may visit for this page before it gives up (module docstring)."""
    if query.hits:
        return MAX_EXACT_COUNT
    return min(MAX_EXACT_COUNT, max(MIN_EXACT_COUNT, EXACT_COUNT_PER_PAGE_ROW * (query.limit + query.offset)))


def _count_sql(layer, where, params, cap):
    """(SQL of numberMatched, its parameters, whether it is the planner's estimate) for a WHERE over view t."""
    if layer.estimate_table and where == "true":
        # pg_class.reltuples is -1 until the table is first analysed: then count.
        return (f"SELECT CASE WHEN reltuples >= 0 THEN reltuples::bigint "
                f"ELSE (SELECT count(*) FROM {layer.view}) END FROM pg_class WHERE oid = %s::regclass",
                [layer.estimate_table], True)
    if layer.estimate_table:
        return (f"SELECT count(*) FROM (SELECT 1 FROM {layer.view} t WHERE {where} LIMIT {int(cap) + 1}) c",
                list(params), False)
    return f"SELECT count(*) FROM {layer.view} t WHERE {where}", list(params), False


def feature(layer, feature_id, crs, properties=None):
    """GeoJSON text of one feature of `layer`, or None when it is not in the collection."""
    return published_feature(layer, feature_id, crs, properties)[0]


def published_feature(layer, feature_id, crs, properties=None):
    """(GeoJSON text of one feature or None, registry version), read in one statement."""
    sql = (f"SELECT (SELECT {_feature_sql(layer, crs, properties)} FROM {layer.view} t WHERE t.id = %s), "
           f"{_VERSION}")
    text, version = _fetchone(sql, [feature_id, PUBLICATION_TABLE])
    return text, str(version or 0)


def table_versions(tables):
    """{table: data version} of `tables` (plans.versions), as a prepared statement: one short round trip."""
    sql = ("SELECT COALESCE(array_agg(table_name), '{}'), COALESCE(array_agg(version), '{}') "
           "FROM plans_table_version WHERE table_name = ANY(%s)")
    names, versions = _fetchone(sql, [list(tables)])
    return dict(zip(names, versions))


def vector_tile(layer, z, x, y):
    """Mapbox vector tile bytes of `layer` at z/x/y (WebMercatorQuad); layer name = collection id."""
    columns = ", ".join(
        f't."{name}"::float8 AS "{name}"' if layer.properties.get(name) == "number" else f't."{name}"'
        for name in layer.tile_properties
    )
    sql = f"""
        WITH bounds AS (SELECT ST_TileEnvelope(%s, %s, %s) AS env,
                               ST_TileEnvelope(%s, %s, %s, margin => {TILE_BUFFER / TILE_EXTENT}) AS wide),
        features AS (
            SELECT t.id, {columns},
                   ST_AsMVTGeom(ST_Transform(t.geom, 3857), bounds.env, {TILE_EXTENT}, {TILE_BUFFER}, true) AS geom
            FROM {layer.view} t, bounds
            WHERE t.geom && ST_Transform(bounds.wide, 4326)
            LIMIT {MAX_TILE_FEATURES}
        )
        SELECT ST_AsMVT(features, %s, {TILE_EXTENT}, 'geom', 'id') FROM features WHERE geom IS NOT NULL
    """
    return bytes(_fetchone(sql, [z, x, y, z, x, y, layer.id])[0] or b"")


def extent(layer):
    """[minx, miny, maxx, maxy] in CRS84 of `layer`, or None when empty.

    Parcels (up to millions of rows) use the planner's estimate of the base table.
    """
    if layer.estimate_table:
        sql = f"SELECT ST_EstimatedExtent('public', '{layer.estimate_table}', 'geom')::geometry"
    else:
        sql = f"SELECT ST_Extent(geom)::geometry FROM {layer.view}"
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(f"SELECT ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g) FROM ({sql}) AS e(g)")
        row = cursor.fetchone()
    return [round(v, 6) for v in row] if row and row[0] is not None else None


def first_legal_day(layer):
    """The first day any feature of `layer` is (or was) legally in force, or None (no legal dates, or empty)."""
    span = legal_span_sql(layer)
    if span is None:
        return None
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(f"SELECT min({span[0]}) FROM {layer.view} AS t")
        return cursor.fetchone()[0]
