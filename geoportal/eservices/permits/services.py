"""Record commission decisions, publish a session's results, and answer an applicant's lookup; all audited."""
from django.db import transaction
from django.utils import timezone

from geoportal.core.errors import Conflict, InvalidParameter, MissingParameter, NotFound
from geoportal.staff.models import ServicesRole
from ..common import audit
from geoportal.staff.roles import require_staff
from .models import CommissionDecision, Decision, FileStatus, PermitFile

NEEDS_REASONS = (Decision.UNFAVOURABLE, Decision.DEFERRED)


def check_decision(decision):
    """An unfavourable or deferred opinion must say why; a session's published results are final."""
    if decision.session.agency_id != decision.file.agency_id:
        raise InvalidParameter(f"file {decision.file.number} belongs to agency {decision.file.agency.code}, not to "
                               f"the session's agency {decision.session.agency.code}.", "file")
    if decision.session.is_published:
        raise Conflict(f"session {decision.session.reference} is published; its decisions can no longer change.",
                       "session")
    if decision.decision not in Decision.values:
        raise InvalidParameter(f"decision={decision.decision!r} is not one of {', '.join(Decision.values)}.",
                               "decision")
    if decision.decision in NEEDS_REASONS and not decision.reasons_fr.strip():
        raise InvalidParameter(f"a {decision.get_decision_display().lower()} opinion on {decision.file.number} "
                               "must give its reasons (reasons_fr).", "reasons_fr")


@transaction.atomic
def record_decision(decision, user):
    """Save a decision of a session not yet published; the file goes 'in commission' until publication."""
    require_staff(user, decision.session.agency)
    check_decision(decision)
    decision.save()
    file = decision.file
    if file.status != FileStatus.IN_COMMISSION:
        audit.record(file.agency, "permit_file", file.number, "in_commission", from_state=file.status,
                     to_state=FileStatus.IN_COMMISSION, actor=user, session=decision.session.reference)
        file.status = FileStatus.IN_COMMISSION
        file.save(update_fields=["status"])
    audit.record(file.agency, "commission_decision", file.number, "decision_recorded", to_state=decision.decision,
                 actor=user, session=decision.session.reference)
    return decision


@transaction.atomic
def publish_session(session, user):
    """Publish the session's results: each file takes the commission's opinion as its status."""
    require_staff(user, session.agency, ServicesRole.SUPERVISOR)
    if session.is_published:
        raise Conflict(f"session {session.reference} was already published on {session.published_at:%d/%m/%Y}.",
                       "session")
    decisions = list(session.decisions.select_related("file"))
    if not decisions:
        raise Conflict(f"session {session.reference} has no decision to publish; record them first.", "session")
    session.published_at = timezone.now()
    session.save(update_fields=["published_at"])
    for decision in decisions:
        file = decision.file
        audit.record(session.agency, "permit_file", file.number, "decision_published", from_state=file.status,
                     to_state=decision.decision, actor=user, session=session.reference)
        file.status = decision.decision
        file.save(update_fields=["status"])
    audit.record(session.agency, "commission_session", session.reference, "published", from_state="draft",
                 to_state="published", actor=user, decisions=len(decisions))
    return session


def find_file(number, agency=None):
    """The permit file with `number` (in `agency` when given); the error says how to disambiguate."""
    number = (number or "").strip()
    if not number:
        raise MissingParameter("give `number`, the file number on your deposit receipt (e.g. PC-2026-0153).",
                               "number")
    files = PermitFile.objects.filter(number__iexact=number).select_related("agency", "commune")
    if agency is not None:
        files = files.filter(agency=agency)
    found = list(files[:2])
    if not found:
        where = f" at agency {agency.code}" if agency else ""
        raise NotFound(f"no permit file numbered {number!r}{where}; check the number on your deposit receipt.",
                       "number")
    if len(found) > 1:
        raise InvalidParameter(f"file number {number!r} exists at several agencies; add `agency`.", "agency")
    return found[0]


def published_decisions(file):
    """The file's decisions from published sessions only, newest first."""
    return (CommissionDecision.objects.filter(file=file, session__published_at__isnull=False)
            .select_related("session").order_by("-session__held_on"))

