"""The site shell on every page we render, the home page, the favicon, the colours' one source, the map's
opening extent and the measuring tool (Django's test client on the loaded sample)."""
import json
import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.utils import timezone
from shapely.geometry import LineString, Polygon

from geoportal.core.shell import SERVICES
from geoportal.staff.models import Membership
from plans import vocabulary
from plans.crs import transform_shapely
from plans.models import Agency, PlanDocument

pytestmark = pytest.mark.django_db
NAV = [s.key for s in SERVICES if s.nav]

PAGES = ["/", "/carte/", "/carte/?agency=AUG", "/donnees/", "/notes/new", "/extraits", "/services/",
         "/services/requetes/nouvelle/", "/services/requetes/suivi/", "/services/dossiers/", "/services/commissions/",
         "/services/documents/", "/services/tarifs/", "/services/factures/nouvelle/", "/ogc/?f=html",
         "/ogc/collections?f=html", "/ogc/collections/catalogue/items?f=html", "/ogc/conformance?f=html",
         "/ogc/collections/zones/items?f=html&limit=3"]


def _nav(html):
    return re.findall(r'<a href="[^"]*" data-service="([^"]+)"', html.split('id="site-nav"', 1)[1].split("</nav>")[0])


def _check_shell(html, lang):
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
    assert html.count('<header class="site-header">') == 1
    assert _nav(html) == NAV
    assert 'href="/favicon.ico"' in html and "site/site.css" in html and "/site/vocabulary.css" in html
    assert f'hreflang="{"fr" if lang == "ar" else "ar"}"' in html


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("path", PAGES)
def test_every_public_page_wears_the_shell(client, path, lang):
    response = client.get(path + ("&" if "?" in path else "?") + f"lang={lang}")
    assert response.status_code == 200, path
    _check_shell(response.content.decode(), lang)


def test_note_pages_and_staff_pages_wear_the_shell(client):
    number = client.post("/api/notes", {"title_number": "TF 10001/19"}, content_type="application/json").json()["number"]
    for path in (f"/notes/{number}?lang=ar", f"/verify/{number}?lang=ar"):
        _check_shell(client.get(path).content.decode(), "ar")
    user = User.objects.create_user("portal-gis", password="x")
    Membership.objects.create(user=user, agency=Agency.objects.get(code="AUT"), publishing_role="publisher")
    client.force_login(user)
    html = client.get("/layers/").content.decode()
    _check_shell(html, "fr")
    assert '<span class="site-user">portal-gis</span>' in html


def test_errors_on_pages_are_shell_pages_and_json_on_the_apis(client):
    page = client.get("/a/nowhere/?lang=ar")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
    _check_shell(page.content.decode(), "ar")
    assert "nowhere" in page.content.decode()
    unknown = client.get("/no/such/page")
    assert unknown.status_code == 404
    assert client.get("/api/measure?kind=line&points=1").json()["parameter"] == "points"


def test_the_language_switch_keeps_the_query(client):
    html = client.get("/services/documents/", {"q": "loi", "lang": "fr"}).content.decode()
    assert 'id="lang-switch" class="site-lang" href="/services/documents/?q=loi&amp;lang=ar"' in html


def test_home_page_offers_every_service_in_both_languages(client):
    for lang in ("fr", "ar"):
        html = client.get("/", {"lang": lang}).content.decode()
        cards = re.findall(r'<a class="service" href="([^"]+)" data-service="([^"]+)"><strong>([^<]+)</strong>', html)
        assert [key for _, key, _ in cards] == [s.key for s in SERVICES]
        assert [unescape(title) for _, _, title in cards] == [s.title(lang) for s in SERVICES]
        for href, key, _ in cards:  # each leads somewhere real (staff: to the sign-in page)
            answer = client.get(unescape(href))
            assert answer.status_code in ((302,) if key == "staff" else (200,)), (key, href, answer.status_code)
    # The agencies' own maps, with the count of plans in force (the SQL rule, counted independently here).
    html = client.get("/").content.decode()
    for agency in Agency.objects.all():
        count = sum(1 for p in PlanDocument.objects.filter(agency=agency) if _in_force_today(p))
        assert f'data-agency="{agency.code}">{agency.name_fr}' in html
        assert f"({count} plan" in html.split(f'data-agency="{agency.code}"')[1].split("</a>")[0]


def _in_force_today(plan):
    """The legal rule written out in Python (the product's is SQL, plan_in_force): approved or since replaced,
    in effect, not yet replaced nor expired."""
    today = timezone.localdate()
    return (plan.status in ("approved", "superseded", "expired") and plan.effective_date is not None
            and plan.effective_date <= today and (plan.superseded_on is None or plan.superseded_on > today)
            and (plan.expiry_date is None or plan.expiry_date > today))


def test_favicon_is_an_icon_and_the_fonts_are_ours(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/x-icon"
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # ICO header
    css = open(finders.find("site/site.css")).read()
    fonts = re.findall(r'url\("([^"]+\.woff2)"\)', css)
    assert len(fonts) == 4 and all(finders.find(f"site/{f}") for f in fonts)
    assert "http" not in css


def test_shell_colours_come_from_the_vocabulary(client):
    css = client.get("/site/vocabulary.css").content.decode()
    for family in vocabulary.ZONE_FAMILIES:
        assert f"--zone-{family.key}: {family.colour};" in css
    assert f"--perimeter: {vocabulary.PERIMETER_COLOUR};" in css
    shell_css = open(finders.find("site/site.css")).read()
    assert "--brand: var(--perimeter" in shell_css  # the header's colour is the plans' perimeter colour
    # The home page's swatches are the classes vocabulary.css defines, one per family.
    html = client.get("/").content.decode()
    assert re.findall(r'<i class="zone-([a-z]+)">', html) == [f.key for f in vocabulary.ZONE_FAMILIES]


def _lonlat_bounds(plans):
    xs, ys = [], []
    for p in plans:
        x0, y0, x1, y1 = p.perimeter.extent
        xs += [x0, x1]
        ys += [y0, y1]
    return min(xs), min(ys), max(xs), max(ys)


def _config(client, query=""):
    html = client.get("/carte/" + query).content.decode()
    return json.loads(unescape(re.search(r'<script id="map-config" type="application/json">(.*?)</script>',
                                         html, re.S).group(1)))


def test_map_opens_on_the_plans_in_force_and_an_agency_on_its_own(client):
    in_force = list(PlanDocument.objects.in_force())
    assert in_force
    assert _config(client)["initialBounds"] == pytest.approx(_lonlat_bounds(in_force), abs=1e-9)
    for agency in Agency.objects.all():
        own = [p for p in in_force if p.agency_id == agency.pk]
        expected = _lonlat_bounds(own) if own else agency.jurisdiction.extent
        assert _config(client, f"?agency={agency.code.lower()}")["initialBounds"] == pytest.approx(expected, abs=1e-9)
        assert client.get(f"/a/{agency.code.lower()}/").url == f"/carte/?agency={agency.code}&lang=fr"
    assert client.get("/carte/?agency=NOPE").status_code == 404


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_map_serves_the_observation_form_words_and_the_register_themes(client, lang):
    from django.apps import apps

    config = _config(client, f"?lang={lang}")
    words = config["inquiryWords"]
    assert all(words[key] for key in ("observe_open", "observe_send", "observe_received", "observe_keep"))
    assert words["observe_open"] == ("إبداء ملاحظة" if lang == "ar" else "Déposer une observation")
    # The model's choices, in their order; its French labels are the word table's (one source).
    theme = apps.get_model("inquiry", "Observation")._meta.get_field("theme")
    assert [t["value"] for t in config["observationThemes"]] == [value for value, _ in theme.choices]
    labels = {t["value"]: t["label"] for t in config["observationThemes"]}
    assert labels == {value: vocabulary.OBSERVATION_THEMES[value][lang == "ar"] for value, _ in theme.choices}
    if lang == "fr":
        assert labels == dict(theme.choices)


def _lambert(geom, srid):
    return transform_shapely(geom, 4326, srid)


@pytest.mark.parametrize("code", ["AUT", "AUG"])
def test_measures_are_lambert_metres_of_the_agency(client, code):
    agency = Agency.objects.get(code=code)
    c = agency.jurisdiction.point_on_surface
    line = [(c.x, c.y), (c.x + 0.01, c.y), (c.x + 0.01, c.y + 0.008)]
    answer = client.get("/api/measure", {"kind": "line", "points": ";".join(f"{x},{y}" for x, y in line)}).json()
    assert answer["crs"] == f"EPSG:{agency.srid}" and answer["agency"] == code
    # Oracle: pyproj with the pinned Merchich shift (plans.crs), on shapely's planar length and area.
    assert answer["length_m"] == pytest.approx(_lambert(LineString(line), agency.srid).length, abs=0.02)
    answer = client.get("/api/measure", {"kind": "area", "points": ";".join(f"{x},{y}" for x, y in line)}).json()
    polygon = _lambert(Polygon(line), agency.srid)
    assert answer["area_m2"] == pytest.approx(polygon.area, abs=0.2)
    assert answer["perimeter_m"] == pytest.approx(polygon.length, abs=0.02)
    assert 300_000 < answer["area_m2"] < 500_000  # a right triangle of ~0.9 km × 0.9 km at these latitudes


@pytest.mark.parametrize("points, kind, reason", [
    ("", "line", "vertex 1"), ("-5.3,35.5", "line", "at least 2"), ("-5.3,35.5;-5.2,35.5", "area", "at least 3"),
    ("-5.3,95;-5.2,35.5", "line", "longitude and latitude"), ("a,b;c,d", "line", "not 'lon,lat'"),
    ("-5.37,35.57;-5.36,35.58;-5.36,35.57;-5.37,35.58", "area", "crosses itself"),
    ("-5.3,35.5;-5.2,35.5", "volume", "kind"),
])
def test_bad_measures_are_refused_with_the_reason(client, points, kind, reason):
    answer = client.get("/api/measure", {"kind": kind, "points": points})
    assert answer.status_code == 400 and reason in answer.json()["description"]


def test_open_data_urls_answer(client):
    """Each URL the open-data page gives GIS users answers (OGC API, WMS/WFS capabilities, OpenAPI)."""
    html = client.get("/donnees/").content.decode()
    urls = [unescape(u) for u in re.findall(r'<a href="([^"]+)" data-endpoint="', html)]
    keys = re.findall(r'data-endpoint="([^"]+)"', html)
    assert {"landing", "collections", "zones", "catalogue", "wms", "wfs", "openapi", "api"} <= set(keys)
    for key, url in zip(keys, urls):
        if key == "tiles":
            continue  # a template with {z}/{y}/{x}
        answer = client.get(url.removeprefix("http://testserver"))
        assert answer.status_code == 200, (key, url, answer.status_code)
