"""The public web map in a real Chromium (Playwright, headless, no GPU) against the live test server.

Screenshots of each state are kept in test-artifacts/ for people to look at.
"""
import io
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import launched_chromium
from plans.crs import to_wgs84

pytestmark = pytest.mark.browser  # no `db`: Playwright runs an event loop in this thread
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "webmap"


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with launched_chromium() as chromium:
        yield chromium


class Page:
    """A page that records console errors, failed requests and requests to other hosts."""

    def __init__(self, browser, base, width=1280, height=800):
        self.base = base
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.errors, self.foreign = [], []
        host = urlparse(base).netloc
        # A page without an icon makes the browser ask for /favicon.ico, which we do not serve: not an error.
        self.page.on("console", lambda m: m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")
                     and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: urlparse(r.url).scheme in ("http", "https")
                     and urlparse(r.url).netloc != host and self.foreign.append(r.url))

    def open(self, path):
        self.page.goto(self.base + path)
        self.page.wait_for_selector("body[data-ready]", timeout=20000)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def shot(self, name):
        return self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))

    def check_clean(self):
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.foreign == [], f"requests to other hosts: {self.foreign}"

    def close(self):
        self.context.close()


@pytest.fixture
def page_factory(browser, live_server_url):
    pages = []

    def make(**kwargs):
        pages.append(Page(browser, live_server_url, **kwargs))
        return pages[-1]

    yield make
    for p in pages:
        p.close()


def _known_zone(sample_dataset):
    agency = sample_dataset.agencies[0]
    plan = next(p for p in agency.plans if p.version == 2)
    code, polygon = max(plan.zones, key=lambda z: z[1].area)
    point = polygon.buffer(-5).representative_point()
    lon, lat = to_wgs84(point.x, point.y, agency.srid)
    return code, lon, lat


def _click_map_centre(page):
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _colours(png):
    from PIL import Image

    return len(Image.open(io.BytesIO(png)).convert("RGB").getcolors(1 << 20) or [])


def test_page_loads_with_no_error_nothing_foreign_and_draws(page_factory):
    p = page_factory()
    page = p.open("/carte/")
    png = p.shot("01-home")
    p.check_clean()
    assert page.locator(".leaflet-control-layers").count() == 1
    assert page.locator(".legend").inner_text().count("\n") >= 5
    assert page.locator("#map canvas, #map svg path").count() > 0, "nothing drawn on the map"
    assert _colours(png) > 20, "the screenshot is blank"


def test_click_inside_a_known_zone_shows_its_code_and_rules(page_factory, sample_dataset):
    code, lon, lat = _known_zone(sample_dataset)
    p = page_factory()
    page = p.open(f"/carte/#map=18/{lat:.6f}/{lon:.6f}")
    _click_map_centre(page)
    page.wait_for_selector("#panel:not([hidden]) .zone-code")
    p.shot("02-zone-clicked")
    assert page.locator("#panel .zone-code").first.inner_text() == code
    text = page.locator("#panel").inner_text()
    assert "COS" in text and "Décret n° 2-19-131" in text
    p.check_clean()


def test_searching_a_title_opens_its_panel(page_factory):
    p = page_factory()
    page = p.open("/carte/")
    page.fill("#q", "tf 10001-19")
    page.press("#q", "Enter")
    page.wait_for_selector("#panel:not([hidden]) .title-number")
    p.shot("03-title-search")
    assert page.locator("#panel .title-number").inner_text() == "TF 10001/19"
    assert page.locator("#panel a.note").get_attribute("href") == "/notes/new?title=TF+10001%2F19"
    assert "parcel=TF%2010001/19" in page.url
    # What can be built there (plans.reglement): the panel's section and the footprint drawn on the map.
    text = page.locator("#panel").inner_text()
    assert "Constructibilité" in text and "Emprise au sol maximale" in text and "500 m²" in text
    assert page.locator("#map path.buildable-footprint").count() == 1
    p.check_clean()


def test_arabic_page_is_right_to_left(page_factory, sample_dataset):
    code, lon, lat = _known_zone(sample_dataset)
    p = page_factory()
    page = p.open(f"/carte/?lang=ar#map=18/{lat:.6f}/{lon:.6f}")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    _click_map_centre(page)
    page.wait_for_selector("#panel:not([hidden]) .zone-code")
    p.shot("04-arabic")
    assert "الضوابط" in page.locator("#panel").inner_text()
    p.check_clean()


def test_phone_layout_keeps_map_and_panel_usable(page_factory, sample_dataset):
    code, lon, lat = _known_zone(sample_dataset)
    p = page_factory(width=360, height=640)
    page = p.open(f"/carte/#map=17/{lat:.6f}/{lon:.6f}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways at 360 px"
    _click_map_centre(page)
    page.wait_for_selector("#panel:not([hidden]) .zone-code")
    p.shot("05-phone-360")
    panel = page.locator("#panel").bounding_box()
    map_box = page.locator("#map").bounding_box()
    assert panel["width"] <= 360 and panel["y"] + panel["height"] <= 640 + 1
    assert panel["y"] - map_box["y"] > 150, "the panel leaves too little of the map visible"
    assert page.locator("#q").is_visible() and page.locator("#lang-switch").is_visible()
    page.click("#panel-close")
    assert page.locator("#panel").is_hidden()
    p.check_clean()


def test_a_permalink_is_centred_on_its_point_on_a_phone(page_factory, sample_dataset):
    """The tool bar settles after the map is made: the map learns its size, so the centre is the link's point."""
    code, lon, lat = _known_zone(sample_dataset)
    p = page_factory(width=360, height=740)
    page = p.open(f"/carte/#map=18/{lat:.6f}/{lon:.6f}")
    with page.expect_request(lambda r: "/api/place?lon=" in r.url) as asked:
        _click_map_centre(page)
    query = dict(part.split("=") for part in asked.value.url.split("?", 1)[1].split("&"))
    # At zoom 18 a pixel is ~0.5 m: within 3 px of the point (1e-5 degrees is ~1.1 m).
    assert abs(float(query["lat"]) - lat) < 1.5e-5 and abs(float(query["lon"]) - lon) < 1.5e-5, query
    p.check_clean()


def test_permalink_round_trips(page_factory):
    p = page_factory()
    page = p.open("/parcel/TF 10002/19")
    page.wait_for_selector("#panel:not([hidden]) .title-number")
    page.fill("#date", "2012-06-30")
    page.dispatch_event("#date", "change")
    # A function, not an expression: Playwright polls an expression with eval(), which the page's CSP refuses.
    page.wait_for_function("() => location.hash.includes('date=2012-06-30')")
    page.wait_for_selector("#panel .plan:has-text('2-09-187')")
    page.click(".leaflet-control-zoom-out")
    page.wait_for_timeout(600)
    link = page.evaluate("location.href")
    p.shot("06-permalink-source")
    assert re.search(r"#map=\d+/[-\d.]+/[-\d.]+&layers=[a-z,-]*plans", link), link

    shared = page_factory()
    restored = shared.open(urlparse(link).path + "#" + link.split("#", 1)[1])
    restored.wait_for_selector("#panel:not([hidden]) .plan:has-text('2-09-187')")
    shared.shot("06-permalink-restored")
    assert restored.locator("#panel .title-number").inner_text() == "TF 10002/19"
    assert restored.input_value("#date") == "2012-06-30"
    assert restored.evaluate("location.hash") == "#" + link.split("#", 1)[1]
    p.check_clean()
    shared.check_clean()


LOT = ("TF 10004/19", "TF 10005/19")  # two adjacent parcels of Tétouan's sample data


def gather_lot(p, sample_dataset, titles=LOT):
    """Open the map on the first parcel of `titles`, click it, shift-click the second: the panel shows the lot."""
    from plans.crs import transformer

    tetouan = sample_dataset.agencies[0]
    points = [tetouan.parcel_geoms[list(tetouan.parcel_titles).index(t)].representative_point() for t in titles]
    lon, lat = to_wgs84(points[0].x, points[0].y, 26191)
    second = points[1]
    to_mercator = transformer(26191, 3857)
    (xa, ya), (xb, yb) = to_mercator.transform(points[0].x, points[0].y), to_mercator.transform(second.x, second.y)
    resolution = 156543.03392804097 / 2 ** 19  # Web Mercator metres per pixel at zoom 19
    page = p.open(f"/#map=19/{lat:.7f}/{lon:.7f}")
    _click_map_centre(page)
    page.wait_for_selector("#panel:not([hidden]) .title-number")
    box = page.locator("#map").bounding_box()
    page.keyboard.down("Shift")
    page.mouse.click(box["x"] + box["width"] / 2 + (xb - xa) / resolution,
                     box["y"] + box["height"] / 2 - (yb - ya) / resolution)
    page.keyboard.up("Shift")
    page.wait_for_selector("#panel:not([hidden]) h2.lot")
    return page


def test_shift_click_gathers_parcels_into_one_lot_for_one_note(page_factory, sample_dataset):
    p = page_factory()
    page = gather_lot(p, sample_dataset)
    p.shot("09-lot")
    assert page.locator("#panel .lot-titles li").all_inner_texts() == ["TF 10004/19", "TF 10005/19"]
    assert page.locator("#panel a.lot-note").get_attribute("href") == "/notes/new?title=TF%2010004%2F19%2C%20TF%2010005%2F19"
    p.check_clean()
