"""The lot's surroundings from PostGIS, in the agency's Lambert CRS: one statement, one round trip.

The land and, from the live revision of the plans given, the zone parts inside it, and the footprints of
the roads (existing, planned, widenings) and of the reservations near it (the box NEAR_DEG around the land:
a road that only touches the lot is found by &&). Large shapes are cut to that box in lon/lat before their
transform, as plans.note.overlay does and for the same reason (a road kilometres long costs its whole
length otherwise). Geometries come back as WKB and become shapely objects.
"""
import shapely

from geoportal.core.replica import reads
from plans.models.zoning import TAKING_KINDS

from .engine import ROAD_KINDS, Part, Road

NEAR_DEG = 0.0005  # ~50 m around the land
_NEAR = "ST_Transform(ST_MakeValid(ST_ClipByBox2D({}, land.box)), %(srid)s)"

SITE_SQL = f"""
WITH land AS (
    SELECT g4326, ST_Transform(g4326, %(srid)s) AS g, ST_Expand(ST_Envelope(g4326), {NEAR_DEG})::box2d AS box
    FROM (SELECT ST_GeomFromEWKB(%(geom)s) AS g4326) raw
),
plans AS (
    SELECT p.id, p.live_revision FROM plans_plandocument p, land
    WHERE p.id = ANY(%(plans)s) AND p.perimeter && land.g4326
),
near AS MATERIALIZED (  -- the few servitudes a piece of which lies near the land (plans.models.ServitudePiece),
    -- each as the union of its pieces cut to the box: a road's whole footprint (up to 90,843 vertices) is never read
    SELECT k.servitude_id AS id, ST_Union(ST_MakeValid(ST_ClipByBox2D(k.geom, land.box))) AS geom
    FROM land, plans_servitude_piece k WHERE k.geom && land.box::geometry
    GROUP BY k.servitude_id
)
SELECT 'land', NULL, NULL, NULL::float8, ST_AsBinary(g) FROM land
UNION ALL
SELECT 'zone', z.code, z.rule_id::text, NULL::float8, ST_AsBinary(ST_Intersection({_NEAR.format('z.geom')}, land.g))
FROM land, plans_zone z JOIN plans p ON p.id = z.plan_id AND z.revision = p.live_revision
WHERE z.geom && land.g4326 AND ST_Intersects(z.geom, land.g4326)
UNION ALL
SELECT s.kind, s.code, NULL::text, s.width_m::float8, ST_AsBinary(ST_Transform(ST_MakeValid(n.geom), %(srid)s))
FROM land, near n JOIN plans_servitude s ON s.id = n.id
     JOIN plans p ON p.id = s.plan_id AND s.revision = p.live_revision
WHERE s.kind = ANY(%(kinds)s)
"""


def read(geom, srid, plan_ids):
    """(land, [Part], [Road], taken) around `geom` (GEOSGeometry, any SRID) in EPSG:`srid`, shapely objects."""
    kinds = sorted(set(ROAD_KINDS) | {str(k) for k in TAKING_KINDS})
    with reads().cursor() as cursor:
        cursor.execute(SITE_SQL, {"geom": bytes(geom.ewkb), "srid": srid, "plans": list(plan_ids), "kinds": kinds})
        rows = cursor.fetchall()
    land, parts, roads, taking = None, [], [], []
    for kind, code, rule_id, width, wkb in rows:
        shape = shapely.from_wkb(bytes(wkb))
        if kind == "land":
            land = shape
        elif kind == "zone":
            parts.append(Part(code, int(rule_id) if rule_id else None, shape))
        else:
            if kind in ROAD_KINDS:
                roads.append(Road(kind, code, width, shape))
            if kind in TAKING_KINDS:
                taking.append(shape)
    taken = shapely.union_all(taking) if taking else None
    return land, parts, roads, taken
