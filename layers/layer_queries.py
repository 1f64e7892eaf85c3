"""The SQL behind /ogc/: a page of GeoJSON features, one feature, one vector tile, an extent.

PostGIS writes the GeoJSON text and the MVT bytes in one query per request;
Python passes them through without parsing. Filters run in the storage CRS
(EPSG:4326) so the GiST indexes of the base tables are used, and output
CRSs are integer SRIDs (a text CRS in ST_Transform takes PostGIS's slow
path). Coordinates keep ~1 cm: 7 decimals in degrees, 2 in metres.
No COUNT per request: numberMatched is left out (it is optional).
"""
from django.db import connection

from .cql import to_sql
from .registry import PUBLICATION_TABLE

# Tiles: WebMercatorQuad, 4096 units a side, 64 units of buffer around the tile.
TILE_EXTENT = 4096
TILE_BUFFER = 64
MAX_TILE_FEATURES = 50_000


def _fetchone(sql, params):
    """Run one query with parallel workers off, in one round trip.

    PostGIS's spatial predicates carry a high declared cost, so the planner
    starts parallel workers for a bbox of a few hundred rows: ~15 ms of
    worker start-up for a 1 ms query. Sent together in one simple-protocol
    message, the SET LOCAL and the query share one implicit transaction, so
    the setting ends with it and other users of the connection keep theirs.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL max_parallel_workers_per_gather = 0; {sql}", params)
        cursor.nextset()
        return cursor.fetchone()


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
        sql, filter_params = to_sql(query.filter, layer)
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

    The registry version (layers.registry) comes back with the page, read in
    the same statement, so that checking the layer is still published costs
    no extra round trip.
    """
    where, params = _where(layer, query)
    # string_agg keeps the order of the sorted subquery (an ORDER BY inside it would sort twice).
    sql = (f"SELECT COALESCE(string_agg(feature, ','), ''), count(*), "
           f"(SELECT version FROM plans_table_version WHERE table_name = %s) FROM ("
           f"SELECT t.id, {_feature_sql(layer, query.crs, query.properties)} AS feature "
           f"FROM (SELECT * FROM {layer.view} t WHERE {where} ORDER BY t.id LIMIT %s OFFSET %s) t) f")
    text, count, version = _fetchone(sql, [PUBLICATION_TABLE] + params + [query.limit, query.offset])
    return text, count, str(version or 0)


def feature(layer, feature_id, crs, properties=None):
    """GeoJSON text of one feature of `layer`, or None when it is not in the collection."""
    sql = f"SELECT {_feature_sql(layer, crs, properties)} FROM {layer.view} t WHERE t.id = %s"
    row = _fetchone(sql, [feature_id])
    return row[0] if row else None


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
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g) FROM ({sql}) AS e(g)")
        row = cursor.fetchone()
    return [round(v, 6) for v in row] if row and row[0] is not None else None
