"""Reads of the public inquiry: which drafts are open to the public on a date, and one of them.

Dates are Africa/Casablanca days; the rule "open on that day" is plan_under_inquiry (plans migration 0012),
read through PlanDocument.objects.under_inquiry.
"""
from django.utils import timezone

from geoportal.core.errors import NotFound
from plans.models import PlanDocument

from .models import ObservationGroup, RegisterExport


def open_inquiries(on=None):
    """Plans whose public inquiry is open on `on` (default today), with their agency and communes."""
    return (PlanDocument.objects.under_inquiry(on or timezone.localdate())
            .select_related("agency", "supersedes").prefetch_related("communes")
            .order_by("agency__code", "reference", "version"))


MAX_ID = 2**63 - 1


def open_draft(plan_id, on=None):
    """The plan `plan_id` if its public inquiry is open on `on`, else NotFound saying when it is public."""
    plan = open_inquiries(on).filter(id=plan_id).first() if 0 < plan_id <= MAX_ID else None
    if plan is None:
        raise NotFound(f"no public inquiry open today for plan {plan_id}: a draft is public only between the "
                       "dates of its inquiry (see /api/inquiries)", "id")
    return plan


def group(group_id):
    found = (ObservationGroup.objects.select_related("inquiry__plan__agency").filter(id=group_id).first()
             if 0 < group_id <= MAX_ID else None)
    if found is None:
        raise NotFound(f"no group of observations {group_id}", "id")
    return found


def register_export(number):
    found = RegisterExport.objects.select_related("inquiry__plan__agency").filter(number=str(number)[:40]).first()
    if found is None:
        raise NotFound(f"no register numbered {str(number)[:40]!r}; check the number printed on it", "number")
    return found


def counts(inquiry):
    """Observations of `inquiry` per commune, per theme and per status, and co-signatures (staff follow-up)."""
    from django.db.models import Count

    rows = inquiry.observations.values("commune__name_fr", "theme", "status").annotate(n=Count("id"))
    out = {"total": 0, "by_commune": {}, "by_theme": {}, "by_status": {},
           "cosignatures": inquiry.observations.aggregate(n=Count("cosignatures"))["n"]}
    for row in rows:
        out["total"] += row["n"]
        for key, value in (("by_commune", row["commune__name_fr"] or "—"), ("by_theme", row["theme"]),
                           ("by_status", row["status"])):
            out[key][value] = out[key].get(value, 0) + row["n"]
    return out


def staff_agency_ids(user):
    """Agencies whose inquiries `user` follows: e-services staff (moderation) and GIS staff (opening); None: all."""
    from geoportal.staff.roles import agencies_for, staff_agency_ids as services_ids

    services = services_ids(user)
    if services is None:
        return None
    return services | set(agencies_for(user).values_list("id", flat=True))


def staff_inquiries(agency_ids):
    """The Inquiry rows of these agencies (None: every agency), newest plans first, with plan and communes."""
    from .models import Inquiry

    rows = Inquiry.objects.select_related("plan__agency").prefetch_related("communes", "plan__communes")
    if agency_ids is not None:
        rows = rows.filter(plan__agency__in=agency_ids)
    return rows.order_by("plan__agency__code", "plan__reference", "-plan__version")


def drafts_to_open(agency_ids):
    """Drafts of these agencies that have never gone to inquiry (the page offers to open theirs)."""
    drafts = (PlanDocument.objects.filter(status=PlanDocument.Status.DRAFT, inquiry__isnull=True)
              .select_related("agency").prefetch_related("communes"))
    return drafts if agency_ids is None else drafts.filter(agency__in=agency_ids)


def all_observations_geojson(inquiry):
    """Every observation of `inquiry`, whatever its status (agency staff only), as GeoJSON in EPSG:4326: number,
    theme, status and the text as received. No name or e-mail: the popup needs none."""
    import json

    from django.contrib.gis.db.models.functions import AsGeoJSON

    rows = inquiry.observations.annotate(geojson=AsGeoJSON("place")).order_by("position")
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": o.number, "geometry": json.loads(o.geojson),
         "properties": {"number": o.number, "position": o.position, "theme": o.theme, "status": o.status,
                        "text": o.text, "article": o.article or None, "answered": bool(o.reasoned_answer)}}
        for o in rows.select_related("group")]}
