"""What citizens and staff do with an inquiry's register: file, co-sign, moderate, group, answer.

Filing and co-signing are refused outside the inquiry's dates (Conflict naming them). Nothing is stored unless
every input is valid (attachments are checked by geoportal.core.attachments first). Answers are e-mailed to the
author and every co-signer who gave an address, as background jobs (plans.inquiry.mail) queued after commit.
"""
import math
import re

from django.contrib.gis.geos import GEOSGeometry, Point
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

import shapely
from geoportal.core.attachments import check_files
from geoportal.core.errors import Conflict, Forbidden, InvalidParameter, MissingParameter, NotFound
from geoportal.core.private_files import display_name
from geoportal.core.tracking_secrets import hash_secret, new_secret, secret_matches
from geoportal.staff.roles import require_staff
from plans import outlines
from plans.models import Commune, Parcel, PlanDocument
from plans.selectors import parcel_by_title

from . import mail
from .models import CoSignature, Inquiry, Observation, ObservationAttachment, ObservationGroup, ObservationStatus, Theme

MAX_TEXT = 5000
MIN_ANSWER = 20
NUMBER = re.compile(r"OBS-[A-Z0-9]{1,12}-[0-9]{1,9}-[0-9]{5,9}")


def inquiry_of(plan_id):
    """The Inquiry of plan `plan_id`; NotFound if it never went to inquiry. Reads only: the row is made when the
    plan goes to inquiry (opening.open_inquiry, the sample loader, migration 0006 for plans already there)."""
    inquiry = (Inquiry.objects.select_related("plan__agency").filter(plan_id=plan_id).first()
               if 0 < plan_id < 2**63 else None)
    if inquiry is None:
        raise NotFound(f"no public inquiry for plan {plan_id}; see /api/inquiries", "id")
    return inquiry


def require_open(inquiry, what="observations"):
    """Conflict unless the inquiry is open today (its plan's dates, plan_under_inquiry)."""
    plan = inquiry.plan
    if not PlanDocument.objects.under_inquiry().filter(id=plan.id).exists():
        when = (f"it runs from {plan.inquiry_start:%d/%m/%Y} to {plan.inquiry_end:%d/%m/%Y}"
                if plan.inquiry_start and plan.inquiry_end else "its dates are not set")
        raise Conflict(f"the public inquiry of {plan.reference} v{plan.version} is not open today: {when}; "
                       f"{what} are received only during the inquiry (Africa/Casablanca dates)", "date")


def _text(value, field, limit=MAX_TEXT, minimum=1):
    value = (value or "").strip()
    if len(value) < minimum:
        raise MissingParameter(f"`{field}` is empty or too short; write at least {minimum} characters", field)
    if len(value) > limit:
        raise InvalidParameter(f"`{field}` has {len(value)} characters; at most {limit} are accepted", field)
    return value


def _email(value, field):
    value = (value or "").strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise InvalidParameter(f"{field}={value[:80]!r} is not an e-mail address", field) from None
    return value


def _place(data, plan):
    """(geometry lon/lat, parcel or None) from lon+lat, parcel, or area (GeoJSON/WKT lon/lat)."""
    given = [name for name in ("parcel", "area", "lon") if data.get(name)]
    if len(given) != 1:
        raise MissingParameter("pin the observation with exactly one of: lon and lat (a point), parcel "
                               "(a land title), area (a GeoJSON or WKT polygon in lon/lat)", "place")
    parcel = None
    if given == ["parcel"]:
        parcel = parcel_by_title(data["parcel"], plan.agency.code)
        geom = parcel.geom
    elif given == ["area"]:
        shape = outlines.from_text(data["area"], "area")
        if shape.geom_type not in ("Polygon", "MultiPolygon"):
            raise InvalidParameter(f"area is a {shape.geom_type}; draw a Polygon", "area")
        geom = GEOSGeometry(memoryview(shapely.to_wkb(shape)), srid=4326)
        if not geom.valid:
            raise InvalidParameter(f"area is invalid ({geom.valid_reason}); redraw it", "area")
    else:
        try:
            lon, lat = float(data["lon"]), float(data.get("lat"))
        except (TypeError, ValueError):
            lon = lat = math.nan
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise InvalidParameter("lon and lat must be finite numbers (degrees, EPSG:4326)", "lat")
        geom = Point(lon, lat, srid=4326)
    if not plan.perimeter.intersects(geom):
        raise InvalidParameter(f"this place is outside the perimeter of {plan.reference} v{plan.version}: "
                               "an observation concerns the draft under inquiry", "place")
    return geom, parcel


def file_observation(inquiry, data, files=()):
    """Record an observation; returns (observation, secret). `data`: text, theme, article, name, email, place.

    Every input is checked first, then the dates (Conflict outside them): a bad request says what is wrong.
    """
    text = _text(data.get("text"), "text", minimum=10)
    theme = data.get("theme") or Theme.OTHER
    if theme not in Theme.values:
        raise InvalidParameter(f"theme={theme!r} is not one of {', '.join(Theme.values)}", "theme")
    article = (data.get("article") or "").strip()[:60]
    name = (data.get("name") or "").strip()[:200]
    email = _email(data.get("email"), "email")
    geom, parcel = _place(data, inquiry.plan)
    checked = check_files(list(files))
    require_open(inquiry)
    commune = Commune.objects.filter(agency=inquiry.plan.agency, geom__intersects=geom.point_on_surface).first()
    secret = new_secret()
    with transaction.atomic():
        locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        locked.last_number += 1
        locked.save(update_fields=["last_number"])
        plan = inquiry.plan
        observation = Observation.objects.create(
            inquiry=inquiry, position=locked.last_number,
            number=f"OBS-{plan.agency.code.upper()}-{plan.id}-{locked.last_number:05d}",
            secret_hash=hash_secret(secret), theme=theme, article=article, text=text, place=geom, parcel=parcel,
            commune=commune, language="ar" if data.get("lang") == "ar" else "fr", author_name=name,
            author_email=email)
        for item in checked:
            ObservationAttachment.objects.create(observation=observation, file=item.upload, mime=item.mime,
                                                 size=item.size, original_name=display_name(item.upload.name))
    return observation, secret


def numbered(number):
    number = (number or "").strip().upper()
    if not NUMBER.fullmatch(number):
        raise InvalidParameter(f"{number[:40]!r} is not an observation number: it reads like OBS-AUT-3-00001",
                               "number")
    observation = Observation.objects.select_related("inquiry__plan__agency", "group").filter(number=number).first()
    if observation is None:
        raise NotFound(f"no observation numbered {number}; check your receipt", "number")
    return observation


def for_author(number, secret):
    observation = numbered(number)
    if not secret_matches(secret, observation.secret_hash):
        raise Forbidden(f"the secret does not match observation {observation.number}; use your receipt's link",
                        "secret")
    return observation


def published(number):
    observation = numbered(number)
    if observation.status != ObservationStatus.PUBLISHED:
        raise NotFound(f"observation {observation.number} is not published", "number")
    return observation


def cosign(observation, data):
    """Join a published observation during the inquiry; one co-signature per e-mail address."""
    require_open(observation.inquiry, "co-signatures")
    if observation.status != ObservationStatus.PUBLISHED:
        raise NotFound(f"observation {observation.number} is not published: only published ones may be co-signed",
                       "number")
    email = _email(data.get("email"), "email")
    if email and observation.cosignatures.filter(email__iexact=email).exists():
        raise Conflict(f"{email} has already co-signed {observation.number}", "email")
    return CoSignature.objects.create(observation=observation, name=(data.get("name") or "").strip()[:200],
                                      email=email)


def require_agency_staff(user, inquiry):
    """Unauthorized/Forbidden unless `user` works for the agency of the inquiry's plan (e-services role)."""
    require_staff(user, inquiry.plan.agency)


def _staff(user, observation_or_inquiry):
    require_agency_staff(user, getattr(observation_or_inquiry, "inquiry", observation_or_inquiry))


def moderate(observation, user, decision, public_text="", reason=""):
    """Publish (with the text as the public will read it: personal data removed) or reject with a reason."""
    _staff(user, observation)
    if decision == "publish":
        observation.status = ObservationStatus.PUBLISHED
        observation.public_text = _text(public_text or observation.text, "public_text")
    elif decision == "reject":
        observation.status = ObservationStatus.REJECTED
        observation.moderation_reason = _text(reason, "reason", limit=300, minimum=5)
    else:
        raise InvalidParameter(f"decision={decision!r}: use publish or reject", "decision")
    observation.moderated_by, observation.moderated_at = user, timezone.now()
    observation.save()
    return observation


def group(inquiry, user, title, numbers):
    _staff(user, inquiry)
    members = list(Observation.objects.filter(inquiry=inquiry, number__in=numbers))
    missing = set(numbers) - {o.number for o in members}
    if missing or not members:
        raise NotFound(f"no observation {', '.join(sorted(missing)) or '(none given)'} in this inquiry", "observations")
    with transaction.atomic():
        created = ObservationGroup.objects.create(inquiry=inquiry, title=_text(title, "title", limit=200))
        Observation.objects.filter(id__in=[o.id for o in members]).update(group=created)
    return created


def answer(target, user, text):
    """The reasoned answer to an observation or a group; e-mailed to its authors and co-signers after commit."""
    _staff(user, target)
    target.answer = _text(text, "answer", minimum=MIN_ANSWER)
    target.answered_by, target.answered_at = user, timezone.now()
    target.save(update_fields=["answer", "answered_by", "answered_at"])
    observations = [target] if isinstance(target, Observation) else list(target.observations.all())
    transaction.on_commit(lambda: [mail.queue_answer(o.id) for o in observations])
    return target
