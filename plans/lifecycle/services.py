"""Writes of a plan's life: create it, set its perimeter, attach its decree and règlement, change its status.

Every function checks the user's role in the plan's agency first (geoportal.staff.roles.require) and raises the
typed errors of geoportal.core.errors, which the pages show and the API maps to 4xx. A refused action changes
nothing: each runs in one transaction, and a file is checked whole before it is stored.
"""
import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction

from geoportal.core.attachments import DOCUMENT_TYPES, check_file
from geoportal.core.errors import Conflict, InvalidParameter, MissingParameter
from geoportal.staff.roles import EDITOR, PUBLISHER, require
from plans.models import PlanAttachment, PlanDocument
from plans.models.document import ALLOWED_TRANSITIONS, PlanStatus

from . import perimeter as perimeters

# The two files a plan's approval stands on (PlanAttachment kinds): what the staff pages ask for.
LEGAL_FILES = (PlanAttachment.Kind.DECREE, PlanAttachment.Kind.REGULATION)
# Statuses whose perimeter is settled by law: the decree's plan (or the inquiry's file) is what it is.
_PERIMETER_OPEN = (PlanStatus.DRAFT,)


def _refusal(exc):
    """A model ValidationError as the InvalidParameter the pages and the API show."""
    if hasattr(exc, "message_dict"):
        field, messages = next(iter(exc.message_dict.items()))
        return InvalidParameter("; ".join(messages), None if field == "__all__" else field)
    return InvalidParameter("; ".join(exc.messages))


@transaction.atomic
def create_plan(user, agency, *, reference, kind, title_fr, title_ar, perimeter_file=None, srid=None,
                supersedes=None, scale_denominator=2000):
    """A new draft plan of `agency`: version 1 of `reference`, or the next version of the plan `supersedes`.

    Its perimeter: `perimeter_file` (name, bytes) in the CRS the file declares or `srid`; for a new version
    without a file, the union of the zones of the version it replaces. Returns the PlanDocument.
    """
    require(user, agency, EDITOR)
    if supersedes is not None:
        if supersedes.agency_id != agency.pk:
            raise InvalidParameter(f"plan {supersedes.reference} belongs to agency {supersedes.agency.code}",
                                   "supersedes")
        if PlanDocument.objects.filter(supersedes=supersedes).exists():
            raise Conflict(f"{supersedes.reference} v{supersedes.version} already has a next version")
        reference, version = supersedes.reference, supersedes.version + 1
    else:
        version = 1
        if PlanDocument.objects.filter(agency=agency, reference=reference).exists():
            raise Conflict(f"agency {agency.code} already has a plan {reference!r}: create its next version from "
                           "the plan's page, or choose another reference")
    if perimeter_file is not None:
        area, _srid = perimeters.from_file(*perimeter_file, declared_srid=srid)
    elif supersedes is not None:
        area = perimeters.from_zones(supersedes)
    else:
        raise MissingParameter("send the plan's perimeter as a file (its outline, or its zones: GeoJSON, KML, "
                               "zipped Shapefile or DXF)", "perimeter")
    _check_in_territory(area, agency)
    plan = PlanDocument(agency=agency, reference=reference, version=version, supersedes=supersedes, kind=kind,
                        title_fr=title_fr, title_ar=title_ar, srid=agency.srid, perimeter=area,
                        scale_denominator=scale_denominator or 2000)
    try:
        plan.full_clean()
    except ValidationError as exc:
        raise _refusal(exc) from None
    plan.save()
    plan.communes.set(agency.communes.filter(geom__intersects=area))
    return plan


def _check_in_territory(area, agency):
    if not agency.jurisdiction.intersects(area):
        lon, lat = area.point_on_surface.coords
        raise InvalidParameter(f"the perimeter (around {lon:.4f}, {lat:.4f}) lies outside the territory of agency "
                               f"{agency.code}: check the coordinate system of the file", "perimeter")


@transaction.atomic
def set_perimeter(user, plan, perimeter_file=None, srid=None):
    """Replace a draft's perimeter by a file's polygons, or (no file) by the union of its published zones."""
    require(user, plan.agency, EDITOR)
    plan = PlanDocument.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in _PERIMETER_OPEN:
        raise Conflict(f"plan {plan.reference} v{plan.version} is {plan.get_status_display()}: its perimeter is "
                       "the one submitted to inquiry or approved; make a new version to change it")
    area = perimeters.from_file(*perimeter_file, declared_srid=srid)[0] if perimeter_file else \
        perimeters.from_zones(plan)
    _check_in_territory(area, plan.agency)
    plan.perimeter = area
    plan.save(update_fields=["perimeter", "updated_at"])
    return plan


def attach(user, plan, kind, uploaded, title_fr="", title_ar=""):
    """Attach a PDF (`uploaded`, a Django UploadedFile) of `kind` (decree, regulation, other) to the plan.

    The file is checked whole (geoportal.core.attachments: a real PDF, no active content, no polyglot) before
    anything is stored. A plan keeps every file it was given: a new decree does not erase the old one.
    """
    require(user, plan.agency, EDITOR)
    try:
        kind = PlanAttachment.Kind(kind)
    except ValueError:
        raise InvalidParameter(f"kind {kind!r} is not one of: {', '.join(PlanAttachment.Kind.values)}", "kind") \
            from None
    if kind == PlanAttachment.Kind.SHEET:
        raise InvalidParameter("a scanned sheet is a georeferenced raster: publish it from Publication des couches",
                               "kind")
    if uploaded is None:
        raise MissingParameter("choose the PDF file to attach", "file")
    check_file(uploaded, field="file", allowed=DOCUMENT_TYPES)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return PlanAttachment.objects.create(plan=plan, kind=kind, title_fr=title_fr or kind.label,
                                         title_ar=title_ar, file=uploaded, sha256=digest.hexdigest())


# What each move needs from the form, on top of PlanDocument.change_status()'s own checks.
DATE_FIELDS = {
    PlanStatus.PUBLIC_INQUIRY: ("inquiry_start", "inquiry_end"),
    PlanStatus.APPROVED: ("decree_date", "effective_date", "expiry_date"),
    PlanStatus.SUPERSEDED: ("superseded_on",),
    PlanStatus.EXPIRED: (),
    PlanStatus.DRAFT: (),
}


@transaction.atomic
def change_status(user, plan, new_status, data, comment=""):
    """Move `plan` to `new_status` with the dates and decree reference of `data` (form fields).

    Going to inquiry needs its two dates; approving needs the decree (reference, date, PDF attached) and the
    date of effect, and marks the version it replaces superseded; the legal checks and the history record are
    PlanDocument.change_status()'s.
    """
    require(user, plan.agency, PUBLISHER)
    # The row as stored, locked: a refused move leaves neither the database nor the caller's object changed.
    plan = PlanDocument.objects.select_for_update().get(pk=plan.pk)
    try:
        new_status = PlanStatus(new_status)
    except ValueError:
        raise InvalidParameter(f"status {new_status!r} is not one of: {', '.join(PlanStatus.values)}", "status") \
            from None
    if new_status not in ALLOWED_TRANSITIONS[PlanStatus(plan.status)]:
        allowed = ", ".join(sorted(ALLOWED_TRANSITIONS[PlanStatus(plan.status)])) or "none"
        raise Conflict(f"plan {plan.reference} v{plan.version} is {plan.status}: it cannot go to {new_status.value} "
                       f"(allowed: {allowed})")
    for name in DATE_FIELDS[new_status]:
        if data.get(name):
            setattr(plan, name, _date(data[name], name))
    if new_status == PlanStatus.PUBLIC_INQUIRY:
        _check_inquiry(plan)
    if new_status == PlanStatus.APPROVED:
        plan.decree_reference = (data.get("decree_reference") or plan.decree_reference or "").strip()
        if not plan.attachments.filter(kind=PlanAttachment.Kind.DECREE).exists():
            raise Conflict(f"plan {plan.reference} v{plan.version}: attach the approval decree (PDF) before "
                           "approving it")
    if new_status == PlanStatus.SUPERSEDED and not plan.superseded_on:
        raise MissingParameter("give the date from which the plan is superseded", "superseded_on")
    try:
        plan.change_status(new_status, user, comment)
    except ValidationError as exc:
        raise _refusal(exc) from None
    return plan


def _check_inquiry(plan):
    if not (plan.inquiry_start and plan.inquiry_end):
        raise MissingParameter("a public inquiry needs its first and last day", "inquiry_start")
    if plan.inquiry_end < plan.inquiry_start:
        raise InvalidParameter(f"the inquiry ends ({plan.inquiry_end}) before it starts ({plan.inquiry_start})",
                               "inquiry_end")


def _date(value, name):
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidParameter(f"{name} {value!r} is not a date (YYYY-MM-DD)", name) from None
