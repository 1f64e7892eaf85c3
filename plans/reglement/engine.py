"""What can be built on a lot: the provisions applied to its geometry, in the agency's Lambert CRS (metres).

Pure shapely on Lambert shapes (plans.reglement.site reads them from PostGIS), in this order, as DOMAIN.md
says a règlement is read:
1. the land lost to planned roads, widenings and reservations (TAKING kinds) comes off first: the net lot;
2. frontages: the net lot's edges lying along a road footprint (existing road, planned road or widening,
   whose width is the planned one), within FRONTAGE_TOLERANCE_M; a lot on roads of two directions is a
   corner lot; the road width used is the widest road the lot fronts;
3. per zone part (the net lot inside each zone), the provisions that apply (plans.reglement.select):
   height and floors first, then the formulas that read the height (rear setback H/2…);
4. the buildable footprint polygon: the part less the strips within the setbacks of each limit — from the
   alignment (frontage edges), the side limits (edges meeting a frontage) and the rear limits (the others),
   each a distance from the limit segment —, cut to the depth band from the alignment when there is one
   (beyond it the lower height beyond the band, when given);
5. per floor (plans.reglement.levels): the footprint of each level, upper floors stepped back by the
   upper-floor retreat, the part beyond the depth band on the levels its lower height holds; the volumes of
   that stepped envelope for the 3D files;
6. maximum footprint: the smaller of the ground-floor polygon and CES × part area (ground-floor CES); maximum
   floor area: the smaller of COS × part area and the sum over the levels of min(level footprint, CES of the
   level × part area);
7. checks (minimum lot area and frontage, nothing left after setbacks, wholly reserved, no road), each figure
   with its trace (provision, article, condition, inputs).
"""
import math
from dataclasses import dataclass, field

import shapely
from shapely.geometry import LineString, MultiLineString

from .expressions import ExpressionError
from .levels import stepped
from .select import Lot, choose
from .wording import check

FRONTAGE_TOLERANCE_M = 0.5
CORNER_ANGLE_DEG = 30.0
SIMPLIFY_M = 0.01
EMPTY_M2 = 1.0  # below this an area counts as nothing (a sliver)
ROAD_KINDS = ("road", "planned_road", "road_widening")


@dataclass
class Road:
    kind: str
    code: str
    width_m: float | None
    footprint: object  # Lambert polygon


@dataclass
class Part:
    zone: str
    rule_id: int | None
    geom: object  # Lambert, inside the land


@dataclass
class Envelope:
    land_area: float
    net: object
    taken_m2: float
    frontages: list = field(default_factory=list)
    corner: bool = False
    road_width: float | None = None
    depth: float | None = None
    footprint: object = None
    parts: list = field(default_factory=list)
    polygons: list = field(default_factory=list)  # the buildable polygon of each part, Lambert
    setback_lines: list = field(default_factory=list)  # Lambert lines at the setback distances
    checks: list = field(default_factory=list)
    trace: list = field(default_factory=list)

    @property
    def max_footprint_m2(self):
        return sum(p["max_footprint_m2"] for p in self.parts) if self.parts else 0.0

    @property
    def max_floor_area_m2(self):
        values = [p["max_floor_area_m2"] for p in self.parts]
        return None if any(v is None for v in values) else sum(values)

    def _top(self, name):
        values = [p[name] for p in self.parts if p[name] is not None]
        return max(values) if values else None

    @property
    def max_height_m(self):
        return self._top("max_height_m")

    @property
    def max_floors(self):
        return self._top("max_floors")


def edges(geom):
    """The boundary segments of every exterior and interior ring of polygonal `geom`, as LineStrings."""
    out = []
    for polygon in getattr(geom, "geoms", [geom]):
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            coords = list(ring.coords)
            out += [LineString([a, b]) for a, b in zip(coords, coords[1:]) if math.dist(a, b) > 0.01]
    return out


def _direction(segment):
    (x0, y0), (x1, y1) = segment.coords
    return math.degrees(math.atan2(y1 - y0, x1 - x0)) % 180


def _polygonal(geom):
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def frontages(net, roads):
    """[(edge, Road)] of the net lot's edges along a road (the widest when several), and the per-road summary."""
    fronting = []
    zones = [(road, road.footprint.buffer(FRONTAGE_TOLERANCE_M)) for road in roads if road.width_m]
    for edge in edges(net):
        covered = [(edge.intersection(near).length, road.width_m, n) for n, (road, near) in enumerate(zones)]
        covered = [c for c in covered if c[0] >= 0.5 * edge.length]
        if covered:
            # The road the edge runs along (most of its length), the wider one when it runs along two.
            fronting.append((edge, zones[max(covered, key=lambda c: (round(c[0], 1), c[1]))[2]][0]))
    summary = {}
    for edge, road in fronting:
        entry = summary.setdefault(road.code, {"code": road.code, "kind": road.kind, "width_m": road.width_m,
                                               "length_m": 0.0, "segments": [], "directions": []})
        entry["length_m"] += edge.length
        entry["segments"].append(edge)
        entry["directions"].append((_direction(edge), edge.length))
    return fronting, list(summary.values())


def _main_direction(directions):
    return max(directions, key=lambda d: d[1])[0]


def is_corner(summary):
    """A corner lot fronts roads in two directions at least CORNER_ANGLE_DEG apart."""
    heads = [_main_direction(entry["directions"]) for entry in summary]
    for i, a in enumerate(heads):
        for b in heads[i + 1:]:
            diff = abs(a - b) % 180
            if min(diff, 180 - diff) >= CORNER_ANGLE_DEG:
                return True
    return False


def classify(net, fronting):
    """{edge index: "road" | "side" | "rear"} for edges(net): sides meet a frontage edge, rears do not."""
    all_edges = edges(net)
    front = [e for e, _road in fronting]
    front_keys = {e.wkb for e in front}
    ends = [shapely.Point(p) for e in front for p in e.coords]
    out = {}
    for i, edge in enumerate(all_edges):
        if edge.wkb in front_keys:
            out[i] = "road"
        elif not front:
            out[i] = "side"
        else:
            touches = any(edge.distance(p) <= FRONTAGE_TOLERANCE_M for p in ends)
            out[i] = "side" if touches else "rear"
    return all_edges, out


def _choose(rows, subject, lot, env, zone, height=None, floor=None, figure=None):
    try:
        picked = choose(rows, subject, lot, height=height, floor=floor)
    except ExpressionError as exc:
        env.checks.append(check("formula_error", provision=subject, zone=zone, reason=str(exc)))
        return None
    if picked is not None and figure:
        env.trace.append(picked.trace(figure, zone))
    return picked


def compute(land, parts, roads, taken, rules, use=None):
    """The Envelope of `land` (Lambert polygon) with its zone `parts`, nearby `roads` and `taken` land (Lambert
    polygon, lost to planned roads and reservations); `rules` maps rule ids to their provision rows."""
    land_area = land.area
    taken_inside = _polygonal(shapely.intersection(taken, land)) if taken is not None else shapely.Polygon()
    net = _polygonal(shapely.difference(land, taken_inside)) if not taken_inside.is_empty else _polygonal(land)
    # Stored shapes have their edges cut every 5 m (plans.crs.lambert_to_storage): one limit, one edge again.
    net = _polygonal(shapely.simplify(net, SIMPLIFY_M))
    env = Envelope(land_area, net, taken_inside.area)
    if net.area < EMPTY_M2:
        env.checks.append(check("wholly_reserved", taken=env.taken_m2))
        env.footprint = shapely.Polygon()
        return env
    if env.taken_m2 >= EMPTY_M2:
        env.checks.append(check("partly_reserved", taken=env.taken_m2, net=net.area))
    fronting, summary = frontages(net, roads)
    env.frontages = summary
    env.corner = is_corner(summary)
    env.road_width = max((e["width_m"] for e in summary), default=None)
    front_lines = MultiLineString([list(e.coords) for e, _r in fronting]) if fronting else None
    if front_lines is not None:
        env.depth = max(front_lines.distance(shapely.Point(p)) for p in shapely.get_coordinates(net))
    else:
        env.checks.append(check("no_frontage"))
    frontage = sum(e["length_m"] for e in summary)
    all_edges, kinds = classify(net, fronting)
    footprints = []
    largest = max(parts, key=lambda p: p.geom.area, default=None)
    for part in parts:
        geom = _polygonal(shapely.intersection(part.geom, net))
        if geom.area < EMPTY_M2:
            continue
        lot = Lot(env.road_width, net.area, frontage, env.depth, env.corner, part.zone, use)
        if part.rule_id not in rules:
            env.checks.append(check("no_rule", zone=part.zone, area=geom.area))
            continue
        result, polygon = _part(env, part, geom, rules[part.rule_id], lot, all_edges, kinds, front_lines)
        env.parts.append(result)
        env.polygons.append(polygon)
        footprints.append(polygon)
        if part is largest:
            _lot_checks(env, rules[part.rule_id], lot, part.zone)
    env.footprint = _polygonal(shapely.union_all(footprints)) if footprints else shapely.Polygon()
    return env


def _value(choice, default=None):
    return default if choice is None else choice.value


def _part(env, part, geom, rows, lot, all_edges, kinds, front_lines):
    zone = part.zone
    height = _choose(rows, "max_height", lot, env, zone, figure="max_height_m")
    floors = _choose(rows, "max_floors", lot, env, zone, figure="max_floors")
    h = _value(height)
    setbacks = {}
    for kind in ("road", "side", "rear"):
        picked = _choose(rows, f"setback_{kind}", lot, env, zone, height=h, figure=f"setback_{kind}_m")
        setbacks[kind] = _value(picked, 0.0)
    band = _choose(rows, "depth_band", lot, env, zone, height=h, figure="depth_band_m")
    strips = [edge.buffer(setbacks[kinds[i]]) for i, edge in enumerate(all_edges) if setbacks[kinds[i]] > 0]
    inner = _polygonal(shapely.difference(geom, shapely.union_all(strips))) if strips else geom
    # Setback lines: where the setbacks leave the lot's limits (drawn in the DXF extract).
    lines = shapely.difference(inner.boundary, env.net.boundary.buffer(0.01))
    if not lines.is_empty:
        env.setback_lines.append(lines)
    within, beyond, beyond_height = inner, shapely.Polygon(), None
    if band is not None and front_lines is not None:
        within = _polygonal(shapely.intersection(inner, front_lines.buffer(band.value)))
        beyond = _polygonal(shapely.difference(inner, within))
        beyond_height = _value(_choose(rows, "height_beyond_band", lot, env, zone, height=h,
                                       figure="height_beyond_band_m"))
    area = geom.area
    n_floors = None if floors is None else int(math.floor(floors.value + 1e-9))
    retreats = {k: _value(_choose(rows, "upper_retreat", lot, env, zone, height=h, floor=k), 0.0)
                for k in range(1, (n_floors or 0) + 1)}
    first = next((k for k, r in retreats.items() if r), None)
    if first is not None:
        _choose(rows, "upper_retreat", lot, env, zone, height=h, floor=first, figure="upper_retreat_m")
    elif n_floors is None:
        unplaced = _choose(rows, "upper_retreat", lot, env, zone, height=h, floor=1)
        if unplaced is not None and unplaced.value:
            env.trace.append(unplaced.trace("upper_retreat_m", zone) | {
                "condition": "non appliqué : le règlement ne donne pas le nombre de niveaux"})
    levels, volumes = stepped(within, beyond, front_lines, setbacks["road"], h, n_floors,
                              lambda k: retreats.get(k, 0.0), beyond_height)
    polygon = levels[0].polygon
    ces_ground = _choose(rows, "ces", lot, env, zone, height=h, floor=0, figure="ces_ground")
    ces_upper = _choose(rows, "ces", lot, env, zone, height=h, floor=1, figure="ces_upper")
    cos = _choose(rows, "cos", lot, env, zone, height=h, figure="cos")
    per_level = []
    for level in levels:
        ces = ces_ground if level.floor == 0 else ces_upper if level.floor == 1 else \
            _choose(rows, "ces", lot, env, zone, height=h, floor=level.floor)
        capped = min(level.polygon.area, ces.value * area) if ces else level.polygon.area
        per_level.append({"floor": level.floor, "footprint_m2": level.polygon.area, "floor_area_m2": capped,
                          "ces": _value(ces), "retreat_m": level.retreat_m, "z_from_m": level.z_from,
                          "z_to_m": level.z_to})
    ground = per_level[0]["floor_area_m2"]
    upper = per_level[1]["floor_area_m2"] if len(per_level) > 1 else \
        (min(polygon.area, ces_upper.value * area) if ces_upper else polygon.area)
    geometric = None if n_floors is None else sum(lv["floor_area_m2"] for lv in per_level)
    by_cos = None if cos is None else cos.value * area
    candidates = [v for v in (geometric, by_cos) if v is not None]
    floor_area = min(candidates) if candidates else None
    if polygon.area < EMPTY_M2:
        env.checks.append(check("nothing_after_setbacks", zone=zone))
        ground, floor_area = 0.0, 0.0
    result = {"zone": zone, "area_m2": area, "perimeter_m": geom.length, "footprint_polygon_m2": polygon.area, "max_footprint_m2": ground,
              "upper_floor_footprint_m2": upper, "max_floor_area_m2": floor_area,
              "floor_area_by_cos_m2": by_cos, "floor_area_by_footprints_m2": geometric,
              "max_height_m": h, "max_floors": n_floors, "setbacks_m": setbacks,
              "depth_band_m": _value(band), "height_beyond_band_m": beyond_height,
              "ces_ground": _value(ces_ground), "ces_upper": _value(ces_upper), "cos": _value(cos),
              "levels": per_level, "volumes": volumes}
    env.trace.append({"figure": "max_footprint_m2", "zone": zone, "value": round(ground, 2),
                      "inputs": {"footprint_polygon_m2": round(polygon.area, 2), "area_m2": round(area, 2),
                                 "ces_ground": _value(ces_ground)},
                      "condition": "min(polygone constructible, CES × surface nette)"})
    env.trace.append({"figure": "max_floor_area_m2", "zone": zone, "value": None if floor_area is None
                      else round(floor_area, 2), "inputs": {"cos": _value(cos), "area_m2": round(area, 2),
                                                            "ground_m2": round(ground, 2), "upper_m2": round(upper, 2),
                                                            "floors": n_floors},
                      "condition": "min(COS × surface nette, Σ niveaux min(emprise du niveau, CES du niveau × "
                                   "surface nette))"})
    return result, polygon


def _lot_checks(env, rows, lot, zone):
    minimum = _choose(rows, "min_lot_area", lot, env, zone, figure="min_lot_area_m2")
    if minimum is not None and lot.lot_area < minimum.value:
        env.checks.append(check("below_min_lot_area", area=lot.lot_area, minimum=minimum.value, zone=zone,
                                article=_where(minimum.row)))
    minimum = _choose(rows, "min_frontage", lot, env, zone, figure="min_frontage_m")
    if minimum is not None and minimum.value > 0 and lot.frontage < minimum.value:
        env.checks.append(check("below_min_frontage", frontage=lot.frontage, minimum=minimum.value, zone=zone,
                                article=_where(minimum.row)))


def _where(row):
    return " ".join(v for v in (row.get("article"), row.get("paragraph")) if v) or "règlement"
