"""Coordinates as people type them: lon/lat, lat/lon, or Lambert Nord/Sud Maroc metres.

"503243 554174", "503243.5;554174", "-5.3626, 35.5889", "35,5889 -5,3626"
are all read. Which system a pair is in is decided by where it lands: a
reading counts only if it falls inside an agency's territory, and a Lambert
reading only inside an agency that works in that Lambert zone (a Nord
coordinate read as Sud lands hundreds of kilometres away).
"""
import re
from dataclasses import dataclass

from plans.crs import WGS84, ZONE_NAMES, to_wgs84

from . import queries

# Two numbers: decimal points with any separator, or decimal commas with a space or semicolon between.
_DOT_PAIR = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:[,;]\s*|\s+)(-?\d+(?:\.\d+)?)\s*$")
_COMMA_PAIR = re.compile(r"^\s*(-?\d+(?:,\d+)?)\s*(?:;\s*|\s+)(-?\d+(?:,\d+)?)\s*$")
LAMBERT_NAMES = {srid: f"Lambert {name} (EPSG:{srid})" for srid, name in ZONE_NAMES.items()}


@dataclass(frozen=True)
class Reading:
    """One way of reading a typed pair: `crs` (EPSG code), its x/y as typed, and lon/lat (EPSG:4326)."""

    crs: int
    x: float
    y: float
    lon: float
    lat: float

    @property
    def label(self):
        if self.crs == WGS84:
            return f"lon/lat WGS 84: {self.lon:.6f}, {self.lat:.6f}"
        return f"{LAMBERT_NAMES[self.crs]}: X {self.x:.2f} Y {self.y:.2f}"


def parse_pair(text):
    """The two numbers of `text` as floats, or None when it is not a coordinate pair."""
    match = _DOT_PAIR.match(text) or _COMMA_PAIR.match(text)
    if not match:
        return None
    return tuple(float(v.replace(",", ".")) for v in match.groups())


def candidate_readings(a, b):
    """Every plausible reading of the pair (a, b), before checking territories."""
    readings = []
    if abs(a) <= 180 and abs(b) <= 90:
        readings.append(Reading(WGS84, a, b, a, b))
    if abs(b) <= 180 and abs(a) <= 90 and a != b:
        readings.append(Reading(WGS84, b, a, b, a))  # typed lat, lon (as map sites copy them)
    # Lambert Maroc false origins put real places between 0 and 1,200 km on both axes.
    if 1000 <= a <= 1_200_000 and 1000 <= b <= 1_200_000:
        for srid in LAMBERT_NAMES:
            lon, lat = to_wgs84(a, b, srid)
            readings.append(Reading(srid, a, b, lon, lat))
    return readings


def locate(a, b):
    """Readings of (a, b) that land in an agency's territory, each with that agency: [(Reading, agency dict)].

    A Lambert reading counts only in an agency whose official CRS it is.
    """
    readings = candidate_readings(a, b)
    hits = queries.agencies_at([(r.lon, r.lat) for r in readings])
    found = []
    for hit in hits:
        reading = readings[hit["candidate"] - 1]
        if reading.crs in (WGS84, hit["srid"]):
            found.append((reading, hit))
    return found
