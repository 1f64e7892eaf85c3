"""Outlines as clients send them (GeoJSON, WKT, drawn or uploaded), checked before GEOS, GDAL or PostGIS see them.

One reader for the note's outline and the extract's polygon: only the
GeoJSON geometry types (a "Circle" is refused), coordinates that are finite
numbers, two per position (heights are refused in what people type or
draw; files from GIS software have theirs dropped), at most
settings.OUTLINE_MAX_VERTICES vertices. No GDAL is involved, so nothing in
the text (a GeoJSON "crs" link, say) can make the server read a file or a URL.
"""
import math

import numpy as np
import shapely
import shapely.geometry
from django.conf import settings
from shapely.errors import ShapelyError

from geoportal.core.body import parse_json
from geoportal.core.errors import InvalidParameter, TooLarge

# Nesting depth of "coordinates" for each GeoJSON geometry type (RFC 7946).
DEPTHS = {"Point": 1, "MultiPoint": 2, "LineString": 2, "MultiLineString": 3, "Polygon": 3, "MultiPolygon": 4}
MAX_COLLECTION_NESTING = 2
EXAMPLE = '{"type": "Polygon", "coordinates": [[[x, y], …, [x, y]]]}'


def max_vertices():
    return int(settings.OUTLINE_MAX_VERTICES)


class _Reader:
    def __init__(self, param, drop_z):
        self.param, self.drop_z, self.vertices = param, drop_z, 0

    def fail(self, message):
        raise InvalidParameter(f"{self.param}: {message}", self.param)

    def any(self, value, nesting=0):
        """A clean GeoJSON geometry dict from a geometry, Feature or FeatureCollection."""
        if not isinstance(value, dict) or not isinstance(value.get("type"), str):
            self.fail(f"expected a GeoJSON object with a \"type\", e.g. {EXAMPLE}")
        kind = value["type"]
        if kind == "Feature":
            if not isinstance(value.get("geometry"), dict):
                self.fail("the Feature has no geometry")
            return self.any(value["geometry"], nesting)
        if kind in ("FeatureCollection", "GeometryCollection"):
            members = value.get("features" if kind == "FeatureCollection" else "geometries")
            if not isinstance(members, list):
                self.fail(f"a {kind} needs a list of {'features' if kind == 'FeatureCollection' else 'geometries'}")
            if nesting >= MAX_COLLECTION_NESTING:
                self.fail(f"collections nested more than {MAX_COLLECTION_NESTING} deep")
            parts = [self.any(m, nesting + 1) for m in members
                     if not (kind == "FeatureCollection" and isinstance(m, dict) and m.get("geometry") is None)]
            return {"type": "GeometryCollection", "geometries": parts}
        if kind not in DEPTHS:
            self.fail(f"type {kind[:40]!r} is not a GeoJSON geometry type; use Polygon or MultiPolygon "
                      f"(a circle must be sent as its outline), e.g. {EXAMPLE}")
        return {"type": kind, "coordinates": self.coordinates(value.get("coordinates"), DEPTHS[kind], kind)}

    def coordinates(self, value, depth, kind):
        if depth == 1:
            return self.position(value)
        if not isinstance(value, (list, tuple)):
            self.fail(f"the coordinates of a {kind} are {DEPTHS[kind]} nested lists ending in [x, y] pairs")
        return [self.coordinates(item, depth - 1, kind) for item in value]

    def position(self, value):
        if not isinstance(value, (list, tuple)) or not all(_is_number(v) for v in value):
            self.fail(f"a position must be [x, y] with two numbers, not {str(value)[:60]}")
        if len(value) == 3 and not self.drop_z:
            self.fail(f"position {list(value)} has a height (3D); send [x, y] pairs: outlines are land, in two "
                      "dimensions")
        if len(value) != 2 and not (len(value) == 3 and self.drop_z):
            self.fail(f"a position must be [x, y], not {len(value)} numbers ({str(value)[:60]})")
        if not all(math.isfinite(v) for v in value):
            self.fail(f"position {value} is not made of finite numbers")
        self.vertices += 1
        check_vertex_count(self.vertices, self.param)
        return [float(value[0]), float(value[1])]


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_vertex_count(count, param):
    """Refuse (413) an outline of more than OUTLINE_MAX_VERTICES vertices."""
    if count <= max_vertices():
        return
    raise TooLarge(f"{param}: the outline has over {max_vertices()} vertices "
                   "(OUTLINE_MAX_VERTICES); simplify it", param)


def from_geojson(value, param, drop_z=False):
    """A shapely geometry from a GeoJSON geometry, Feature or FeatureCollection (a parsed dict)."""
    clean = _Reader(param, drop_z).any(value)
    try:
        return shapely.geometry.shape(clean)
    except (ShapelyError, ValueError, TypeError, IndexError) as exc:
        raise InvalidParameter(f"{param} is not a usable geometry ({exc}); send e.g. {EXAMPLE}", param) from None


def from_text(text, param):
    """A shapely geometry from GeoJSON text or WKT."""
    text = (text or "").strip()
    if text.startswith("{"):
        return from_geojson(parse_json(text, param), param)
    try:
        shape = shapely.from_wkt(text)
    except (ShapelyError, ValueError, TypeError) as exc:
        raise InvalidParameter(f"{param} is neither GeoJSON nor WKT ({str(exc)[:120]}); e.g. "
                               "POLYGON((-5.37 35.58, -5.36 35.58, -5.36 35.59, -5.37 35.58))", param) from None
    if shapely.has_z(shape):
        raise InvalidParameter(f"{param} has heights (3D); send x y pairs", param)
    return check(shape, param)


def check(shape, param):
    """`shape` if its coordinates are finite and within the vertex cap; InvalidParameter/TooLarge otherwise."""
    check_vertex_count(int(shapely.get_num_coordinates(shape)), param)
    if not np.isfinite(shapely.get_coordinates(shape)).all():
        raise InvalidParameter(f"{param}: coordinates must be finite numbers (no NaN or Infinity)", param)
    return shape
