"""A citizen files a complaint in a real Chromium (Playwright) on the live server: clicks the place on the map,
attaches a PDF, gets a tracking page with its QR code, reads it in Arabic; the QR link opens the complaint in
one scan on another phone, and the secret never reaches the server's access log. No request leaves the test
server."""
import re

import pytest

from geoportal.eservices.conftest import in_db

pytestmark = pytest.mark.browser


def test_citizen_files_and_tracks_a_complaint(page, live_server_url, live_server_log, pdf_bytes, django_db_blocker):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server_url}/services/requetes/nouvelle/?lang=fr")
    page.select_option("#id_agency", "AUT")
    page.select_option("#id_category", "infraction")
    page.fill("#id_subject", "Chantier sans autorisation")
    page.fill("#id_text", "Travaux de surélévation d'une maison sans panneau de chantier, depuis lundi.")
    page.wait_for_selector("#place-map canvas")
    page.click("#place-map")  # the map is fitted on AUT's territory: its centre falls inside it
    lon, lat = float(page.input_value("#id_lon")), float(page.input_value("#id_lat"))
    assert -6.2 < lon < -4.8 and 34.9 < lat < 36.0, (lon, lat)
    page.set_input_files("#id_attachments", {"name": "constat.pdf", "mimeType": "application/pdf",
                                             "buffer": pdf_bytes})
    page.click("#send")
    page.wait_for_selector("#number")
    number = page.inner_text("#number")
    assert re.fullmatch(r"REQ-AUT-\d{4}-\d{5}", number)
    assert page.get_attribute("#status", "data-status") == "received"
    assert page.locator("#qr").evaluate("img => img.naturalWidth") > 0
    tracking, secret = page.get_attribute("#tracking-link", "href"), page.inner_text("#secret")
    assert tracking.startswith(live_server_url) and number in tracking and tracking.endswith(f"#s={secret}")
    assert page.locator("#attachments a").inner_text() == "constat.pdf"

    page.click("a[hreflang=ar]")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.inner_text("#status") == "تم التوصل بها"

    # Another phone scans the QR code: no session yet; one scan opens the complaint, at a URL without the secret.
    page.context.clear_cookies()
    page.goto(tracking)
    page.wait_for_selector("#status")
    assert page.inner_text("#number") == number and secret not in page.url and "#" not in page.url
    assert page.get_attribute("#status", "data-status") == "received"
    assert errors == []
    log = live_server_log.read_text()
    assert f"/services/requetes/suivi/{number}/" in log and secret not in log  # never in the access log

    def check_and_clean():
        from geoportal.eservices.common.models import AuditEvent
        from geoportal.eservices.complaints.models import Complaint

        complaint = Complaint.objects.get(number=number)
        assert complaint.attachments.get().mime == "application/pdf"
        assert complaint.location.coords == pytest.approx((lon, lat), abs=1e-6)
        # The live server committed it: leave the database as we found it.
        AuditEvent.objects.filter(item_ref=number).delete()
        complaint.delete()

    in_db(django_db_blocker, check_and_clean, owner=True)
