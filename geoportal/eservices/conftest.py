"""Fixtures of the e-service tests: staff of the sample agencies, real files (PDF by WeasyPrint, PNG by segno)."""
import io
from urllib.parse import urlsplit

import pytest
import segno

from conftest import in_db, launched_chromium  # noqa: F401 - the e-service tests import in_db from here


TETOUAN = (-5.3626, 35.5889)  # lon, lat inside AUT's territory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # Every test client posts from 127.0.0.1: the per-address limit has its own test.
    settings.ESERVICES_SUBMISSIONS_PER_HOUR = 10_000


def _member(django_user_model, username, agency, role):
    from geoportal.staff.models import grant

    user = django_user_model.objects.create_user(username, f"{username}@agence.ma", "pw-" + username, is_staff=True)
    grant(user, agency, services_role=role)
    return user


@pytest.fixture
def agent(django_user_model, aut):
    return _member(django_user_model, "agent_aut", aut, "agent")


@pytest.fixture
def supervisor(django_user_model, aut):
    return _member(django_user_model, "chef_aut", aut, "supervisor")


@pytest.fixture
def agent_aug(django_user_model, aug):
    return _member(django_user_model, "agent_aug", aug, "agent")


@pytest.fixture(scope="session")
def pdf_bytes():
    """A real PDF with French and Arabic text, rendered by WeasyPrint."""
    from weasyprint import HTML

    html = ("<html><body><h1>Loi n° 25-90 relative aux lotissements</h1>"
            "<p>Le lotissement des terrains est soumis à autorisation préalable de la commune.</p>"
            "<p dir='rtl' lang='ar'>القانون المتعلق بالتجزئات العقارية والمجموعات السكنية وتقسيم العقارات</p>"
            "</body></html>")
    return HTML(string=html).write_pdf()


@pytest.fixture(scope="session")
def png_bytes():
    buffer = io.BytesIO()
    segno.make("photo").save(buffer, kind="png", scale=3)
    return buffer.getvalue()


# A Windows executable named like a PDF: what "disguised" means.
DISGUISED = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def decode_qr_data_uri(data_uri, tmp_path):
    """The text a QR code (PNG data URI) carries, read by zbarimg (zbar-tools)."""
    import base64
    import shutil
    import subprocess

    assert shutil.which("zbarimg"), "zbarimg is missing: install zbar-tools (geoportal/bin/setup-system.sh)"
    path = tmp_path / "qr.png"
    path.write_bytes(base64.b64decode(data_uri.split(",", 1)[1]))
    out = subprocess.run(["zbarimg", "--raw", "-q", str(path)], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def form_fields(html, form_id=None):
    """{name: value} of the inputs, selects and textareas of a page's first form (not the admin's logout form),
    or of the form with id `form_id`."""
    from html.parser import HTMLParser

    class Parser(HTMLParser):
        def __init__(self):
            super().__init__()
            self.fields, self.inside, self.done, self.select, self.textarea = {}, False, False, None, None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            wanted = attrs.get("id") == form_id if form_id else attrs.get("id") != "logout-form"
            if tag == "form" and not self.done and wanted:
                self.inside = True
            if not self.inside:
                return
            name = attrs.get("name")
            if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
                if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                    return
                self.fields[name] = attrs.get("value", "")
            elif tag == "select" and name:
                self.select = name
                self.fields.setdefault(name, "")
            elif tag == "option" and self.select and "selected" in attrs:
                self.fields[self.select] = attrs.get("value", "")
            elif tag == "textarea" and name:
                self.textarea = name
                self.fields[name] = ""

        def handle_data(self, data):
            if self.textarea:
                self.fields[self.textarea] += data

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            elif tag == "textarea":
                self.textarea = None
            elif tag == "form" and self.inside:
                self.inside, self.done = False, True

    parser = Parser()
    parser.feed(html)
    return parser.fields


def admin_post(client, url, **changes):
    """POST an admin change form as a browser would: every field as shown, with `changes` applied."""
    page = client.get(url)
    assert page.status_code == 200, f"GET {url}: {page.status_code}"
    data = form_fields(page.content.decode())
    data.pop("csrfmiddlewaretoken", None)
    data.update(changes)
    return client.post(url, data)




@pytest.fixture
def page(live_server_url):
    """A Chromium page (Playwright) that may reach the live test server only; any other request fails the test."""
    outside = []
    own = urlsplit(live_server_url).netloc
    with launched_chromium() as browser:
        context = browser.new_context(locale="fr-FR")

        def guard(route):
            host = urlsplit(route.request.url).netloc
            if host == own or route.request.url.startswith("data:"):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        yield context.new_page()
    assert outside == [], f"requests left the test server: {outside}"
