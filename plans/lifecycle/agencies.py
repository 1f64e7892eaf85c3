"""A national administrator creates an agency from the province list, in the staff pages (no shell, no admin).

Its territory is the union of the provinces chosen (plans.boundaries, data/boundaries: ODbL, © OpenStreetMap
contributors); its Lambert zone is the one of the territory's latitude (plans.crs.zone_for: Nord, Sud,
Sahara Nord, Sahara Sud) unless chosen; each province becomes one of its communes (code = the province id),
since the product ships no commune boundaries: finer communes are the agency's to add.
"""
import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction

from geoportal.core.errors import Conflict, Forbidden, InvalidParameter, MissingParameter
from geoportal.staff.models import is_national_admin
from plans import boundaries
from plans.crs import LAMBERT_PROJ, zone_for
from plans.models import Agency, Commune

CODE_HELP = "2 to 12 capital letters or digits, e.g. AUL for the Agence Urbaine de Laâyoune"


def _geos(geom):
    return GEOSGeometry(shapely.to_wkb(geom, hex=True), srid=4326)


def suggested_zone(province_ids):
    """The Lambert zone (EPSG code) of the provinces' territory: that of its representative point's latitude."""
    return zone_for(boundaries.union(province_ids).representative_point().y)


@transaction.atomic
def create_agency(user, *, code, name_fr, name_ar, province_ids, srid=None, address_fr="", address_ar=""):
    """The new Agency with its territory and communes; only a national administrator may create one."""
    if not user.is_authenticated or not is_national_admin(user):
        raise Forbidden(f"only a national administrator creates agencies (user {user.get_username()!r} is not one)")
    code = (code or "").strip().upper()
    if not (2 <= len(code) <= 12 and code.isalnum() and code.isascii()):
        raise InvalidParameter(f"agency code {code!r}: {CODE_HELP}", "code")
    if Agency.objects.filter(code=code).exists():
        raise Conflict(f"agency {code} exists already")
    if not (name_fr or "").strip() or not (name_ar or "").strip():
        raise MissingParameter("give the agency's name in French and in Arabic", "name_fr")
    province_ids = [p for p in province_ids if p]
    try:
        territory = boundaries.union(province_ids)
    except boundaries.UnknownProvince as exc:
        raise InvalidParameter(str(exc).strip("\"'"), "provinces") from None
    srid = int(srid) if srid else zone_for(territory.representative_point().y)
    if srid not in LAMBERT_PROJ:
        raise InvalidParameter(f"EPSG:{srid} is not a Lambert zone of Morocco; use one of "
                               + ", ".join(f"EPSG:{s}" for s in LAMBERT_PROJ), "srid")
    agency = Agency.objects.create(code=code, name_fr=name_fr.strip(), name_ar=name_ar.strip(), srid=srid,
                                   jurisdiction=_geos(territory), address_fr=address_fr, address_ar=address_ar)
    names = {pid: (fr, ar) for pid, fr, ar in boundaries.provinces()}
    for pid in dict.fromkeys(province_ids):
        fr, ar = names[pid]
        Commune.objects.create(agency=agency, code=pid, name_fr=fr, name_ar=ar or fr,
                               geom=_geos(boundaries.province(pid)))
    return agency
