"""An applicant gets an invoice and pays it through the sandbox in a real Chromium; the sandbox says no money moves."""
from decimal import Decimal

import pytest

from geoportal.eservices.conftest import in_db

pytestmark = pytest.mark.browser


def test_invoice_paid_in_the_sandbox(page, live_server_url, django_db_blocker):
    from geoportal.eservices.common.models import AuditEvent
    from geoportal.eservices.fees.models import FeeSchedule, Invoice, Payment
    from plans.models import Agency

    fee = in_db(django_db_blocker, lambda: FeeSchedule.objects.create(
        agency=Agency.objects.get(code="AUG"), service_code="copie_plan_test", label_fr="Copie de plan",
        label_ar="نسخة من التصميم", amount=Decimal("75.00"), valid_from="2020-01-01"))
    try:
        page.goto(f"{live_server_url}/services/factures/nouvelle/?lang=fr")
        page.select_option("#id_agency", "AUG")
        page.select_option("#id_service", "copie_plan_test")
        page.fill("#id_subject", "TF 20001/19")
        page.click("button[type=submit]")
        page.wait_for_selector("#reference")
        reference = page.inner_text("#reference")
        assert page.get_attribute("#status", "data-status") == "unpaid" and page.inner_text("#amount") == "75,00"
        page.click("#pay")
        page.wait_for_selector("#sandbox-banner")
        assert "aucune somme réelle" in page.inner_text("#sandbox-banner")
        page.click("#simulate-success")
        page.wait_for_selector("#sandbox-notice")
        assert page.get_attribute("#status", "data-status") == "paid"
        assert page.locator("#pay").count() == 0
    finally:
        def clean():
            invoices = Invoice.objects.filter(service_code="copie_plan_test")
            AuditEvent.objects.filter(item_ref__in=list(invoices.values_list("reference", flat=True))).delete()
            Payment.objects.filter(invoice__in=invoices).delete()
            invoices.delete()
            fee.delete()

        in_db(django_db_blocker, clean, owner=True)
    assert reference.startswith("FAC-AUG-")
