"""Resolve what users type (agency codes, coordinates) or say why it cannot be used."""
from django.contrib.gis.geos import Point

from geoportal.core.body import number
from geoportal.core.errors import InvalidParameter, MissingParameter
from plans import selectors
from plans.models import Agency


def agency_by_code(code, field="agency"):
    """The Agency whose code is `code` (case-insensitive); the error lists the known codes."""
    if not code:
        raise MissingParameter(f"give `{field}`, the agency's code (one of {known_codes()}).", field)
    agency = selectors.agency_by_code(code)
    if agency is None:
        raise InvalidParameter(f"unknown agency {code!r}; known agencies: {known_codes()}.", field)
    return agency


def known_codes():
    return selectors.known_agency_codes()


def point_in_agency(lon, lat, agency, field="lon,lat"):
    """A lon/lat Point (EPSG:4326) checked to fall inside the agency's territory, or None when both are empty."""
    if lon in (None, "") and lat in (None, ""):
        return None
    x, y = (number(value, name, "; give decimal degrees, e.g. lon=-5.3626&lat=35.5889.")
            for value, name in ((lon, "lon"), (lat, "lat")))
    if not (-180 <= x <= 180 and -90 <= y <= 90):
        raise InvalidParameter(f"({x}, {y}) is not lon/lat in degrees (Lambert metres?); give decimal degrees "
                               "(EPSG:4326), e.g. lon=-5.3626&lat=35.5889.", field)
    point = Point(x, y, srid=4326)
    if not Agency.objects.filter(pk=agency.pk, jurisdiction__covers=point).exists():
        raise InvalidParameter(f"the place ({x}, {y}) is outside the territory of agency {agency.code}; "
                               "check the coordinates (lon first, then lat) or choose the right agency.", field)
    return point
