"""A complaint end to end over HTTP: filed by a citizen, routed, noted, answered and closed by staff, tracked by
number + secret; bad input changes nothing."""
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from geoportal.eservices.common.models import AuditEvent, Sequence
from geoportal.eservices.complaints.models import Complaint, ComplaintAttachment, Department
from geoportal.eservices.conftest import DISGUISED, TETOUAN, admin_post, decode_qr_data_uri

pytestmark = pytest.mark.django_db
API = "/api/services/complaints"


def open_tracking(client, number, secret, lang="fr"):
    """What the tracking link's script does: POST the secret, follow the redirect to the page without it."""
    response = client.post(reverse("eservices:complaint-track-form"), {"number": number, "secret": secret,
                                                                       "lang": lang})
    assert response.status_code == 303 and secret not in response["Location"], response
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page


def file(client, **fields):
    data = {"agency": "AUT", "category": "infraction", "subject": "Construction sans autorisation",
            "text": "Un immeuble R+4 est construit sans panneau de chantier rue 12.", "lon": TETOUAN[0],
            "lat": TETOUAN[1], "email": "citoyen@example.ma", "name": "Fatima Z."}
    data.update(fields)
    return client.post(API, {k: v for k, v in data.items() if v is not None})


@pytest.fixture
def urbanism(aut):
    return Department.objects.create(agency=aut, code="controle", name_fr="Service du contrôle",
                                     name_ar="مصلحة المراقبة", email="controle@aut.ma", response_days=30)


def test_citizen_files_staff_answers_citizen_reads(client, agent, urbanism, pdf_bytes, png_bytes, mailoutbox,
                                                   django_capture_on_commit_callbacks, tmp_path):
    response = file(client, attachments=[SimpleUploadedFile("constat.pdf", pdf_bytes),
                                         SimpleUploadedFile("photo.jpg", png_bytes)])
    assert response.status_code == 201, response.content
    body = response.json()
    number, secret = body["number"], body["secret"]
    assert re.fullmatch(r"REQ-AUT-\d{4}-\d{5}", number) and body["attachments"] == 2
    complaint = Complaint.objects.get(number=number)
    assert secret not in complaint.secret_hash
    assert complaint.location.coords == pytest.approx(TETOUAN)
    assert sorted(complaint.attachments.values_list("mime", flat=True)) == ["application/pdf", "image/png"]
    assert [m.to for m in mailoutbox] == [["citoyen@example.ma"]] and body["tracking_url"] in mailoutbox[0].body
    link = urlsplit(body["tracking_url"])  # the secret only after "#": never sent to a server
    assert link.fragment == f"s={secret}" and secret not in link.path + link.query

    # The tracking page, once the link's secret is posted (as its script does): status, no personal data.
    html = open_tracking(client, number, secret).content.decode()
    assert number in html and 'data-status="received"' in html
    assert "Fatima" not in html and "citoyen@example.ma" not in html and secret not in html

    # Staff route it, exchange a note, answer with reasons, close: through the admin change form.
    client.force_login(agent)
    url = reverse("admin:es_complaints_complaint_change", args=[complaint.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_post(client, url, route_to=urbanism.pk, internal_note="Visite prévue mardi.").status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "routed" and complaint.department == urbanism
    assert complaint.due_at == complaint.created_at + timedelta(days=30)
    assert mailoutbox[-1].to == ["controle@aut.ma"]
    answer = "Un procès-verbal d'infraction a été dressé le 12/11 et transmis au parquet (art. 66 de la loi 12-90)."
    with django_capture_on_commit_callbacks(execute=True):
        admin_post(client, url, reasoned_answer=answer)
    assert mailoutbox[-1].to == ["citoyen@example.ma"] and answer in mailoutbox[-1].body
    admin_post(client, url, close="on")
    client.logout()

    status = client.get(f"{API}/{number}", HTTP_X_TRACKING_SECRET=secret).json()
    assert status["status"] == "closed" and status["answer"] == answer and status["service"] == "Service du contrôle"
    assert [h["status"] for h in status["history"]] == ["received", "routed", "answered", "closed"]
    page = open_tracking(client, number, secret).content.decode()
    assert answer.replace("'", "&#x27;") in page and "Visite prévue" not in page
    actions = list(AuditEvent.objects.filter(item_ref=number).values_list("action", "actor__username"))
    assert actions == [("filed", None), ("routed", "agent_aut"), ("note", "agent_aut"), ("answered", "agent_aut"),
                       ("closed", "agent_aut")]


def test_the_receipt_page_shows_the_link_and_its_qr_code_once(client, tmp_path):
    response = client.post(reverse("eservices:complaint-new"), {
        "agency": "AUT", "category": "autre", "subject": "Bruit de chantier la nuit", "text": "Depuis une semaine.",
        "lon": TETOUAN[0], "lat": TETOUAN[1]})
    assert response.status_code == 302 and "REQ-AUT-" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    number = re.search(r'id="number">([^<]+)<', page).group(1)
    secret = re.search(r'id="secret">([^<]+)<', page).group(1)
    link = re.search(r'id="tracking-link" href="([^"]+)"', page).group(1)
    assert urlsplit(link).fragment == f"s={secret}" and secret not in response["Location"]
    assert decode_qr_data_uri(re.search(r'id="qr" src="([^"]+)"', page).group(1), tmp_path) == link
    again = client.get(response["Location"]).content.decode()  # the same browser reads it on, without the secret
    assert number in again and secret not in again and 'id="qr"' not in again


def test_arabic_tracking_page_is_right_to_left(client):
    body = file(client).json()
    html = open_tracking(client, body["number"], body["secret"], lang="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in html and "تم التوصل بها" in html


@pytest.mark.parametrize("fields, status, message", [
    ({"attachments": SimpleUploadedFile("plan.pdf", DISGUISED)}, 400, "'plan.pdf' is not an accepted type"),
    ({"lon": 503243, "lat": 554174}, 400, "is not lon/lat in degrees (Lambert metres?)"),
    ({"lon": -10.05, "lat": 28.98}, 400, "outside the territory of agency AUT"),
    ({"agency": "XYZ"}, 400, "unknown agency 'XYZ'; known agencies: AUD, AUG, AUL, AUT"),
    ({"category": "bruit"}, 400, "category='bruit' is not one of"),
    ({"text": "  "}, 400, "`text` is empty"),
])
def test_bad_input_is_refused_and_stores_nothing(client, fields, status, message):
    before = (Complaint.objects.count(), ComplaintAttachment.objects.count(), AuditEvent.objects.count(),
              list(Sequence.objects.values_list("key", "value")))
    response = file(client, **fields)
    assert response.status_code == status and message in response.json()["description"], response.content
    assert before == (Complaint.objects.count(), ComplaintAttachment.objects.count(), AuditEvent.objects.count(),
                      list(Sequence.objects.values_list("key", "value")))


def test_oversized_attachment_gets_413(client, settings, pdf_bytes):
    settings.ESERVICES_MAX_ATTACHMENT_BYTES = 1000
    before = Complaint.objects.count()
    response = file(client, attachments=SimpleUploadedFile("scan.pdf", pdf_bytes))
    assert response.status_code == 413 and "the limit is 1000 bytes" in response.json()["description"]
    assert Complaint.objects.count() == before


def test_unknown_number_and_wrong_secret(client):
    body = file(client).json()
    unknown = client.get(f"{API}/REQ-AUT-1999-00001", HTTP_X_TRACKING_SECRET=body["secret"])
    assert unknown.status_code == 404 and "no complaint numbered" in unknown.json()["description"]
    wrong = client.get(f"{API}/{body['number']}", HTTP_X_TRACKING_SECRET="guess")
    assert wrong.status_code == 403 and "secret does not match" in wrong.json()["description"]
    page = client.post(reverse("eservices:complaint-track-form"), {"number": body["number"], "secret": "guess"})
    assert page.status_code == 403 and "secret does not match" in page.content.decode()
    assert 'name="secret"' in page.content.decode()  # the tracking form, to try again
    assert client.get(f"{API}/{body['number']}").status_code == 400
    # Not opened with its secret: the page is the form, without the complaint.
    html = client.get(reverse("eservices:complaint-track", args=[body["number"]])).content.decode()
    assert 'name="secret"' in html and 'data-status=' not in html


def test_a_short_answer_is_not_a_reasoned_answer(client, agent):
    complaint = Complaint.objects.get(number=file(client).json()["number"])
    client.force_login(agent)
    response = admin_post(client, reverse("admin:es_complaints_complaint_change", args=[complaint.pk]),
                          reasoned_answer="Non.")
    assert "a reasoned answer states its reasons" in client.get(response.url).content.decode()
    complaint.refresh_from_db()
    assert complaint.status == "received" and complaint.answer == ""


def test_staff_see_only_their_agency(client, agent_aug, agent):
    complaint = Complaint.objects.get(number=file(client).json()["number"])
    client.force_login(agent_aug)
    listing = client.get(reverse("admin:es_complaints_complaint_changelist")).content.decode()
    assert complaint.number not in listing
    assert client.get(reverse("admin:es_complaints_complaint_change", args=[complaint.pk])).status_code == 302
    client.force_login(agent)
    assert complaint.number in client.get(reverse("admin:es_complaints_complaint_changelist")).content.decode()


def test_supervisors_see_delays_and_overdue_per_service(client, supervisor, agent, urbanism):
    numbers = [file(client).json()["number"] for _ in range(3)]
    late = Complaint.objects.get(number=numbers[0])
    late.department, late.status, late.due_at = urbanism, "routed", timezone.now() - timedelta(days=2)
    late.save()
    anonymous = client.get(f"{API}/delays", {"agency": "AUT"})
    assert anonymous.status_code == 401
    client.force_login(agent)
    assert client.get(f"{API}/delays", {"agency": "AUT"}).status_code == 403
    client.force_login(supervisor)
    rows = {r["service"]: r for r in client.get(f"{API}/delays", {"agency": "AUT"}).json()["services"]}
    assert rows["controle"]["open"] == 1 and rows["controle"]["overdue"] == 1
    assert rows[""]["open"] == 2 and rows[""]["overdue"] == 0
    page = client.get(reverse("eservices:complaint-delays"), {"agency": "AUT"}).content.decode()
    assert late.number in page and "Service du contrôle" in page
    assert client.get(f"{API}/delays", {"agency": "AUG"}).status_code == 403


def test_the_form_page_shows_the_error_and_keeps_what_was_typed(client):
    before = Complaint.objects.count()
    response = client.post(reverse("eservices:complaint-new"), {
        "agency": "AUT", "category": "autre", "subject": "Bruit de chantier la nuit", "text": "Depuis une semaine.",
        "attachments": SimpleUploadedFile("photo.jpg", DISGUISED)})
    html = response.content.decode()
    assert response.status_code == 400 and "is not an accepted type" in html
    assert 'value="Bruit de chantier la nuit"' in html and "Depuis une semaine." in html
    assert Complaint.objects.count() == before


def test_too_many_submissions_from_one_address(client, settings):
    settings.ESERVICES_SUBMISSIONS_PER_HOUR = 2
    address = {"REMOTE_ADDR": "192.0.2.77"}
    assert [client.post(API, {"agency": "AUT", "category": "autre", "subject": "s", "text": "t"}, **address)
            .status_code for _ in range(2)] == [201, 201]
    before = Complaint.objects.count()
    response = client.post(API, {"agency": "AUT", "category": "autre", "subject": "s", "text": "t"}, **address)
    assert response.status_code == 429 and "more than 2 complaint submissions" in response.json()["description"]
    assert Complaint.objects.count() == before


def test_staff_open_attachments_from_the_admin(client, agent, agent_aug, png_bytes):
    number = file(client, attachments=[SimpleUploadedFile("photo.png", png_bytes)]).json()["number"]
    complaint = Complaint.objects.get(number=number)
    client.force_login(agent)
    response = client.get(reverse("admin:es_complaints_complaint_change", args=[complaint.pk]))
    page = response.content.decode()
    url = re.search(r'<a href="([^"]+/attachments/[0-9]+)" download>photo.png</a>', page)
    url = url.group(1)
    assert "/media/" not in page
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == png_bytes
    assert response["Content-Disposition"] == 'attachment; filename="photo.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(agent_aug)  # staff of another agency
    assert client.get(url).status_code == 403
