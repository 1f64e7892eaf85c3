"""Test fixtures shared by every app: the real PostGIS test database with the
sample data, and a live server process for black-box clients.

Two database roles, as in production (geoportal/dbroles.py): the test
database is created, migrated and loaded with the sample data as the OWNER;
then every test's connection, the live server and the workers it starts run
as the APP role, so a missing grant fails a test. A test that needs the
owner's rights says so (the `owner_db` or `committed_db` fixture, dbroles.as_owner, in_db(owner=True)).

The sample dataset (data.generator defaults) is loaded once per session,
outside the per-test transactions, so `db` tests see it and roll back their
own changes. Tests that need other processes to see data (OGC clients, the
browser) use `live_server_url`: a real server process on the test database.
Do not use `transactional_db` (the app role may not TRUNCATE for its flush):
a test whose writes other processes must see uses `committed_db` (the owner
empties the tables and reloads the sample afterwards), or tests/conftest.py's
`autocommit_db` when it removes what it wrote itself.
"""
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent


def _fail_without_postgis(exc):
    pytest.exit(
        "PostGIS is not reachable for the tests "
        f"(DATABASE_URL={os.environ.get('DATABASE_URL', '<default>')}): {exc}\n"
        "Run `make test`, which installs and starts PostgreSQL + PostGIS, or point DATABASE_URL at one.",
        returncode=3,
    )


# One cache namespace per test run: Redis is shared with dev servers and other runs.
CACHE_PREFIX = f"test-{os.getpid()}-{int(time.time())}"


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache():
    from django.conf import settings

    settings.CACHES["default"]["KEY_PREFIX"] = CACHE_PREFIX


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The test database is created and migrated by the owner role; returns its name."""
    from django.db import connection

    from geoportal import dbroles

    dbroles.connect_as(connection, dbroles.OWNER)
    return connection.creation._get_test_db_name()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_modify_db_settings):
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from geoportal import dbroles

    with django_db_blocker.unblock():
        made = None
        if connection.settings_dict["NAME"] != django_db_modify_db_settings:
            # pytest-django creates the test database only when a collected test asks for `db` (or a django_db
            # marker); a run of browser tests alone, which reach the database through the live server, would
            # otherwise serve, load and change the developer's own database (DATABASE_URL).
            made = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT postgis_lib_version()")
        except Exception as exc:  # noqa: BLE001 - any failure here means no usable PostGIS
            _fail_without_postgis(exc)
        from data import generator, loader

        loader.load(generator.generate(), progress=False)
        dbroles.connect_as(connection, dbroles.APP)
    yield
    with django_db_blocker.unblock():
        dbroles.connect_as(connection, dbroles.OWNER)  # its owner drops the test database
        if made:
            teardown_databases(made, verbosity=0)


@pytest.fixture
def committed_db(django_db_setup, django_db_blocker):
    """Database access without the test's transaction: what the test writes (as the app role) is committed,
    so other processes see it. Afterwards the owner empties every table (issued notes included: test data)
    and loads the sample data again."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from data import generator, loader
    from geoportal import dbroles

    assert connection.settings_dict["NAME"].startswith("test_"), "refusing to commit outside a test database"
    with django_db_blocker.unblock():
        yield
        with dbroles.as_owner(connection), transaction.atomic(), connection.cursor() as cursor:
            # The note trigger refuses TRUNCATE even to the owner: only this test clean-up switches it off.
            cursor.execute("ALTER TABLE plans_issuednote DISABLE TRIGGER plans_issuednote_no_truncate")
            call_command("flush", interactive=False, verbosity=0)
            cursor.execute("ALTER TABLE plans_issuednote ENABLE TRIGGER plans_issuednote_no_truncate")
            loader.load(generator.generate(), force=True, progress=False)


@pytest.fixture
def owner_db(django_db_setup, django_db_blocker):
    """Like `db`, but as the OWNER: the test's work in a transaction rolled back afterwards. For the few tests
    of what only the owner may do (a migration's DDL, the triggers that stop even the owner)."""
    from django.db import connection, transaction

    from geoportal import dbroles

    with django_db_blocker.unblock(), dbroles.as_owner(connection), transaction.atomic():
        yield
        transaction.set_rollback(True)


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


def database_url(settings_dict):
    """The postgis:// URL of a connection's settings (its role and database)."""
    return (f"postgis://{settings_dict['USER']}:{settings_dict['PASSWORD']}@{settings_dict['HOST'] or '127.0.0.1'}:"
            f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}")


def live_database_url():
    """DATABASE_URL of the test database as the app role (for processes started by the tests)."""
    from django.db import connection

    return database_url(connection.settings_dict)


def app_process_env(settings_dict, **extra):
    """Environment of a child process (server, worker, CLI) on the test database as the app role: as in
    production, the owner's URL is not even in its environment."""
    env = dict(os.environ, DATABASE_URL=database_url(settings_dict), **extra)
    env.pop("DATABASE_OWNER_URL", None)
    env.pop("DATABASE_ROLE", None)
    return env


def live_server_env(**overrides):
    """The environment of a live server: as in production (DEBUG off, real keys, the app role, no trusted
    proxy), on the test database. Cookies over plain HTTP on loopback. Every test posts from 127.0.0.1:
    complaints and inquiry observations, co-signatures and watches are not limited per address here (their
    limits have their own tests; the counters live in the Redis the in-process tests share)."""
    from django.db import connection

    return app_process_env(connection.settings_dict, **{
        "DEBUG": "0", "SECRET_KEY": LIVE_SECRET_KEY, "NOTE_SIGNING_KEY": LIVE_SIGNING_KEY, "SECURE_COOKIES": "0",
        "PYTHONUNBUFFERED": "1", "CACHE_KEY_PREFIX": CACHE_PREFIX, "TRUSTED_PROXIES": "",
        "ESERVICES_SUBMISSIONS_PER_HOUR": "100000",
        "INQUIRY_SUBMISSIONS_PER_HOUR": "100000", **overrides})


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(env):
    """A real server process (gunicorn, 2 workers) with environment `env`; yields its base URL. Its access
    log and errors go to var/live-server-<port>.log."""
    port = _free_port()
    (ROOT / "var").mkdir(exist_ok=True)
    log = open(ROOT / "var" / f"live-server-{port}.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "geoportal.wsgi", "-c", "python:geoportal.gunicorn_conf", "-b",
         f"127.0.0.1:{port}", "-w", "2", "--timeout", "120", "--access-logfile", "-"],  # as production runs it
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
            proc.wait()
            log.close()
            tail = (ROOT / "var" / f"live-server-{port}.log").read_text()[-3000:]
            pytest.fail(f"the live test server did not start on {base} (exit {proc.returncode}):\n{tail}")
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


@pytest.fixture(scope="session")
def live_server_log(live_server_url):
    """The live server's log file (its access log and errors)."""
    return ROOT / "var" / f"live-server-{live_server_url.rsplit(':', 1)[1]}.log"


def in_db(blocker, fn, owner=False):
    """Run `fn` on the test database from a thread, committed (outside the test's transaction: the live server
    sees it), as the app role or as the `owner` (clean-ups that delete audit events, which the app may not).
    Also for Playwright tests: its sync API runs an event loop in the test's thread, where Django refuses
    database calls."""
    def call():
        from django.db import connection

        from geoportal import dbroles

        try:
            with dbroles.as_owner(connection) if owner else nullcontext():
                return fn()
        finally:
            connection.close()

    with blocker.unblock(), ThreadPoolExecutor(1) as pool:
        return pool.submit(call).result()


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]


@contextlib.contextmanager
def launched_chromium(args=CHROMIUM_ARGS):
    """Debian's Chromium, headless, through Playwright; a clear failure (never a skip) when it is missing."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make system` (installs Debian's chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        try:
            yield chromium
        finally:
            chromium.close()
