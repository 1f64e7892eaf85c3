"""Which land a note is about: a land title number, or an outline drawn, typed or uploaded.

identify() turns a request into a Land: its outline in lon/lat (EPSG:4326),
the agency whose territory holds it, the parcel when a title number was
given, and the repairs made (each stated on the note). Areas are checked in
the agency's Lambert CRS, in m². Every refusal is an geoportal.core.errors exception
whose message names the value at fault and how to fix it.
"""
import math
import re
from dataclasses import dataclass, field

import shapely
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection

from plans import outlines
from geoportal.core.errors import InvalidParameter, MissingParameter
from plans.crs import LAMBERT_PROJ, WGS84, transform_shapely
from plans.models import Agency, Parcel
from plans.selectors import agency_code as agency_code_of
from plans.selectors import parcel_by_title

from plans import outline_files as files

INPUT_SRIDS = (WGS84, *LAMBERT_PROJ)
_CRS_PATTERN = re.compile(r"(?:EPSG)?[:/]*(?:0/)?(\d{4,5})$", re.IGNORECASE)


@dataclass
class Land:
    geom: GEOSGeometry  # MultiPolygon, EPSG:4326
    agency: Agency
    parcel: Parcel | None = None
    source: str = "title"
    input_srid: int | None = None
    repairs: list = field(default_factory=list)  # [(fr, ar)]

    @property
    def request(self):
        """What is stored as the note's request (how the land was identified)."""
        out = {"source": self.source, "agency": self.agency.code}
        if self.parcel:
            out["title_number"] = self.parcel.title_number
        if self.input_srid:
            out["crs"] = f"EPSG:{self.input_srid}"
        return out


def max_area_m2():
    return float(settings.NOTE_MAX_AREA_M2)


def identify(data, upload=None):
    """The Land a request designates. `data`: dict of fields; `upload`: (filename, bytes) or None."""
    agency_code = agency_code_of(data.get("agency"))
    if data.get("title_number"):
        return _by_title(data["title_number"], agency_code)
    srid = parse_crs(data.get("crs")) if data.get("crs") else None
    if upload is not None:
        shape, declared, fmt = files.read_outline(*upload)
        return _by_outline(shape, srid or declared, f"file:{fmt}", agency_code)
    if data.get("geometry"):
        return _by_outline(_geojson_shape(data["geometry"]), srid or WGS84, "geometry", agency_code)
    if data.get("coordinates"):
        return _by_outline(_typed_shape(data["coordinates"]), srid, "coordinates", agency_code)
    raise MissingParameter("say which land: give title_number (e.g. 'TF 12345/19'), or geometry (GeoJSON) with crs, "
                           "or coordinates (x y pairs of the boundary) with crs, or upload a file "
                           f"({files.supported()})", "title_number")


def parse_crs(value):
    """An EPSG code from 'EPSG:26191', '26191', 'urn:ogc:def:crs:EPSG::26191' or an OGC URI; CRS84 is 4326."""
    text = str(value).strip()
    if text.upper().endswith("CRS84"):
        return WGS84
    match = _CRS_PATTERN.search(text)
    srid = int(match.group(1)) if match else None
    if srid not in INPUT_SRIDS:
        raise InvalidParameter(f"crs {value!r} is not accepted; use EPSG:4326 (lon/lat), EPSG:26191 (Lambert Nord "
                               "Maroc) or EPSG:26192 (Lambert Sud Maroc)", "crs")
    return srid


def _by_title(text, agency_code):
    parcel = parcel_by_title(text, agency_code, "title_number")
    return Land(parcel.geom, parcel.agency, parcel=parcel, source="title")


def _geojson_shape(value):
    return outlines.from_geojson(value, "geometry")


def _typed_shape(value):
    """A polygon from coordinates as [[x, y], …] or text 'x y' / 'x;y' / 'x,y' one pair a line."""
    if isinstance(value, str):
        pairs = []
        for n, line in enumerate(value.strip().splitlines(), start=1):
            numbers = re.split(r"[\s;,]+", line.strip().replace(",", " ") if line.count(",") == 1 else line.strip())
            numbers = [v for v in numbers if v]
            if not numbers:
                continue
            if len(numbers) < 2:
                raise InvalidParameter(f"coordinates line {n} ({line.strip()!r}) needs two numbers, x and y",
                                       "coordinates")
            pairs.append(numbers[-2:])
        value = pairs
    if isinstance(value, (list, tuple)):
        outlines.check_vertex_count(len(value), "coordinates")
    try:
        points = [(float(x), float(y)) for x, y in value]
    except (TypeError, ValueError):
        raise InvalidParameter(f"coordinates {str(value)[:80]!r} should be a list of [x, y] pairs", "coordinates") from None
    if len(points) < 3:
        raise InvalidParameter(f"coordinates: {len(points)} point(s) give no area; a boundary needs at least 3",
                               "coordinates")
    if not all(math.isfinite(v) for point in points for v in point):
        raise InvalidParameter("coordinates must be finite numbers (no NaN or Infinity)", "coordinates")
    return shapely.Polygon(points)


def _polygonal(shape, source):
    parts = [g for g in getattr(shape, "geoms", [shape]) if not g.is_empty]
    if shape.is_empty or not parts:
        raise InvalidParameter(f"{source}: the geometry is empty; send the parcel boundary", source)
    kinds = {g.geom_type for g in parts}
    if not kinds <= {"Polygon", "MultiPolygon"}:
        raise InvalidParameter(f"{source}: a {'/'.join(sorted(kinds))} has no area; send the parcel boundary as a "
                               "Polygon (a closed ring of points)", source)
    return shapely.MultiPolygon([p for g in parts for p in getattr(g, "geoms", [g])])


def _by_outline(shape, srid, source, agency_code):
    param = source.split(":")[0] if ":" not in source else "file"
    shape = _polygonal(outlines.check(shape, param), param)
    declared = srid
    if shapely.make_valid(shape).area == 0:
        raise InvalidParameter(f"{param}: the outline has zero area; check that its points are not all on a line",
                               param)
    if srid is None:
        srid = _guess_srid(shape)
    if srid == WGS84:
        minx, miny, maxx, maxy = shape.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise InvalidParameter(f"{param}: coordinates {minx:.2f}, {miny:.2f} are not lon/lat degrees; if they are "
                                   "Lambert metres, set crs to EPSG:26191 or EPSG:26192", "crs")
    lonlat = shape if srid == WGS84 else transform_shapely(shape, srid, WGS84)
    agency = _agency_of(lonlat, srid, declared, agency_code, param)
    lambert = transform_shapely(lonlat, WGS84, agency.srid) if srid != agency.srid else shape
    repairs = []
    if not lambert.is_valid:
        lambert, repairs = _repaired(lambert, param)
        lonlat = transform_shapely(lambert, agency.srid, WGS84)
    area = lambert.area
    if area <= 0:
        raise InvalidParameter(f"{param}: the outline has zero area; check that its points are not all on a line",
                               param)
    if area > max_area_m2():
        raise InvalidParameter(f"{param}: the outline covers {area / 10000:.2f} ha; a note is limited to "
                               f"{max_area_m2() / 10000:.0f} ha: split the land into parcels", param)
    geom = GEOSGeometry(memoryview(shapely.to_wkb(lonlat)), srid=WGS84)
    return Land(geom, agency, source=source, input_srid=srid, repairs=repairs)


def drawn_area(shape):
    """The area of an outline as drawn, in its CRS's units²: each polygon's shell less its holes, by absolute
    ring areas — so a hole drawn outside its shell counts against the area instead of being ignored."""
    total = 0.0
    for polygon in getattr(shape, "geoms", [shape]):
        total += shapely.area(shapely.polygons(polygon.exterior))
        total -= sum(shapely.area(shapely.polygons(ring)) for ring in polygon.interiors)
    return float(total)


def _invalidity(reason):
    if "Self-intersection" in reason:
        return "crosses itself"
    if "Hole lies outside shell" in reason or "Holes are nested" in reason:
        return "has a hole that is not inside its outer boundary"
    return "is not a valid polygon"


def _repaired(shape, param):
    """The valid outline and the stated repair; refused when the repaired area differs from the area as drawn
    by over 1 %, whichever way: the note is issued for the land asked, never for another shape."""
    reason = shapely.is_valid_reason(shape)
    fixed = _polygonal_parts(shapely.make_valid(shape))
    before, after = drawn_area(shape), fixed.area
    change = abs(after - before) / abs(before) if before else math.inf
    if fixed.is_empty or before <= 0 or change > 0.01:
        raise InvalidParameter(f"{param}: the outline {_invalidity(reason)} ({reason}); repairing it would change "
                               f"its area from {before:.2f} m² as drawn to {after:.2f} m² (over 1 %): send the "
                               "boundary points in order around the parcel, holes inside it", param)
    return fixed, [(f"Contour invalide ({reason}) réparé : surface {before:.2f} m² → {after:.2f} m².",
                    f"تم إصلاح حدود غير صالحة ({reason}): المساحة {before:.2f} م² ← {after:.2f} م².")]


def _polygonal_parts(shape):
    parts = [g for g in getattr(shape, "geoms", [shape]) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.MultiPolygon([p for g in parts for p in getattr(g, "geoms", [g])])


def _guess_srid(shape):
    """Lon/lat when the numbers are degrees; else the Lambert CRS whose agency territory holds the outline."""
    minx, miny, maxx, maxy = shape.bounds
    if -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90:
        return WGS84
    for srid in LAMBERT_PROJ:
        if _agencies_meeting(transform_shapely(shape, srid, WGS84)):
            return srid
    return next(iter(LAMBERT_PROJ))


def _agencies_meeting(lonlat):
    """[(agency id, share of the outline inside its territory)], largest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.id, ST_Area(ST_Intersection(a.jurisdiction, g)) / NULLIF(ST_Area(g), 0) AS share "
            "FROM plans_agency a, (SELECT ST_MakeValid(ST_GeomFromWKB(%s, 4326)) AS g) land "
            "WHERE a.jurisdiction && g AND ST_Intersects(a.jurisdiction, g) ORDER BY share DESC NULLS LAST",
            [shapely.to_wkb(lonlat)])
        return cursor.fetchall()


def _agency_of(lonlat, srid, declared, agency_code, param):
    meeting = _agencies_meeting(lonlat)
    if meeting:
        agencies = Agency.objects.in_bulk([row[0] for row in meeting])
        if agency_code:
            chosen = [agencies[i] for i, _ in meeting if agencies[i].code.upper() == agency_code.upper()]
            if not chosen:
                raise InvalidParameter(f"{param}: the outline is not in agency {agency_code}'s territory but in "
                                       + ", ".join(agencies[i].code for i, _ in meeting), "agency")
            return chosen[0]
        return agencies[meeting[0][0]]
    hint = ""
    for other in INPUT_SRIDS:
        if other == srid:
            continue
        alternative = transform_shapely(_reinterpret(lonlat, srid), other, WGS84)
        if not all(map(math.isfinite, alternative.bounds)):
            continue  # numbers that mean nothing in the other CRS give no hint
        found = _agencies_meeting(alternative)
        if found:
            code = Agency.objects.get(pk=found[0][0]).code
            hint = f"; read as EPSG:{other} they fall in agency {code}: set crs to EPSG:{other}"
            break
    crs_word = f"EPSG:{srid}" + ("" if declared else " (assumed)")
    raise InvalidParameter(f"{param}: the outline, read as {crs_word}, lands outside every agency's territory"
                           + (hint or ": check the coordinates and their crs (lon/lat sent as Lambert, or the reverse?)"),
                           "crs")


def _reinterpret(lonlat, srid):
    """The outline's original numbers (as typed), from its lon/lat form."""
    return lonlat if srid == WGS84 else transform_shapely(lonlat, WGS84, srid)
