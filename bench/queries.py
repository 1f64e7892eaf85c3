"""The questions every server is asked, and the raw-SQL floor for each.

The floor is what PostGIS alone needs to answer: the GeoJSON or MVT bytes
written by one SQL statement, fetched through psycopg with a prepared
statement (PERFORMANCE.md). Coordinates are EPSG:4326 (lon/lat); tiles are
WebMercatorQuad (EPSG:3857), 4096 units, 64 units of buffer; areas in the
note's overlay are m² in the plan's Lambert SRID (26191/26192).
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Query:
    key: str
    label: str
    floor_sql: str | None  # None: no SQL floor (e.g. PDF rendering)

    def floor_params(self, probe):
        return FLOOR_PARAMS[self.key](probe)


# A GeoJSON FeatureCollection written by PostGIS from the rows of a subquery.
FEATURE_COLLECTION = """
SELECT json_build_object('type', 'FeatureCollection',
                         'features', coalesce(json_agg(ST_AsGeoJSON(t.*)::json), '[]'))::text
FROM ({rows}) t
"""

ITEMS_SQL = FEATURE_COLLECTION.format(rows="""
    SELECT id, title_number, area_on_title_m2, agency_id, commune_id, geom FROM plans_parcel
    WHERE ST_Intersects(geom, ST_MakeEnvelope(%s, %s, %s, %s, 4326)) LIMIT %s""")

ITEM_SQL = """
SELECT ST_AsGeoJSON(t.*) FROM (SELECT id, title_number, area_on_title_m2, agency_id, commune_id, geom
                               FROM plans_parcel WHERE id = %s) t
"""

FILTER_SQL = FEATURE_COLLECTION.format(
    rows="SELECT id, plan_id, code, rule_id, revision, geom FROM plans_zone WHERE code = %s LIMIT 100")

# pg_tileserv style: the tile envelope is brought to the table's SRID so the GiST index is used.
TILE_SQL = """
WITH b AS (SELECT ST_TileEnvelope(%s, %s, %s) AS m, ST_Transform(ST_TileEnvelope(%s, %s, %s), 4326) AS g)
SELECT ST_AsMVT(t, 'parcels', 4096, 'geom') FROM (
    SELECT p.id, p.title_number, ST_AsMVTGeom(ST_Transform(p.geom, 3857), b.m, 4096, 64, true) AS geom
    FROM plans_parcel p, b WHERE p.geom && b.g) t
"""

# The note's overlay: the parcel against the live zones and servitude footprints of the plans in force
# today, with areas (m²) and shares computed in the plan's Lambert SRID. Servitudes are found through their
# subdivided pieces (plans_servitude_piece), as the app does: a road's whole footprint is only read once it is known
# to reach the parcel.
NOTE_SQL = """
WITH parcel AS (SELECT id, geom FROM plans_parcel  -- titles are unique per agency: (agency, title) index
                WHERE agency_id = (SELECT id FROM plans_agency WHERE code = 'AUT') AND title_number = %s),
reaching AS MATERIALIZED (SELECT DISTINCT k.servitude_id AS id FROM parcel p, plans_servitude_piece k
                          WHERE k.geom && p.geom AND ST_Intersects(k.geom, p.geom)),
plan AS (SELECT id, srid, live_revision FROM plans_plandocument
         WHERE status IN ('approved', 'superseded', 'expired') AND effective_date <= current_date
           AND (superseded_on IS NULL OR superseded_on > current_date)
           AND (expiry_date IS NULL OR expiry_date > current_date)),
hits AS (
    SELECT 'zone' AS layer, z.code, ST_Area(ST_Transform(ST_Intersection(z.geom, p.geom), pl.srid)) AS area_m2,
           ST_Area(ST_Transform(p.geom, pl.srid)) AS parcel_m2
    FROM parcel p JOIN plans_zone z ON ST_Intersects(z.geom, p.geom)
    JOIN plan pl ON pl.id = z.plan_id AND z.revision = pl.live_revision
    UNION ALL
    SELECT s.kind, s.code, ST_Area(ST_Transform(ST_Intersection(s.footprint, p.geom), pl.srid)),
           ST_Area(ST_Transform(p.geom, pl.srid))
    FROM parcel p, reaching r JOIN plans_servitude s ON s.id = r.id
    JOIN plan pl ON pl.id = s.plan_id AND s.revision = pl.live_revision)
SELECT coalesce(json_agg(json_build_object('layer', layer, 'code', code, 'area_m2', round(area_m2::numeric, 1),
                                           'share', round((area_m2 / nullif(parcel_m2, 0))::numeric, 4))), '[]')::text
FROM hits
"""

QUERIES = [
    Query("items_100", "items, 300 m bbox, limit 100", ITEMS_SQL),
    Query("items_1000", "items, 1 km bbox, limit 1000", ITEMS_SQL),
    # A full page of a bbox matching thousands of parcels: what numberMatched costs most (bench/matched.py).
    Query("items_wide", "items, 3 km bbox, limit 100", ITEMS_SQL),
    Query("item", "item by id", ITEM_SQL),
    Query("filter", "CQL2 filter code='B3' (zones), limit 100", FILTER_SQL),
    Query("tile_z14", "vector tile z14", TILE_SQL),
    Query("tile_z16", "vector tile z16", TILE_SQL),
    Query("tile_z18", "vector tile z18", TILE_SQL),
    Query("note_json", "urbanism note, JSON", NOTE_SQL),  # the content includes the buildable envelope
    Query("note_pdf", "urbanism note, PDF", None),
    Query("note_3d", "urbanism note, 3D envelope (glTF)", None),
    # The classic services (/ows here, MapServer and QGIS Server stock): a 256 px PNG of zones and parcels over the
    # 300 m bbox, and the parcels of that bbox as GeoJSON (the SQL floor is the same as items_100).
    Query("wms_getmap", "WMS GetMap 256 px PNG, zones + parcels, 300 m bbox", None),
    Query("wfs_getfeature", "WFS GetFeature GeoJSON, 300 m bbox, count 100", ITEMS_SQL),
]
BY_KEY = {q.key: q for q in QUERIES}
# The items pages: (bbox of the Probe, limit).
ITEMS_CASES = {"items_100": ("bbox_small", 100), "items_1000": ("bbox_large", 1000), "items_wide": ("bbox_wide", 100)}


def items_case(probe, key):
    """(bbox, limit) of the items page `key` on `probe`'s dataset."""
    bbox, limit = ITEMS_CASES[key]
    return getattr(probe, bbox), limit


def _tile(z):
    def params(probe):
        tz, x, y = probe.tiles[z]
        return (tz, x, y, tz, x, y)
    return params


def _items(key):
    def params(probe):
        bbox, limit = items_case(probe, key)
        return (*bbox, limit)
    return params


FLOOR_PARAMS = {
    **{key: _items(key) for key in ITEMS_CASES},
    "item": lambda p: (p.parcel_id,),
    "filter": lambda p: (p.zone_code,),
    "tile_z14": _tile(14),
    "tile_z16": _tile(16),
    "tile_z18": _tile(18),
    "note_json": lambda p: (p.title_number,),
    "note_pdf": lambda p: (),
    "note_3d": lambda p: (),
    "wms_getmap": lambda p: (),
    "wfs_getfeature": lambda p: (*p.bbox_small, 100),
}


def parse_queries(text):
    """'items_100,tile_z16' -> [Query…]; unknown keys are refused with the valid ones."""
    keys = [k.strip() for k in text.split(",") if k.strip()]
    unknown = [k for k in keys if k not in BY_KEY]
    if unknown:
        raise SystemExit(f"bench: unknown queries {unknown}: choose among {', '.join(BY_KEY)}")
    return [BY_KEY[k] for k in keys]
