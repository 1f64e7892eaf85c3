"""What citizens and staff do with complaints: file, route, note, answer, close; each change audited."""
import logging
from datetime import timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from geoportal.core.errors import Conflict, Forbidden, InvalidParameter, MissingParameter, NotFound, Unauthorized
from ..common import audit
from geoportal.staff.roles import require_staff
from geoportal.core.attachments import check_files
from geoportal.core.private_files import display_name
from geoportal.core.tracking_secrets import hash_secret, new_secret, secret_matches
from ..common.numbering import next_number
from . import tracking
from .models import (OPEN_STATUSES, Complaint, ComplaintAttachment, ComplaintCategory, ComplaintKind,
                     ComplaintStatus, InternalNote)

log = logging.getLogger(__name__)
ITEM = "complaint"
MAX_TEXT = 5000
MIN_ANSWER = 20


def _choice(value, choices, field):
    if value not in choices.values:
        raise InvalidParameter(f"{field}={value!r} is not one of {', '.join(choices.values)}.", field)
    return value


def _required(value, field, limit):
    value = (value or "").strip()
    if not value:
        raise MissingParameter(f"`{field}` is empty; describe your {field}.", field)
    if len(value) > limit:
        raise InvalidParameter(f"`{field}` has {len(value)} characters; at most {limit} are accepted.", field)
    return value


def file_complaint(agency, *, category, subject, text, kind=ComplaintKind.COMPLAINT, location=None, language="fr",
                   contact_name="", contact_email="", contact_phone="", files=(), tracking_url=None):
    """Record a complaint; returns (complaint, secret). Nothing is stored unless every input is valid.

    `location` is a lon/lat Point already checked to be in the agency's territory;
    `tracking_url(number, secret)` builds the link e-mailed to the citizen.
    """
    _choice(kind, ComplaintKind, "kind")
    _choice(category, ComplaintCategory, "category")
    subject = _required(subject, "subject", 200)
    text = _required(text, "text", MAX_TEXT)
    checked = check_files(list(files))
    secret = new_secret()
    with transaction.atomic():
        complaint = Complaint(agency=agency, number=next_number("REQ", agency), secret_hash=hash_secret(secret),
                              kind=kind, category=category, subject=subject, text=text, location=location,
                              language=language if language in ("fr", "ar") else "fr", contact_name=contact_name,
                              contact_email=contact_email, contact_phone=contact_phone)
        complaint.save()
        for item in checked:
            ComplaintAttachment.objects.create(complaint=complaint, file=item.upload, mime=item.mime,
                                               size=item.size, original_name=display_name(item.upload.name))
        audit.record(agency, ITEM, complaint.number, "filed", to_state=complaint.status,
                     attachments=len(checked))
    link = tracking_url(complaint.number, secret) if tracking_url else ""
    _notify(complaint.contact_email, f"[{complaint.number}] Réclamation reçue / تم تسجيل شكايتكم",
            f"Votre {complaint.get_kind_display().lower()} est enregistrée sous le numéro {complaint.number}.\n"
            f"Suivi / التتبع : {link}\nRéponse attendue avant le {timezone.localdate(complaint.due_at):%d/%m/%Y}.")
    return complaint, secret


def _numbered(number):
    number = tracking.checked_number(number)
    complaint = Complaint.objects.select_related("agency", "department").filter(number=number).first()
    if complaint is None:
        raise NotFound(f"no complaint numbered {number!r}; check the number on your receipt (e.g. REQ-AUT-2026-00001).",
                       "number")
    return complaint


def for_citizen(number, secret):
    """The complaint behind a tracking number, if `secret` is its secret."""
    complaint = _numbered(number)
    if not secret_matches(secret, complaint.secret_hash):
        raise Forbidden(f"the secret does not match complaint {complaint.number}; use the link of your receipt.",
                        "secret")
    return complaint


def for_reader(request, number):
    """The complaint, for whoever may read it: its filer (this session opened it with the secret, or the
    request carries it in X-Tracking-Secret) or the agency's staff with an e-services role."""
    secret = request.headers.get("X-Tracking-Secret")
    if secret:
        return for_citizen(number, secret)
    complaint = _numbered(number)
    if not tracking.granted(request.session, complaint.number):
        if not request.user.is_authenticated:
            raise Unauthorized(f"open complaint {complaint.number} with its tracking link or secret first, or sign in "
                               "as the agency's staff.", "secret")
        require_staff(request.user, complaint.agency)
    return complaint


def _transition(complaint, user, action, to_state, allowed_from, **detail):
    if complaint.status not in allowed_from:
        raise Conflict(f"complaint {complaint.number} is {complaint.status}; cannot {action} it "
                       f"(only when {' or '.join(allowed_from)}).", "status")
    old = complaint.status
    complaint.status = to_state
    audit.record(complaint.agency, ITEM, complaint.number, action, from_state=old, to_state=to_state, actor=user,
                 **detail)


@transaction.atomic
def route(complaint, department, user, note=""):
    """Send the complaint to one of its agency's services; the due date follows that service's delay."""
    require_staff(user, complaint.agency)
    if department.agency_id != complaint.agency_id:
        raise InvalidParameter(f"service {department.code} belongs to agency {department.agency.code}, not to "
                               f"{complaint.agency.code}.", "department")
    _transition(complaint, user, "routed", ComplaintStatus.ROUTED, OPEN_STATUSES, department=department.code)
    complaint.department = department
    complaint.due_at = complaint.created_at + timedelta(days=department.response_days)
    complaint.save(update_fields=["status", "department", "due_at"])
    if note:
        InternalNote.objects.create(complaint=complaint, author=user, text=note)
    transaction.on_commit(lambda: _notify(
        department.email, f"[{complaint.number}] Réclamation transmise à votre service",
        f"{complaint.subject}\nÀ traiter avant le {timezone.localdate(complaint.due_at):%d/%m/%Y}."))
    return complaint


def add_note(complaint, user, text):
    require_staff(user, complaint.agency)
    text = _required(text, "note", MAX_TEXT)
    note = InternalNote.objects.create(complaint=complaint, author=user, text=text)
    audit.record(complaint.agency, ITEM, complaint.number, "note", from_state=complaint.status,
                 to_state=complaint.status, actor=user)
    return note


@transaction.atomic
def answer(complaint, user, text):
    """Send the reasoned answer (réponse motivée): it must give reasons, so a bare "OK" is refused."""
    require_staff(user, complaint.agency)
    text = _required(text, "answer", MAX_TEXT)
    if len(text) < MIN_ANSWER:
        raise InvalidParameter(f"the answer has {len(text)} characters; a reasoned answer states its reasons "
                               f"(at least {MIN_ANSWER} characters).", "answer")
    _transition(complaint, user, "answered", ComplaintStatus.ANSWERED, OPEN_STATUSES,
                overdue=complaint.is_overdue)
    complaint.answer, complaint.answered_at, complaint.answered_by = text, timezone.now(), user
    complaint.save(update_fields=["status", "answer", "answered_at", "answered_by"])
    transaction.on_commit(lambda: _notify(
        complaint.contact_email, f"[{complaint.number}] Réponse à votre réclamation / الرد على شكايتكم", text))
    return complaint


@transaction.atomic
def close(complaint, user):
    require_staff(user, complaint.agency)
    _transition(complaint, user, "closed", ComplaintStatus.CLOSED, (ComplaintStatus.ANSWERED,))
    complaint.closed_at = timezone.now()
    complaint.save(update_fields=["status", "closed_at"])
    return complaint


def public_history(complaint):
    """Status changes a citizen may see (no internal notes, no staff names)."""
    return [{"at": event.at.isoformat(), "status": event.to_state, "label": ComplaintStatus(event.to_state).label}
            for event in audit.history(ITEM, complaint.number).exclude(action="note")]


def _notify(address, subject, body):
    """E-mail through Django's mail backend; a failed notification never loses the complaint."""
    if not address:
        return
    try:
        send_mail(subject, body, None, [address])
    except Exception:  # noqa: BLE001 - the record is saved; the failure is logged for the staff to follow up
        log.exception("could not notify %s about %s", address, subject)
