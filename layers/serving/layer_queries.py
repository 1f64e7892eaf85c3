"""The SQL behind /ogc/: a page of GeoJSON features, one feature, one vector tile, an extent.

PostGIS writes the GeoJSON text and the MVT bytes in one query per request;
Python passes them through without parsing. Filters run in the storage CRS
(EPSG:4326) so the GiST indexes of the base tables are used, and output
CRSs are integer SRIDs (a text CRS in ST_Transform takes PostGIS's slow
path). Coordinates keep ~1 cm: 7 decimals in degrees, 2 in metres.
No COUNT per request: numberMatched is left out (it is optional).
"""
import itertools
import re
import weakref

from django.db import InterfaceError, OperationalError, ProgrammingError, connections
from psycopg.errors import InvalidSqlStatementName

from geoportal.core.replica import read_alias

from .cql import to_sql
from .registry import PUBLICATION_TABLE

# Tiles: WebMercatorQuad, 4096 units a side, 64 units of buffer around the tile.
TILE_EXTENT = 4096
TILE_BUFFER = 64
MAX_TILE_FEATURES = 50_000
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
    if query.bbox and query.bbox_crs.geographic:
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
    return " AND ".join(clauses), params


def _geometry_sql(crs):
    if crs.lat_lon:
        return "ST_FlipCoordinates(t.geom)"
    if crs.srid == 4326:
        return "t.geom"
    return f"ST_Transform(t.geom, {int(crs.srid)})"


def _feature_sql(layer, crs, properties):
    """SQL text of one GeoJSON Feature of row t, id at feature level, properties as listed."""
    names = properties or tuple(layer.properties)
    pairs = ", ".join(f"'{name}', t.\"{name}\"" for name in names)
    # json_build_object takes at most 100 arguments: a layer has at most 50 properties (zones have 28).
    if len(names) > 50:
        raise ValueError(f"layer {layer.id} has more than 50 properties")
    return ("'{\"type\":\"Feature\",\"id\":' || t.id || ',\"geometry\":' || "
            f"COALESCE(ST_AsGeoJSON({_geometry_sql(crs)}, {crs.decimals}, 0), 'null') || "
            f"',\"properties\":' || json_build_object({pairs})::text || '}}'")


def features_page(layer, query):
    """(features JSON text joined by commas, number returned, registry version) for one page of `layer`'s items.

    The registry version (layers.serving.registry) comes back with the page, read in
    the same statement, so that checking the layer is still published costs
    no extra round trip.
    """
    where, params = _where(layer, query)
    # string_agg keeps the order of the sorted subquery (an ORDER BY inside it would sort twice).
    sql = (f"SELECT COALESCE(string_agg(feature, ','), ''), count(*), "
           f"{_VERSION} FROM ("
           f"SELECT t.id, {_feature_sql(layer, query.crs, query.properties)} AS feature "
           f"FROM (SELECT * FROM {layer.view} t WHERE {where} ORDER BY t.id LIMIT %s OFFSET %s) t) f")
    text, count, version = _fetchone(sql, [PUBLICATION_TABLE] + params + [query.limit, query.offset])
    return text, count, str(version or 0)


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
    if layer.id == "parcels":
        sql = "SELECT ST_EstimatedExtent('public', 'plans_parcel', 'geom')::geometry"
    else:
        sql = f"SELECT ST_Extent(geom)::geometry FROM {layer.view}"
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(f"SELECT ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g) FROM ({sql}) AS e(g)")
        row = cursor.fetchone()
    return [round(v, 6) for v in row] if row and row[0] is not None else None
