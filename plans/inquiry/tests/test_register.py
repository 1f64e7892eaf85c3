"""The register of observations: filing by anyone during the inquiry, receipts and secrets, co-signing,
moderation by the agency (personal data never public), groups and reasoned answers e-mailed to everyone."""
import datetime
import io
import json

import pytest
import segno
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from geoportal.staff.models import grant
from plans.models import Agency, Parcel, PlanDocument
from plans.inquiry.models import Observation

from .conftest import body, work

pytestmark = pytest.mark.django_db
AUTHOR = {"name": "Fatima Zahra Bennani", "email": "fatima.bennani@example.ma"}


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.INQUIRY_SUBMISSIONS_PER_HOUR = 10_000
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def draft():
    plan = PlanDocument.objects.get(reference="pa-tetouan-centre", version=3)
    today = timezone.localdate()
    plan.inquiry_start, plan.inquiry_end = today - datetime.timedelta(days=5), today + datetime.timedelta(days=25)
    plan.save(update_fields=["inquiry_start", "inquiry_end"])
    return plan


@pytest.fixture
def staff(client):
    user = User.objects.create_user("agent-aut", password="x")
    grant(user, Agency.objects.get(code="AUT"), services_role="agent")
    return user


def _point(plan):
    centre = plan.perimeter.point_on_surface
    return {"lon": centre.x, "lat": centre.y}


def _file(client, plan, **fields):
    body = {"text": "La voie projetée VP2 coupe notre maison familiale ; nous demandons son déplacement.",
            "theme": "voirie", "article": "Article 7", **_point(plan), **fields}
    return client.post(f"/api/inquiries/{plan.id}/observations", json.dumps(body), content_type="application/json")


def _png():
    buffer = io.BytesIO()
    segno.make("plan de masse").save(buffer, kind="png", scale=3)
    return buffer.getvalue()


def test_anyone_files_an_observation_and_gets_a_receipt_and_a_secret_link(client, draft):
    response = _file(client, draft, **AUTHOR)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == f"OBS-AUT-{draft.id}-00001" and body["position"] == 1
    assert body["link"].endswith(f"/enquete/observations/{body['number']}/#s={body['secret']}")
    second = _file(client, draft).json()  # anonymous
    assert second["number"] == f"OBS-AUT-{draft.id}-00002"
    stored = Observation.objects.get(number=body["number"])
    assert body["secret"] not in stored.secret_hash and stored.author_email == AUTHOR["email"]
    assert stored.commune is not None and stored.theme == "voirie" and stored.article == "Article 7"

    mine = client.get(f"/api/observations/{body['number']}", HTTP_X_TRACKING_SECRET=body["secret"])
    assert mine.status_code == 200 and mine.json()["status"] == "received"
    assert client.get(f"/api/observations/{body['number']}", HTTP_X_TRACKING_SECRET="wrong").status_code == 403
    assert client.get(f"/api/observations/{body['number']}?secret={body['secret']}").status_code == 400
    # Not published yet: nothing public.
    assert client.get(f"/api/inquiries/{draft.id}/observations").json()["features"] == []
    assert client.get(f"/api/observations/{body['number']}/public").status_code == 404


def test_pinned_to_a_parcel_or_an_area_and_refused_outside_the_draft(client, draft):
    parcel = Parcel.objects.filter(geom__within=draft.perimeter).order_by("title_number").first()
    by_parcel = _file(client, draft, lon=None, lat=None, parcel=parcel.title_number)
    assert by_parcel.status_code == 201, by_parcel.content
    assert Observation.objects.get(number=by_parcel.json()["number"]).parcel == parcel
    x, y = draft.perimeter.point_on_surface.coords
    area = f"POLYGON(({x} {y},{x + 0.0005} {y},{x + 0.0005} {y + 0.0005},{x} {y}))"
    assert _file(client, draft, lon=None, lat=None, area=area).status_code == 201
    outside = _file(client, draft, lon=-7.6, lat=33.6)
    assert outside.status_code == 400 and "outside the perimeter" in outside.json()["description"]
    both = _file(client, draft, parcel=parcel.title_number)
    assert both.status_code == 400 and both.json()["parameter"] == "place"


@pytest.mark.parametrize("start, end", [(1, 30), (-30, -1)])
def test_filing_and_cosigning_are_refused_outside_the_dates(client, draft, staff, start, end):
    published = _file(client, draft).json()["number"]
    client.force_login(staff)
    client.post(f"/api/observations/{published}/moderate", {"decision": "publish"})
    client.logout()
    today = timezone.localdate()
    draft.inquiry_start, draft.inquiry_end = today + datetime.timedelta(days=start), today + datetime.timedelta(days=end)
    draft.save(update_fields=["inquiry_start", "inquiry_end"])
    before = Observation.objects.count()
    refused = _file(client, draft)
    assert refused.status_code == 409
    text = refused.json()["description"]
    assert f"{draft.inquiry_start:%d/%m/%Y}" in text and f"{draft.inquiry_end:%d/%m/%Y}" in text
    assert Observation.objects.count() == before
    cosign = client.post(f"/api/observations/{published}/cosign", {"name": "Karim"})
    assert cosign.status_code == 409


def test_attachments_have_the_complaint_checks(client, draft):
    png = SimpleUploadedFile("plan.png", _png(), content_type="image/png")
    fields = {"text": "Voir le plan joint : la limite de la zone EV passe sur notre jardin.", **_point(draft)}
    ok = client.post(f"/api/inquiries/{draft.id}/observations", {**fields, "attachments": [png]})
    assert ok.status_code == 201, ok.content
    assert ok.json()["attachments"] == 1
    before = Observation.objects.count()
    html = SimpleUploadedFile("plan.png", _png() + b"<script>alert(1)</script>", content_type="image/png")
    refused = client.post(f"/api/inquiries/{draft.id}/observations", {**fields, "attachments": [html]})
    assert refused.status_code == 400 and refused.json()["parameter"] == "attachments"
    assert Observation.objects.count() == before, "a refused attachment loses the whole filing, stores nothing"


def test_staff_moderate_and_the_public_never_sees_personal_data(client, draft, staff):
    number = _file(client, draft, **AUTHOR).json()["number"]
    assert client.post(f"/api/observations/{number}/moderate", {"decision": "publish"}).status_code in (401, 403)
    other = User.objects.create_user("agent-aug", password="x")
    grant(other, Agency.objects.get(code="AUG"), services_role="agent")
    client.force_login(other)
    assert client.post(f"/api/observations/{number}/moderate", {"decision": "publish"}).status_code == 403
    client.force_login(staff)
    public_text = "La voie projetée VP2 coupe une maison ; l'auteur demande son déplacement."
    response = client.post(f"/api/observations/{number}/moderate", {"decision": "publish", "public_text": public_text})
    assert response.status_code == 200 and response.json()["status"] == "published"
    client.logout()
    listed = client.get(f"/api/inquiries/{draft.id}/observations")
    ogc = client.get("/ogc/collections/observations/items?f=json&limit=1000")
    tiles_point = draft.perimeter.point_on_surface
    for answer in (listed, ogc, client.get(f"/api/observations/{number}/public")):
        text = answer.content.decode()
        assert answer.status_code == 200
        assert AUTHOR["name"] not in text and AUTHOR["email"] not in text and "familiale" not in text
        assert public_text in text
    feature = json.loads(ogc.content)["features"][0]["properties"]
    assert feature["number"] == number and feature["theme"] == "voirie" and feature["article"] == "Article 7"
    assert set(feature) >= {"number", "text", "answer", "cosignatures", "plan_id"}
    assert not {"author_name", "author_email", "name", "email"} & set(feature)
    assert tiles_point is not None


def test_cosign_group_and_answer_reaches_author_and_cosigners(client, draft, staff, smtp, caplog,
                                                              django_capture_on_commit_callbacks):
    """The answer goes through the real SMTP server (aiosmtpd) to the author and every co-signer with an address;
    no address reaches the log."""
    first = _file(client, draft, **AUTHOR).json()["number"]
    second = _file(client, draft, email="omar@example.ma").json()["number"]
    assert client.post(f"/api/observations/{first}/cosign", {"name": "Karim"}).status_code == 404  # unpublished
    client.force_login(staff)
    for number in (first, second):
        client.post(f"/api/observations/{number}/moderate", {"decision": "publish"})
    client.logout()
    assert client.post(f"/api/observations/{first}/cosign", json.dumps({"name": "Karim", "email": "karim@example.ma"}),
                       content_type="application/json").status_code == 201
    again = client.post(f"/api/observations/{first}/cosign", {"email": "KARIM@example.ma"})
    assert again.status_code == 409
    assert client.post(f"/api/observations/{first}/cosign", {"name": "Sans adresse"}).status_code == 201
    assert client.get(f"/api/observations/{first}/public").json()["cosignatures"] == 2

    client.force_login(staff)
    grouped = client.post(f"/api/inquiries/{draft.id}/groups", json.dumps(
        {"title": "Tracé de la voie VP2", "observations": [first, second]}), content_type="application/json")
    assert grouped.status_code == 201, grouped.content
    reply = ("Le tracé de la voie VP2 sera décalé de 12 m vers l'est pour éviter les constructions existantes, "
             "comme demandé.")
    short = client.post(f"/api/inquiries/groups/{grouped.json()['id']}/answer", {"answer": "Non."})
    assert short.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        answered = client.post(f"/api/inquiries/groups/{grouped.json()['id']}/answer", {"answer": reply})
    assert answered.status_code == 200, answered.content
    with caplog.at_level("DEBUG"):
        work()
    received = {m["To"]: m for m in smtp.messages}
    assert set(received) == {AUTHOR["email"], "karim@example.ma", "omar@example.ma"}
    assert all(reply in body(m) and m["Subject"].strip().startswith("[OBS-AUT-") and "الرد على ملاحظتكم" in m["Subject"]
               and "الرد المعلل" in body(m) for m in received.values())
    ours = " ".join(r.getMessage() for r in caplog.records if r.name != "mail.log")  # mail.log: the test server
    assert "OBS-AUT-" in ours and not any(address in ours for address in received)
    assert client.get(f"/api/observations/{second}/public").json()["answer"] == reply


def test_the_register_is_exported_signed_with_a_qr_code_and_as_csv_and_geopackage(client, draft, staff, tmp_path):
    import csv
    import subprocess

    import pyogrio

    first = _file(client, draft, **AUTHOR).json()["number"]
    second = _file(client, draft, lang="ar", text="نطالب بالحفاظ على المساحة الخضراء قرب الوادي في المشروع.").json()["number"]
    assert client.post(f"/api/inquiries/{draft.id}/register").status_code in (401, 403)
    client.force_login(staff)
    client.post(f"/api/observations/{first}/moderate", {"decision": "publish", "public_text": "Déplacer la voie VP2."})
    client.post(f"/api/observations/{first}/answer",
                {"answer": "La voie VP2 est maintenue : elle dessert le nouvel équipement scolaire E4."})
    issued = client.post(f"/api/inquiries/{draft.id}/register")
    assert issued.status_code == 201, issued.content
    body = issued.json()
    assert body["number"] == f"REG-AUT-{draft.id}-001" and body["counts"]["observations"] == 2
    pdf = client.get(body["links"]["pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "register.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())
    assert body["number"] in text and first in text and second in text
    assert "Déplacer la voie VP2." in text and "équipement scolaire E4" in text
    assert "سجل البحث العمومي" in text or "البحث العمومي" in text
    assert AUTHOR["name"] not in text and AUTHOR["email"] not in text
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    codes = subprocess.run(["zbarimg", "--raw", "-q", *map(str, pages)], capture_output=True, text=True).stdout
    [url] = [line for line in codes.splitlines() if "/verifier" in line]
    assert url.endswith(f"/enquete/registres/{body['number']}/verifier") and url == body["verify"]
    verified = client.get(f"/enquete/registres/{body['number']}/verifier").json()
    assert verified["authentic"] is True and verified["counts"]["observations"] == 2
    from plans.inquiry.models import RegisterExport

    forged = RegisterExport.objects.get(number=body["number"])
    forged.content["counts"]["observations"] = 99
    forged.save()
    assert client.get(f"/enquete/registres/{body['number']}/verifier").json()["authentic"] is False

    rows = list(csv.DictReader(io.StringIO(client.get(body["links"]["csv"]).content.decode("utf-8-sig"))))
    assert [r["number"] for r in rows] == [first, second] and rows[0]["author"] == "nominatif"
    assert rows[1]["author"] == "anonyme" and "المساحة الخضراء" in rows[1]["text"]
    gpkg = tmp_path / "register.gpkg"
    gpkg.write_bytes(client.get(body["links"]["gpkg"]).content)
    info = pyogrio.read_info(gpkg, layer="observations")
    assert info["features"] == 2 and info["crs"] == "EPSG:4326"
    assert "author_email" not in info["fields"] and "number" in info["fields"]


def test_staff_follow_counts_per_commune_and_theme(client, draft, staff):
    _file(client, draft)
    _file(client, draft, theme="reglement")
    assert client.get(f"/api/inquiries/{draft.id}/counts").status_code in (401, 403)
    client.force_login(staff)
    counts = client.get(f"/api/inquiries/{draft.id}/counts").json()
    assert counts["total"] == 2 and counts["by_theme"] == {"voirie": 1, "reglement": 1}
    assert sum(counts["by_commune"].values()) == 2 and counts["by_status"] == {"received": 2}


@pytest.mark.parametrize("lang, direction", [("fr", "ltr"), ("ar", "rtl")])
def test_the_receipt_page_wears_the_site_shell_and_holds_no_secret(client, draft, lang, direction):
    body = _file(client, draft, **AUTHOR).json()
    page = client.get(f"/enquete/observations/{body['number']}/", {"lang": lang})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="site-header"' in html and f'dir="{direction}"' in html and 'id="observation"' in html
    assert body["secret"] not in html and AUTHOR["email"] not in html
