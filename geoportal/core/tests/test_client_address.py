"""Who is asking: X-Forwarded-For counts only when it comes from a configured proxy address."""
import subprocess
import sys

import pytest
import requests

from conftest import ROOT
from plans.models import ExtractLog

pytestmark = pytest.mark.django_db


def test_the_live_server_ignores_a_forged_x_forwarded_for(live_server_url):
    """No TRUSTED_PROXIES: the client's own header is never its address (rate limits, extract logs)."""
    response = requests.get(f"{live_server_url}/api/extracts", timeout=60, headers={
        "X-Forwarded-For": "203.0.113.66, 198.51.100.9"}, params={
        "parcel": "TF 10001/19", "format": "geojson", "layers": "parcelles"})
    assert response.status_code == 200, response.text[:300]
    assert ExtractLog.objects.get(pk=response.headers["X-Extract-Id"]).client_address == "127.0.0.1"


@pytest.mark.parametrize("variable, value, message", [
    ("TRUSTED_PROXIES", "10.0.0.5,not-an-address", "'not-an-address' is not an IP address or network"),
    ("TRUSTED_PROXY_COUNT", "1", "TRUSTED_PROXY_COUNT is replaced by TRUSTED_PROXIES"),
])
def test_a_wrong_proxy_setting_stops_the_start(variable, value, message):
    done = subprocess.run([sys.executable, "-c", "from django.conf import settings; settings.DEBUG"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "geoportal.settings",
                               variable: value})
    assert done.returncode != 0 and message in done.stderr, done.stderr[-500:]
