"""Coordinate reference systems of Moroccan plans, and the one datum shift we use.

Storage: every geometry is stored in EPSG:4326 (lon/lat, WGS 84), so that one
table serves agencies in the north (EPSG:26191) and the south (EPSG:26192)
with a single spatial index. Areas, lengths and shares are computed after
transforming back to the plan's own Lambert projection, in metres.

Merchich -> WGS 84 has several published transformations. We pin one,
EPSG:1166 "Merchich to WGS 84 (1)" (Helmert translation 31, 146, 47 m,
accuracy ~7 m, Morocco onshore), and use it both in Python (the explicit PROJ
strings below) and in PostGIS (whose PROJ picks the same operation for
EPSG:26191/26192; the test suite checks both agree to the millimetre).

The Sahara zones (EPSG:26194 Merchich / Sahara Nord, EPSG:26195 Merchich /
Sahara Sud) lie south of EPSG:1166's area of use (27.66°N) and the EPSG
registry has no Merchich -> WGS 84 operation there: PROJ would fall back to a
"ballpark" shift (none at all: ~290 m off). We extend the same Helmert to them
(the parameters PostGIS's own spatial_ref_sys already lists in their proj4text),
with its expected accuracy stated on every note issued there (DATUM_ACCURACY_M):
no published control points check it that far south. PostGIS gets it from
plans/migrations/0011_sahara_datum_shift.py, which writes these same
parameters into spatial_ref_sys (frozen there, checked by the tests).
"""
from functools import lru_cache

from pyproj import CRS, Transformer

WGS84 = 4326
WEB_MERCATOR = 3857

# The Merchich ellipsoid is Clarke 1880 (IGN); +towgs84 pins EPSG:1166.
_MERCHICH = "+ellps=clrk80ign +towgs84=31,146,47,0,0,0,0 +units=m +no_defs +type=crs"
LAMBERT_PROJ = {
    26191: "+proj=lcc +lat_1=33.3 +lat_0=33.3 +lon_0=-5.4 +k_0=0.999625769 +x_0=500000 +y_0=300000 " + _MERCHICH,
    26192: "+proj=lcc +lat_1=29.7 +lat_0=29.7 +lon_0=-5.4 +k_0=0.999615596 +x_0=500000 +y_0=300000 " + _MERCHICH,
    26194: "+proj=lcc +lat_1=26.1 +lat_0=26.1 +lon_0=-5.4 +k_0=0.999616304 +x_0=1200000 +y_0=400000 " + _MERCHICH,
    26195: "+proj=lcc +lat_1=22.5 +lat_0=22.5 +lon_0=-5.4 +k_0=0.999616437 +x_0=1500000 +y_0=400000 " + _MERCHICH,
}
# The four Lambert zones of Morocco, north to south (the one source of their names).
ZONE_NAMES = {26191: "Nord Maroc", 26192: "Sud Maroc", 26194: "Sahara Nord", 26195: "Sahara Sud"}
LAMBERT_CHOICES = [(srid, f"EPSG:{srid} Merchich / {name}") for srid, name in ZONE_NAMES.items()]
SAHARA_SRIDS = (26194, 26195)
# Expected accuracy (metres) of the pinned Merchich -> WGS 84 shift in each zone: EPSG:1166 states 7 m over
# Morocco onshore; in the Sahara zones the same Helmert is used beyond its area of use, so no better than
# that is claimed, and it is stated on notes issued there (plans/note).
DATUM_ACCURACY_M = {26191: 7, 26192: 7, 26194: 10, 26195: 10}
# Southern limits (latitude, degrees) of the zones, from EPSG's areas of use: a territory goes in the zone
# of its representative point.
_ZONE_SOUTH = ((26191, 31.49), (26192, 27.66), (26194, 24.29), (26195, -90.0))


def zone_for(lat):
    """The Lambert zone (EPSG code) of a place at latitude `lat` (degrees), e.g. 26194 for Laâyoune (27.15)."""
    return next(srid for srid, south in _ZONE_SOUTH if lat >= south)


# CRSs a client may ask for on the APIs (OGC API Features Part 2).
SUPPORTED_SRIDS = (WGS84, WEB_MERCATOR, *LAMBERT_PROJ)


class UnsupportedCRS(ValueError):
    """A CRS outside SUPPORTED_SRIDS was asked for."""


def check_srid(srid):
    """Return `srid` as an int when the platform supports it, else raise UnsupportedCRS."""
    try:
        srid = int(srid)
    except (TypeError, ValueError):
        raise UnsupportedCRS(f"CRS {srid!r} is not an EPSG code") from None
    if srid not in SUPPORTED_SRIDS:
        raise UnsupportedCRS(
            f"EPSG:{srid} is not supported; use one of " + ", ".join(f"EPSG:{s}" for s in SUPPORTED_SRIDS)
        )
    return srid


@lru_cache(maxsize=None)
def crs(srid):
    """The pyproj CRS for `srid`, with the pinned datum shift for Merchich Lambert."""
    srid = check_srid(srid)
    if srid in LAMBERT_PROJ:
        return CRS.from_proj4(LAMBERT_PROJ[srid])
    return CRS.from_epsg(srid)


@lru_cache(maxsize=None)
def transformer(from_srid, to_srid):
    """A pyproj Transformer in x/y (easting, northing; lon, lat) axis order."""
    return Transformer.from_crs(crs(from_srid), crs(to_srid), always_xy=True)


def to_wgs84(x, y, srid):
    """Lambert (`srid`, metres) -> (lon, lat) in degrees, with the pinned shift."""
    return transformer(srid, WGS84).transform(x, y)


def from_wgs84(lon, lat, srid):
    """(lon, lat) in degrees -> Lambert (`srid`) easting/northing in metres."""
    return transformer(WGS84, srid).transform(lon, lat)


def transform_shapely(geom, from_srid, to_srid):
    """Transform a shapely geometry between two supported SRIDs (vectorised)."""
    import shapely

    t = transformer(from_srid, to_srid)
    return shapely.transform(geom, lambda xy: _stack(t.transform(xy[:, 0], xy[:, 1])))


# Longest edge kept when a Lambert geometry goes into lon/lat storage. A
# straight 1.5 km edge in Lambert is not straight in lon/lat: stored as is, its
# middle would drift by millimetres and areas cut from it by cm². Densified to
# 5 m, the drift is far below a micrometre.
STORAGE_MAX_SEGMENT_M = 5.0


def lambert_to_storage(geom, srid):
    """A shapely geometry in Lambert `srid` -> lon/lat (EPSG:4326) for storage, edges densified.

    Use this (not a bare transform) for every geometry drawn in Lambert that is
    stored, so that areas computed back in Lambert equal the surveyor's.
    """
    import shapely

    return transform_shapely(shapely.segmentize(geom, STORAGE_MAX_SEGMENT_M), srid, WGS84)


def _stack(xy):
    import numpy as np

    return np.column_stack(xy)
