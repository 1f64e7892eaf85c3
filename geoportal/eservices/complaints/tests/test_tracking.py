"""Tracking a complaint on the live server: the secret never travels in a URL path or query (so never in an
access log), hostile tracking numbers are clean 4xx, and the admin opens attachments for the agency's staff."""
import re

import pytest
import requests

from geoportal.eservices.conftest import TETOUAN

pytestmark = pytest.mark.django_db
API = "/api/services/complaints"


NUL_REFUSED = "holds a NUL byte"  # geoportal/request_guard.py, before any view


@pytest.mark.parametrize("path, status, says", [
    ("/services/requetes/suivi/REQ%2FAUT%2F2026/", 404, ""),  # a slash: no such page
    ("/services/requetes/suivi/REQ-AUT-2026-00001%2F..%2F..%2F/", 404, ""),
    ("/services/requetes/suivi/REQ%00AUT-2026-00001/", 400, NUL_REFUSED),
    ("/services/requetes/suivi/%00/", 400, NUL_REFUSED),
    ("/services/requetes/suivi/' OR 1=1 --/", 400, "is not a tracking number"),
    ("/services/requetes/suivi/REQ-AUT-2026-1/", 400, "is not a tracking number"),
    (f"{API}/REQ%00AUT-2026-00001", 400, NUL_REFUSED),
    (f"{API}/REQ-AUT-2026-00001%2F..", 404, ""),
    (f"{API}/{'9' * 3000}", 400, "is not a tracking number"),
    (f"{API}/{'9' * 5000}", 414, ""),  # gunicorn's request-line limit
])
def test_a_hostile_tracking_number_is_a_clean_4xx(live_server_url, path, status, says):
    response = requests.get(live_server_url + path, headers={"X-Tracking-Secret": "x"}, timeout=30)
    assert response.status_code == status, (path, response.status_code, response.text[:300])
    assert says in response.text


@pytest.mark.parametrize("number", ["REQ/AUT/2026", "REQ-AUT\x00-2026-00001", "", "x" * 300])
def test_the_tracking_form_refuses_a_hostile_number(live_server_url, number):
    session = requests.Session()
    form = session.get(f"{live_server_url}/services/requetes/suivi/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    response = session.post(f"{live_server_url}/services/requetes/suivi/", headers={"Referer": form.url}, timeout=30,
                            data={"number": number, "secret": "s", "csrfmiddlewaretoken": token})
    assert response.status_code == 400, response.text[:300]
    assert ("is not a tracking number" if "\x00" not in number else NUL_REFUSED) in response.text


def test_the_secret_is_not_read_from_a_url(live_server_url):
    filed = requests.post(live_server_url + API, timeout=60, data={
        "agency": "AUT", "category": "autre", "subject": "Éclairage", "text": "Lampadaire éteint.",
        "lon": TETOUAN[0], "lat": TETOUAN[1]}).json()
    number, secret = filed["number"], filed["secret"]
    in_query = requests.get(f"{live_server_url}{API}/{number}", params={"secret": secret}, timeout=30)
    assert in_query.status_code == 400 and "X-Tracking-Secret" in in_query.json()["description"]
    old_form = requests.get(f"{live_server_url}/services/requetes/suivi/", params={"number": number, "secret": secret},
                            timeout=30)
    assert old_form.status_code == 400 and 'data-status=' not in old_form.text
    assert requests.get(f"{live_server_url}/services/requetes/suivi/{number}/{secret}/", timeout=30).status_code == 404
    header = requests.get(f"{live_server_url}{API}/{number}", headers={"X-Tracking-Secret": secret}, timeout=30)
    posted = requests.post(f"{live_server_url}{API}/{number}", json={"secret": secret}, timeout=30)
    assert header.json()["status"] == posted.json()["status"] == "received"
