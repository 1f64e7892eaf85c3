"""The Content-Security-Policy: how it is built, and that every kind of answer of the live server carries it."""
import base64
import io
import socket
import threading
import urllib.error
import urllib.request

import pytest
import tinycss2
from PIL import Image

from plans.note.note_format import css_string
from geoportal.content_security import policy, tile_source
from geoportal.core.pdf_resources import data_only


@pytest.mark.parametrize("url, source", [
    ("", None),
    ("https://tiles.example.ma/{z}/{x}/{y}.png", "https://tiles.example.ma"),
    ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
    ("http://127.0.0.1:8080/wmts/{z}/{x}/{y}", "http://127.0.0.1:8080"),
])
def test_a_configured_base_map_host_is_the_only_other_image_source(url, source):
    assert tile_source(url) == source
    images = policy(url)["DIRECTIVES"]["img-src"]
    assert images == ["'self'", "data:"] + ([source] if source else [])


def test_forms_lead_here_and_to_the_configured_checkout_only():
    assert policy()["DIRECTIVES"]["form-action"] == ["'self'"]
    assert policy("", ["https://pay.example.ma"])["DIRECTIVES"]["form-action"] == ["'self'", "https://pay.example.ma"]


@pytest.mark.parametrize("url", ["javascript:alert(1)//{z}", "tiles/{z}/{x}/{y}.png", "https://a.{s}.example.org/{z}"])
def test_a_base_map_that_is_not_an_http_template_is_refused(url):
    with pytest.raises(ValueError, match="BASE_MAP_URL"):
        tile_source(url)


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


@pytest.mark.parametrize("path, status", [
    ("/", 200), ("/no-such-page", 404), ("/ogc/?f=html", 200), ("/ogc/collections/nope?f=html", 404),
    ("/api/territories", 200), ("/notes/NO-SUCH-NOTE", 404), ("/admin/", 302), ("/django-rq/", 302),
    ("/services/documents/999999/", 404),
])
def test_every_answer_carries_the_policy(live_server_url, path, status):
    code, headers = _get(live_server_url + path) if status != 302 else _no_redirect(live_server_url + path)
    assert code == status
    policy_text = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy_text and "'unsafe-inline'" not in policy_text
    assert "frame-ancestors 'none'" in policy_text


def _no_redirect(url):
    class Stop(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        response = urllib.request.build_opener(Stop).open(url, timeout=30)
        return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


@pytest.mark.parametrize("value", ['Agence "urbaine"; } </style><script>x</script>', "a\\b\nc", "وكالة {x}", "TF 1/19"])
def test_page_header_strings_stay_strings(value):
    tokens = [t for t in tinycss2.parse_component_value_list(f'"{css_string(value)}"') if t.type != "whitespace"]
    assert [(t.type, t.value) for t in tokens] == [("string", value)]
    assert not set(css_string(value)) & set('"<>{}\n\\') - {"\\"}


def test_pdfs_fetch_nothing_but_data_uris():
    import weasyprint

    hits = []
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        listener.settimeout(0.2)
        port = listener.getsockname()[1]

        stop = threading.Event()

        def accept():
            while not stop.is_set():
                try:
                    connection, _ = listener.accept()
                except OSError:  # timeout: look at `stop` again
                    continue
                hits.append(connection.recv(200))
                connection.close()

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        buffer = io.BytesIO()
        Image.new("RGB", (4, 4), (200, 0, 0)).save(buffer, "PNG")
        png = base64.b64encode(buffer.getvalue()).decode()
        html = (f'<link rel="stylesheet" href="http://127.0.0.1:{port}/style.css"><img src="http://127.0.0.1:{port}/x.png">'
                f'<img src="file:///etc/hostname"><img src="data:image/png;base64,{png}">')
        pdf = weasyprint.HTML(string=html, url_fetcher=data_only()).write_pdf()
        stop.set()
        thread.join(2)
    assert hits == [], "the renderer connected to a server"
    assert pdf.count(b"/Subtype /Image") == 1  # the data: image only
