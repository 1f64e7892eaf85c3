"""The `buildable` section of a note: the engine run on the land, as JSON-ready data.

buildable(geom, srid, plan_ids) reads the site (plans.reglement.site), the provisions of the rules met (one
query), runs plans.reglement.engine and returns figures in m² and m rounded to the cm, the footprint as
GeoJSON in lon/lat (EPSG:4326, like the note's `geometry`) and in the agency's Lambert CRS
(`footprint_lambert`, metres: the DXF extract is drawn from it), per part its levels (footprint and floor area
of each floor) and volumes (the stepped envelope the 3D files draw), frontages, checks and the trace of every
figure.
"""
import json

import shapely

from plans.crs import WGS84, transform_shapely
from plans.models import Provision

from . import engine, site
from .provisions import as_row


def rules_for(rule_ids):
    """{rule id: [provision rows]} of `rule_ids`, in one query."""
    out = {rule_id: [] for rule_id in rule_ids}
    for provision in Provision.objects.filter(rule_id__in=list(rule_ids)).order_by("rule_id", "position", "id"):
        out[provision.rule_id].append(as_row(provision))
    return out


def run(geom, srid, plan_ids, use=None):
    """The engine.Envelope of `geom` (GEOSGeometry) under the live layers of `plan_ids`, in EPSG:`srid`."""
    land, parts, roads, taken = site.read(geom, srid, plan_ids)
    rules = rules_for({p.rule_id for p in parts if p.rule_id})
    return engine.compute(land, parts, roads, taken, rules, use=use), land


def _r(value, digits=2):
    return None if value is None else round(float(value), digits)


def geojson(shape, digits):
    """GeoJSON of shapely `shape` with coordinates rounded to `digits` decimals (an empty shape gives None)."""
    if shape is None or shape.is_empty:
        return None
    # Rounding must not leave a ring crossing itself or a hole touching its shell (the 3D solids need valid
    # polygons): GEOS's valid_output mode, or, where GEOS cannot make it so, the rounded shape repaired.
    try:
        rounded = shapely.set_precision(shape, 10 ** -digits, mode="valid_output")
    except shapely.errors.GEOSException:
        rounded = shapely.make_valid(shapely.set_precision(shape, 10 ** -digits, mode="pointwise"))
    return json.loads(shapely.to_geojson(rounded))


def _part(part, polygon):
    """A part of the envelope as JSON: figures to the cm, its levels, and its volumes (the stepped envelope's
    prisms: Lambert footprint, from and to heights in metres) that the 3D files draw."""
    plain = {k: (_r(v) if isinstance(v, float) else v) for k, v in part.items()
             if k not in ("setbacks_m", "levels", "volumes")}
    return plain | {
        "setbacks_m": {k: _r(v) for k, v in part["setbacks_m"].items()},
        "footprint_lambert": geojson(polygon, 2),
        "levels": [{k: (_r(v) if isinstance(v, float) else v) for k, v in level.items()} for level in part["levels"]],
        "volumes": [{"footprint_lambert": geojson(shape, 2), "z_from_m": _r(z0), "z_to_m": _r(z1)}
                    for shape, z0, z1 in part["volumes"] if not shape.is_empty]}


def as_content(env, srid):
    """The JSON-ready `buildable` fields of envelope `env` (Lambert EPSG:`srid`)."""
    footprint = env.footprint if env.footprint is not None else shapely.Polygon()
    return {
        "net_area_m2": _r(env.net.area),
        "footprint": geojson(transform_shapely(footprint, srid, WGS84), 8) if not footprint.is_empty else None,
        "footprint_lambert": geojson(footprint, 2),
        "footprint_polygon_m2": _r(footprint.area),
        "max_footprint_m2": _r(env.max_footprint_m2),
        "max_floor_area_m2": _r(env.max_floor_area_m2),
        "max_height_m": _r(env.max_height_m),
        "max_floors": env.max_floors,
        "corner_lot": env.corner,
        "road_width_m": _r(env.road_width),
        "depth_m": _r(env.depth),
        "frontages": [{"code": f["code"], "kind": f["kind"], "width_m": _r(f["width_m"]),
                       "length_m": _r(f["length_m"]),
                       "alignment_lambert": geojson(shapely.MultiLineString([list(s.coords) for s in f["segments"]]), 2)}
                      for f in env.frontages],
        "parts": [_part(part, polygon) for part, polygon in zip(env.parts, env.polygons)],
        "checks": env.checks,
        "trace": env.trace,
    }


def content_for(geom, srid, plan_ids, use=None):
    """as_content() of the engine run on `geom` (GEOSGeometry) under `plan_ids`, in EPSG:`srid`."""
    return as_content(run(geom, srid, plan_ids, use=use)[0], srid)
