"""Test fixtures shared by every app: the real PostGIS test database with the
sample data, and a live server process for black-box clients.

The sample dataset (data.generator defaults) is loaded once per session,
outside the per-test transactions, so `db` tests see it and roll back their
own changes. Tests that need other processes to see data (OGC clients, the
browser) use `live_server_url`: a real server process on the test database.
Avoid `transactional_db`: its flush would delete the sample data for the
tests after it; a test that needs it must use `reload_sample_data`.
"""
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import dj_database_url
import pytest

from geoportal.settings import DEFAULT_DATABASE_URL

ROOT = Path(__file__).resolve().parent


def _fail_without_postgis(exc):
    pytest.exit(
        "PostGIS is not reachable for the tests "
        f"(DATABASE_URL={os.environ.get('DATABASE_URL', '<default>')}): {exc}\n"
        "Run `make test`, which installs and starts PostgreSQL + PostGIS, or point DATABASE_URL at one.",
        returncode=3,
    )


# The database DATABASE_URL names: the tests never run on it, only on "test_" + its name.
CONFIGURED_DATABASE = dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))["NAME"]

# One cache namespace per test run: Redis is shared with dev servers and other runs.
CACHE_PREFIX = f"test-{os.getpid()}-{int(time.time())}"


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache():
    from django.conf import settings

    settings.CACHES["default"]["KEY_PREFIX"] = CACHE_PREFIX


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    # pytest-django creates the test database only when a collected test asks for `db` (or a django_db
    # marker); a run of browser tests alone, which reach the database through the live server, would
    # otherwise serve, load and change the developer's own database (DATABASE_URL).
    created = None
    if connection.settings_dict["NAME"] == CONFIGURED_DATABASE:
        with django_db_blocker.unblock():
            created = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    with django_db_blocker.unblock():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT postgis_lib_version()")
        except Exception as exc:  # noqa: BLE001 - any failure here means no usable PostGIS
            _fail_without_postgis(exc)
        from data import generator, loader

        loader.load(generator.generate(), progress=False)
    yield
    if created is not None:
        with django_db_blocker.unblock():
            teardown_databases(created, verbosity=0)


@pytest.fixture
def reload_sample_data(django_db_blocker):
    """Reload the sample data after a test that flushed the database."""
    yield
    from data import generator, loader

    with django_db_blocker.unblock():
        loader.load(generator.generate(), force=True, progress=False)


@pytest.fixture
def aut(db):
    """The sample's Agence Urbaine de Tétouan (EPSG:26191)."""
    from plans.models import Agency

    return Agency.objects.get(code="AUT")


@pytest.fixture
def aug(db):
    """The sample's Agence Urbaine de Guelmim (EPSG:26192)."""
    from plans.models import Agency

    return Agency.objects.get(code="AUG")


@pytest.fixture(scope="session")
def sample_dataset():
    """The generator's objects (Lambert shapely geometries) behind the loaded data: an oracle."""
    from data import generator

    return generator.generate()


# The live server's keys; tests that verify its signatures in-process use the same ones.
LIVE_SECRET_KEY = "live-test-server-" + "k" * 40
LIVE_SIGNING_KEY = "live-test-note-signing-" + "s" * 40


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def live_database_url():
    """DATABASE_URL of the test database (for processes started by the tests)."""
    from django.db import connection

    settings = connection.settings_dict
    return (f"postgis://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}")


def live_server_env(**overrides):
    """The environment of a live server: as in production (DEBUG off, real keys), on the test database."""
    # Cookies over plain HTTP on loopback.
    return {**os.environ, "DATABASE_URL": live_database_url(), "DEBUG": "0", "SECRET_KEY": LIVE_SECRET_KEY,
            "NOTE_SIGNING_KEY": LIVE_SIGNING_KEY, "SECURE_COOKIES": "0", "PYTHONUNBUFFERED": "1",
            "CACHE_KEY_PREFIX": CACHE_PREFIX, **overrides}


@contextlib.contextmanager
def serve(env):
    """A real server process (gunicorn, 2 workers) with environment `env`; yields its base URL."""
    port = _free_port()
    (ROOT / "var").mkdir(exist_ok=True)
    log = open(ROOT / "var" / f"live-server-{port}.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "geoportal.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2",
         "--timeout", "120"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the live test server did not start on {base} (exit {proc.returncode}); "
                        f"see {log.name}")
        time.sleep(0.2)
    try:
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def live_server_url(django_db_setup, django_db_blocker):
    """Base URL of a real server process (gunicorn, 2 workers, DEBUG off) on the test database."""
    with serve(live_server_env()) as base:
        yield base
