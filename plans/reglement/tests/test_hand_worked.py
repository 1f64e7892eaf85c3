"""Hand-worked cases from real règlement patterns, on lots drawn in Lambert metres (figures worked on paper).

The rules are the sample règlement's (data.rules): D1 villas (setbacks 5/4/4 m, 3 m on the sides of corner
lots, CES 0.3, COS 0.6, R+1, lots ≥ 500 m², 600 m² on corners), B2 (15 m depth band and 4 m beyond it, H ≤ L + 2 m, R+4 stepped back 2 m), B3 (height
by road width: 11.5 m under 15 m, 14.5 m from 15 m; rear setback max(H/2, 4); CES 1.0 ground, 0.75 above),
B4 (rear 3 m, CES 0.8, COS 2.4, R+2).
"""
import pytest
from shapely.geometry import box

from data.rules import RULES, provisions_of
from plans.reglement.engine import Part, Road, compute

X, Y = 500_000.0, 550_000.0  # somewhere in Nord Maroc


def rows(code):
    spec = RULES[code]
    road, side, rear = spec.setbacks
    values = {"max_height_m": spec.height, "max_floors": spec.floors, "cos": spec.cos, "ces": spec.ces,
              "min_lot_area_m2": spec.min_lot, "min_frontage_m": spec.frontage, "setback_road_m": road,
              "setback_side_m": side, "setback_rear_m": rear, "allowed_uses": list(spec.allowed)}
    return provisions_of(code, values, 10)


def lot(x0, y0, x1, y1):
    return box(X + x0, Y + y0, X + x1, Y + y1)


def south_road(width, code="AV1"):
    return Road("road", code, width, lot(-100, -width, 200, 0))


def west_road(width, code="R1"):
    return Road("road", code, width, lot(-width, -100, 0, 200))


def run(land, zones, roads, taken=None):
    rules = {n: rows(code) for n, (code, _shape) in enumerate(zones)}
    parts = [Part(code, n, shape) for n, (code, shape) in enumerate(zones)]
    return compute(land, parts, roads, taken, rules)


def codes(env):
    return {c["code"] for c in env.checks}


def test_corner_villa_takes_the_wider_road_and_corner_side_setbacks():
    land = lot(0, 0, 20, 25)
    env = run(land, [("D1", land)], [south_road(12), west_road(20)])
    assert env.corner and env.road_width == 20
    # Road setback 5 m from both roads, 3 m corner side setbacks on the two other limits: 12 m × 17 m.
    assert env.footprint.area == pytest.approx(12 * 17, abs=0.01)
    assert env.max_footprint_m2 == pytest.approx(0.3 * 500)  # CES limits: 150 < 204
    assert env.max_floor_area_m2 == pytest.approx(300)  # COS 0.6 × 500 = 150 + 1 × 150
    assert env.max_height_m == 8.5 and env.max_floors == 1
    assert "below_min_lot_area" in codes(env)  # 500 m² but a corner lot needs 600 m²
    side = next(t for t in env.trace if t["figure"] == "setback_side_m")
    assert side["value"] == 3 and side["condition"] == "lot d'angle" and side["article"] == "Article 10"


def _volumes(part):
    return [(round(polygon.area, 2), round(z0, 2), round(z1, 2)) for polygon, z0, z1 in part["volumes"]]


def test_deep_lot_builds_within_the_depth_band_and_lower_beyond_it():
    land = lot(0, 0, 12, 40)
    env = run(land, [("B2", land)], [south_road(12)])
    assert not env.corner and env.depth == pytest.approx(40)
    (part,) = env.parts
    # Rear setback 5 m: 12 m × 35 m on the ground floor, the 15 m band and the 20 m beyond it (4 m high).
    assert env.footprint.area == pytest.approx(12 * 35, abs=0.01)
    assert env.max_footprint_m2 == pytest.approx(0.75 * 480, abs=0.01)  # CES 0.75 × 480 = 360 < 420
    assert env.max_height_m == pytest.approx(14)  # H ≤ L + 2 m on a 12 m road
    assert env.max_floors == 3  # R+3 under 15 m: four levels of 3.5 m; only the ground one fits under 4 m
    assert [round(lv["footprint_m2"], 2) for lv in part["levels"]] == [420, 180, 180, 180]
    assert env.max_floor_area_m2 == pytest.approx(360 + 3 * 180, abs=0.01)  # under COS 3.5 × 480
    assert _volumes(part) == [(180, 0, 14), (240, 0, 4)]
    height = next(t for t in env.trace if t["figure"] == "max_height_m")
    assert height["inputs"] == {"road_width": 12} and height["expression"] == "min(road_width + 2, 17.5)"
    beyond = next(t for t in env.trace if t["figure"] == "height_beyond_band_m")
    assert beyond["value"] == 4 and beyond["article"] == "Article 10"


def test_top_floor_steps_back_from_the_street_facade():
    land = lot(0, 0, 12, 14)  # within the 15 m band
    env = run(land, [("B2", land)], [south_road(20)])
    (part,) = env.parts
    assert env.max_height_m == 17.5 and env.max_floors == 4  # R+4 from 15 m, five levels of 3.5 m
    # Rear setback 5 m: 12 m × 9 m; R+4 steps back 2 m from the façade on the alignment: 12 m × 7 m.
    assert [round(lv["footprint_m2"], 2) for lv in part["levels"]] == [108] * 4 + [84]
    assert [lv["retreat_m"] for lv in part["levels"]] == [0, 0, 0, 0, 2]
    assert env.max_floor_area_m2 == pytest.approx(4 * 108 + 84, abs=0.01)  # under COS 3.5 × 168 = 588
    assert _volumes(part) == [(108, 0, 14), (84, 14, 17.5)]
    retreat = next(t for t in env.trace if t["figure"] == "upper_retreat_m")
    assert retreat["value"] == 2 and retreat["condition"] == "niveaux 4–"


def test_lot_below_the_minimum_area():
    land = lot(0, 0, 17.4, 25)  # 435 m², like TF 10001/19 in D1
    env = run(land, [("D1", land)], [south_road(12)])
    below = next(c for c in env.checks if c["code"] == "below_min_lot_area")
    assert below["values"]["minimum"] == 500 and below["values"]["area"] == pytest.approx(435)
    assert "inférieure au minimum de 500 m²" in below["fr"] and "500" in below["ar"]
    assert "below_min_frontage" in codes(env)  # 17.4 m < 18 m


def test_lot_crossed_by_a_planned_road_applies_the_rules_to_what_remains():
    land = lot(0, 0, 20, 60)
    planned = Road("planned_road", "VP1", 10.0, lot(-100, 30, 200, 40))
    env = run(land, [("B4", land)], [south_road(12), planned], taken=planned.footprint)
    assert env.taken_m2 == pytest.approx(200) and env.net.area == pytest.approx(1000)
    assert {f["code"] for f in env.frontages} == {"AV1", "VP1"} and not env.corner and env.road_width == 12
    # South piece between the two roads: no rear limit; north piece: rear setback 3 m.
    assert env.footprint.area == pytest.approx(20 * 30 + 20 * 17, abs=0.01)
    assert env.max_footprint_m2 == pytest.approx(0.8 * 1000)
    assert env.max_floor_area_m2 == pytest.approx(2400)  # COS 2.4 × 1000 = 800 + 2 × 800
    assert "partly_reserved" in codes(env)


def test_lot_wholly_taken_by_a_reservation():
    land = lot(0, 0, 20, 25)
    env = run(land, [("B4", land)], [south_road(12)], taken=lot(-5, -5, 30, 30))
    assert codes(env) == {"wholly_reserved"} and env.max_footprint_m2 == 0 and env.footprint.is_empty


def test_lot_across_two_zones_sums_each_zone_part():
    land = lot(0, 0, 20, 25)
    zones = [("B4", lot(0, 0, 12, 25)), ("D1", lot(12, 0, 20, 25))]
    env = run(land, zones, [south_road(12)])
    b4, d1 = env.parts
    assert b4["footprint_polygon_m2"] == pytest.approx(12 * 22, abs=0.01)  # rear 3 m only
    assert d1["footprint_polygon_m2"] == pytest.approx(4 * 16, abs=0.01)  # road 5, east side 4, rear 4
    assert b4["max_footprint_m2"] == pytest.approx(240) and d1["max_footprint_m2"] == pytest.approx(60)
    assert env.max_floor_area_m2 == pytest.approx(720 + 120)
    assert env.max_height_m == 11.5 and env.max_floors == 2
    assert "below_min_lot_area" not in codes(env)  # the larger part (B4) asks 80 m²


@pytest.mark.parametrize("width, height, floors, rear, ground, floor_area", [
    (12, 11.5, 2, 5.75, 10 * (25 - 5.75), 10 * 19.25 + 2 * 187.5),
    (14.99, 11.5, 2, 5.75, 10 * 19.25, 567.5),
    (15, 14.5, 3, 7.25, 10 * (25 - 7.25), 700),  # 177.5 + 3 × 177.5 = 710 > COS 2.8 × 250
    (20, 14.5, 3, 7.25, 177.5, 700),
])
def test_height_by_road_width_on_both_sides_of_the_threshold(width, height, floors, rear, ground, floor_area):
    land = lot(0, 0, 10, 25)
    env = run(land, [("B3", land)], [south_road(width)])
    assert env.max_height_m == height and env.max_floors == floors
    (part,) = env.parts
    assert part["setbacks_m"]["rear"] == pytest.approx(rear)  # max(H / 2, 4)
    assert part["max_footprint_m2"] == pytest.approx(ground, abs=0.01)  # ground-floor CES 1.0 does not bind
    assert part["upper_floor_footprint_m2"] == pytest.approx(min(ground, 0.75 * 250), abs=0.01)
    assert env.max_floor_area_m2 == pytest.approx(floor_area, abs=0.01)
    trace = next(t for t in env.trace if t["figure"] == "max_height_m")
    assert trace["inputs"] == {} and trace["condition"] == ("voie < 15 m" if width < 15 else "voie ≥ 15 m")
