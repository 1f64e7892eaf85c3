"""Background extracts on RQ: the job re-reads the logged request and writes the file to media storage.

The service (service.run) queues this job by its dotted path, so that neither module imports the other both ways.
Every job ends (issue 14): a transient database error (a connection killed, the server restarting) is retried
service.MAX_RETRIES times by RQ, then the extract is failed; any other error fails it at once; the log is written on a fresh
connection when the job's own was killed. reconcile() finds the extracts whose job will never end it (worker
killed, job lost with Redis) and fails them with a message saying so; service.retry() queues such an extract again.
"""
import os
import socket

from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.utils import timezone
from rq import get_current_job
from rq.job import JobStatus

from geoportal.core import jobs
from plans.models import ExtractLog

from .request import ExtractRequest
from .service import job_id, prepare, write_to_file

TRANSIENT = (OperationalError, InterfaceError)
# A queued extract whose job is not in the queue this long after its request was lost (not merely not queued yet).
LOST_AFTER_S = 30
WAITING = (ExtractLog.Status.QUEUED, ExtractLog.Status.RUNNING)


def _record(log_id, **fields):
    """Write `fields` on the log, on a fresh connection if the job's own died (twice at most)."""
    for attempt in (1, 2):
        try:
            return ExtractLog.objects.filter(pk=log_id).update(**fields)
        except TRANSIENT:
            connection.close()
            if attempt == 2:
                raise


def make_extract(log_id):
    """RQ job: make the extract logged as `log_id`; the log ends done (with its file) or failed (with why)."""
    if not connection.in_atomic_block:  # (a test's transaction, run in-process, keeps its connection)
        close_old_connections()  # a connection left broken by the previous job is replaced, not reused
    job = get_current_job()
    try:
        log = ExtractLog.objects.get(pk=log_id)
        if log.status not in WAITING:
            return str(log.id)  # already ended (reconciled as failed, or done by an earlier attempt)
        if job is not None:
            job.meta.update(pid=os.getpid(), host=socket.gethostname())
            job.save_meta()
        _record(log_id, status=ExtractLog.Status.RUNNING, error="")
        extract, _ = prepare(ExtractRequest.from_log(log.parameters))
        write_to_file(extract, log)
    except TRANSIENT as exc:
        connection.close()
        if job is not None and job.retries_left:
            _record(log_id, status=ExtractLog.Status.QUEUED, error=f"retrying after a database error: {exc}"[:2000])
            raise  # RQ queues it again (Retry)
        _record(log_id, status=ExtractLog.Status.FAILED, finished_at=timezone.now(),
                error=f"the database failed while making the extract ({exc}); request it again"[:2000])
    except Exception as exc:  # noqa: BLE001 - every other error ends the extract, with its message
        _record(log_id, status=ExtractLog.Status.FAILED, finished_at=timezone.now(), error=str(exc)[:2000])
    return str(log_id)


def _worker_dead(job):
    """Did the worker running `job` die? Known for a worker on this machine (its pid is in the job's meta)."""
    pid, host = job.meta.get("pid"), job.meta.get("host")
    if not pid or host != socket.gethostname():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _why_lost(log):
    try:
        job = jobs.fetch(job_id(log.id))
        if job is None:
            old = (timezone.now() - log.requested_at).total_seconds() > LOST_AFTER_S
            return "its job is no longer in the queue (lost with Redis, or expired)" if old else None
        status = job.get_status(refresh=False)
        if status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
            result = job.latest_result()
            detail = result.exc_string.strip().splitlines()[-1][:300] if result and result.exc_string else status
            return f"its job ended without making it ({detail})"
        if status == JobStatus.STARTED and _worker_dead(job):
            return "the worker making it died (killed or crashed)"
    except jobs.QueueUnavailable:
        return None  # nothing can be known without Redis: ask again later
    return None


def reconcile(log):
    """`log`, failed with the reason when its background job will never end it (the caller shows it)."""
    if not log.background or log.status not in WAITING:
        return log
    why = _why_lost(log)
    if why:
        error = f"{why}; nothing was kept: request it again (POST its retry URL)"
        ExtractLog.objects.filter(pk=log.pk, status__in=WAITING).update(
            status=ExtractLog.Status.FAILED, error=error, finished_at=timezone.now())
        log.refresh_from_db()
    return log
