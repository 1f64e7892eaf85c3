"""Redis stopped while a job runs: our worker records the job when Redis is back and takes the next one; RQ's own
worker (the oracle that the fault is real) quits. A job retried after a pause (Retry(interval=…)) runs again: the
workers run RQ's scheduler, without which such a retry would wait in the scheduled registry for ever. A work horse
dies with its worker. Black-box: a real `manage.py rqworker`, a real redis-server with its append-only file,
stopped with SIGTERM and started again on the same files."""
import contextlib
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from rq import Queue, Retry
from rq.job import Job

from conftest import app_process_env

ROOT = Path(__file__).resolve().parents[3]
JOB_SECONDS = 6


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(what, predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


class RedisServer:
    """A redis-server with persistence (AOF, as in the cluster) on its own port and folder."""

    def __init__(self, folder):
        self.port, self.folder = _free_port(), folder
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
             "--appendonly", "yes", "--save", ""], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        client = redis.Redis(port=self.port, socket_timeout=1)
        _wait(f"redis-server on port {self.port}", lambda: _answers(client))

    def stop(self):
        self.process.send_signal(signal.SIGTERM)  # a clean stop: the AOF is flushed, as `supervisorctl stop` does
        self.process.wait(10)


def _answers(client):
    try:
        return client.ping()
    except redis.RedisError:
        return False


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.process.kill()
        server.process.wait(10)


@contextlib.contextmanager
def running_worker(redis_server, tmp_path, worker_class=None):
    """(process, log path) of a real `manage.py rqworker` on `redis_server`; stopped (killed if need be) after."""
    worker, log = _worker(redis_server, tmp_path, worker_class)
    try:
        yield worker, log
    finally:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(10)


def _worker(redis_server, tmp_path, worker_class=None):
    from django.db import connection

    env = app_process_env(connection.settings_dict, REDIS_URL=f"redis://127.0.0.1:{redis_server.port}/0",
                          PYTHONUNBUFFERED="1")
    argv = [sys.executable, "manage.py", "rqworker", "default", "--with-scheduler"]  # as the cluster runs it
    if worker_class:
        argv += ["--worker-class", worker_class]
    log = tmp_path / "worker.log"
    return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT), log


def _stop_redis_during_a_job(redis_server, tmp_path, worker):
    """Queue a job, stop Redis once it runs and until after it has ended, start Redis again; the job."""
    connection = redis.Redis(port=redis_server.port)
    queue = Queue("default", connection=connection)
    marker = tmp_path / "job-1.txt"
    job = queue.enqueue("geoportal.core.tests.slow_job.sleep_then_write", str(marker), JOB_SECONDS)
    _wait("the job to start", lambda: job.get_status(refresh=True) == "started")
    redis_server.stop()
    _wait("the job's work to be done while Redis is down", marker.exists, JOB_SECONDS + 10)
    time.sleep(2)  # the horse has ended and found no Redis to record it in
    redis_server.start()
    return connection, queue, job


def test_our_worker_records_the_job_after_the_restart_and_takes_the_next(redis_server, tmp_path, django_db_setup):
    with running_worker(redis_server, tmp_path) as (worker, log):
        connection, queue, job = _stop_redis_during_a_job(redis_server, tmp_path, worker)
        _wait("the job to be recorded finished", lambda: Job.fetch(job.id, connection=connection).get_status()
              == "finished", 30)
        job = Job.fetch(job.id, connection=connection)
        assert job.return_value() == "done"
        assert worker.poll() is None, log.read_text()[-3000:]  # the same process: it never quit

        second = queue.enqueue("geoportal.core.tests.slow_job.sleep_then_write", str(tmp_path / "job-2.txt"), 0)
        _wait("the next job to be done", lambda: second.get_status(refresh=True) == "finished", 30)
        # taken by the worker that lived through the outage
        assert Job.fetch(second.id, connection=connection).worker_name == job.worker_name
        assert queue.started_job_registry.count == 0 and queue.failed_job_registry.count == 0
        text = log.read_text()
        assert "Redis unreachable while recording the end of job" in text, text[-3000:]


def test_rqs_own_worker_quits_in_the_same_fault(redis_server, tmp_path, django_db_setup):
    """The oracle: the fault above is one RQ's worker does not survive (if RQ learns to, this test says so)."""
    with running_worker(redis_server, tmp_path, worker_class="rq.worker.Worker") as (worker, _):
        connection, _, job = _stop_redis_during_a_job(redis_server, tmp_path, worker)
        _wait("RQ's worker to quit", lambda: worker.poll() is not None, 30)
        assert Job.fetch(job.id, connection=connection).get_status() != "finished"


def test_a_job_retried_after_a_pause_runs_again(redis_server, tmp_path, django_db_setup):
    with running_worker(redis_server, tmp_path):
        queue = Queue("default", connection=redis.Redis(port=redis_server.port))
        job = queue.enqueue("geoportal.core.tests.slow_job.fail_once", str(tmp_path / "once.txt"),
                            retry=Retry(max=1, interval=1))
        _wait("the retried job to be done", lambda: job.get_status(refresh=True) == "finished", 30)
        assert (tmp_path / "once.txt").read_text() == "failed once" and job.return_value() == "done"


def test_a_work_horse_dies_with_its_worker(redis_server, tmp_path, django_db_setup):
    """kill -9 of the worker takes its work horse with it: no orphan left running a job nobody records."""
    import psutil

    with running_worker(redis_server, tmp_path) as (worker, log):
        queue = Queue("default", connection=redis.Redis(port=redis_server.port))
        noted = tmp_path / "horse.pid"
        queue.enqueue("geoportal.core.tests.slow_job.note_pid_then_sleep", str(noted), 60)
        _wait("the job to start", lambda: noted.exists() and noted.read_text())
        horse = psutil.Process(int(noted.read_text()))
        assert horse.ppid() == worker.pid, log.read_text()[-2000:]  # forked by the worker
        worker.kill()
        worker.wait(10)
        _wait("the work horse to die with its worker", lambda: not horse.is_running() or horse.status() == "zombie",
              10)
