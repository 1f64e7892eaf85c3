"""The validation queries: what is wrong with a staged layer, and where.

Every check is one SQL statement over the mapped view of a staging table
(layers.mapping.create_view), answering rows of (fid, message, location as
lon/lat, proposed repair). Areas and lengths are computed in the agency's
Lambert CRS (EPSG:26191/26192), in m² and m; locations are returned in
EPSG:4326 so the report map can show them.
"""
from dataclasses import dataclass

from django.db import connection

from plans.models.zoning import ServitudeKind

ERROR, WARNING = "error", "warning"
_POINT = "ST_X(p.pt) AS lon, ST_Y(p.pt) AS lat"


@dataclass
class Context:
    view: str
    target: str
    lambert: int
    agency_id: int
    plan_id: int | None
    tolerance_m2: float
    limit: int = 200


@dataclass
class Check:
    name: str
    severity: str
    title_fr: str
    title_ar: str
    sql: str
    targets: tuple = ("zones", "servitudes", "parcels")


def _located(where, message, extra_from="", repair="NULL"):
    """Rows of the view matching `where`, located at a point on the feature (EPSG:4326)."""
    return f"""
        SELECT v.fid, {message} AS message, {_POINT}, {repair} AS repair
        FROM {{view}} v {extra_from}
        LEFT JOIN LATERAL (SELECT ST_Transform(ST_PointOnSurface(ST_MakeValid(v.geom)), 4326) AS pt) p ON true
        WHERE {where}
        ORDER BY v.fid"""


# Area of a feature outside the plan perimeter, both in the agency's Lambert CRS (m²).
_BEYOND = ("ST_Area(ST_Difference(ST_MakeValid(ST_Transform(v.geom, {lambert})), (SELECT ST_Transform(perimeter, "
           "{lambert}) FROM plans_plandocument WHERE id = {plan_id})))")

CHECKS = [
    Check("empty_geometry", ERROR, "Entités sans géométrie", "عناصر بدون هندسة", """
        SELECT v.fid, 'feature has no geometry (or an empty one): draw it or delete it' AS message,
               NULL::float8 AS lon, NULL::float8 AS lat, NULL AS repair
        FROM {view} v WHERE v.geom IS NULL OR ST_IsEmpty(v.geom) ORDER BY v.fid"""),
    Check("geometry_type", ERROR, "Type de géométrie incompatible", "نوع هندسي غير ملائم", _located(
        "v.geom IS NOT NULL AND NOT ST_IsEmpty(v.geom) AND ST_Dimension(v.geom) <> 2",
        "'a ' || GeometryType(v.geom) || ' where a polygon is needed: zones and parcels are areas'"),
        ("zones", "parcels")),
    Check("servitude_width", ERROR, "Largeur manquante", "العرض مفقود", _located(
        "v.geom IS NOT NULL AND ST_Dimension(v.geom) < 2 AND (v.width_m IS NULL OR v.width_m <= 0)",
        "'a ' || GeometryType(v.geom) || ' needs its width in metres to give a ground footprint: map width_m'"),
        ("servitudes",)),
    Check("invalid_geometry", WARNING, "Géométries invalides (réparables)", "هندسات غير صالحة", """
        SELECT v.fid, 'invalid geometry: ' || ST_IsValidReason(v.geom) AS message, ST_X(p.pt) AS lon, ST_Y(p.pt) AS lat,
               'make_valid: area ' || round(ST_Area(ST_Transform(v.geom, {lambert}))::numeric, 1) || ' m² → '
               || round(ST_Area(ST_Transform(ST_MakeValid(v.geom), {lambert}))::numeric, 1) || ' m²' AS repair
        FROM {view} v, LATERAL ST_IsValidDetail(v.geom) d,
             LATERAL (SELECT ST_Transform(COALESCE(ST_SetSRID(d.location, ST_SRID(v.geom)), ST_PointOnSurface(v.geom)),
                                          4326) AS pt) p
        WHERE v.geom IS NOT NULL AND NOT ST_IsValid(v.geom) ORDER BY v.fid"""),
    Check("duplicate", WARNING, "Entités en double", "عناصر مكررة", """
        SELECT d.fid, 'same geometry as feature ' || d.first || ': publishing keeps only the first' AS message,
               ST_X(p.pt) AS lon, ST_Y(p.pt) AS lat, 'drop duplicate' AS repair
        FROM (SELECT v.fid, v.geom, min(v.fid) OVER w AS first
              FROM {view} v WHERE v.geom IS NOT NULL
              WINDOW w AS (PARTITION BY md5(ST_AsBinary(ST_Normalize(v.geom))))) d
        LEFT JOIN LATERAL (SELECT ST_Transform(ST_PointOnSurface(ST_MakeValid(d.geom)), 4326) AS pt) p ON true
        WHERE d.fid <> d.first ORDER BY d.fid"""),
    Check("mixed_types", WARNING, "Types de géométrie mélangés", "أنواع هندسية مختلطة", """
        SELECT NULL::bigint AS fid, 'the layer mixes ' || string_agg(n || ' ' || t, ', ') AS message,
               NULL::float8 AS lon, NULL::float8 AS lat, NULL AS repair
        FROM (SELECT replace(GeometryType(geom), 'MULTI', '') AS t, count(*) AS n FROM {view} WHERE geom IS NOT NULL
              GROUP BY 1) g
        HAVING count(*) > 1"""),
    Check("outside_territory", ERROR, "Hors du territoire de l'agence", "خارج مجال الوكالة", _located(
        "v.geom IS NOT NULL AND NOT EXISTS (SELECT 1 FROM territory t "
        "WHERE ST_Intersects(t.geom, ST_Transform(v.geom, 4326)))",
        "'outside the territory of the agency: check the CRS (Lambert given as lon/lat, or the reverse?)'")),
    Check("outside_perimeter", WARNING, "Hors du périmètre du plan", "خارج حدود التصميم", _located(
        "v.geom IS NOT NULL AND ST_Dimension(v.geom) = 2 AND " + _BEYOND + " > {tolerance}",
        "'extends beyond the plan perimeter by ' || round((" + _BEYOND + ")::numeric, 1) || ' m²'"), ("zones",)),
    Check("overlap", ERROR, "Chevauchements entre zones", "تداخل بين المناطق", """
        WITH g AS (SELECT fid, ST_MakeValid(geom) AS geom FROM {view} WHERE ST_Dimension(geom) = 2),
        o AS (SELECT a.fid, b.fid AS other, ST_Intersection(a.geom, b.geom) AS part
              FROM g a JOIN g b ON a.fid < b.fid AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)
                                   AND NOT ST_Touches(a.geom, b.geom) AND NOT ST_Equals(a.geom, b.geom)),
        m AS (SELECT fid, other, part, ST_Area(ST_Transform(part, {lambert})) AS area FROM o)
        SELECT m.fid, 'overlaps feature ' || m.other || ' over ' || round(m.area::numeric, 1) || ' m²' AS message,
               ST_X(p.pt) AS lon, ST_Y(p.pt) AS lat, NULL AS repair
        FROM m, LATERAL (SELECT ST_Transform(ST_PointOnSurface(m.part), 4326) AS pt) p
        WHERE m.area > {tolerance} ORDER BY m.area DESC""", ("zones",)),
    Check("gap", WARNING, "Vides entre zones dans le périmètre", "فراغات بين المناطق", """
        WITH u AS (SELECT ST_Union(ST_MakeValid(ST_Transform(geom, 4326))) AS geom FROM {view}
                   WHERE ST_Dimension(geom) = 2),
        gap AS (SELECT (ST_Dump(ST_Difference(pl.perimeter, u.geom))).geom AS geom
                FROM plans_plandocument pl, u WHERE pl.id = {plan_id} AND u.geom IS NOT NULL)
        SELECT NULL::bigint AS fid, 'gap of ' || round(ST_Area(ST_Transform(gap.geom, {lambert}))::numeric, 1)
               || ' m² not covered by any zone' AS message,
               ST_X(ST_PointOnSurface(gap.geom)) AS lon, ST_Y(ST_PointOnSurface(gap.geom)) AS lat, NULL AS repair
        FROM gap WHERE ST_Area(ST_Transform(gap.geom, {lambert})) > {tolerance}
        ORDER BY ST_Area(gap.geom) DESC""", ("zones",)),
    Check("missing_value", ERROR, "Valeur obligatoire manquante", "قيمة إلزامية مفقودة", _located(
        "v.{required} IS NULL", "'{required} is empty: fill it in the source or fix the field mapping'")),
    Check("servitude_kind", ERROR, "Type de servitude inconnu", "نوع ارتفاق غير معروف", _located(
        "v.kind IS NOT NULL AND v.kind <> ALL(%(kinds)s)",
        "'kind ' || quote_literal(v.kind) || ' is not one of ours: recode it in the mapping with \"values\"'"),
        ("servitudes",)),
]


def range_check(field, low, high):
    """An ERROR check for a number field whose value is not a number or outside [low, high]."""
    return Check(f"range_{field}", ERROR, f"Valeur hors limites : {field}", f"قيمة خارج الحدود: {field}", _located(
        f"v.{field}_raw IS NOT NULL AND (v.{field} IS NULL OR v.{field} < {low} OR v.{field} > {high})",
        f"'{field} = ' || quote_literal(v.{field}_raw) || ' is not a number between {low:g} and {high:g}'"))


def run(check, ctx, required):
    """(count, items) of one check; items capped at ctx.limit."""
    sql = check.sql.format(view=f'"{ctx.view}"', lambert=int(ctx.lambert), plan_id=int(ctx.plan_id or 0),
                           tolerance=float(ctx.tolerance_m2), required=required)
    # MATERIALIZED: else PostgreSQL inlines the CTE and subdivides the territory again for every feature.
    sql = (f"WITH territory AS MATERIALIZED (SELECT (ST_Dump(ST_Subdivide(jurisdiction, 256))).geom AS geom "
           f"FROM plans_agency WHERE id = {int(ctx.agency_id)}), "
           f"found AS ({sql}) SELECT count(*) OVER () AS total, found.* FROM found LIMIT {int(ctx.limit)}")
    with connection.cursor() as cursor:
        cursor.execute(sql, {"kinds": list(ServitudeKind.values)})
        rows = cursor.fetchall()
    if not rows:
        return 0, []
    items = [{"fid": fid, "message": message, "lon": lon, "lat": lat, "repair": repair}
             for _total, fid, message, lon, lat, repair in rows]
    return rows[0][0], items
