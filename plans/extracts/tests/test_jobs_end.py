"""Every background extract ends: a lost job, a dead worker or a killed database connection fail it with a
message, and a failed extract can be queued again (issue 14)."""
import datetime
import subprocess

import django_rq
import psycopg
import pytest
from django.db import connection
from rq import SimpleWorker
from rq.executions import Execution
from rq.job import JobStatus

from geoportal.core import jobs
from plans.extracts import service
from plans.extracts.jobs import make_extract
from plans.models import ExtractLog

from .conftest import lambert_bbox


def _background_extract(client, settings, tmp_path, parcel_box, capture):
    settings.EXTRACT_SYNC_MAX_FEATURES = 5
    settings.MEDIA_ROOT = tmp_path
    with capture(execute=True):
        response = client.post("/api/extracts", {"format": "geojson", "margin": "0", **lambert_bbox(parcel_box)},
                               content_type="application/json")
    assert response.status_code == 202, response.content
    return response.json()


@pytest.mark.django_db
def test_an_extract_whose_job_was_lost_is_failed_then_retried(
        client, settings, tmp_path, parcel_box, django_capture_on_commit_callbacks):
    body = _background_extract(client, settings, tmp_path, parcel_box, django_capture_on_commit_callbacks)
    jobs.fetch(service.job_id(body["id"])).delete()  # as when Redis lost its data
    ExtractLog.objects.filter(pk=body["id"]).update(
        requested_at=ExtractLog.objects.get(pk=body["id"]).requested_at - datetime.timedelta(minutes=5))

    status = client.get(body["status_url"]).json()
    assert status["status"] == "failed" and "no longer in the queue" in status["error"], status
    assert "request it again" in status["error"] and status["retry_url"].endswith(f"/api/extracts/{body['id']}/retry")

    with django_capture_on_commit_callbacks(execute=True):  # the queue's jobs are queued when the request commits
        retried = client.post(status["retry_url"])
    assert retried.status_code == 202 and retried.json()["status"] == "queued", retried.content
    assert client.post(status["retry_url"]).status_code == 400  # only a failed extract is retried
    django_rq.get_worker("default", worker_class=SimpleWorker).work(burst=True)
    done = client.get(body["status_url"]).json()
    assert done["status"] == "done" and done["download_url"], done.get("error")


@pytest.mark.django_db
def test_an_extract_whose_worker_died_is_failed(client, settings, tmp_path, parcel_box,
                                                django_capture_on_commit_callbacks):
    body = _background_extract(client, settings, tmp_path, parcel_box, django_capture_on_commit_callbacks)
    dead = subprocess.Popen(["true"])
    dead.wait()  # a pid that no longer runs: the worker killed with -9 mid-job
    job = jobs.fetch(service.job_id(body["id"]))
    import socket
    job.meta.update(pid=dead.pid, host=socket.gethostname())
    job.save_meta()
    job.set_status(JobStatus.STARTED)
    ExtractLog.objects.filter(pk=body["id"]).update(status=ExtractLog.Status.RUNNING)

    status = client.get(body["status_url"]).json()
    assert status["status"] == "failed" and "worker making it died" in status["error"], status
    job.delete()


@pytest.mark.django_db
def test_a_retried_extract_whose_worker_died_is_not_failed_again_by_a_status_request(
        client, settings, tmp_path, parcel_box, django_capture_on_commit_callbacks, monkeypatch):
    """The retry replaces the dead attempt's job before the log says queued: a status request at any moment of the
    retry (here: just before the new job is queued) sees it queued, and the retry is done."""
    body = _background_extract(client, settings, tmp_path, parcel_box, django_capture_on_commit_callbacks)
    dead = subprocess.Popen(["true"])
    dead.wait()
    job = jobs.fetch(service.job_id(body["id"]))
    import socket
    job.meta.update(pid=dead.pid, host=socket.gethostname())
    job.save_meta()
    job.set_status(JobStatus.STARTED)
    with job.connection.pipeline() as pipeline:  # the execution the killed worker left in the started registry
        Execution.create(job, ttl=60, pipeline=pipeline)
        pipeline.execute()
    assert job.id in job.started_job_registry.get_job_ids()
    ExtractLog.objects.filter(pk=body["id"]).update(status=ExtractLog.Status.RUNNING)
    status = client.get(body["status_url"]).json()
    assert status["status"] == "failed" and "worker making it died" in status["error"], status

    seen = []
    submit = jobs.submit

    def a_status_request_first(pending):
        seen.append(client.get(body["status_url"]).json()["status"])
        return submit(pending)

    monkeypatch.setattr(jobs, "submit", a_status_request_first)
    assert client.post(status["retry_url"]).status_code == 202
    assert seen == ["queued"]
    assert client.get(body["status_url"]).json()["status"] == "queued"
    fresh = jobs.fetch(service.job_id(body["id"]))
    assert fresh.get_status() == "queued" and "pid" not in fresh.meta
    assert job.id not in fresh.started_job_registry.get_job_ids()  # RQ's cleanup will not take it for abandoned
    django_rq.get_worker("default", worker_class=SimpleWorker).work(burst=True)
    done = client.get(body["status_url"]).json()
    assert done["status"] == "done" and done["download_url"], done.get("error")


def test_a_killed_database_connection_never_leaves_an_extract_running(
        committed_db, client, settings, tmp_path, parcel_box, django_capture_on_commit_callbacks):
    body = _background_extract(client, settings, tmp_path, parcel_box, django_capture_on_commit_callbacks)
    jobs.fetch(service.job_id(body["id"])).delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    owner = settings.DATABASE_ROLES["owner"]
    with psycopg.connect(host="127.0.0.1", port=owner["PORT"] or 5432, user=owner["USER"], password=owner["PASSWORD"],
                         dbname=connection.settings_dict["NAME"], autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]

    make_extract(body["id"])  # the job, run here on the killed connection (no retry left outside RQ)

    log = ExtractLog.objects.get(pk=body["id"])
    assert log.status in (ExtractLog.Status.DONE, ExtractLog.Status.FAILED), (log.status, log.error)
    if log.status == ExtractLog.Status.FAILED:
        assert "database" in log.error, log.error
