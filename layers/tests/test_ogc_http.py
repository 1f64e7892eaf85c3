"""Every /ogc answer works for any client: CORS and preflight, JSON 405, Vary, ETag/304, gzip, /ogc without its
slash, tiles metadata for curl's `Accept: */*`, and GDAL's OGC API Tiles driver (live server, real clients)."""
import gzip
import json
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/ogc", "/ogc/", "/ogc/conformance", "/ogc/openapi", "/ogc/collections", "/ogc/collections/zones",
         "/ogc/collections/zones/queryables", "/ogc/collections/catalogue/items", "/ogc/collections/zones/items",
         "/ogc/collections/zones/tiles", "/ogc/collections/zones/tiles/WebMercatorQuad",
         "/ogc/TileMatrixSets", "/ogc/TileMatrixSets/WebMercatorQuad", "/ogc/collections/nope"]


def call(url, method="GET", headers=None, data=None):
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.mark.parametrize("path", PAGES)
def test_every_answer_is_cors_open_and_varies_on_accept(live_server_url, path):
    status, headers, body = call(live_server_url + path, headers={"Accept": "*/*", "Origin": "http://other.example"})
    assert status == (404 if path.endswith("nope") else 200), body[:300]
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "Accept" in [v.strip() for v in headers["Vary"].split(",")]
    if status == 200:
        json.loads(body)  # Accept */* is JSON, never a crash page


@pytest.mark.parametrize("path", ["/ogc/", "/ogc/collections/zones/items", "/ogc/collections/catalogue/items"])
def test_browser_preflight_gets_204(live_server_url, path):
    status, headers, _ = call(live_server_url + path, "OPTIONS", {
        "Origin": "http://other.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match, accept-language"})
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in headers["Access-Control-Allow-Methods"]
    allowed = headers["Access-Control-Allow-Headers"].lower()
    assert "if-none-match" in allowed and "accept-language" in allowed


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_writes_get_a_json_405_not_a_csrf_page(live_server_url, method):
    status, headers, body = call(f"{live_server_url}/ogc/collections/zones/items", method,
                                 {"Content-Type": "application/geo+json"}, b'{"type": "Feature"}')
    assert status == 405
    assert headers["Content-Type"].startswith("application/json") and "GET" in headers["Allow"]
    assert json.loads(body)["code"] == "MethodNotAllowed"


def test_ogc_without_slash_is_the_landing_page_with_existing_links_only(live_server_url):
    status, headers, body = call(f"{live_server_url}/ogc", headers={"Accept": "application/json"})
    assert status == 200, "no redirect: QGIS makes an invalid layer of a 301"
    links = json.loads(body)["links"]
    rels = {link["rel"] for link in links}
    assert {"service-desc", "conformance", "data"} <= rels
    for link in links:
        assert "/processes" not in link["href"] and "/jobs" not in link["href"]
        linked, _, _ = call(link["href"])
        assert linked == 200, link["href"]


def test_gzip_and_etag_answer_conditional_requests(live_server_url):
    url = f"{live_server_url}/ogc/collections/zones/items?limit=200"
    status, headers, body = call(url, headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    plain = gzip.decompress(body)
    assert len(body) < len(plain) / 3
    assert "Accept-Encoding" in headers["Vary"]
    etag = headers["ETag"]
    status, _, _ = call(url, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert status == 304
    status, headers, again = call(url)
    assert status == 200 and "Content-Encoding" not in headers
    assert json.loads(again)["features"] == json.loads(plain)["features"]
    status, _, _ = call(url.replace("limit=200", "limit=199"), headers={"If-None-Match": etag})
    assert status == 200, "another page has another ETag"


def test_tileset_metadata_for_any_accept(live_server_url):
    for accept in (None, "*/*", "application/json"):
        status, _, body = call(f"{live_server_url}/ogc/collections/zones/tiles/WebMercatorQuad",
                               headers={"Accept": accept} if accept else {})
        assert status == 200, body[:300]
        tileset = json.loads(body)
        assert tileset["tileMatrixSetURI"].endswith("WebMercatorQuad")
    status, _, body = call(f"{live_server_url}/ogc/TileMatrixSets/WebMercatorQuad?f=json")
    assert status == 200 and json.loads(body)["id"] == "WebMercatorQuad"
