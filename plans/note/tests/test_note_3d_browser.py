"""The note's 3D page in a real Chromium: three.js (vendored) draws the server's glTF, nothing from elsewhere."""
import json
import urllib.request

import pytest

from conftest import launched_chromium
from frontend.tests.test_map_browser import Page

pytestmark = pytest.mark.browser
# WebGL without a GPU: Chromium's software renderer.
ARGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--no-first-run",
        "--disable-background-networking", "--disable-component-update"]


@pytest.fixture(scope="module")
def browser():
    with launched_chromium(ARGS) as chromium:
        yield chromium


def test_3d_page_draws_the_envelope_over_the_parcel(browser, live_server_url):
    request = urllib.request.Request(live_server_url + "/api/notes", json.dumps({"title_number": "TF 10009/19"})
                                     .encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        note = json.load(response)
    height = note["content"]["buildable"]["max_height_m"]
    p = Page(browser, live_server_url)
    try:
        page = p.open(f"/notes/{note['number']}/3d")
        holder = page.locator("#scene3d")
        assert holder.get_attribute("data-state") == "ready", holder.inner_text()
        assert int(holder.get_attribute("data-meshes")) == 2  # the envelope and the parcel
        assert float(holder.get_attribute("data-height")) == pytest.approx(height, abs=0.01)
        assert page.locator("#scene3d canvas").count() == 1
        p.check_clean()
    finally:
        p.close()
