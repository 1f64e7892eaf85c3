"""Fees over HTTP: schedule, invoice with QR code, sandbox payment completed exactly once, and the note gate."""
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from geoportal.core.errors import Conflict, InvalidParameter, MissingParameter, NotFound
from geoportal.eservices.common.models import AuditEvent
from geoportal.eservices.conftest import decode_qr_data_uri, form_fields
from geoportal.eservices.fees.gate import require_paid_invoice
from geoportal.eservices.fees.models import FeeSchedule, Invoice, Payment

pytestmark = pytest.mark.django_db
API = "/api/services/fees"


@pytest.fixture
def note_fee(aut):
    FeeSchedule.objects.create(agency=aut, service_code="note", label_fr="Note de renseignements urbanistiques",
                               label_ar="مذكرة المعلومات التعميرية", amount=Decimal("150.00"),
                               valid_from="2020-01-01")
    return FeeSchedule.objects.create(agency=aut, service_code="note", label_fr="Note de renseignements urbanistiques",
                                      label_ar="مذكرة المعلومات التعميرية", amount=Decimal("200.00"),
                                      valid_from="2025-01-01")


def invoice(client, **fields):
    return client.post(f"{API}/invoices", {"agency": "AUT", "service_code": "note", "subject": "TF 10001/19", **fields})


def pay(client, reference):
    """Start a payment and read the signed 'success' and 'failure' forms of the sandbox checkout page."""
    start = client.post(f"{API}/invoices/{reference}/pay").json()
    assert start["sandbox"] is True
    html = client.get(start["checkout_url"]).content.decode()
    assert "SANDBOX" in html and "aucune somme réelle" in html
    forms = re.findall(r"<form .*?</form>", html, re.S)
    fields = [form_fields(f) for f in forms[:2]]
    for form in fields:
        assert form.pop("return") == "page"  # the browser is sent back to the invoice; API callers get JSON
    return fields


def test_invoice_paid_through_the_sandbox_once(client, note_fee, tmp_path):
    schedule = client.get(f"{API}/schedule", {"agency": "AUT"}).json()["fees"]
    assert schedule == [{"service_code": "note", "label": "Note de renseignements urbanistiques", "amount": "200.00",
                         "valid_from": "2025-01-01"}]
    created = invoice(client)
    assert created.status_code == 201
    body = created.json()
    reference = body["reference"]
    assert re.fullmatch(r"FAC-AUT-\d{4}-\d{5}", reference) and body["amount"] == "200.00"
    html = client.get(reverse("eservices:invoice", args=[reference])).content.decode()
    qr = re.search(r'id="qr" src="([^"]+)"', html).group(1)
    assert decode_qr_data_uri(qr, tmp_path) == body["url"]

    success, failure = pay(client, reference)
    assert client.post(f"{API}/callback/sandbox", failure).json()["status"] == "unpaid"
    success, failure = pay(client, reference)
    paid = client.post(f"{API}/callback/sandbox", success).json()
    assert paid["status"] == "paid" and paid["paid_in_sandbox"] is True
    html = client.get(reverse("eservices:invoice", args=[reference])).content.decode()
    assert "Paiement SIMULÉ" in html and "aucune somme réelle" in html and 'id="pay"' not in html

    # The same callback again, and a new payment of a paid invoice: refused, nothing changes.
    before = (Invoice.objects.get(reference=reference).paid_at, AuditEvent.objects.count(),
              list(Payment.objects.values_list("status", flat=True).order_by("pk")))
    again = client.post(f"{API}/callback/sandbox", success)
    assert again.status_code == 409 and "already completed" in again.json()["description"]
    assert client.post(f"{API}/invoices/{reference}/pay").status_code == 409
    assert before == (Invoice.objects.get(reference=reference).paid_at, AuditEvent.objects.count(),
                      list(Payment.objects.values_list("status", flat=True).order_by("pk")))
    trail = list(AuditEvent.objects.filter(item_type="invoice", item_ref=reference).values_list("action", flat=True))
    assert trail == ["issued", "payment_started", "payment_failed", "payment_started", "payment_succeeded"]


def test_forged_or_altered_callbacks_change_nothing(client, note_fee):
    reference = invoice(client).json()["reference"]
    success, _ = pay(client, reference)
    forged = client.post(f"{API}/callback/sandbox", {**success, "signature": "0" * 64})
    assert forged.status_code == 401 and "wrong signature" in forged.json()["description"]
    altered = client.post(f"{API}/callback/sandbox", {**success, "amount": "1.00"})
    assert altered.status_code == 401
    assert client.post(f"{API}/callback/sandbox", {"provider_ref": "x"}).status_code == 400
    assert client.post(f"{API}/callback/cmi", success).status_code == 404
    assert Invoice.objects.get(reference=reference).status == "unpaid"
    assert set(Payment.objects.values_list("status", flat=True)) == {"started"}


def test_bad_invoice_requests(client, note_fee):
    response = invoice(client, service_code="copie")
    assert response.status_code == 400 and "services with a fee: note" in response.json()["description"]
    assert invoice(client, agency="AUG").status_code == 400  # AUG has no fee schedule
    assert client.get(f"{API}/invoices/FAC-AUT-1999-00001").status_code == 404
    assert not Invoice.objects.exists()


def test_gate_for_the_note(client, settings, aut, aug, note_fee):
    reference = invoice(client).json()["reference"]
    assert require_paid_invoice(aut, "note", "") is None  # fees off by default: the note is free
    settings.ESERVICES_FEES_ENABLED = True
    with pytest.raises(MissingParameter):
        require_paid_invoice(aut, "note", "")
    with pytest.raises(NotFound):
        require_paid_invoice(aut, "note", "FAC-AUT-1999-00001")
    with pytest.raises(Conflict, match="is not paid yet; pay it at /services/factures/"):
        require_paid_invoice(aut, "note", reference)
    success, _ = pay(client, reference)
    client.post(f"{API}/callback/sandbox", success)
    with pytest.raises(InvalidParameter, match="not for note at AUG"):
        require_paid_invoice(aug, "note", reference)
    assert require_paid_invoice(aut, "note", reference, used_for="NRU-AUT-2026-00001").reference == reference
    assert require_paid_invoice(aut, "note", reference, used_for="NRU-AUT-2026-00001").used_for == "NRU-AUT-2026-00001"
    with pytest.raises(Conflict, match="already used for NRU-AUT-2026-00001"):
        require_paid_invoice(aut, "note", reference, used_for="NRU-AUT-2026-00002")


def test_invoice_page_in_arabic_and_browser_pay_flow(client, note_fee):
    client.post(reverse("eservices:invoice-new"), {"agency": "AUT", "service_code": "note", "subject": "TF 10002/19"})
    reference = Invoice.objects.get(subject="TF 10002/19").reference
    html = client.get(reverse("eservices:invoice", args=[reference]), {"lang": "ar"}).content.decode()
    assert 'dir="rtl"' in html and "مذكرة المعلومات التعميرية" in html and "بيئة تجريبية" in html
    checkout = client.post(reverse("eservices:invoice", args=[reference]))
    assert checkout.status_code == 302 and "/services/paiement/sandbox/" in checkout.url
    bad = client.post(reverse("eservices:invoice-new"), {"agency": "AUT", "service_code": "inconnu"})
    assert bad.status_code == 400 and "no fee for service" in bad.content.decode()
