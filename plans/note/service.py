"""Issuing a note: identify the land, compute, number, sign and store the immutable record.

A request may carry an idempotency key (the Idempotency-Key header of the IETF httpapi draft): sent again with the
same key and the same request, it gets the note already issued, never a second one, however the first answer was
lost (a replica killed after the commit, a client timeout, the proxy re-sending it to another replica). The key is
unique in the table, so two copies in flight at once make one note: the second waits on the first's index entry,
then reads it.
"""
import hashlib
import json
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string
from django.utils import timezone

from geoportal.core.errors import Conflict, InvalidParameter
from plans.models import IssuedNote
from plans.versions import data_version

from . import jobs, numbering, signing
from .content import compute
from .land import identify


IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9._:~-]{8,100}")


def check_idempotency_key(key):
    """`key` (8 to 100 characters among letters, digits and ._:~-, e.g. a UUID) or None when absent."""
    if key is None or key == "":
        return None
    if not IDEMPOTENCY_KEY.fullmatch(key):
        raise InvalidParameter(f"Idempotency-Key {key[:120]!r} is not 8 to 100 characters among letters, digits and "
                               "._:~-; send a new random one (a UUID) per note, the same one when you retry",
                               "Idempotency-Key")
    return key


def request_fingerprint(data, upload, mode, user):
    """SHA-256 of what the note is asked for: its fields, the uploaded file, the mode and who asks."""
    digest = hashlib.sha256(json.dumps([data, mode, getattr(user, "pk", None)], sort_keys=True, default=str).encode())
    if upload is not None:
        digest.update(upload[0].encode() + b"\0" + hashlib.sha256(upload[1]).digest())
    return digest.hexdigest()


def _replay(key, fingerprint):
    """The note already issued under `key` (marked `replayed`), None if there is none; Conflict when the key was
    first sent with another request."""
    note = IssuedNote.objects.filter(idempotency_key=key).first()
    if note is None:
        return None
    if note.idempotency_fingerprint != fingerprint:
        raise Conflict(f"Idempotency-Key {key!r} was already used for another note request ({note.number}); "
                       "send a new key for a new note", "Idempotency-Key")
    note.replayed = True
    return note


def issue(data, upload=None, *, mode=IssuedNote.Mode.OFFICIAL, user=None, on=None, root=None, idempotency_key=None):
    """Issue a note about the land `data` designates (see land.identify) and return the IssuedNote.

    mode: "official" (numbered per agency and year) or "indicative" (free,
    unnumbered, watermarked). on: the date whose plans in force apply
    (default: today in Africa/Casablanca). root: the absolute site URL
    (geoportal.core.qr.site_root) the PDF's QR code points to; with it, the PDF is
    rendered by a background job once the note is committed (jobs.schedule),
    else at its first request (render.finalise): the JSON answer never waits.
    idempotency_key: see the module; a note given back for it has `replayed` True.
    """
    if mode not in IssuedNote.Mode.values:
        raise InvalidParameter(f"mode {mode!r} is unknown; use 'official' or 'indicative'", "mode")
    key = check_idempotency_key(idempotency_key)
    fingerprint = request_fingerprint(data, upload, mode, user) if key else ""
    if key and (replayed := _replay(key, fingerprint)):
        return replayed
    try:
        return _issue(data, upload, mode, user, on, root, key, fingerprint)
    except IntegrityError:
        if key and (replayed := _replay(key, fingerprint)):  # the same request, issued meanwhile by another process
            return replayed
        raise


def _issue(data, upload, mode, user, on, root, key, fingerprint):
    land = identify(data, upload)
    now = timezone.now()
    on = on or timezone.localdate(now)
    content = compute(land, on)
    version = data_version()
    with transaction.atomic():
        if mode == IssuedNote.Mode.OFFICIAL:
            number = numbering.next_official_number(land.agency, now.year)
            # The gates (settings.NOTE_ISSUANCE_GATES, e.g. the e-services' fee gate: when fees are on, an
            # official note needs a paid invoice, used once) may refuse; a refusal rolls back the number too.
            for gate in settings.NOTE_ISSUANCE_GATES:
                import_string(gate)(land.agency, "note", str(data.get("invoice") or "").strip(), used_for=number)
        else:
            number = numbering.indicative_number(now.year)
        content = {"number": number, "mode": mode, "issued_at": now.isoformat(), **content}
        key_id, signature = signing.sign(number, now, content)
        note = IssuedNote.objects.create(
            number=number, mode=mode, agency=land.agency, issued_at=now, plans_date=on, land=land.geom,
            request=land.request, content=content, data_version=version,
            signature=signature, key_id=key_id, idempotency_key=key or "", idempotency_fingerprint=fingerprint,
            issued_by=user if user is not None and user.is_authenticated else None,
        )
        if root and jobs.enabled():
            transaction.on_commit(lambda: jobs.schedule(note, root))
    note.replayed = False
    return note
