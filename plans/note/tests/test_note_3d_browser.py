"""The 3D envelope in a real Chromium, in French and in Arabic: on the note's 3D page, inside the note page
and in the web map's panel (a parcel, and a lot of two parcels gathered by shift-click). three.js (vendored)
draws the server's glTF; the canvas is read back and must hold the envelope's pixels, nothing from elsewhere.
WebGL without a GPU: Chromium's software renderer (SwiftShader)."""
import base64
import io
import json
import urllib.parse
import urllib.request

import pytest

from conftest import launched_chromium
from frontend.tests.test_map_browser import LOT, Page, _click_map_centre, gather_lot
from plans.crs import to_wgs84

pytestmark = pytest.mark.browser
ARGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--no-first-run",
        "--disable-background-networking", "--disable-component-update"]
BACKGROUND = (244, 244, 240)  # the scene's background colour (envelope3d.js)


@pytest.fixture(scope="module")
def browser():
    with launched_chromium(ARGS) as chromium:
        yield chromium


def issue(base, title):
    request = urllib.request.Request(base + "/api/notes", json.dumps({"title_number": title}).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def drawn(page, holder):
    """The share of the canvas's pixels that are not the background, read back from the WebGL canvas."""
    import numpy as np
    from PIL import Image

    page.wait_for_selector(f"{holder}[data-state=ready], {holder}[data-state=error]", timeout=30000)
    assert page.locator(holder).get_attribute("data-state") == "ready", page.locator(holder).inner_text()
    url = page.evaluate(f"document.querySelector('{holder} canvas').toDataURL('image/png')")
    image = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGB")
    pixels = np.asarray(image, dtype=int).reshape(-1, 3)
    other = int((np.abs(pixels - BACKGROUND).max(axis=1) > 12).sum())
    return other / len(pixels), len(np.unique(pixels, axis=0))


def test_3d_page_draws_the_envelope_over_the_parcel(browser, live_server_url):
    note = issue(live_server_url, "TF 10009/19")
    height = note["content"]["buildable"]["max_height_m"]
    p = Page(browser, live_server_url)
    try:
        page = p.open(f"/notes/{note['number']}/3d")
        holder = page.locator("#scene3d")
        share, colours = drawn(page, "#scene3d")
        assert int(holder.get_attribute("data-meshes")) == 2  # the envelope and the parcel
        assert float(holder.get_attribute("data-height")) == pytest.approx(height, abs=0.01)
        assert page.locator("#scene3d canvas").count() == 1
        assert share > 0.02 and colours > 5, (share, colours)
        p.check_clean()
    finally:
        p.close()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_note_page_shows_the_envelope_in_3d(browser, live_server_url, lang):
    note = issue(live_server_url, "TF 10009/19")
    p = Page(browser, live_server_url)
    try:
        page = p.open(f"/notes/{note['number']}?lang={lang}")
        assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
        assert page.locator("#constructibilite #scene3d").count() == 1  # inside the buildable section
        share, colours = drawn(page, "#scene3d")
        assert share > 0.02 and colours > 5, (share, colours)
        p.shot(f"note-3d-{lang}")
        p.check_clean()
    finally:
        p.close()


def _map_at(sample_dataset, title):
    agency = sample_dataset.agencies[0]
    point = agency.parcel_geoms[list(agency.parcel_titles).index(title)].representative_point()
    return point, to_wgs84(point.x, point.y, agency.srid)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_map_panel_shows_the_parcel_envelope_in_3d(browser, live_server_url, sample_dataset, lang):
    _point, (lon, lat) = _map_at(sample_dataset, "TF 10009/19")
    p = Page(browser, live_server_url)
    try:
        page = p.open(f"/carte/?lang={lang}#map=19/{lat:.7f}/{lon:.7f}")
        page.wait_for_selector("body[data-map3d]")
        _click_map_centre(page)
        page.wait_for_selector("#panel:not([hidden]) button.view-3d")
        assert page.locator("#panel .title-number").inner_text() == "TF 10009/19"
        page.click("#panel button.view-3d")
        share, colours = drawn(page, "#panel .scene3d")
        assert share > 0.02 and colours > 5, (share, colours)
        p.shot(f"map-3d-{lang}")
        p.check_clean()
    finally:
        p.close()


def test_shift_click_makes_one_lot_end_to_end_with_its_3d_and_its_note(browser, live_server_url, sample_dataset):
    """Two parcels shift-clicked on the map: the panel shows the lot, its 3D envelope draws, and its note button
    issues one note on the merged land (both titles, the sum of their areas)."""
    p = Page(browser, live_server_url)
    try:
        page = gather_lot(p, sample_dataset)
        assert page.locator("#panel .lot-titles li").all_inner_texts() == list(LOT)
        page.click("#panel button.view-3d")
        share, colours = drawn(page, "#panel .scene3d")
        assert share > 0.02 and colours > 5, (share, colours)
        page.click("#panel a.lot-note")
        page.wait_for_load_state("networkidle")
        assert page.input_value("[name=title_number]") == "TF 10004/19, TF 10005/19"
        page.locator("form button[type=submit], form input[type=submit]").first.click()
        page.wait_for_url("**/notes/*")
        number = page.url.rstrip("/").rsplit("/", 1)[1].split("?")[0]
        with urllib.request.urlopen(f"{live_server_url}/api/notes/{number}") as response:
            content = json.load(response)["content"]
        tetouan = sample_dataset.agencies[0]
        area = sum(tetouan.parcel_geoms[list(tetouan.parcel_titles).index(t)].area for t in LOT)
        assert content["parcel"]["area_m2"] == pytest.approx(area, rel=0.001)
        query = urllib.parse.urlencode({"titles": ",".join(LOT)})
        with urllib.request.urlopen(f"{live_server_url}/api/envelope?{query}") as response:
            scene = json.load(response)  # what the panel's 3D view drew: the merged lot's envelope
        assert scene["titles"] == list(LOT)
        assert scene["max_floor_area_m2"] == content["buildable"]["max_floor_area_m2"]
        assert all(t in page.content() for t in LOT)
        p.check_clean()
    finally:
        p.close()
