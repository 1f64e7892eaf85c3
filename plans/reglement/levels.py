"""The stepped envelope of a zone part: one footprint per floor, and the volumes the 3D files draw.

A règlement gives a height and a number of floors (R+n: levels 0 … n), not the height of each level, so the
levels share the height evenly: a level is max_height / (n + 1) m. Level k's footprint (Lambert, metres):
- within the depth band (the whole buildable polygon when there is no band): the buildable polygon less, on
  the floors an upper-floor retreat covers (its floor band, floor 1 up when it has none), the strip within
  road setback + retreat of the alignment: upper floors step back from the street façade by the retreat;
- beyond the depth band: the buildable polygon outside the band where a height beyond the band is given
  (none otherwise: the band then bounds the building), on the ground floor and on the upper levels whose top
  is at most that height.
Volumes are prisms (polygon, z from, z to): within the band each level's footprint from its floor to its
ceiling, consecutive levels of one footprint as one prism; beyond the band one prism up to the height beyond
the band (at most the height). Without a number of floors the level height is unknown: one level, one prism
to the height, the retreat cannot be placed (the trace says so).
"""
from dataclasses import dataclass

import shapely

SAME_M2 = 0.01  # two footprints closer than this (symmetric difference) are one footprint
EPS_M = 1e-6


@dataclass
class Level:
    floor: int
    polygon: object  # Lambert
    z_from: float | None
    z_to: float | None
    retreat_m: float


def _polygonal(geom):
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def stepped(band_polygon, beyond_polygon, front_lines, road_setback, height, floors, retreat_of, beyond_height):
    """([Level], [(polygon, z_from, z_to)]) of a part.

    band_polygon: the buildable polygon within the depth band (all of it without a band); beyond_polygon: the
    buildable polygon beyond the band (empty without a band); front_lines: the alignment (None when the lot
    fronts no road); road_setback: metres; height: metres or None; floors: n of R+n or None;
    retreat_of(k): the upper-floor retreat of floor k in metres (0 when none applies); beyond_height: the
    height beyond the band in metres, None when no provision gives one."""
    beyond = beyond_polygon if beyond_height is not None and beyond_height > 0 else shapely.Polygon()
    level_h = None if height is None or floors is None else height / (floors + 1)
    levels = []
    for k in range(0 if floors is None else floors + 1):
        retreat = retreat_of(k) if k > 0 and front_lines is not None else 0.0
        polygon = band_polygon
        if retreat > 0:
            polygon = _polygonal(shapely.difference(band_polygon, front_lines.buffer(road_setback + retreat)))
        band_part = polygon
        if not beyond.is_empty and (k == 0 or (level_h is not None and (k + 1) * level_h <= beyond_height + EPS_M)):
            polygon = _polygonal(shapely.union(polygon, beyond))
        z = (None, None) if level_h is None else (k * level_h, height if k == floors else (k + 1) * level_h)
        levels.append((Level(k, polygon, *z, retreat), band_part))
    if floors is None:
        ground = _polygonal(shapely.union(band_polygon, beyond)) if not beyond.is_empty else band_polygon
        levels = [(Level(0, ground, None if height is None else 0.0, height, 0.0), band_polygon)]
    volumes = []
    if height is not None:
        for level, band_part in levels:
            z_from = level.z_from if level_h is not None else 0.0
            last = volumes[-1] if volumes else None
            if last is not None and abs(last[2] - z_from) < EPS_M and \
                    shapely.symmetric_difference(last[0], band_part).area < SAME_M2:
                volumes[-1] = (last[0], last[1], level.z_to)
            elif band_part.area > 0:
                volumes.append((band_part, z_from, level.z_to))
        if not beyond.is_empty:
            volumes.append((beyond, 0.0, min(beyond_height, height)))
    return [level for level, _band in levels], volumes
