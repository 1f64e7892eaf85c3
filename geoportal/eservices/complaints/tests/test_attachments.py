"""Complaint attachments against the live server (gunicorn, DEBUG off): hostile files are refused by their
content and leave nothing; accepted ones are stored under names the server chooses, outside every public URL,
and are read only by the agency's staff and the filer, as downloads a browser never renders."""
import re

import pytest
import requests

from conftest import ROOT, in_db
from geoportal.eservices.conftest import TETOUAN

from .hostile_files import hostile, jpeg_bytes

pytestmark = pytest.mark.django_db
LIVE_PRIVATE, LIVE_MEDIA = ROOT / "var" / "private", ROOT / "var" / "media"  # the live server's defaults
FORM = {"agency": "AUT", "category": "infraction", "subject": "Chantier sans autorisation",
        "text": "Surélévation sans panneau de chantier.", "lon": TETOUAN[0], "lat": TETOUAN[1]}


@pytest.fixture(scope="module")
def agents(django_db_setup, django_db_blocker):
    """{"aut": headers, "aug": headers}: API tokens of committed e-services agents of AUT and of AUG."""
    def make():
        from django.contrib.auth import get_user_model

        from geoportal.staff.models import grant
        from layers.records import ApiToken
        from plans.models import Agency

        tokens = {}
        for code in ("AUT", "AUG"):
            user = get_user_model().objects.create_user(f"live-agent-{code}", password="x-secret-42", is_staff=True)
            grant(user, Agency.objects.get(code=code), services_role="agent")
            tokens[code.lower()] = {"Authorization": f"Token {ApiToken.issue(user, 'live test')[1]}"}
        return tokens

    def clean():
        from django.contrib.auth import get_user_model

        from geoportal.eservices.common.models import AuditEvent
        from geoportal.eservices.complaints.models import Complaint

        for complaint in Complaint.objects.filter(subject=FORM["subject"], text=FORM["text"]):
            for item in complaint.attachments.all():
                item.file.delete(save=False)
            AuditEvent.objects.filter(item_ref=complaint.number).delete()
            complaint.delete()
        get_user_model().objects.filter(username__startswith="live-agent-").delete()

    yield in_db(django_db_blocker, make)
    in_db(django_db_blocker, clean, owner=True)


def _file(live_server_url, *files):
    return requests.post(f"{live_server_url}/api/services/complaints", data=FORM, timeout=60,
                         files=[("attachments", item) for item in files])


def _stored():
    from geoportal.eservices.common.models import AuditEvent
    from geoportal.eservices.complaints.models import Complaint, ComplaintAttachment

    files = sorted(p for root in (LIVE_PRIVATE, LIVE_MEDIA / "eservices") for p in root.rglob("*") if p.is_file())
    return Complaint.objects.count(), ComplaintAttachment.objects.count(), AuditEvent.objects.count(), files


def test_hostile_attachments_are_refused_and_leave_nothing(live_server_url, agents, pdf_bytes, png_bytes):
    cases = hostile(pdf_bytes, png_bytes)
    assert len(cases) >= 20
    before = _stored()
    for case, (name, data, says) in cases.items():
        response = _file(live_server_url, (name, data, "application/octet-stream"))
        assert response.status_code == 400, (case, response.status_code, response.text[:300])
        body = response.json()
        assert body["parameter"] == "attachments" and says in body["description"], (case, body["description"])
        assert name in body["description"], case
    assert _stored() == before


def test_accepted_attachments_are_private_and_served_only_to_who_may_read_them(live_server_url, agents,
                                                                               pdf_bytes, png_bytes):
    from geoportal.eservices.complaints.models import Complaint

    jpeg = jpeg_bytes()
    response = _file(live_server_url, ("../../../etc/passwd.pdf", pdf_bytes, "application/pdf"),
                     ("photo.png", png_bytes, "image/png"), ("<img src=x onerror=alert(1)>.jpg", jpeg, "image/jpeg"))
    assert response.status_code == 201, response.text
    number, secret = response.json()["number"], response.json()["secret"]
    items = list(Complaint.objects.get(number=number).attachments.order_by("pk"))
    assert [a.original_name for a in items] == ["passwd.pdf", "photo.png", "<img src=x onerror=alert(1)>.jpg"]
    for item, ext in zip(items, ("pdf", "png", "jpg")):
        assert re.fullmatch(rf"complaints/aut/[0-9a-f]{{32}}\.{ext}", item.file.name), item.file.name
        assert (LIVE_PRIVATE / item.file.name).is_file() and not (LIVE_MEDIA / item.file.name).exists()
        for public in (f"/media/{item.file.name}", f"/media/eservices/complaints/{number}/photo.png",
                       f"/private/{item.file.name}", f"/var/private/{item.file.name}"):
            assert requests.get(live_server_url + public, timeout=30).status_code == 404, public

    urls = [f"{live_server_url}/api/services/complaints/{number}/attachments/{a.pk}" for a in items]
    assert requests.get(urls[0], timeout=30).status_code == 401  # anonymous
    assert requests.get(urls[0], headers={"X-Tracking-Secret": "guess"}, timeout=30).status_code == 403
    assert requests.get(urls[0], headers=agents["aug"], timeout=30).status_code == 403  # another agency's staff
    other = _file(live_server_url, ("autre.png", png_bytes, "image/png")).json()
    assert requests.get(urls[0], headers={"X-Tracking-Secret": other["secret"]}, timeout=30).status_code == 403
    elsewhere = Complaint.objects.get(number=other["number"]).attachments.get().pk  # another complaint's file
    assert requests.get(f"{live_server_url}/api/services/complaints/{number}/attachments/{elsewhere}",
                        headers={"X-Tracking-Secret": secret}, timeout=30).status_code == 404

    filer = requests.Session()  # a browser that opened the tracking link (its script posts the secret)
    form = filer.get(f"{live_server_url}/services/requetes/suivi/{number}/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    opened = filer.post(f"{live_server_url}/services/requetes/suivi/", timeout=30, headers={"Referer": form.url},
                        data={"number": number, "secret": secret, "csrfmiddlewaretoken": token})
    assert opened.status_code == 200 and number in opened.text and secret not in opened.url
    for who, get in [("filer's session", filer.get), ("secret header", lambda url, **kw: requests.get(
            url, headers={"X-Tracking-Secret": secret}, **kw)),
                     ("agency staff", lambda url, **kw: requests.get(url, headers=agents["aut"], **kw))]:
        for url, item, data in zip(urls, items, (pdf_bytes, png_bytes, jpeg)):
            answer = get(url, timeout=30)
            assert answer.status_code == 200 and answer.content == data, (who, url)
            assert answer.headers["Content-Type"] == item.mime and answer.headers["X-Content-Type-Options"] == "nosniff"
            assert answer.headers["Content-Disposition"].startswith("attachment; filename")
            assert "sandbox" in answer.headers["Content-Security-Policy"]
            assert "no-store" in answer.headers["Cache-Control"]
