"""Opening and closing a draft's public inquiry (agency GIS staff: publishing role `publisher` of the plan's agency).

Opening sets the plan's inquiry_start / inquiry_end (Africa/Casablanca days, both included: what
plan_under_inquiry and every public endpoint read), makes or updates its Inquiry row (who opened it, the communes
where it runs, where the paper file and register can be seen) and moves a draft to public_inquiry through the
law floor (PlanDocument.change_status: validated, audited). The plans.lifecycle slice is not imported.

The bound: law 12-90 (urbanisme) puts a draft plan d'aménagement to a public inquiry of one month; an inquiry
longer than MAX_DAYS (two months: the month and an extension) is refused as a typing mistake.

Closing ends the inquiry today: the register stops receiving from now on, so inquiry_end becomes yesterday (the
last whole day on which observations were received; inquiry_end is an included day). An inquiry that opened
today, or has not begun, cannot be closed (open it again with other dates). The plan stays in public_inquiry:
approving it is the lifecycle's step. Closed, its register can still be exported (/api/inquiries/<plan>/register).
"""
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from geoportal.core.errors import Conflict, InvalidParameter, MissingParameter, NotFound
from geoportal.staff.roles import PUBLISHER, require
from plans.models import Commune, PlanDocument

from .models import Inquiry

MAX_DAYS = 60
MAX_PAPER = 1000
CLOSED_STATUSES = (PlanDocument.Status.APPROVED, PlanDocument.Status.SUPERSEDED, PlanDocument.Status.EXPIRED)


def _plan(plan_id, user):
    plan = (PlanDocument.objects.select_related("agency").filter(id=plan_id).first()
            if isinstance(plan_id, int) and 0 < plan_id < 2**63 else None)
    if plan is None:
        raise NotFound(f"no plan {plan_id}", "id")
    require(user, plan.agency, PUBLISHER)
    if plan.status in CLOSED_STATUSES:
        raise Conflict(f"plan {plan.reference} v{plan.version} is {plan.status}: only a draft, or a draft under "
                       "inquiry, is put to a public inquiry", "id")
    return plan


def _day(value, field):
    if value in (None, ""):
        raise MissingParameter(f"`{field}` is missing: give an ISO date such as 2027-01-15", field)
    if not isinstance(value, str) or len(value) != 10:
        raise InvalidParameter(f"`{field}`={str(value)[:40]!r} is not an ISO date (YYYY-MM-DD)", field)
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise InvalidParameter(f"`{field}`={value!r} is not a date (YYYY-MM-DD)", field) from None


def _paper(value, field):
    if not isinstance(value, str) or not value.strip():
        raise MissingParameter(f"`{field}` is missing: say where the paper file and register can be seen", field)
    value = value.strip()
    if len(value) > MAX_PAPER or "\x00" in value:
        raise InvalidParameter(f"`{field}` has {len(value)} characters; at most {MAX_PAPER} are accepted", field)
    return value


def _communes(value, plan):
    if isinstance(value, str):
        value = [code.strip() for code in value.split(",") if code.strip()]
    if not isinstance(value, list) or not value:
        raise MissingParameter("`communes` is missing: the codes of the communes where the inquiry runs", "communes")
    if len(value) > 200 or not all(isinstance(code, str) and 0 < len(code) <= 20 for code in value):
        raise InvalidParameter("`communes` must be a list of commune codes (at most 200, each at most 20 "
                               "characters)", "communes")
    found = list(Commune.objects.filter(agency=plan.agency, code__in=value))
    unknown = sorted(set(value) - {c.code for c in found})
    if unknown:
        raise InvalidParameter(f"unknown commune(s) {', '.join(unknown)} for agency {plan.agency.code}", "communes")
    return found


def open_inquiry(plan_id, user, data):
    """Open (or change the dates of) the public inquiry of draft `plan_id`; returns its Inquiry."""
    plan = _plan(plan_id, user)
    start, end = _day(data.get("start"), "start"), _day(data.get("end"), "end")
    today = timezone.localdate()
    unchanged_start = plan.status == PlanDocument.Status.PUBLIC_INQUIRY and start == plan.inquiry_start
    if start < today and not unchanged_start:
        raise InvalidParameter(f"start={start.isoformat()} is in the past (today is {today.isoformat()}, "
                               "Africa/Casablanca)", "start")
    if end < start:
        raise InvalidParameter(f"end={end.isoformat()} is before start={start.isoformat()}", "end")
    if (end - start).days + 1 > MAX_DAYS:
        raise InvalidParameter(f"end={end.isoformat()}: {(end - start).days + 1} days from {start.isoformat()}; "
                               f"an inquiry lasts one month (law 12-90), at most {MAX_DAYS} days here", "end")
    communes = _communes(data.get("communes"), plan)
    paper_fr, paper_ar = _paper(data.get("paper_file_fr"), "paper_file_fr"), _paper(data.get("paper_file_ar"),
                                                                                     "paper_file_ar")
    overlapping = (PlanDocument.objects.filter(agency=plan.agency, reference=plan.reference,
                                               status=PlanDocument.Status.PUBLIC_INQUIRY,
                                               inquiry_start__lte=end, inquiry_end__gte=start)
                   .exclude(id=plan.id).first())
    if overlapping:
        raise Conflict(f"{plan.reference} v{overlapping.version} is under inquiry from "
                       f"{overlapping.inquiry_start.isoformat()} to {overlapping.inquiry_end.isoformat()}, which "
                       f"overlaps {start.isoformat()} → {end.isoformat()}", "start")
    with transaction.atomic():
        plan = PlanDocument.objects.select_for_update().select_related("agency").get(id=plan.id)
        plan.inquiry_start, plan.inquiry_end = start, end
        if plan.status == PlanDocument.Status.DRAFT:
            try:
                plan.change_status(PlanDocument.Status.PUBLIC_INQUIRY, user,
                                   f"enquête publique du {start:%d/%m/%Y} au {end:%d/%m/%Y}")
            except ValidationError as error:
                raise Conflict("; ".join(error.messages), "id") from None
        else:
            plan.save(update_fields=["inquiry_start", "inquiry_end"])
        inquiry, _ = Inquiry.objects.update_or_create(plan=plan, defaults=dict(
            opened_by=user, opened_at=timezone.now(), closed_at=None, paper_file_fr=paper_fr,
            paper_file_ar=paper_ar))
        inquiry.communes.set(communes)
    return inquiry


def close_inquiry(plan_id, user):
    """End the open inquiry of `plan_id` today (inquiry_end = yesterday); returns its Inquiry."""
    plan = _plan(plan_id, user)
    today = timezone.localdate()
    inquiry = Inquiry.objects.filter(plan=plan).first()
    if inquiry is None or not PlanDocument.objects.under_inquiry(today).filter(id=plan.id).exists():
        when = (f"its dates are {plan.inquiry_start.isoformat()} → {plan.inquiry_end.isoformat()}"
                if plan.inquiry_start and plan.inquiry_end else "it has no dates")
        raise Conflict(f"the inquiry of {plan.reference} v{plan.version} is not open today: {when}", "id")
    if plan.inquiry_start >= today:
        raise Conflict(f"the inquiry of {plan.reference} v{plan.version} opened today ({today.isoformat()}); "
                       "it can be closed from tomorrow, or opened again with other dates", "id")
    with transaction.atomic():
        PlanDocument.objects.filter(id=plan.id).update(inquiry_end=today - datetime.timedelta(days=1))
        inquiry.closed_at = timezone.now()
        inquiry.save(update_fields=["closed_at"])
    inquiry.plan.refresh_from_db()
    return inquiry


def state(plan, on=None):
    """"upcoming", "open" or "closed" on `on` (default today): the staff page's words."""
    on = on or timezone.localdate()
    if plan.inquiry_start and on < plan.inquiry_start:
        return "upcoming"
    if PlanDocument.objects.under_inquiry(on).filter(id=plan.id).exists():
        return "open"
    return "closed"


def as_json(inquiry):
    plan = inquiry.plan
    return {"plan": plan.id, "reference": plan.reference, "version": plan.version, "status": plan.status,
            "start": plan.inquiry_start and plan.inquiry_start.isoformat(),
            "end": plan.inquiry_end and plan.inquiry_end.isoformat(), "state": state(plan),
            "communes": sorted(inquiry.communes.values_list("code", flat=True)),
            "paper_file_fr": inquiry.paper_file_fr, "paper_file_ar": inquiry.paper_file_ar,
            "opened_at": inquiry.opened_at.isoformat(),
            "closed_at": inquiry.closed_at and inquiry.closed_at.isoformat()}
