"""With fees on, an official urbanism note is issued only against a paid invoice, used once."""
import pytest

from plans.models import IssuedNote
from geoportal.eservices.fees.models import Invoice

from .test_fees import invoice, note_fee, pay  # noqa: F401 - fixture and helpers of the fee flow

pytestmark = pytest.mark.django_db
API = "/api/services/fees"


def ask_note(client, **fields):
    return client.post("/api/notes", {"title_number": "TF 10001/19", **fields}, content_type="application/json")


def test_official_note_needs_a_paid_invoice_when_fees_are_on(client, settings, note_fee):  # noqa: F811
    settings.ESERVICES_FEES_ENABLED = True
    settings.NOTE_ANONYMOUS_RATE = ""
    before = IssuedNote.objects.count()

    refused = ask_note(client)
    assert refused.status_code == 400 and refused.json()["parameter"] == "invoice"
    reference = invoice(client).json()["reference"]
    unpaid = ask_note(client, invoice=reference)
    assert unpaid.status_code == 409 and "is not paid yet" in unpaid.json()["description"]
    assert IssuedNote.objects.count() == before  # nothing issued, no number spent

    success, _ = pay(client, reference)
    client.post(f"{API}/callback/sandbox", success)
    issued = ask_note(client, invoice=reference)
    assert issued.status_code == 201
    number = issued.json()["number"]
    assert Invoice.objects.get(reference=reference).used_for == number

    again = ask_note(client, invoice=reference)
    assert again.status_code == 409 and f"already used for {number}" in again.json()["description"]
    # The indicative note stays free.
    assert ask_note(client, mode="indicative").status_code == 201


def test_notes_are_free_when_fees_are_off(client, settings):
    settings.NOTE_ANONYMOUS_RATE = ""
    assert ask_note(client).status_code == 201


def test_note_form_asks_for_the_invoice_only_when_fees_are_on(client, settings):
    assert 'name="invoice"' not in client.get("/notes/new").content.decode()
    settings.ESERVICES_FEES_ENABLED = True
    assert 'name="invoice"' in client.get("/notes/new").content.decode()
