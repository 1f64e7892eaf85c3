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


def _start(env):
    return subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env,
                          capture_output=True, text=True)


def _production_env(**values):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "NOTE_SIGNING_KEY")}
    return {**env, "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "geoportal.settings", **values}


def test_production_settings_refuse_the_default_secret():
    result = _start(_production_env(NOTE_SIGNING_KEY="a-real-note-signing-key-for-this-test-0123"))
    assert result.returncode != 0
    assert "SECRET_KEY is the default development key" in result.stderr
    result = _start(_production_env(SECRET_KEY="a-real-secret-for-this-test-only-0123456789",
                                    NOTE_SIGNING_KEY="a-real-note-signing-key-for-this-test-0123"))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("key, words", [(None, "NOTE_SIGNING_KEY is unset"), ("", "NOTE_SIGNING_KEY is unset"),
                                        ("short", "at least 32 characters"),
                                        ("a-long-enough-key-but,with-a-comma-0123", "no comma")])
def test_production_refuses_to_start_without_a_note_signing_key(key, words):
    values = {"SECRET_KEY": "a-real-secret-for-this-test-only-0123456789"}
    if key is not None:
        values["NOTE_SIGNING_KEY"] = key
    result = _start(_production_env(**values))
    assert result.returncode != 0 and words in result.stderr, result.stderr
    gunicorn = subprocess.run([sys.executable, "-m", "gunicorn", "geoportal.wsgi", "-b", "127.0.0.1:0",
                               "--preload"], cwd=ROOT, env=_production_env(**values), capture_output=True,
                              text=True, timeout=60)
    assert gunicorn.returncode != 0 and words in gunicorn.stderr
