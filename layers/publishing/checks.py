"""The validation queries: what is wrong with a staged layer, and where.

Checks run as SQL over the mapped view of a staging table
(layers.publishing.mapping.create_view). Two kinds:

- a feature check is a condition on one feature (empty, invalid, a value
  out of range…): all of them are counted in ONE scan of the layer
  (count_features), and only the checks that found something read their
  first `limit` features again, in FID order;
- a layer check compares features with each other or with the territory
  (duplicates, overlaps, outside the territory, gaps): one query each,
  counted whole, its first `limit` rows kept.

Either way only the kept rows get a location, so the report stays small
(at most `limit` items per check, with the total count) and the costly
point-on-surface is computed a thousand times, not a million. Areas and
lengths are computed in the agency's Lambert CRS (EPSG:26191/26192), in m²
and m; locations are returned in EPSG:4326 so the report map can show them.
"""
from dataclasses import dataclass

from django.db import connection

from plans.models.zoning import ServitudeKind

ERROR, WARNING = "error", "warning"
# Territory pieces: few vertices each, so a point-in-polygon test through their GiST index is cheap.
TERRITORY_PIECE_VERTICES = 256
# Territory edges are straight in lon/lat; densified (degrees) before going into the file's CRS so that
# they stay within centimetres of where they were drawn.
_TERRITORY_SEGMENT_DEG = 0.001


@dataclass
class Context:
    view: str  # the SQL name of the mapped view (layers.publishing.staging.name)
    target: str
    lambert: int
    agency_id: int
    plan_id: int | None
    tolerance_m2: float
    limit: int = 1000
    territory: str = ""  # the table made by prepare_territory


@dataclass
class Check:
    """A check. Feature checks give `where` (a condition on the view row `v`) and `message`; layer checks
    give `sql`, rows of (fid, message, at, repair, rank, area_m2): `at` a geometry to locate the problem (any
    SRID), `rank` the order in which the report lists them, `area_m2` the problem's area when it has one."""
    name: str
    severity: str
    title_fr: str
    title_ar: str
    where: str = ""
    message: str = ""
    at: str = "v.geom"
    repair: str = "NULL"
    extra_from: str = ""
    sql: str = ""
    targets: tuple = ("zones", "servitudes", "parcels")


# Features sharing one geometry (empty ones are "no geometry", not duplicates of each other), each compared
# with the first of its group on every mapped value (`diff`: what differs, NULL when all are equal).
_SAME_GEOMETRY = """
        WITH d AS MATERIALIZED (
            SELECT v.*, count(*) OVER w AS n_same, min(v.fid) OVER w AS first FROM {view} v
            WHERE v.geom IS NOT NULL AND NOT ST_IsEmpty(v.geom)
            WINDOW w AS (PARTITION BY ST_AsBinary(ST_Normalize(v.geom)))),
        g AS (SELECT fid, first, geom, to_jsonb(d) - ARRAY['fid', 'geom', 'geom_problem', 'n_same', 'first'] AS attrs
              FROM d WHERE n_same > 1),
        x AS (SELECT a.fid, a.first, a.geom,
                     (SELECT string_agg(k || ' ' || coalesce(quote_literal(a.attrs ->> k), 'empty') || ' here, '
                                        || coalesce(quote_literal(f.attrs ->> k), 'empty') || ' there', ', ' ORDER BY k)
                      FROM jsonb_object_keys(a.attrs) k
                      WHERE right(k, 4) <> '_raw' AND a.attrs -> k IS DISTINCT FROM f.attrs -> k) AS diff
              FROM g a JOIN g f ON f.fid = a.first WHERE a.fid <> a.first)"""

# Area of a feature outside the plan perimeter, both in the agency's Lambert CRS (m²).
_BEYOND = ("ST_Area(ST_Difference(ST_MakeValid(ST_Transform(v.geom, {lambert})), (SELECT ST_Transform(perimeter, "
           "{lambert}) FROM plans_plandocument WHERE id = {plan_id})))")

CHECKS = [
    Check("empty_geometry", ERROR, "Entités sans géométrie", "عناصر بدون هندسة",
          where="(v.geom IS NULL AND v.geom_problem IS NULL) OR ST_IsEmpty(v.geom)", at="NULL::geometry",
          message="'feature has no geometry (or an empty one): draw it or delete it'"),
    Check("malformed_geometry", ERROR, "Géométries illisibles", "هندسات غير مقروءة",
          where="v.geom IS NULL AND v.geom_problem IS NOT NULL", at="NULL::geometry",
          message="'malformed geometry: ' || v.geom_problem || '; correct it in your GIS and export the layer again'"),
    Check("geometry_type", ERROR, "Type de géométrie incompatible", "نوع هندسي غير ملائم",
          where="v.geom IS NOT NULL AND NOT ST_IsEmpty(v.geom) AND ST_Dimension(v.geom) <> 2",
          message="'a ' || GeometryType(v.geom) || ' where a polygon is needed: zones and parcels are areas'",
          targets=("zones", "parcels")),
    Check("servitude_width", ERROR, "Largeur manquante", "العرض مفقود",
          where="v.geom IS NOT NULL AND ST_Dimension(v.geom) < 2 AND (v.width_m IS NULL OR v.width_m <= 0)",
          message="'a ' || GeometryType(v.geom) || ' needs its width in metres to give a ground footprint: "
                  "map width_m'", targets=("servitudes",)),
    Check("invalid_geometry", WARNING, "Géométries invalides (réparables)", "هندسات غير صالحة",
          where="v.geom IS NOT NULL AND NOT ST_IsValid(v.geom)",
          message="'invalid geometry: ' || ST_IsValidReason(v.geom)",
          extra_from=", LATERAL ST_IsValidDetail(v.geom) d",
          at="COALESCE(ST_SetSRID(d.location, ST_SRID(v.geom)), v.geom)",
          repair="'make_valid: area ' || round(ST_Area(ST_Transform(v.geom, {lambert}))::numeric, 1) || ' m² → ' "
                 "|| round(ST_Area(ST_Transform(ST_MakeValid(v.geom), {lambert}))::numeric, 1) || ' m²'"),
    Check("duplicate", WARNING, "Entités identiques (fusionnées)", "عناصر متطابقة (مدمجة)", sql=f"""
        {_SAME_GEOMETRY}
        SELECT x.fid, 'identical to feature ' || x.first || ' (same geometry, same values): published once' AS message,
               x.geom AS at, 'merge' AS repair, x.fid AS rank, NULL::float8 AS area_m2
        FROM x WHERE x.diff IS NULL"""),
    Check("duplicate_conflict", ERROR, "Même géométrie, valeurs différentes", "نفس الهندسة بقيم مختلفة", sql=f"""
        {_SAME_GEOMETRY}
        SELECT x.fid, 'same geometry as feature ' || x.first || ' but ' || x.diff || ': one place cannot carry '
               || 'both; delete the wrong feature or correct its geometry' AS message,
               x.geom AS at, NULL AS repair, x.fid AS rank, NULL::float8 AS area_m2
        FROM x WHERE x.diff IS NOT NULL"""),
    Check("mixed_types", WARNING, "Types de géométrie mélangés", "أنواع هندسية مختلطة", sql="""
        SELECT NULL::bigint AS fid, 'the layer mixes ' || string_agg(n || ' ' || t, ', ') AS message,
               NULL::geometry AS at, NULL AS repair, 0 AS rank, NULL::float8 AS area_m2
        FROM (SELECT replace(GeometryType(geom), 'MULTI', '') AS t, count(*) AS n FROM {view} WHERE geom IS NOT NULL
              GROUP BY 1) g
        HAVING count(*) > 1"""),
    # Through the GiST index of the territory pieces (prepare_territory), in the file's own CRS: no feature
    # is transformed, and each test is against a piece of a few hundred vertices, not the whole province.
    Check("outside_territory", ERROR, "Hors du territoire de l'agence", "خارج مجال الوكالة", sql="""
        SELECT v.fid, 'outside the territory of the agency: check the CRS (Lambert given as lon/lat, or the '
               || 'reverse?)' AS message, v.geom AS at, NULL AS repair, v.fid AS rank, NULL::float8 AS area_m2
        FROM {view} v
        WHERE v.geom IS NOT NULL AND NOT ST_IsEmpty(v.geom) AND NOT EXISTS (
            SELECT 1 FROM {territory} t WHERE t.geom && v.geom AND ST_Intersects(t.geom, v.geom))"""),
    Check("outside_perimeter", WARNING, "Hors du périmètre du plan", "خارج حدود التصميم", sql=f"""
        SELECT v.fid, 'extends beyond the plan perimeter by ' || round(b.area::numeric, 1) || ' m²' AS message,
               v.geom AS at, NULL AS repair, v.fid AS rank, b.area AS area_m2
        FROM {{view}} v, LATERAL (SELECT {_BEYOND} AS area) b
        WHERE v.geom IS NOT NULL AND ST_Dimension(v.geom) = 2 AND b.area > {{tolerance}}""", targets=("zones",)),
    Check("overlap", ERROR, "Chevauchements entre zones", "تداخل بين المناطق", sql="""
        WITH g AS (SELECT fid, ST_MakeValid(geom) AS geom FROM {view} WHERE ST_Dimension(geom) = 2),
        o AS (SELECT a.fid, b.fid AS other, ST_Intersection(a.geom, b.geom) AS part
              FROM g a JOIN g b ON a.fid < b.fid AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)
                                   AND NOT ST_Touches(a.geom, b.geom) AND NOT ST_Equals(a.geom, b.geom)),
        m AS (SELECT fid, other, part, ST_Area(ST_Transform(part, {lambert})) AS area FROM o)
        SELECT m.fid, 'overlaps feature ' || m.other || ' over ' || round(m.area::numeric, 1) || ' m² (tolerance '
               || {tolerance} || ' m²)' AS message, m.part AS at, NULL AS repair, -m.area AS rank, m.area AS area_m2
        FROM m WHERE m.area > {tolerance}""", targets=("zones",)),
    Check("gap", WARNING, "Vides entre zones dans le périmètre", "فراغات بين المناطق", sql="""
        WITH u AS (SELECT ST_Union(ST_MakeValid(ST_Transform(geom, 4326))) AS geom FROM {view}
                   WHERE ST_Dimension(geom) = 2),
        gap AS (SELECT (ST_Dump(ST_Difference(pl.perimeter, u.geom))).geom AS geom
                FROM plans_plandocument pl, u WHERE pl.id = {plan_id} AND u.geom IS NOT NULL),
        m AS (SELECT geom, ST_Area(ST_Transform(geom, {lambert})) AS area FROM gap)
        SELECT NULL::bigint AS fid, 'gap of ' || round(m.area::numeric, 1) || ' m² not covered by any zone' AS message,
               m.geom AS at, NULL AS repair, -m.area AS rank, m.area AS area_m2
        FROM m WHERE m.area > {tolerance}""", targets=("zones",)),
    Check("servitude_kind", ERROR, "Type de servitude inconnu", "نوع ارتفاق غير معروف",
          where="v.kind IS NOT NULL AND v.kind <> ALL(%(kinds)s)",
          message="'kind ' || quote_literal(v.kind) || ' is not one of ours: recode it in the mapping with "
                  "\"values\"'", targets=("servitudes",)),
]


def missing_check(field):
    """An ERROR check for a required field left empty."""
    return Check(f"missing_{field}", ERROR, "Valeur obligatoire manquante", "قيمة إلزامية مفقودة",
                 where=f"v.{field} IS NULL",
                 message=f"'{field} is empty: fill it in the source, or give the field mapping a value for empty "
                         f"ones ({{{{\"field\": …, \"empty\": …}}}})'")


def range_check(field, low, high):
    """An ERROR check for a number field whose value is not a number or outside [low, high]."""
    return Check(f"range_{field}", ERROR, f"Valeur hors limites : {field}", f"قيمة خارج الحدود: {field}",
                 where=f"v.{field}_raw IS NOT NULL AND (v.{field} BETWEEN {low} AND {high}) IS NOT TRUE",
                 message=f"'{field} = ' || quote_literal(v.{field}_raw) || ' is not a number between {low:g} "
                         f"and {high:g}'")


def prepare_territory(ctx, source_srid):
    """Cut the agency's territory into small pieces in EPSG `source_srid` (the staged geometries' CRS), in a
    temporary table with a GiST index; sets ctx.territory. drop_territory() removes it."""
    ctx.territory = f"layers_territory_{int(ctx.agency_id)}_{int(source_srid)}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE IF EXISTS pg_temp."{ctx.territory}"')
        cursor.execute(f'''CREATE TEMPORARY TABLE "{ctx.territory}" AS
                           SELECT ST_Subdivide(ST_Transform(ST_Segmentize(jurisdiction, %s), %s), %s) AS geom
                           FROM plans_agency WHERE id = %s''',
                       [_TERRITORY_SEGMENT_DEG, int(source_srid), TERRITORY_PIECE_VERTICES, int(ctx.agency_id)])
        cursor.execute(f'CREATE INDEX ON "{ctx.territory}" USING gist (geom)')
        cursor.execute(f'ANALYZE "{ctx.territory}"')


def drop_territory(ctx):
    if ctx.territory:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP TABLE IF EXISTS pg_temp."{ctx.territory}"')


def _format(text, ctx):
    return text.format(view=ctx.view, lambert=int(ctx.lambert), plan_id=int(ctx.plan_id or 0),
                       tolerance=float(ctx.tolerance_m2), territory=f'"{ctx.territory}"')


def _params():
    return {"kinds": list(ServitudeKind.values)}


def count_features(feature_checks, ctx):
    """{check name: number of features it flags}, all feature checks counted in one scan of the layer."""
    if not feature_checks:
        return {}
    counts = ", ".join(f"count(*) FILTER (WHERE {_format(c.where, ctx)})" for c in feature_checks)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT {counts} FROM {ctx.view} v', _params())
        return dict(zip((c.name for c in feature_checks), cursor.fetchone()))


def _rows(check, ctx):
    """SQL rows (fid, message, at, repair, rank, area_m2) of a check."""
    if check.sql:
        return _format(check.sql, ctx)
    return _format(f"""SELECT v.fid, {check.message} AS message, {check.at} AS at, {check.repair} AS repair,
                              v.fid AS rank, NULL::float8 AS area_m2
                       FROM {{view}} v {check.extra_from} WHERE {check.where}""", ctx)


# The kept rows located at a point on the problem, in lon/lat (EPSG:4326).
_LOCATED = """SELECT f.fid, f.message, ST_X(p.pt) AS lon, ST_Y(p.pt) AS lat, f.repair, f.area_m2 FROM kept f
              LEFT JOIN LATERAL (SELECT ST_Transform(ST_PointOnSurface(ST_MakeValid(f.at)), 4326) AS pt) p ON true
              ORDER BY f.rank, f.fid"""


def items(check, ctx):
    """The first ctx.limit problems found by a feature check, located."""
    sql = f"WITH kept AS (({_rows(check, ctx)}) ORDER BY rank, fid LIMIT {int(ctx.limit)}) {_LOCATED}"
    with connection.cursor() as cursor:
        cursor.execute(sql, _params())
        return [_item(row) for row in cursor.fetchall()]


def run_layer_check(check, ctx):
    """(count, first ctx.limit items) of a layer check: one query, counted whole, only kept rows located."""
    sql = (f"WITH found AS MATERIALIZED ({_rows(check, ctx)}), "
           f"kept AS (SELECT * FROM found ORDER BY rank, fid LIMIT {int(ctx.limit)}) "
           f"SELECT (SELECT count(*) FROM found), located.* FROM ({_LOCATED}) located")
    with connection.cursor() as cursor:
        cursor.execute(sql, _params())
        rows = cursor.fetchall()
    if not rows:
        return 0, []
    return rows[0][0], [_item(row[1:]) for row in rows]


def entry(check, count, items):
    """The report entry of `check` (a Check, or any object with its name, severity and titles)."""
    return {"check": check.name, "severity": check.severity, "title_fr": check.title_fr, "title_ar": check.title_ar,
            "count": count, "items": items, "truncated": count > len(items)}


def _item(row):
    fid, message, lon, lat, repair, area = row
    item = {"fid": fid, "message": message, "lon": lon, "lat": lat, "repair": repair}
    if area is not None:
        item["area_m2"] = round(float(area), 2)
    return item
