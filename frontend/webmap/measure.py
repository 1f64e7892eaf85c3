"""The map's measuring tool: a line's length, a polygon's area and perimeter, as surveyors compute them.

The browser sends the vertices it drew (lon/lat, EPSG:4326); PostGIS transforms them to the Lambert CRS of
the agency whose territory holds the first vertex (EPSG:26191/26192/26194/26195, the Merchich datum shift
pinned in spatial_ref_sys, plans/crs.py) and measures there, in metres and square metres, on the plane of
the projection: the figures an agency's surveyor reads in its GIS. Outside every territory, the Lambert zone
of the latitude (plans.crs.zone_for) is used.
"""
from django.db import connection

from geoportal.core.errors import InvalidParameter
from plans.crs import ZONE_NAMES, zone_for

MAX_VERTICES = 150  # a GET URL of 150 vertices stays under the servers' request-line limits (4 KB)

_SQL = """
WITH g AS (SELECT ST_SetSRID(ST_GeomFromText(%(wkt)s), 4326) AS geom),
     a AS (SELECT code, srid FROM plans_agency
           WHERE ST_Intersects(jurisdiction, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)) ORDER BY code LIMIT 1)
SELECT a.code, s.srid, ST_IsValidReason(g.geom), ST_Length(t.geom), ST_Area(t.geom), ST_Perimeter(t.geom)
FROM g LEFT JOIN a ON true
CROSS JOIN LATERAL (SELECT COALESCE(a.srid, %(fallback)s) AS srid) s
CROSS JOIN LATERAL (SELECT ST_Transform(g.geom, s.srid) AS geom) t
"""


def parse_vertices(text, kind):
    """`text` "lon,lat;lon,lat;…" (the map's drawing) → [(lon, lat)], refused with the reason when malformed."""
    if kind not in ("line", "area"):
        raise InvalidParameter(f"kind={kind!r}: use 'line' (a distance) or 'area' (a surface)", "kind")
    points = []
    for n, pair in enumerate((text or "").split(";"), 1):
        try:
            lon, lat = (float(v) for v in pair.split(","))
        except ValueError:
            raise InvalidParameter(f"vertex {n} {pair!r} is not 'lon,lat' in degrees (EPSG:4326)", "points") from None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise InvalidParameter(f"vertex {n} ({lon}, {lat}) is not a longitude and latitude", "points")
        points.append((lon, lat))
    needed = 2 if kind == "line" else 3
    if len(points) < needed:
        raise InvalidParameter(f"a {kind} needs at least {needed} vertices, got {len(points)}", "points")
    if len(points) > MAX_VERTICES:
        raise InvalidParameter(f"{len(points)} vertices: at most {MAX_VERTICES}", "points")
    return points


def measure(points, kind):
    """{kind, crs, zone, agency, length_m (line) | area_m2 and perimeter_m (area)} of lon/lat `points`."""
    coords = ", ".join(f"{lon!r} {lat!r}" for lon, lat in points)
    wkt = f"LINESTRING({coords})" if kind == "line" else f"POLYGON(({coords}, {points[0][0]!r} {points[0][1]!r}))"
    with connection.cursor() as cursor:
        cursor.execute(_SQL, {"wkt": wkt, "lon": points[0][0], "lat": points[0][1], "fallback": zone_for(points[0][1])})
        agency, srid, validity, length, area, perimeter = cursor.fetchone()
    if kind == "area" and validity != "Valid Geometry":
        raise InvalidParameter(f"the outline crosses itself ({validity}): draw it without crossing", "points")
    answer = {"kind": kind, "crs": f"EPSG:{srid}", "zone": f"Merchich / {ZONE_NAMES[srid]}", "agency": agency,
              "vertices": len(points)}
    if kind == "line":
        answer["length_m"] = round(length, 2)
    else:
        answer["area_m2"] = round(area, 1)
        answer["perimeter_m"] = round(perimeter, 2)
    return answer
