import os
import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.mark.django_db
def test_healthz_reports_database_and_postgis(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["postgis"].startswith("3.")
    assert body["database"].startswith("PostgreSQL")


def test_production_settings_refuse_the_default_secret():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DEBUG="0", DJANGO_SETTINGS_MODULE="geoportal.settings")
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY is the default development key" in result.stderr
    env["SECRET_KEY"] = "a-real-secret-for-this-test-only-0123456789"
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
