"""/ogc in a real Chromium (Playwright, headless): a page on another origin reads OGC JSON (CORS, with a preflight),
and the HTML item page draws its map with a height."""
import http.server
import json
import threading
import urllib.request

import pytest

from conftest import launched_chromium

pytestmark = pytest.mark.browser  # no `db`: Playwright runs an event loop in this thread


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def other_origin(tmp_path):
    """A page served by another server on loopback: another origin than the live server."""
    (tmp_path / "index.html").write_text("<!doctype html><title>another site</title><p>embedding site</p>")
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


FETCH = """async url => {
  const simple = await fetch(url);
  const preflighted = await fetch(url, {headers: {'If-None-Match': '"nothing"', 'Accept-Language': 'ar'}});
  const body = await preflighted.json();
  return [simple.status, preflighted.status, body.numberReturned, body.numberMatched,
          preflighted.headers.get('ETag')];
}"""


def test_a_page_on_another_origin_reads_ogc_json(browser, live_server_url, other_origin):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    # The embedding page has no icon: the browser's request for /favicon.ico there is no error of ours.
    page.on("console", lambda m: m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")
            and errors.append(m.text))
    page.goto(other_origin)
    for path in ("/ogc/collections/zones/items?limit=3", "/ogc/collections/catalogue/items?limit=3"):
        simple, preflighted, returned, matched, etag = page.evaluate(FETCH, live_server_url + path)
        assert (simple, preflighted, returned) == (200, 200, 3) and matched >= 3 and etag, path
    landing = page.evaluate("async url => (await (await fetch(url)).json()).links.length", f"{live_server_url}/ogc")
    assert landing > 3
    assert errors == []
    context.close()


def test_item_page_map_has_a_height(browser, live_server_url):
    with urllib.request.urlopen(f"{live_server_url}/ogc/collections/zones/items?limit=1", timeout=60) as response:
        zone = json.loads(response.read())["features"][0]["id"]
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server_url}/ogc/collections/zones/items/{zone}?f=html")
    page.wait_for_selector("#item-map")
    height = page.evaluate("document.getElementById('item-map').getBoundingClientRect().height")
    assert height >= 200, f"the item map is {height}px high"
    tiles = page.evaluate("document.querySelectorAll('#item-map .leaflet-interactive').length")
    assert tiles >= 1, "the zone is drawn on the map"
    context.close()
