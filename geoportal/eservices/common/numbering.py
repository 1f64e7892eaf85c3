"""Numbers handed to users: readable, sequential per agency and year, never reused (secrets: geoportal.core.tracking_secrets)."""
from django.db import transaction
from django.utils import timezone

from .models import Sequence


@transaction.atomic
def next_number(prefix, agency, width=5):
    """e.g. next_number("REQ", AUT) -> "REQ-AUT-2026-00001"; the row lock keeps numbers unique under concurrency."""
    year = timezone.localdate().year
    key = f"{prefix}-{agency.code.upper()}-{year}"
    sequence, _ = Sequence.objects.select_for_update().get_or_create(key=key)
    sequence.value += 1
    sequence.save(update_fields=["value"])
    return f"{key}-{sequence.value:0{width}d}"
