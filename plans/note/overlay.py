"""The overlay behind a note: which zones, servitudes, plans, communes and agencies a piece of land meets.

One SQL statement, answered by PostGIS as one JSON document: the land is
transformed once to the Lambert CRS of its agency (EPSG:26191/26192) and
every area is an ST_Area of an intersection in that CRS, in square metres.
Candidates are found with the GiST indexes on the stored lon/lat geometries
(&&), so the cost depends on the land's neighbourhood, not on table sizes.

Large shapes (a commune drawn with 90,000 vertices, a road kilometres long)
are first cut, in lon/lat, to a box NEAR_DEG degrees around the land
(ST_ClipByBox2D) and only that piece is transformed: the cut adds vertices
only on the box, outside the land, so every area is the one the whole shape
gives, for a fraction of the cost (a commune: 25-50 ms -> 2 ms). Communes and
agencies are not tested with ST_Intersects on the whole shape (as costly as
the transform): one that only touches the land has an area of 0 and the
note leaves it out with the other slivers.
"""
import json

from django.db import connection

# About 100 m: any land (at most a few km across) stays well inside the box once transformed to Lambert.
NEAR_DEG = 0.001


def _near(column):
    """SQL: `column` (lon/lat) cut to the box around the land, valid, in the land's Lambert CRS."""
    return f"ST_Transform(ST_MakeValid(ST_ClipByBox2D({column}, land.box)), %(srid)s)"


OVERLAY_SQL = f"""
WITH land AS (
    SELECT g4326, ST_Transform(g4326, %(srid)s) AS g, ST_Expand(ST_Envelope(g4326), {NEAR_DEG})::box2d AS box
    FROM (SELECT ST_GeomFromEWKB(%(geom)s) AS g4326) raw
),
plans AS (
    SELECT p.id, p.live_revision, p.perimeter FROM plans_plandocument p, land
    WHERE p.id = ANY(%(plans)s) AND p.perimeter && land.g4326 AND ST_Intersects(p.perimeter, land.g4326)
),
zone_parts AS (
    SELECT z.plan_id, z.code, z.rule_id, ST_Intersection({_near('z.geom')}, land.g) AS part
    FROM land, plans_zone z JOIN plans p ON p.id = z.plan_id AND z.revision = p.live_revision
    WHERE z.geom && land.g4326 AND ST_Intersects(z.geom, land.g4326)
),
reaching AS MATERIALIZED (  -- the few servitudes a piece of which touches the land (plans.models.ServitudePiece)
    SELECT DISTINCT k.servitude_id AS id FROM land, plans_servitude_piece k
    WHERE k.geom && land.g4326 AND ST_Intersects(k.geom, land.g4326)
),
servitude_parts AS (
    SELECT s.id, s.plan_id, s.kind, s.code, s.label_fr, s.label_ar, s.width_m, s.rule_fr, s.rule_ar,
           ST_Intersection({_near('s.footprint')}, land.g) AS part
    FROM land, reaching r JOIN plans_servitude s ON s.id = r.id
         JOIN plans p ON p.id = s.plan_id AND s.revision = p.live_revision
)
SELECT json_build_object(
    'area_m2', (SELECT ST_Area(g) FROM land),
    'plan_ids', (SELECT COALESCE(json_agg(id ORDER BY id), '[]') FROM plans),
    'revisions', (SELECT COALESCE(json_object_agg(id, live_revision), '{{}}') FROM plans),
    'centroid', (SELECT json_build_array(ST_X(c), ST_Y(c)) FROM (SELECT ST_PointOnSurface(g) c FROM land) pt),
    'bbox', (SELECT json_build_array(ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g)) FROM land),
    'covered_m2', (SELECT COALESCE(ST_Area(ST_Intersection(land.g, ST_Union({_near('p.perimeter')}))), 0)
                   FROM land, plans p GROUP BY land.g),
    'zones', (SELECT json_agg(json_build_object('plan_id', plan_id, 'code', code, 'rule_id', rule_id,
                                                'area_m2', area) ORDER BY area DESC, code)
              FROM (SELECT plan_id, code, rule_id, SUM(ST_Area(part)) AS area
                    FROM zone_parts GROUP BY plan_id, code, rule_id) z),
    'servitudes', (SELECT json_agg(json_build_object(
                        'plan_id', plan_id, 'kind', kind, 'code', code, 'label_fr', label_fr, 'label_ar', label_ar,
                        'width_m', width_m, 'rule_fr', rule_fr, 'rule_ar', rule_ar, 'area_m2', ST_Area(part))
                        ORDER BY kind, code, id)
                   FROM servitude_parts),
    'taken_m2', (SELECT ST_Area(ST_Union(part)) FROM servitude_parts WHERE kind = ANY(%(taking)s)),
    'communes', (SELECT json_agg(json_build_object('id', c.id, 'code', c.code, 'name_fr', c.name_fr,
                                                   'name_ar', c.name_ar, 'agency_id', c.agency_id,
                                                   'area_m2', ST_Area(ST_Intersection({_near('c.geom')}, land.g)))
                                 ORDER BY c.code)
                 FROM land, plans_commune c WHERE c.geom && land.g4326),
    'agencies', (SELECT json_agg(json_build_object('id', a.id, 'code', a.code,
                                                   'area_m2', ST_Area(ST_Intersection({_near('a.jurisdiction')}, land.g))))
                 FROM land, plans_agency a WHERE a.jurisdiction && land.g4326)
)
"""


def overlay(geom, srid, plan_ids, taking_kinds):
    """The overlay of `geom` (a GEOSGeometry with an SRID) with the live layers of `plan_ids`.

    Areas in m² in EPSG:`srid`; `taken_m2` is the union of the footprints of
    servitudes of `taking_kinds` inside the land. `revisions` maps each plan met
    (id as text) to the revision its zones and servitudes were read from, in
    the same snapshot as the areas. Returns a dict (see OVERLAY_SQL).
    """
    with connection.cursor() as cursor:
        cursor.execute(OVERLAY_SQL, {"geom": bytes(geom.ewkb), "srid": srid, "plans": list(plan_ids),
                                     "taking": list(taking_kinds)})
        value = cursor.fetchone()[0]
    return value if isinstance(value, dict) else json.loads(value)
