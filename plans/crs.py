"""Coordinate reference systems of Moroccan plans, and the one datum shift we use.

Storage: every geometry is stored in EPSG:4326 (lon/lat, WGS 84), so that one
table serves agencies in the north (EPSG:26191) and the south (EPSG:26192)
with a single spatial index. Areas, lengths and shares are computed after
transforming back to the plan's own Lambert projection, in metres.

Merchich -> WGS 84 has several published transformations. We pin one,
EPSG:1166 "Merchich to WGS 84 (1)" (Helmert translation 31, 146, 47 m,
accuracy ~7 m, Morocco onshore), and use it both in Python (the explicit PROJ
strings below) and in PostGIS (whose PROJ picks the same operation; the test
suite checks both agree to the millimetre).
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
}
LAMBERT_CHOICES = [
    (26191, "EPSG:26191 Merchich / Nord Maroc"),
    (26192, "EPSG:26192 Merchich / Sud Maroc"),
]
# EPSG:26194/26195 (Sahara zones) have no Merchich -> WGS 84 operation in the
# EPSG registry, so PostGIS would fall back to a "ballpark" shift that differs
# from ours by ~100 m; they are left out until a transformation is chosen.
# CRSs a client may ask for on the APIs (OGC API Features Part 2).
SUPPORTED_SRIDS = (WGS84, WEB_MERCATOR, 26191, 26192)


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
