"""The overlay behind a note: which zones, servitudes, plans, communes and agencies a piece of land meets.

One SQL statement, answered by PostGIS as one JSON document: the land is
transformed once to the Lambert CRS of its agency (EPSG:26191/26192) and
every area is an ST_Area of an intersection in that CRS, in square metres.
Candidates are found with the GiST indexes on the stored lon/lat geometries
(&&), so the cost depends on the land's neighbourhood, not on table sizes.
"""
import json

from django.db import connection

OVERLAY_SQL = """
WITH land AS (
    SELECT g4326, ST_Transform(g4326, %(srid)s) AS g
    FROM (SELECT ST_GeomFromEWKB(%(geom)s) AS g4326) raw
),
plans AS (
    SELECT p.id, p.live_revision, p.perimeter FROM plans_plandocument p, land
    WHERE p.id = ANY(%(plans)s) AND p.perimeter && land.g4326 AND ST_Intersects(p.perimeter, land.g4326)
),
zone_parts AS (
    SELECT z.plan_id, z.code, z.rule_id, ST_Intersection(ST_Transform(z.geom, %(srid)s), land.g) AS part
    FROM land, plans_zone z JOIN plans p ON p.id = z.plan_id AND z.revision = p.live_revision
    WHERE z.geom && land.g4326 AND ST_Intersects(z.geom, land.g4326)
),
servitude_parts AS (
    SELECT s.id, s.plan_id, s.kind, s.code, s.label_fr, s.label_ar, s.width_m, s.rule_fr, s.rule_ar,
           ST_Intersection(ST_Transform(s.footprint, %(srid)s), land.g) AS part
    FROM land, plans_servitude s JOIN plans p ON p.id = s.plan_id AND s.revision = p.live_revision
    WHERE s.footprint && land.g4326 AND ST_Intersects(s.footprint, land.g4326)
)
SELECT json_build_object(
    'area_m2', (SELECT ST_Area(g) FROM land),
    'centroid', (SELECT json_build_array(ST_X(c), ST_Y(c)) FROM (SELECT ST_PointOnSurface(g) c FROM land) pt),
    'bbox', (SELECT json_build_array(ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g)) FROM land),
    'covered_m2', (SELECT COALESCE(ST_Area(ST_Intersection(land.g, ST_Transform(ST_Union(p.perimeter), %(srid)s))), 0)
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
                                                   'area_m2', ST_Area(ST_Intersection(ST_Transform(c.geom, %(srid)s), land.g)))
                                 ORDER BY c.code)
                 FROM land, plans_commune c WHERE c.geom && land.g4326 AND ST_Intersects(c.geom, land.g4326)),
    'agencies', (SELECT json_agg(json_build_object('id', a.id, 'code', a.code,
                                                   'area_m2', ST_Area(ST_Intersection(ST_Transform(a.jurisdiction, %(srid)s), land.g))))
                 FROM land, plans_agency a WHERE a.jurisdiction && land.g4326 AND ST_Intersects(a.jurisdiction, land.g4326))
)
"""


def overlay(geom, srid, plan_ids, taking_kinds):
    """The overlay of `geom` (a GEOSGeometry with an SRID) with the live layers of `plan_ids`.

    Areas in m² in EPSG:`srid`; `taken_m2` is the union of the footprints of
    servitudes of `taking_kinds` inside the land. Returns a dict (see OVERLAY_SQL).
    """
    with connection.cursor() as cursor:
        cursor.execute(OVERLAY_SQL, {"geom": bytes(geom.ewkb), "srid": srid, "plans": list(plan_ids),
                                     "taking": list(taking_kinds)})
        value = cursor.fetchone()[0]
    return value if isinstance(value, dict) else json.loads(value)
