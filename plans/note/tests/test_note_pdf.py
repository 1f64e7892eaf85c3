"""The note as people hold it: PDF text, Arabic, QR code to the verification page, tampering detected.

Black-box, through a real server process (live_server_url) and Debian's poppler-utils and zbar-tools.
"""
import json
import shutil
import subprocess
import urllib.request

import pytest

pytestmark = pytest.mark.django_db


def _tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: run `make system` (geoportal/bin/setup-system.sh installs it)")
    return path


def _post_json(url, body):
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def _post_file(url, name, data):
    boundary = "----note-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: application/pdf\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(url, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request) as response:
        return response.read().decode()


def test_pdf_text_qr_and_verification(live_server_url, tmp_path):
    note = _post_json(live_server_url + "/api/notes", {"title_number": "TF 11572/19"})
    with urllib.request.urlopen(note["links"]["pdf"]) as response:
        pdf = response.read()
    assert pdf.startswith(b"%PDF")
    (tmp_path / "note.pdf").write_bytes(pdf)
    text = subprocess.run([_tool("pdftotext"), "-layout", str(tmp_path / "note.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = text.split("\f")
    assert all(note["number"] in page for page in pages if page.strip()), "the note number is on every page"
    for zone in note["content"]["zones"]:
        assert zone["code"] in text
    assert any("\u0600" <= ch <= "\u06ff" for ch in text), "Arabic text in the PDF"
    assert "VP1" in text
    subprocess.run([_tool("pdftoppm"), "-r", "150", "-png", str(tmp_path / "note.pdf"), str(tmp_path / "page")],
                   check=True)
    images = sorted(str(p) for p in tmp_path.glob("page*.png"))
    decoded = subprocess.run([_tool("zbarimg"), "-q", "--raw", *images], capture_output=True, text=True).stdout.split()
    assert decoded == [note["links"]["verify"]]
    with urllib.request.urlopen(decoded[0]) as response:
        page = response.read().decode()
    assert "Note authentique" in page and note["number"] in page
    assert "Le PDF correspond exactement" in _post_file(decoded[0], "note.pdf", pdf)
    # One byte changed inside the first page's content stream (the text is compressed, so no plain replace).
    middle = len(pdf) // 3
    tampered = pdf[:middle] + bytes([pdf[middle] ^ 0x01]) + pdf[middle + 1:]
    assert "ne correspond pas" in _post_file(decoded[0], "note.pdf", tampered)
    verify = json.loads(_post_file(live_server_url + f"/api/notes/{note['number']}/verify", "x.pdf", tampered))
    assert verify["authentic"] is True and verify["pdf_matches"] is False


def test_indicative_pdf_is_watermarked(live_server_url, tmp_path):
    note = _post_json(live_server_url + "/api/notes", {"title_number": "TF 10020/19", "mode": "indicative"})
    with urllib.request.urlopen(note["links"]["pdf"]) as response:
        (tmp_path / "n.pdf").write_bytes(response.read())
    text = subprocess.run([_tool("pdftotext"), str(tmp_path / "n.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Note indicative, gratuite, sans valeur officielle" in text and note["number"] in text
    assert "Numéro" not in text  # unnumbered


def test_web_form_issues_a_note_and_shows_errors(client, settings):
    settings.NOTE_ANONYMOUS_RATE = ""
    assert client.get("/notes/new").status_code == 200
    # The web map's button opens the form with the parcel already filled in.
    assert 'value="TF 10030/19"' in client.get("/notes/new", {"title": "TF 10030/19"}).content.decode()
    response = client.post("/notes/new", {"title_number": "TF 10030/19", "mode": "official"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200 and "TF 10030/19" in page.content.decode()
    bad = client.post("/notes/new", {"title_number": "TF 99999/19"})
    assert bad.status_code == 404 and "no parcel TF 99999/19" in bad.content.decode()
