"""A plan's perimeter: from an uploaded file, or the union of its zones. Stored in lon/lat (EPSG:4326).

The file is read by plans.outline_files (format decided by the bytes, GeoJSON without GDAL, one Shapefile of a
zip, no links followed). Its polygons are merged into one MultiPolygon: a zones file uploaded as the perimeter
gives the union of its zones. Coordinates are in the CRS the file declares, else the one given with it; a
file declaring none, sent without one, is refused (never guessed).
"""
import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection

from geoportal.core.errors import InvalidParameter
from plans import outline_files
from plans.crs import LAMBERT_PROJ, WGS84, UnsupportedCRS, check_srid, lambert_to_storage, transform_shapely

# The size cap of a perimeter file (setting; a plan's zones as GeoJSON are a few MiB).
LIMIT_SETTING = "PLAN_PERIMETER_MAX_FILE_BYTES"


def from_file(filename, data, declared_srid=None):
    """(GEOS MultiPolygon in EPSG:4326, EPSG code the coordinates were read in) of an uploaded perimeter file."""
    shape, file_srid, fmt = outline_files.read_outline(filename, data, LIMIT_SETTING, "a plan perimeter")
    srid = file_srid or declared_srid
    if not srid:
        raise InvalidParameter(f"file {filename!r} ({fmt}) declares no coordinate system: choose the one its "
                               "coordinates are in (EPSG:26191… Lambert, or 4326 for lon/lat)", "srid")
    try:
        srid = check_srid(srid)
    except UnsupportedCRS as exc:
        raise InvalidParameter(f"file {filename!r}: {exc}", "srid") from None
    polygons = _polygons(shape)
    if polygons.is_empty:
        raise InvalidParameter(f"file {filename!r} holds no polygon: a perimeter is an area (the plan's outline, "
                               "or its zones)", "file")
    # Each polygon repaired alone, then merged: repairing the collection would turn overlaps into holes.
    merged = _polygons(shapely.union_all(shapely.make_valid(shapely.get_parts(polygons))))
    stored = lambert_to_storage(merged, srid) if srid in LAMBERT_PROJ else transform_shapely(merged, srid, WGS84)
    return GEOSGeometry(shapely.to_wkb(_polygons(stored), hex=True), srid=4326), srid


def from_zones(plan):
    """The union of the plan's live zones (lon/lat MultiPolygon), or InvalidParameter when it has none."""
    with connection.cursor() as cursor:
        cursor.execute("""SELECT ST_AsEWKB(ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(z.geom)), 3)))
                          FROM plans_zone z JOIN plans_plandocument p ON p.id = z.plan_id
                          WHERE z.plan_id = %s AND z.revision = p.live_revision""", [plan.pk])
        wkb = cursor.fetchone()[0]
    if wkb is None:
        raise InvalidParameter(f"plan {plan.reference} v{plan.version} has no published zones yet: publish them "
                               "(Publication des couches) or upload a perimeter file", "perimeter")
    return GEOSGeometry(memoryview(bytes(wkb)))


def _polygons(geom):
    """The polygons of `geom` (any collection) as one MultiPolygon."""
    parts = []
    for part in getattr(geom, "geoms", [geom]):
        if part.geom_type == "Polygon":
            parts.append(part)
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            parts.extend(_polygons(part).geoms)
    return shapely.MultiPolygon(parts)
