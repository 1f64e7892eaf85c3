"""Note numbers: AUT-2026-000123 for official notes (per agency and year, no gap), IND-… for indicative ones."""
import secrets

from django.db import connection

NEXT_SQL = """
INSERT INTO plans_notecounter (agency_id, year, last_number) VALUES (%s, %s, 1)
ON CONFLICT (agency_id, year) DO UPDATE SET last_number = plans_notecounter.last_number + 1
RETURNING last_number
"""


def next_official_number(agency, year):
    """The next number of `agency` in `year`. Call inside the transaction that stores the note:
    the counter row stays locked until it commits, and a failed issuance gives its number back."""
    with connection.cursor() as cursor:
        cursor.execute(NEXT_SQL, [agency.id, year])
        value = cursor.fetchone()[0]
    return f"{agency.code.upper()}-{year}-{value:06d}"


def indicative_number(year):
    """An unguessable identifier for an indicative (unnumbered) note."""
    return f"IND-{year}-{secrets.token_hex(5).upper()}"
