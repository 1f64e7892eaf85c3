"""CRSs of OGC API Features Part 2 as clients name them: URIs, EPSG:nnnn, [EPSG:nnnn], CRS84.

CRS84 is lon/lat, EPSG:4326 is lat/lon (axis order of the EPSG registry); projected CRSs are easting/northing
in metres. The SRIDs offered are plans.crs.SUPPORTED_SRIDS.
"""
import re
from dataclasses import dataclass

from geoportal.core.errors import InvalidParameter
from plans.crs import SUPPORTED_SRIDS

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/{}"


@dataclass(frozen=True)
class Crs:
    """A CRS a client may ask for: its EPSG SRID and whether coordinates are written lat/lon."""

    uri: str
    srid: int
    lat_lon: bool = False

    @property
    def geographic(self):
        return self.srid == 4326

    @property
    def decimals(self):
        """Digits kept in output coordinates: ~1 cm in degrees (7) or in metres (2)."""
        return 7 if self.geographic else 2


SUPPORTED_CRS = {CRS84: Crs(CRS84, 4326)}
for _srid in SUPPORTED_SRIDS:
    SUPPORTED_CRS.setdefault(EPSG_URI.format(_srid), Crs(EPSG_URI.format(_srid), _srid, lat_lon=_srid == 4326))
SUPPORTED_CRS_URIS = tuple(SUPPORTED_CRS)
_SHORT_CRS = re.compile(r"^\[?(?:EPSG|epsg):(?P<code>\d+)\]?$")


def parse_crs(value, parameter):
    """The Crs for a URI (or the EPSG:nnnn / [EPSG:nnnn] short forms, or CRS84)."""
    value = (value or "").strip()
    if value in ("CRS84", "[OGC:CRS84]", "OGC:CRS84", "http://www.opengis.net/def/crs/OGC/0/CRS84"):
        value = CRS84
    match = _SHORT_CRS.match(value)
    if match:
        value = EPSG_URI.format(match.group("code"))
    if value.startswith("https://"):
        value = "http://" + value[len("https://"):]
    crs = SUPPORTED_CRS.get(value)
    if crs is None:
        raise InvalidParameter(f"{parameter}={value!r} is not supported; use one of: {', '.join(SUPPORTED_CRS_URIS)}",
                               parameter=parameter)
    return crs
