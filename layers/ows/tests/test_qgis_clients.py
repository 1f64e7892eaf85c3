"""QGIS's WMS and WFS providers (Debian python3-qgis, headless) on /ows against the live server.

QGIS runs in its own process with Debian's python3 (qgis_client.py); the oracle is the ORM and plans.vocabulary.
"""
import json
import os
import subprocess
from pathlib import Path

import pytest

from plans.vocabulary import zone_colour

from .test_ows_clients import current_zones, interior_square, rgb

pytestmark = pytest.mark.django_db
CLIENT = Path(__file__).with_name("qgis_client.py")
SYSTEM_PYTHON = "/usr/bin/python3"


def run_qgis(*args, client=CLIENT):
    """The JSON object a QGIS client script (run by Debian's python3, headless) printed last."""
    check = subprocess.run([SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True, text=True)
    assert check.returncode == 0, ("QGIS's Python bindings are missing: install python3-qgis "
                                   f"(geoportal/bin/setup-system.sh does): {check.stderr[-300:]}")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR="/tmp")
    done = subprocess.run([SYSTEM_PYTHON, "-u", str(client), *args], capture_output=True, text=True, timeout=300,
                          env=env)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0 and lines, (done.returncode, done.stderr[-2000:])
    return json.loads(lines[-1])


def test_qgis_reads_the_wms_and_wfs_layers(live_server_url, live_server_log):
    zone_id, code, box = interior_square(26191, 26191)
    answer = run_qgis(live_server_url, code, ",".join(map(str, box)))
    assert answer["wms_valid"], answer
    assert answer["wms_crs"] == "EPSG:26191"
    # QGIS draws the 55 % fill over its white background.
    expected = [round(c * 0.55 + 255 * 0.45) for c in rgb(zone_colour(code))]
    assert max(abs(a - b) for a, b in zip(answer["wms_pixel"][:3], expected)) <= 8, (answer["wms_pixel"], expected)
    assert answer["wfs_valid"]
    assert answer["wfs_ids"] == sorted(current_zones().values_list("id", flat=True))
    assert answer["wfs_filtered_ids"] == sorted(current_zones().filter(code=code).values_list("id", flat=True))
    assert "REQUEST=GetFeature" in live_server_log.read_text() and "FILTER=" in live_server_log.read_text(), \
        "QGIS filtered on the server"
