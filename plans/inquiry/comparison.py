"""/api/changes as a service: which land, which two versions, and what changes (plans.inquiry.changes).

Land: one or more parcels (`parcel=TF 1/19&parcel=TF 2/19` or `parcel=TF 1/19,TF 2/19`, at most MAX_PARCELS,
one agency), or an area (`area=` GeoJSON or WKT polygon, `area-crs=EPSG:4326` by default or a Lambert CRS).
Versions: `to` and `from` are plan ids (the catalogue's); by default `to` is the draft whose inquiry is open
on the land today and `from` the version in force of the same plan. The public may compare any versions the
public may see (in force, past, under an open inquiry: ogc_plan_state's legal state, one source); the GIS staff
of the plan's agency any two versions of their agency's plans.
"""
import re

import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection
from django.utils import timezone

from geoportal.core.errors import InvalidParameter, MissingParameter, NotFound
from geoportal.staff.roles import VIEWER, agencies_for
from plans import outlines
from plans.crs import WGS84, UnsupportedCRS, check_srid
from plans.models import PlanDocument
from plans.selectors import parcel_by_title
from plans.vocabulary import draft_notice

from . import changes

MAX_PARCELS = 20
PUBLIC_STATES = ("current", "history", "inquiry")


def _srid(text):
    code = re.sub(r"^(?:EPSG:|urn:ogc:def:crs:EPSG::|http://www.opengis.net/def/crs/EPSG/0/)", "", text or "4326")
    try:
        return check_srid(code)
    except UnsupportedCRS as exc:
        raise InvalidParameter(f"area-crs: {exc}", "area-crs") from None


def lands(params):
    """[(parcel title or None, GEOSGeometry)], and the agency id of the parcels (None for an area)."""
    titles = [t.strip() for value in params.getlist("parcel") for t in value.split(",") if t.strip()]
    area = params.get("area")
    if bool(titles) == bool(area):
        raise MissingParameter("give either parcel=TF 12345/19 (one or more) or area= a GeoJSON or WKT polygon",
                               "parcel")
    if titles:
        if len(titles) > MAX_PARCELS:
            raise InvalidParameter(f"{len(titles)} parcels asked; at most {MAX_PARCELS} at once, or draw an area",
                                   "parcel")
        parcels = [parcel_by_title(t, params.get("agency") or None) for t in dict.fromkeys(titles)]
        agencies = {p.agency_id for p in parcels}
        if len(agencies) > 1:
            raise InvalidParameter("these parcels belong to several agencies; compare one agency's at a time",
                                   "parcel")
        return [(p.title_number, p.geom) for p in parcels], agencies.pop()
    shape = outlines.from_text(area, "area")
    if shape.geom_type not in ("Polygon", "MultiPolygon"):
        raise InvalidParameter(f"area is a {shape.geom_type}; draw a Polygon or MultiPolygon", "area")
    geom = GEOSGeometry(memoryview(shapely.to_wkb(shape)), srid=_srid(params.get("area-crs")))
    if not geom.valid:
        raise InvalidParameter(f"area is invalid ({geom.valid_reason}); redraw it without self-intersections",
                               "area")
    return [(None, geom)], None


def _legal_state(plan_id):
    with connection.cursor() as cursor:
        cursor.execute("SELECT legal_state FROM ogc_plan_state WHERE id = %s", [plan_id])
        row = cursor.fetchone()
    return row[0] if row else None


def _plan(text, name, user):
    try:
        plan_id = int(text)
    except (TypeError, ValueError):
        raise InvalidParameter(f"{name}={text!r} is not a plan id; take one from /ogc/collections/catalogue/items",
                               name) from None
    plan = PlanDocument.objects.select_related("agency").filter(id=plan_id).first() if 0 < plan_id < 2**63 else None
    staff = plan is not None and (user.is_superuser or plan.agency in agencies_for(user, VIEWER))
    if plan is None or not (staff or _legal_state(plan_id) in PUBLIC_STATES):
        raise NotFound(f"no plan {plan_id} the public may see: drafts are public only during their inquiry", name)
    return plan


def _union_lonlat(geoms):
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_AsBinary(ST_Union(ST_Transform(ST_GeomFromWKB(g, s), 4326))) "
                       "FROM unnest(%s::bytea[], %s::int[]) AS t(g, s)",
                       [[g.wkb.tobytes() for g in geoms], [g.srid for g in geoms]])
        return GEOSGeometry(memoryview(cursor.fetchone()[0]), srid=WGS84)


def versions(params, geoms, agency_id, user):
    """(before or None, after): the two versions to compare on the land."""
    if params.get("to"):
        after = _plan(params["to"], "to", user)
    else:
        land = _union_lonlat(geoms)
        drafts = PlanDocument.objects.under_inquiry().filter(perimeter__intersects=land)
        if agency_id:
            drafts = drafts.filter(agency_id=agency_id)
        found = list(drafts.select_related("agency").order_by("id")[:5])
        if not found:
            raise NotFound("no draft under public inquiry covers this land today; to compare two versions of a "
                           "plan give from=ID&to=ID (ids: /ogc/collections/catalogue/items)", "to")
        if len(found) > 1:
            raise InvalidParameter("several drafts under inquiry cover this land (" + ", ".join(
                f"{p.id}: {p.reference} v{p.version}" for p in found) + "); choose one with to=ID", "to")
        after = found[0]
    if params.get("from"):
        before = _plan(params["from"], "from", user)
        if before.agency_id != after.agency_id or before.id == after.id:
            raise InvalidParameter("from and to must be two versions of plans of one agency", "from")
    else:
        in_force = PlanDocument.objects.in_force().filter(agency_id=after.agency_id).exclude(id=after.id)
        before = (in_force.filter(reference=after.reference).first()
                  or in_force.filter(perimeter__intersects=_union_lonlat(geoms)).order_by("-version").first())
    return before, after


def describe(plan):
    if plan is None:
        return None
    state = _legal_state(plan.id)
    return {"id": plan.id, "reference": plan.reference, "version": plan.version, "status": plan.status,
            "legal_state": state, "title_fr": plan.title_fr, "title_ar": plan.title_ar,
            "decree_reference": plan.decree_reference or None,
            "effective_date": plan.effective_date.isoformat() if plan.effective_date else None,
            "inquiry_start": plan.inquiry_start.isoformat() if plan.inquiry_start else None,
            "inquiry_end": plan.inquiry_end.isoformat() if plan.inquiry_end else None,
            "binding": state == "current",
            **({"notice_fr": draft_notice("fr"), "notice_ar": draft_notice("ar")}
               if plan.status in (PlanDocument.Status.DRAFT, PlanDocument.Status.PUBLIC_INQUIRY) else {})}


def changes_for(params, user):
    """The JSON answer of /api/changes."""
    found, agency_id = lands(params)
    before, after = versions(params, [g for _, g in found], agency_id, user)
    return {
        "date": timezone.localdate().isoformat(),
        "from": describe(before), "to": describe(after),
        "results": [{"parcel": title, **changes.compare(geom, before, after)} for title, geom in found],
    }
