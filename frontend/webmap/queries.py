"""SQL of the map's small APIs: what is at a place, what a search matches, which plans were in force.

Every query lets PostGIS build the JSON it answers with (one round trip,
no Python loop over rows). Geometries are stored in EPSG:4326; areas are
computed in the owning agency's Lambert SRID, in square metres.
Callers pass the ids of the plans in force (PlanDocument.objects.in_force),
so that the legal rule "which version applies" lives in one place.
"""
from geoportal.core.replica import reads

# Zones, servitudes and the parcel under a geometry `g` (a point, or a parcel's
# boundary), for the live revision of the given plans. `share` is the part of
# the parcel a zone or servitude covers (0..1), null for a point.
_PLACE_SQL = """
WITH q AS ({subject}),
ag AS (
    SELECT a.id, a.code, a.name_fr, a.name_ar, a.srid
    FROM plans_agency a, q WHERE ST_Intersects(a.jurisdiction, q.g)
    ORDER BY a.id LIMIT 1
),
pl AS (
    SELECT p.* FROM plans_plandocument p, q
    WHERE p.id = ANY(%(plan_ids)s) AND ST_Intersects(p.perimeter, q.g)
)
SELECT json_build_object(
  'agency', (SELECT json_build_object('code', code, 'name_fr', name_fr, 'name_ar', name_ar,
                                      'crs', 'EPSG:' || srid) FROM ag),
  'lambert', (SELECT json_build_object('crs', 'EPSG:' || ag.srid,
                     'x', round(ST_X(ST_Transform(ST_PointOnSurface(q.g), ag.srid))::numeric, 2),
                     'y', round(ST_Y(ST_Transform(ST_PointOnSurface(q.g), ag.srid))::numeric, 2)) FROM ag, q),
  'plans', COALESCE((SELECT json_agg(json_build_object(
        'id', id, 'reference', reference, 'version', version, 'kind', kind,
        'title_fr', title_fr, 'title_ar', title_ar, 'status', status,
        'decree_reference', decree_reference, 'decree_date', decree_date,
        'effective_date', effective_date, 'expiry_date', expiry_date, 'superseded_on', superseded_on)
        ORDER BY reference, version) FROM pl), '[]'::json),
  'zones', COALESCE((SELECT json_agg(z ORDER BY z.share DESC NULLS LAST, z.code) FROM (
        SELECT z.code, z.plan_id, r.label_fr, r.label_ar, r.allowed_uses, r.forbidden_uses,
               r.max_height_m, r.max_floors, r.cos, r.ces, r.min_lot_area_m2, r.min_frontage_m,
               r.setback_road_m, r.setback_side_m, r.setback_rear_m, r.parking_fr, r.parking_ar,
               r.article_fr, r.article_ar,
               CASE WHEN ST_Dimension(q.g) = 2 THEN round((
                   ST_Area(ST_Transform(ST_Intersection(z.geom, q.g), pl.srid))
                   / NULLIF(ST_Area(ST_Transform(q.g, pl.srid)), 0))::numeric, 4) END AS share
        FROM plans_zone z JOIN pl ON pl.id = z.plan_id AND z.revision = pl.live_revision
        LEFT JOIN plans_zonerule r ON r.id = z.rule_id, q
        WHERE ST_Intersects(z.geom, q.g)) z WHERE z.share IS NULL OR z.share > 0.0001), '[]'::json),
  'servitudes', COALESCE((SELECT json_agg(s ORDER BY s.kind, s.code) FROM (
        SELECT s.kind, s.code, s.plan_id, s.label_fr, s.label_ar, s.width_m, s.rule_fr, s.rule_ar,
               CASE WHEN ST_Dimension(q.g) = 2 THEN round((
                   ST_Area(ST_Transform(ST_Intersection(s.footprint, q.g), pl.srid))
                   / NULLIF(ST_Area(ST_Transform(q.g, pl.srid)), 0))::numeric, 4) END AS share
        FROM plans_servitude s JOIN pl ON pl.id = s.plan_id AND s.revision = pl.live_revision, q
        WHERE ST_Intersects(s.footprint, q.g)) s WHERE s.share IS NULL OR s.share > 0.0001), '[]'::json),
  'parcel', (SELECT json_build_object(
        'title_number', p.title_number, 'area_on_title_m2', p.area_on_title_m2,
        'area_m2', round(ST_Area(ST_Transform(p.geom, a.srid))::numeric, 1),
        'commune_fr', c.name_fr, 'commune_ar', c.name_ar, 'agency', a.code,
        'geometry', ST_AsGeoJSON(p.geom, 7)::json)
        FROM plans_parcel p JOIN plans_agency a ON a.id = p.agency_id
        LEFT JOIN plans_commune c ON c.id = p.commune_id, q
        WHERE {parcel_filter} ORDER BY p.id LIMIT 1)
)
"""
_POINT_SUBJECT = "SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326) AS g"
_PARCEL_SUBJECT = "SELECT geom AS g FROM plans_parcel WHERE id = %(parcel_id)s"


def place_at_point(lon, lat, plan_ids):
    """What lies at lon/lat (EPSG:4326, degrees) under the plans `plan_ids`: a dict (see _PLACE_SQL)."""
    sql = _PLACE_SQL.format(subject=_POINT_SUBJECT, parcel_filter="ST_Intersects(p.geom, q.g)")
    return _one_json(sql, {"lon": lon, "lat": lat, "plan_ids": list(plan_ids)})


def place_of_parcel(parcel_id, plan_ids):
    """Zones and servitudes covering a parcel with their shares of its Lambert area, under `plan_ids`."""
    sql = _PLACE_SQL.format(subject=_PARCEL_SUBJECT, parcel_filter="p.id = %(parcel_id)s")
    return _one_json(sql, {"parcel_id": parcel_id, "plan_ids": list(plan_ids)})


_PARCELS_SQL = """
SELECT COALESCE(json_agg(json_build_object(
    'type', 'parcel', 'id', p.id, 'title_number', p.title_number, 'agency', a.code,
    'commune_fr', c.name_fr, 'commune_ar', c.name_ar,
    'lon', round(ST_X(ST_PointOnSurface(p.geom))::numeric, 7),
    'lat', round(ST_Y(ST_PointOnSurface(p.geom))::numeric, 7),
    'bbox', json_build_array(ST_XMin(p.geom), ST_YMin(p.geom), ST_XMax(p.geom), ST_YMax(p.geom)))
    ORDER BY p.title_number), '[]'::json)
FROM (SELECT * FROM plans_parcel WHERE {where} ORDER BY title_number LIMIT %(limit)s) p
JOIN plans_agency a ON a.id = p.agency_id LEFT JOIN plans_commune c ON c.id = p.commune_id
"""


def parcels_json(ids, limit=10):
    """The parcels `ids` as search results (title, agency, commune, lon/lat, bbox); plans.selectors finds them."""
    return _one_json(_PARCELS_SQL.format(where="id = ANY(%(ids)s)"), {"ids": list(ids), "limit": limit})


def like_literal(text):
    """`text` matched literally inside a LIKE/ILIKE pattern: its \\, % and _ escaped (PostgreSQL's escape
    character is the backslash), so that a user's "%" or "_" is a character, not a wildcard."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def parcels_by_title_prefix(prefix, limit=10):
    """Parcels whose title number starts with `prefix` (e.g. "TF 1000"), for type-ahead."""
    pattern = like_literal(prefix) + "%"
    return _one_json(_PARCELS_SQL.format(where="title_number LIKE %(pattern)s"), {"pattern": pattern, "limit": limit})


# Accents folded so that "tetouan" finds "Tétouan"; Arabic names match as typed.
_FOLD_FROM = "àâäáãçéèêëíìîïñóòôöõúùûüÿ"
_FOLD_TO = "aaaaaceeeeiiiinooooouuuuy"
_COMMUNES_SQL = f"""
SELECT COALESCE(json_agg(json_build_object(
    'type', 'commune', 'id', c.id, 'code', c.code, 'name_fr', c.name_fr, 'name_ar', c.name_ar, 'agency', a.code,
    'lon', round(ST_X(ST_PointOnSurface(c.geom))::numeric, 7),
    'lat', round(ST_Y(ST_PointOnSurface(c.geom))::numeric, 7),
    'bbox', json_build_array(ST_XMin(c.geom), ST_YMin(c.geom), ST_XMax(c.geom), ST_YMax(c.geom)))
    ORDER BY c.name_fr), '[]'::json)
FROM (SELECT * FROM plans_commune
      WHERE translate(lower(name_fr), '{_FOLD_FROM}', '{_FOLD_TO}')
            LIKE '%%' || translate(lower(%(text)s), '{_FOLD_FROM}', '{_FOLD_TO}') || '%%'
         OR name_ar LIKE '%%' || %(text)s || '%%'
      ORDER BY name_fr LIMIT %(limit)s) c
JOIN plans_agency a ON a.id = c.agency_id
"""


def communes_by_name(text, limit=10):
    """Communes whose French (accents folded) or Arabic name contains `text`."""
    return _one_json(_COMMUNES_SQL, {"text": like_literal(text), "limit": limit})


_AGENCIES_AT_SQL = """
SELECT COALESCE(json_agg(json_build_object('candidate', c.n, 'agency', a.code, 'srid', a.srid,
                                           'name_fr', a.name_fr, 'name_ar', a.name_ar)), '[]'::json)
FROM unnest(%(lons)s::float8[], %(lats)s::float8[]) WITH ORDINALITY AS c(lon, lat, n)
JOIN plans_agency a ON ST_Intersects(a.jurisdiction, ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326))
"""


def agencies_at(points):
    """For lon/lat `points` (EPSG:4326), the agencies whose territory holds each: [{candidate: 1-based index, agency, srid…}]."""
    if not points:
        return []
    return _one_json(_AGENCIES_AT_SQL, {"lons": [p[0] for p in points], "lats": [p[1] for p in points]})


_PLANS_SQL = """
SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
    'type', 'Feature', 'id', p.id,
    'geometry', ST_AsGeoJSON(p.perimeter, 6)::json,
    'bbox', json_build_array(ST_XMin(p.perimeter), ST_YMin(p.perimeter), ST_XMax(p.perimeter), ST_YMax(p.perimeter)),
    'properties', json_build_object(
        'id', p.id, 'reference', p.reference, 'version', p.version, 'kind', p.kind,
        'title_fr', p.title_fr, 'title_ar', p.title_ar, 'status', p.status, 'agency', a.code,
        'decree_reference', p.decree_reference, 'decree_date', p.decree_date,
        'effective_date', p.effective_date, 'expiry_date', p.expiry_date, 'superseded_on', p.superseded_on))
    ORDER BY a.code, p.reference, p.version), '[]'::json))
FROM plans_plandocument p JOIN plans_agency a ON a.id = p.agency_id
WHERE p.id = ANY(%(plan_ids)s)
"""


def plans_geojson(plan_ids):
    """The perimeters of plans `plan_ids` as a GeoJSON FeatureCollection (lon/lat, 6 decimals ≈ 10 cm)."""
    return _one_json(_PLANS_SQL, {"plan_ids": list(plan_ids)})


_EXTENT_SQL = """
SELECT (SELECT json_build_array(ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e))
        FROM (SELECT ST_Extent(p.perimeter)::geometry AS e FROM plans_plandocument p
              WHERE p.id = ANY(%(plan_ids)s) AND (%(agency)s::int IS NULL OR p.agency_id = %(agency)s)) x
        WHERE e IS NOT NULL),
       (SELECT json_build_array(ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e))
        FROM (SELECT ST_Extent(jurisdiction)::geometry AS e FROM plans_agency WHERE id = %(agency)s) y
        WHERE e IS NOT NULL)
"""


def opening_extent(plan_ids, agency_id=None):
    """[minlon, minlat, maxlon, maxlat] the map opens on: the perimeters of plans `plan_ids` (those of agency
    `agency_id` when given), else that agency's territory, else None."""
    with reads().cursor() as cursor:
        cursor.execute(_EXTENT_SQL, {"plan_ids": list(plan_ids), "agency": agency_id})
        plans, territory = cursor.fetchone()
    return plans or territory


_TERRITORIES_SQL = """
SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
    'type', 'Feature', 'id', a.id,
    'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(a.jurisdiction, %(tolerance)s), 4)::json,
    'properties', json_build_object('code', a.code, 'name_fr', a.name_fr, 'name_ar', a.name_ar)) ORDER BY a.code),
    '[]'::json))
FROM plans_agency a
"""


def territories_geojson(tolerance_deg=0.002):
    """Agency territories simplified by `tolerance_deg` degrees (~200 m): the offline background of the map."""
    return _one_json(_TERRITORIES_SQL, {"tolerance": tolerance_deg})


_PLAN_LAYERS_SQL = """
SELECT json_build_object(
  'perimeter', (SELECT ST_AsGeoJSON(perimeter, 6)::json FROM plans_plandocument WHERE id = %(plan_id)s),
  'zones', (SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
        'type', 'Feature', 'geometry', ST_AsGeoJSON(z.geom, 6)::json,
        'properties', json_build_object('code', z.code, 'label_fr', r.label_fr, 'label_ar', r.label_ar))
        ORDER BY z.code), '[]'::json))
      FROM plans_zone z JOIN plans_plandocument p ON p.id = z.plan_id AND z.revision = p.live_revision
      LEFT JOIN plans_zonerule r ON r.id = z.rule_id
      WHERE z.plan_id = %(plan_id)s AND (%(clip)s::geometry IS NULL OR ST_Intersects(z.geom, %(clip)s::geometry))),
  'servitudes', (SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
        'type', 'Feature', 'geometry', ST_AsGeoJSON(s.footprint, 6)::json,
        'properties', json_build_object('kind', s.kind, 'code', s.code, 'label_fr', s.label_fr,
                                        'label_ar', s.label_ar))
        ORDER BY s.kind, s.code), '[]'::json))
      FROM plans_servitude s JOIN plans_plandocument p ON p.id = s.plan_id AND s.revision = p.live_revision
      WHERE s.plan_id = %(plan_id)s AND (%(clip)s::geometry IS NULL OR ST_Intersects(s.footprint, %(clip)s::geometry)))
)
"""


def plan_layers(plan_id, clip_ewkt=None):
    """Perimeter, zones and servitude footprints of a plan's live revision as GeoJSON (lon/lat).

    `clip_ewkt` (EWKT in EPSG:4326) keeps only the features that touch it: the surroundings of a parcel.
    """
    return _one_json(_PLAN_LAYERS_SQL, {"plan_id": plan_id, "clip": clip_ewkt})


def _one_json(sql, params):
    with reads().cursor() as cursor:
        cursor.execute(sql, params)
        value = cursor.fetchone()[0]
    # psycopg 3 decodes json columns itself; keep working if a JSON adapter returns text.
    if isinstance(value, str):
        import json

        return json.loads(value)
    return value
