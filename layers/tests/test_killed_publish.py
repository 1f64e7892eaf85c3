"""A publish killed mid-way (SIGKILL of the RQ work horse) leaves the previous version served, the job failed.

Black-box: a real `manage.py rqworker` process on Redis and the test database.
The test holds a row lock on the plan (FOR NO KEY UPDATE: foreign-key checks
still pass), so the publish blocks inside its transaction right after
inserting the new rows (the UPDATE of live_revision waits); then the process
running it is killed with SIGKILL.
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from conftest import app_process_env

ROOT = Path(__file__).resolve().parents[2]


def _alive(process, log):
    if process.poll() is not None:
        pytest.fail(f"the process ended early ({process.returncode}): {log.read_text()[-2000:]}")
    return True


def _wait(what, predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def committed(committed_db, tmp_path, settings):
    """Objects committed to the test database (other processes must see them).

    committed_db empties the tables afterwards and loads the sample data
    again; the staging tables and files of the uploads are removed here.
    """
    made = {}
    yield made
    from layers.publishing import uploads

    for upload in made.get("uploads", []):
        uploads.discard(upload)


def _publisher_of_tetouan(name, committed):
    """(plan in force of Tétouan, a committed publisher of AUT, the ids of the zones served now)."""
    from django.contrib.auth import get_user_model

    from geoportal.staff import roles
    from plans.models import PlanDocument, Zone

    plan = PlanDocument.objects.get(reference="pa-tetouan-centre", status="approved")
    user = get_user_model().objects.create_user(name, password="x-secret-42")
    roles.grant(user, plan.agency, roles.PUBLISHER)
    committed["plan"] = plan
    return plan, user, sorted(Zone.objects.live().filter(plan=plan).values_list("id", flat=True))


def _database(media_root, **extra):
    """(libpq DSN of the test database, environment for a child process using it)."""
    from django.db import connection

    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    dsn = f"host={host} port={port} user={db['USER']} dbname={db['NAME']}"
    if db["PASSWORD"]:
        dsn += f" password={db['PASSWORD']}"
    return dsn, app_process_env(db, MEDIA_ROOT=str(media_root), **extra)


def test_sigkill_mid_publish_keeps_the_previous_version(committed, tmp_path, settings, sample_dataset):
    import django_rq

    from layers.publishing import jobs, uploads
    from plans.models import Zone

    from .conftest import FileArg
    from .files import zones_gpkg

    settings.MEDIA_ROOT = tmp_path / "media"
    plan, user, served_before = _publisher_of_tetouan("killed-publish", committed)
    path = zones_gpkg(sample_dataset, tmp_path / "zones.gpkg")
    with FileArg(path) as handle:
        upload = uploads.receive(user, plan.agency, "zones", handle, path.name, plan=plan)
    committed["uploads"] = [upload]
    uploads.stage(upload)
    uploads.map_fields(upload, {"code": "CODE", "label_fr": "LIBELLE"}, user)
    uploads.validate(upload, user)
    assert plan.live_revision == 1 and served_before
    dsn, env = _database(settings.MEDIA_ROOT, CACHE_KEY_PREFIX=settings.CACHES["default"]["KEY_PREFIX"])
    django_rq.get_queue("default").empty()
    with psycopg.connect(dsn) as blocker, psycopg.connect(dsn, autocommit=True) as observer:
        blocker.execute("SELECT id FROM plans_plandocument WHERE id = %s FOR NO KEY UPDATE", [plan.pk])
        job = jobs.enqueue(upload, jobs.PUBLISH, user, acknowledge_warnings=True)
        log = open(tmp_path / "worker.log", "w")
        worker = subprocess.Popen([sys.executable, "manage.py", "rqworker", "default", "--burst"], cwd=ROOT, env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
        try:
            waiting = _wait("the publish to block on the plan row", lambda: observer.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
                "AND query LIKE 'UPDATE \"plans_plandocument\"%%'").fetchone())
            backend = waiting[0]
            horse = jobs.fetch(job.id).meta["pid"]
            assert horse != worker.pid  # the work horse, forked by the worker
            # The new revision's rows exist, uncommitted, in the blocked transaction.
            locks = observer.execute("SELECT count(*) FROM pg_locks WHERE pid = %s AND relation = "
                                     "'plans_zone'::regclass AND mode = 'RowExclusiveLock'", [backend]).fetchone()[0]
            assert locks >= 1
            os.kill(horse, signal.SIGKILL)
        finally:
            blocker.rollback()
        worker.wait(60)
        _wait("the killed backend to end", lambda: not observer.execute(
            "SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend]).fetchone())

    plan.refresh_from_db()
    assert plan.live_revision == 1
    assert sorted(Zone.objects.live().filter(plan=plan).values_list("id", flat=True)) == served_before
    assert not Zone.objects.filter(plan=plan, revision=2).exists()  # nothing half-published
    upload.refresh_from_db()
    state = jobs.refresh(upload)
    assert jobs.fetch(job.id).get_status() == "failed"
    assert state["status"] == "failed" and "terminated unexpectedly" in state["error"], state
    upload.refresh_from_db()
    assert upload.job_status == "failed" and upload.status == "validated"  # can be published again


def test_sigkill_of_the_cli_mid_publish_keeps_the_previous_version(committed, tmp_path, settings, sample_dataset):
    from layers.records import LayerUpload
    from plans.models import Zone

    from .files import zones_gpkg

    plan, user, served_before = _publisher_of_tetouan("killed-cli", committed)
    path = zones_gpkg(sample_dataset, tmp_path / "zones.gpkg")
    dsn, env = _database(tmp_path / "media")
    with psycopg.connect(dsn) as blocker, psycopg.connect(dsn, autocommit=True) as observer:
        blocker.execute("SELECT id FROM plans_plandocument WHERE id = %s FOR NO KEY UPDATE", [plan.pk])
        cli = subprocess.Popen(
            [sys.executable, "manage.py", "publish_layer", "upload", str(path), "--agency", "AUT", "--target", "zones",
             "--plan", str(plan.pk), "--mapping", '{"code": "CODE"}', "--user", user.username, "--publish",
             "--acknowledge-warnings"], cwd=ROOT, env=env, stdout=open(tmp_path / "cli.log", "w"),
            stderr=subprocess.STDOUT)
        try:
            backend = _wait("the CLI publish to block on the plan row", lambda: _alive(cli, tmp_path / "cli.log")
                            and observer.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
                "AND query LIKE 'UPDATE \"plans_plandocument\"%%'").fetchone())[0]
            cli.send_signal(signal.SIGKILL)
            cli.wait(30)
        finally:
            blocker.rollback()
        _wait("the killed backend to end", lambda: not observer.execute(
            "SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend]).fetchone())
    committed["uploads"] = list(LayerUpload.objects.filter(created_by=user))
    plan.refresh_from_db()
    assert plan.live_revision == 1
    assert sorted(Zone.objects.live().filter(plan=plan).values_list("id", flat=True)) == served_before
    assert not Zone.objects.filter(plan=plan, revision__gt=1).exists()
    assert [u.status for u in committed["uploads"]] == ["validated"]  # publishable again, nothing half-done
