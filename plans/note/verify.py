"""Checking an issued note: is the record intact, is a PDF the one issued, is the answer still current?"""
from django.utils import timezone

from plans.models import Parcel
from plans.versions import data_version

from .content import compute
from .land import Land
from .signing import current_key, sha256, signing_key

# What a note answers, as opposed to when and how it was issued.
SUBSTANCE = {
    "plans": lambda c: [(p["reference"], p["version"], p["decree_reference"], p["expiry_date"]) for p in c["plans"]],
    "zones": lambda c: [(z["code"], z["area_m2"], z["rule"]) for z in c["zones"]],
    "servitudes": lambda c: [(s["kind"], s["code"], s["area_m2"], s["rule_fr"]) for s in c["servitudes"]],
    "parcel": lambda c: (c["parcel"]["area_m2"], c["parcel"]["area_on_title_m2"]),
}


def pdf_matches(note, data):
    """Whether `data` (bytes of an uploaded PDF) is exactly the PDF this note was issued as."""
    return bool(note.pdf_sha256) and sha256(data) == note.pdf_sha256


def still_current(note):
    """(True, []) when the same request today would answer the same; else (False, [what changed]).

    Nothing written to the planning tables since issuance (same data_version)
    answers at once; otherwise the note is recomputed on today's plans in force.
    """
    if data_version() == note.data_version:
        return True, []
    title = note.request.get("title_number")
    parcel = Parcel.objects.filter(agency=note.agency, title_number=title).first() if title else None
    land = Land(note.land, note.agency, parcel=parcel, source=note.request.get("source", "title"))
    today = compute(land, timezone.localdate())
    changed = [name for name, part in SUBSTANCE.items() if part(today) != part(note.content)]
    return not changed, changed


def status(note):
    """Everything the verification page states about `note`."""
    current, changed = still_current(note)
    key = signing_key(note)
    return {"number": note.number, "mode": note.mode, "issued_at": note.issued_at.isoformat(),
            "authentic": key is not None, "key_id": key.id if key else note.key_id or None,
            "key": None if key is None else "current" if key.id == current_key().id else "retired",
            "pdf_sha256": note.pdf_sha256 or None, "still_current": current, "changed": changed}
