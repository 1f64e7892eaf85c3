"""Issuing a note: identify the land, compute, number, sign and store the immutable record."""
from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils import timezone

from geoportal.core.errors import InvalidParameter
from plans.models import IssuedNote
from plans.versions import data_version

from . import jobs, numbering, signing
from .content import compute
from .land import identify


def issue(data, upload=None, *, mode=IssuedNote.Mode.OFFICIAL, user=None, on=None, root=None):
    """Issue a note about the land `data` designates (see land.identify) and return the IssuedNote.

    mode: "official" (numbered per agency and year) or "indicative" (free,
    unnumbered, watermarked). on: the date whose plans in force apply
    (default: today in Africa/Casablanca). root: the absolute site URL
    (geoportal.core.qr.site_root) the PDF's QR code points to; with it, the PDF is
    rendered by a background job once the note is committed (jobs.schedule),
    else at its first request (render.finalise): the JSON answer never waits.
    """
    if mode not in IssuedNote.Mode.values:
        raise InvalidParameter(f"mode {mode!r} is unknown; use 'official' or 'indicative'", "mode")
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
            signature=signature, key_id=key_id,
            issued_by=user if user is not None and user.is_authenticated else None,
        )
        if root and jobs.enabled():
            transaction.on_commit(lambda: jobs.schedule(note, root))
    return note
