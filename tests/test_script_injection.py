"""No script injection through published data (issue 13, item 2), in a real Chromium on the live server.

A publisher's payloads (tests/hostile_data.py) sit in the zone rule, zone,
servitude and plan in force, a scanned sheet's title and an upload's file
and field values. On every page that shows them — OGC HTML pages, embeds,
the map's panel and layer switcher, the note's page, PDF and verification
page, the staff's upload and validation report pages, the admin — the
browser must show them as text: no dialog, no element of theirs in the DOM,
a strict Content-Security-Policy on every document and no violation of it
by our own assets. Oracles: the payload strings themselves, read back from
the page's text, and the browser's own dialog and CSP violation events.
"""
import html.parser
import json
import subprocess
import urllib.parse
import urllib.request
from types import SimpleNamespace

import pytest

from frontend.tests.test_map_browser import browser  # noqa: F401 (fixture)
from frontend.tests.test_map_sheets_browser import _in_thread, _scan
from layers.tests.files import multi, write_layer
from tests import hostile_data as hostile
from tests.hostile_data import GuardedPage, committed

pytestmark = pytest.mark.browser
PASSWORD = "pw-xss-tests-0123"


@pytest.fixture(scope="module")
def published(django_db_blocker, live_server_url):
    """The payloads in the plan in force, committed; the sample data is restored afterwards."""
    from plans.models import PlanDocument

    def write():
        plan = PlanDocument.objects.in_force().get(reference="pa-tetouan-centre")
        found = hostile.target(plan)
        return SimpleNamespace(plan=plan, **found, saved=hostile.publish(plan, found["zone"], found["servitude"]))

    yield from committed(django_db_blocker, write,
                         lambda data: hostile.restore(data.plan, data.zone, data.servitude, data.saved))


@pytest.fixture(scope="module")
def people(django_db_blocker):
    """An editor of AUT (staff pages) and a superuser (admin, job dashboard), committed."""
    from django.contrib.auth import get_user_model

    from geoportal.staff import roles
    from plans.models import Agency

    User = get_user_model()

    def create():
        editor = User.objects.create_user("xss-editor", password=PASSWORD)
        roles.grant(editor, Agency.objects.get(code="AUT"), roles.EDITOR)
        return SimpleNamespace(editor=editor, root=User.objects.create_superuser("xss-root", "r@agence.ma", PASSWORD))

    yield from committed(django_db_blocker, create,
                         lambda made: User.objects.filter(pk__in=[made.editor.pk, made.root.pk]).delete())


@pytest.fixture(scope="module")
def hostile_sheet(published, django_db_blocker, tmp_path_factory):
    """A scanned sheet of the plan in force whose title is a payload (it names a layer of the map's switcher)."""
    from django.core.files import File

    from layers.publishing.sheets import make_cog
    from plans.models import PlanAttachment

    folder = tmp_path_factory.mktemp("sheet")

    def create():
        cog = folder / "scan.cog.tif"
        make_cog(_scan(folder / "scan.tif"), cog)
        sheet = PlanAttachment(plan=published.plan, kind=PlanAttachment.Kind.SHEET, title_fr=hostile.SHEET_TITLE,
                               title_ar=hostile.SHEET_TITLE, sha256="5" * 64)
        with open(cog, "rb") as handle:
            sheet.file.save("xss-sheet.cog.tif", File(handle), save=True)
        return sheet

    def remove(sheet):
        sheet.file.delete(save=False)
        sheet.delete()

    yield from committed(django_db_blocker, create, remove)


@pytest.fixture(scope="module")
def hostile_upload(people, published, sample_dataset, django_db_blocker, tmp_path_factory):
    """An upload through the publishing path (receive, stage, map fields, validate) with payloads in its
    file name, zone codes, labels and COS values, left validated for the staff pages."""
    from layers.publishing import uploads
    from layers.models import AuditEntry, FieldMapping, LayerUpload
    from plans.models import Agency

    spec = sample_dataset.agencies[0]
    zones = next(p for p in spec.plans if p.status == "approved").zones
    n = len(zones)
    path = write_layer(tmp_path_factory.mktemp("upload") / "zones.gpkg", [multi(g) for _c, g in zones], {
        "ZONE_CODE": [hostile.UPLOAD_CODE] + [c for c, _g in zones[1:]], "NOM": [hostile.LABEL] * n,
        "COS_MAX": ["'><img src=x onerror=alert('cos')>"] + ["1,5"] * (n - 1)}, spec.srid)

    def create():
        with open(path, "rb") as handle:
            handle.size = path.stat().st_size
            upload = uploads.receive(people.editor, Agency.objects.get(code="AUT"), "zones", handle,
                                     hostile.FILE_NAME, plan=published.plan)
        uploads.stage(upload)
        uploads.map_fields(upload, {"code": "ZONE_CODE", "label_fr": "NOM", "cos": "COS_MAX"}, people.editor)
        uploads.validate(upload, people.editor)
        return upload

    def remove(upload):
        uploads.discard(upload)
        AuditEntry.objects.filter(upload_id=upload.pk).delete()
        FieldMapping.objects.filter(updated_by=people.editor).delete()
        LayerUpload.objects.filter(pk=upload.pk).delete()

    yield from committed(django_db_blocker, create, remove)


@pytest.fixture
def guarded(browser, live_server_url):  # noqa: F811
    pages = []

    def make(user=None):
        pages.append(GuardedPage(browser, live_server_url))
        if user is not None:
            page = pages[-1].page
            page.goto(f"{live_server_url}/admin/login/")
            page.fill("#id_username", user.username)
            page.fill("#id_password", PASSWORD)
            page.click("input[type=submit]")
            page.wait_for_load_state("networkidle")
        return pages[-1]

    yield make
    for page in pages:
        page.close()


def shown(page):
    return page.locator("body").inner_text()


def test_ogc_html_pages_show_the_payloads_as_text(guarded, published):
    p = guarded()
    code = urllib.parse.quote(hostile.CODE)
    page = p.visit(f"/ogc/collections/zones/items?f=html&code={code}", ready="#items-map path.leaflet-interactive")
    assert hostile.CODE in shown(page) and hostile.LABEL[:19] in shown(page)  # the table truncates at 35
    page.locator("#items-map path.leaflet-interactive").first.click(force=True)
    assert page.locator(".leaflet-popup-content a").inner_text() == hostile.CODE
    p.check_safe()

    page = p.visit(f"/ogc/collections/zones/items/{published.zone.pk}?f=html", ready="#item-map path")
    for text in (hostile.CODE, hostile.LABEL, hostile.LABEL_AR, hostile.LINK, hostile.PLAN_TITLE):
        assert text in shown(page), text
    assert page.locator("a[href^='javascript:']").count() == 0
    p.check_safe()

    page = p.visit(f"/ogc/collections/servitudes/items/{published.servitude.pk}?f=html", ready="#item-map path")
    for text in (hostile.SERVITUDE_LABEL, hostile.SERVITUDE_CODE, hostile.SERVITUDE_RULE):
        assert text in shown(page), text
    page = p.visit(f"/ogc/collections/catalogue/items/{published.plan.pk}?f=html", ready="#item-map path")
    assert hostile.PLAN_TITLE in shown(page) and hostile.PLAN_TITLE_AR in shown(page)
    p.check_safe()

    for path, ready in [("/ogc/collections/zones?f=html", "#collection-map path"),
                        ("/ogc/collections/zones/tiles?f=html", "#tiles-map canvas"),
                        ("/ogc/?f=html", None), ("/ogc/openapi?f=html", ".swagger-ui .info")]:
        p.visit(path, ready=ready)
        p.check_safe()


def _hover(page, lat, lon):
    """Move the mouse over (lat, lon) of the folium map of the page."""
    x, y = page.evaluate("""([lat, lon]) => {
        const name = Object.keys(window).find(k => k.startsWith("map_") && window[k] instanceof L.Map);
        const point = window[name].latLngToContainerPoint([lat, lon]);
        const box = document.getElementById(name).getBoundingClientRect();
        return [box.x + point.x, box.y + point.y];
    }""", [lat, lon])
    page.mouse.move(x, y)
    page.wait_for_selector(".leaflet-tooltip")
    return page.locator(".leaflet-tooltip").inner_text()


def test_embeds_show_the_payloads_as_text(guarded, published):
    p = guarded()
    page = p.visit(f"/embed/plan/{published.plan.pk}", ready=".folium-map path")
    assert _hover(page, published.in_zone.y, published.in_zone.x).split("\n") == [hostile.CODE, hostile.LABEL]
    p.check_safe()
    page = p.visit(f"/embed/parcel/{published.parcel.title_number}?agency=AUT", ready=".folium-map path")
    assert hostile.LABEL in _hover(page, published.near_parcel.y, published.near_parcel.x)
    p.check_safe()
    assert all("frame-ancestors *" in policy for policy in p.policies.values()), p.policies


def test_map_panel_and_layer_switcher_show_the_payloads_as_text(guarded, published, hostile_sheet):
    point = published.in_zone
    p = guarded()
    page = p.visit(f"/carte/#map=18/{point.y:.7f}/{point.x:.7f}&layers=zones,sheet-{hostile_sheet.pk}", ready="body[data-ready]")
    page.mouse.click(*_centre(page))  # on the zone
    page.wait_for_selector("#panel:not([hidden]) .zone-code")
    assert page.locator("#panel .zone-code").first.inner_text() == hostile.CODE
    panel = page.locator("#panel").inner_text()
    for text in (hostile.LABEL, hostile.PLAN_TITLE, hostile.DECREE):
        assert text in panel, text
    assert hostile.SHEET_TITLE in page.locator(".leaflet-control-layers").inner_text()
    p.check_safe()

    page = p.visit(f"/parcel/{published.parcel.title_number}?agency=AUT", ready="#panel:not([hidden]) .servitude")
    panel = page.locator("#panel").inner_text()
    for text in (hostile.CODE, hostile.LABEL, hostile.SERVITUDE_LABEL, hostile.SERVITUDE_CODE, hostile.SERVITUDE_RULE):
        assert text in panel, text
    p.check_safe()


def _centre(page):
    box = page.locator("#map").bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _squashed(text):
    return "".join(text.split())


class _Markup(html.parser.HTMLParser):
    """The elements and attributes an HTML source really contains."""

    def __init__(self, source):
        super().__init__()
        self.tags = []
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_note_page_pdf_and_verification_show_the_payloads_as_text(guarded, published, live_server_url, tmp_path,
                                                                  django_db_blocker):
    request = urllib.request.Request(f"{live_server_url}/api/notes", json.dumps(
        {"title_number": published.parcel.title_number, "agency": "AUT"}).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        note = json.load(response)
    payloads = (hostile.CODE, hostile.LABEL, hostile.SERVITUDE_LABEL, hostile.PLAN_TITLE)
    p = guarded()
    for path in (f"/notes/{note['number']}", f"/verify/{note['number']}"):
        page = p.visit(path)
        for text in payloads + (hostile.TEMPLATE,):
            assert text in shown(page), (path, text)
        p.check_safe()

    with urllib.request.urlopen(note["links"]["pdf"]) as response:
        (tmp_path / "note.pdf").write_bytes(response.read())
    text = subprocess.run(["pdftotext", "-raw", str(tmp_path / "note.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    for payload in payloads:
        assert _squashed(payload) in _squashed(text), payload

    def pdf_source():
        from django.template.loader import render_to_string

        from plans.models import IssuedNote
        from plans.note.render import context

        return render_to_string("note/pdf.html", context(IssuedNote.objects.get(number=note["number"])))

    with django_db_blocker.unblock():
        source = _in_thread(pdf_source)
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(&#x27;label_fr&#x27;)&gt;" in source
    tags = _Markup(source).tags
    assert not [tag for tag, attrs in tags if tag == "script" or any(name.startswith("on") for name in attrs)]
    assert [attrs["src"][:19] for tag, attrs in tags if tag == "img"] == ["data:image/svg+xml;"]  # the QR code only


def test_staff_upload_and_report_pages_show_the_payloads_as_text(guarded, people, hostile_upload):
    p = guarded(people.editor)
    page = p.visit("/layers/")
    assert hostile.FILE_NAME in shown(page)
    p.check_safe()
    page = p.visit(f"/layers/uploads/{hostile_upload.pk}/")
    assert hostile.FILE_NAME in shown(page) and hostile.UPLOAD_CODE in shown(page)
    p.check_safe()
    page = p.visit(f"/layers/uploads/{hostile_upload.pk}/report", ready="#map canvas")
    assert "<img src=x onerror=alert(''cos'')>" in shown(page) and hostile.FILE_NAME in shown(page)  # quoted as SQL does
    p.check_safe()


def test_admin_and_job_dashboard_keep_working_under_the_policy(guarded, people, published):
    p = guarded(people.root)
    page = p.visit(f"/admin/plans/zonerule/?q={urllib.parse.quote('onerror')}")
    assert hostile.LABEL in shown(page)
    p.check_safe()
    page = p.visit(f"/admin/plans/zone/{published.zone.pk}/change/", ready=".dj_map .ol-viewport canvas")
    assert page.input_value("#id_code") == hostile.CODE
    p.check_safe()
    p.visit(f"/admin/plans/servitude/{published.servitude.pk}/change/", ready=".dj_map .ol-viewport canvas")
    p.check_safe()
    page = p.visit("/django-rq/")
    assert "default" in shown(page)
    p.check_safe()


@pytest.mark.parametrize("path", [
    "/", "/?lang=ar", "/carte/", "/carte/?lang=ar", "/donnees/", "/notes/new", "/extraits", "/services/", "/services/requetes/nouvelle/",
    "/services/requetes/suivi/", "/services/documents/", "/services/tarifs/", "/services/factures/nouvelle/",
    "/services/commissions/", "/services/dossiers/", "/ogc/collections?f=html", "/ogc/conformance?f=html",
    "/ogc/TileMatrixSets?f=html", "/ogc/TileMatrixSets/WebMercatorQuad?f=html",
    "/ogc/collections/zones/queryables?f=html", "/ogc/collections/zones/schema?f=html", "/admin/login/",
])
def test_every_page_has_a_strict_policy_our_assets_keep(guarded, path):
    p = guarded()
    p.visit(path, ready="body[data-ready]" if path.startswith("/carte/") else None)
    p.check_safe()
