"""Every public page wears the site shell, in a real Chromium against the live test server (gunicorn, DEBUG off).

For each page, in French and in Arabic: the shell's header with its navigation and language switch, the page's
direction, no console error, no request to another host, no request answered 4xx/5xx (the favicon included),
nothing wider than a 360 px phone; a screenshot of each in test-artifacts/portal/ (desktop and phone).
"""
import json
import math
import urllib.request
from pathlib import Path

import pytest

from geoportal.core.shell import SERVICES

from .test_map_browser import Page, _known_zone, browser  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "portal"
NAV_KEYS = [s.key for s in SERVICES if s.nav]

PUBLIC_PAGES = {
    "home": "/",
    "map": "/carte/",
    "map-agency": "/carte/?agency=AUT",
    "open-data": "/donnees/",
    "note-form": "/notes/new",
    "note": "/notes/{note}",
    "verify": "/verify/{note}",
    "extracts": "/extraits",
    "eservices": "/services/",
    "complaint": "/services/requetes/nouvelle/",
    "complaint-track": "/services/requetes/suivi/",
    "permit-file": "/services/dossiers/",
    "commissions": "/services/commissions/",
    "documents": "/services/documents/",
    "tariffs": "/services/tarifs/",
    "invoice": "/services/factures/nouvelle/",
    "ogc-landing": "/ogc/?f=html",
    "ogc-collections": "/ogc/collections?f=html",
    "catalogue": "/ogc/collections/catalogue/items?f=html",
    "zones-items": "/ogc/collections/zones/items?f=html&limit=5",
    "not-found": "/a/nowhere/",
}
# Pages that finish drawing after load say so on <body data-ready> (the map).
READY = {"map": "body[data-ready]", "map-agency": "body[data-ready]"}
EXPECTED_STATUS = {"not-found": 404}


@pytest.fixture(scope="module")
def note_number(live_server_url):
    """A note issued through the live server's API, as a visitor would."""
    request = urllib.request.Request(f"{live_server_url}/api/notes", method="POST",
                                     data=json.dumps({"title_number": "TF 10001/19", "mode": "indicative"}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())["number"]


class ShellPage(Page):
    """A Page that also records answers of 400 and above (a missing favicon is one)."""

    def __init__(self, browser, base, **kwargs):
        super().__init__(browser, base, **kwargs)
        self.failed = []
        self.page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))

    def visit(self, path, ready=None):
        response = self.page.goto(self.base + path)
        if ready:
            self.page.wait_for_selector(ready, timeout=20000)
        self.page.wait_for_load_state("networkidle")
        return response


def _check_shell(page, lang):
    html = page.locator("html")
    assert html.get_attribute("lang") == lang
    assert html.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator("header.site-header").count() == 1
    keys = page.eval_on_selector_all("#site-nav a[data-service]", "links => links.map(a => a.dataset.service)")
    assert keys == NAV_KEYS
    switch = page.locator("#lang-switch")
    assert switch.get_attribute("hreflang") == ("fr" if lang == "ar" else "ar")
    # The shell's fonts are ours, and the page's text is set in them.
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Noto Sans" in family, family
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Arabic\"')" if lang == "ar"
                         else "document.fonts.check('16px \"Noto Sans\"')")


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("name", list(PUBLIC_PAGES))
def test_every_public_page_has_the_shell_and_nothing_foreign(browser, live_server_url, note_number, name, lang):  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = PUBLIC_PAGES[name].format(note=note_number)
    path += ("&" if "?" in path else "?") + f"lang={lang}"
    for width, height, suffix in ((1280, 800, ""), (360, 740, "-360")):
        p = ShellPage(browser, live_server_url, width=width, height=height)
        try:
            response = p.visit(path, READY.get(name))
            expected = EXPECTED_STATUS.get(name, 200)
            assert response.status == expected, f"{path}: {response.status}"
            _check_shell(p.page, lang)
            if expected >= 400:  # Chromium reports the page's own status on the console; nothing else may fail
                p.errors.remove(f"Failed to load resource: the server responded with a status of {expected} (Not Found)")
            p.check_clean()
            unexpected = [f for f in p.failed if f != f"{expected} {response.url}"]
            assert unexpected == [], f"failed requests on {path}: {unexpected}"
            overflow = p.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} is {overflow}px wider than a {width}px screen"
            p.page.screenshot(path=str(ARTIFACTS / f"{name}-{lang}{suffix}.png"), full_page=width == 1280
                              and name not in READY)
        finally:
            p.close()


def test_phone_menu_opens_and_leads_to_each_service(browser, live_server_url):  # noqa: F811
    p = ShellPage(browser, live_server_url, width=360, height=740)
    try:
        p.visit("/?lang=ar")
        nav = p.page.locator("#site-nav")
        assert not nav.is_visible()  # folded behind the menu button on a phone
        p.page.click(".site-menu-toggle")
        assert nav.is_visible()
        assert p.page.locator(".site-menu-toggle").get_attribute("aria-expanded") == "true"
        p.page.screenshot(path=str(ARTIFACTS / "menu-ar-360.png"))
        p.page.click("#site-nav a[data-service=map]")
        p.page.wait_for_selector("body[data-ready]", timeout=20000)
        assert p.page.url.startswith(f"{live_server_url}/carte/") and "lang=ar" in p.page.url
        assert p.page.locator("html").get_attribute("dir") == "rtl"
        p.check_clean()
    finally:
        p.close()


def test_home_links_reach_every_service(browser, live_server_url):  # noqa: F811
    """Each card of the home page opens a page that answers (the staff one asks to sign in)."""
    p = ShellPage(browser, live_server_url)
    try:
        p.visit("/")
        links = p.page.eval_on_selector_all("a.service", "links => links.map(a => [a.dataset.service, a.href])")
        assert [k for k, _ in links] == [s.key for s in SERVICES]
        for key, href in links:
            response = p.page.goto(href)
            assert response.status == 200, f"{key}: {href} → {response.status}"
            if key == "staff":
                assert "/admin/login/" in p.page.url
        p.check_clean()
        assert p.failed == []
    finally:
        p.close()


def _metres_per_pixel(lat, zoom):
    """Ground metres per CSS pixel of Web Mercator at `lat`, zoom `zoom` (256 px tiles): the oracle of a drawn length."""
    return 2 * math.pi * 6378137 * math.cos(math.radians(lat)) / (256 * 2 ** zoom)


def test_measuring_tool_draws_and_the_server_measures_in_lambert(browser, live_server_url, sample_dataset):  # noqa: F811
    agency = sample_dataset.agencies[0]
    _, lon, lat = _known_zone(sample_dataset)
    p = ShellPage(browser, live_server_url, width=1400, height=900)  # room between the layer switcher and the legend
    try:
        p.visit(f"/carte/?lang=ar#map=17/{lat:.6f}/{lon:.6f}", "body[data-ready]")
        box = p.page.locator("#map").bounding_box()
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        p.page.click("#measure-line")
        p.page.mouse.click(cx - 100, cy)
        p.page.mouse.click(cx + 100, cy)
        result = p.page.locator(".measure-result")
        result.wait_for(state="visible", timeout=10000)
        assert result.get_attribute("data-crs") == f"EPSG:{agency.srid}"
        expected = 200 * _metres_per_pixel(lat, 17)
        # Lambert's scale factor near the zone's centre is within 0.1 % of 1; the drawing within a pixel.
        assert float(result.get_attribute("data-value")) == pytest.approx(expected, rel=0.01)
        p.page.click("#measure-area")  # another tool: a surface
        for dx, dy in ((-100, -100), (100, -100), (100, 100), (-100, 100)):
            p.page.mouse.click(cx + dx, cy + dy)
        try:
            p.page.wait_for_selector(".measure-result[data-kind=area][data-vertices='4']", timeout=10000)
        finally:
            p.page.screenshot(path=str(ARTIFACTS / "map-measure-ar.png"))
        side = 200 * _metres_per_pixel(lat, 17)
        assert float(result.get_attribute("data-value")) == pytest.approx(side * side, rel=0.02)
        assert "م²" in result.inner_text()  # in Arabic
        p.page.screenshot(path=str(ARTIFACTS / "map-measure-ar.png"))
        assert p.page.locator("#panel").is_hidden()  # clicks while measuring do not ask what applies there
        p.check_clean()
    finally:
        p.close()


def test_locate_me_shows_where_i_stand_and_what_applies_there(browser, live_server_url, sample_dataset):  # noqa: F811
    agency = sample_dataset.agencies[0]
    code, lon, lat = _known_zone(sample_dataset)
    context = browser.new_context(viewport={"width": 360, "height": 740}, permissions=["geolocation"],
                                  geolocation={"latitude": lat, "longitude": lon, "accuracy": 12})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    try:
        page.goto(f"{live_server_url}/carte/?agency={agency.code}")
        page.wait_for_selector("body[data-ready]", timeout=20000)
        page.click("#locate")
        page.wait_for_selector("body[data-located]", timeout=10000)
        located = [float(v) for v in page.get_attribute("body", "data-located").split(",")]
        assert located == pytest.approx([lat, lon], abs=1e-6)
        page.wait_for_selector("#panel:not([hidden]) .zone-code", timeout=10000)
        assert page.locator("#panel .zone-code").first.inner_text().strip() == code
        page.screenshot(path=str(ARTIFACTS / "map-locate-fr-360.png"))
        assert errors == []
    finally:
        context.close()


def test_old_map_permalinks_on_the_home_page_still_open_the_map(browser, live_server_url, sample_dataset):  # noqa: F811
    _, lon, lat = _known_zone(sample_dataset)
    p = ShellPage(browser, live_server_url)
    try:
        p.page.goto(f"{live_server_url}/?lang=ar#map=18/{lat:.6f}/{lon:.6f}")
        p.page.wait_for_selector("body[data-ready]", timeout=20000)
        assert p.page.url.startswith(f"{live_server_url}/carte/?lang=ar#map=18/")
        p.check_clean()
    finally:
        p.close()
