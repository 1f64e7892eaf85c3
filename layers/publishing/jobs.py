"""Background jobs of publishing on RQ (queue "default", started by `make demo`).

Each job runs one step of an upload (import, validate, publish, sheet) and
writes its progress to the RQ job's meta ({"done", "total", "step"}), which
the upload page, the API and the CLI read. A job that dies (worker killed)
is found failed by RQ; refresh() then marks the upload's job failed too:
a publish runs in one transaction, so nothing of it was kept.
"""
import os
import time

import django_rq
from django.contrib.auth import get_user_model
from rq import get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from layers.records import AuditAction, LayerUpload, Target

from . import audit, parcels, publishing, sheets, uploads

IMPORT, VALIDATE, PUBLISH, SHEET = "import", "validate", "publish", "sheet"
FINAL = {"finished", "failed"}


def enqueue(upload, kind, user=None, **options):
    """Queue step `kind` for `upload`; returns the RQ job."""
    # Enqueued at once ("auto"): callers run in autocommit, so the upload row is already visible to the worker.
    queue = django_rq.get_queue("default", commit_mode="auto")
    job = queue.enqueue(run, upload.pk, kind, user.pk if user is not None and user.is_authenticated else None,
                        options, job_timeout=3600, result_ttl=7 * 24 * 3600, failure_ttl=30 * 24 * 3600)
    LayerUpload.objects.filter(pk=upload.pk).update(job_id=job.id, job_kind=kind, job_status="queued", error="")
    return job


def run(upload_id, kind, user_id, options):
    """The job body (also what the CLI runs in-process): one step of an upload."""
    upload = LayerUpload.objects.select_related("agency", "plan").get(pk=upload_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    LayerUpload.objects.filter(pk=upload_id).update(job_status="running", job_kind=kind, error="")
    job = get_current_job()
    if job is not None:
        job.meta["pid"] = os.getpid()
        job.save_meta()
    try:
        result = execute(upload, kind, user, options, progress=_meta_progress(job))
    except Exception as exc:
        LayerUpload.objects.filter(pk=upload_id).update(job_status="failed", error=str(exc)[:2000])
        audit.record(AuditAction.FAILED, user, upload.agency, plan=upload.plan, upload=upload, step=kind,
                     error=str(exc)[:500])
        raise
    LayerUpload.objects.filter(pk=upload_id).update(job_status="finished")
    return result


def execute(upload, kind, user, options, progress=None):
    """Run step `kind` of `upload` with `progress(done, total, step)`; returns a small JSON-able result."""
    if kind == IMPORT:
        uploads.stage(upload, progress)
        if options.get("mapping"):
            uploads.map_fields(upload, options["mapping"], user, options.get("source_label", ""))
        if uploads.mapping_for(upload):
            return {"report": _summary(uploads.validate(upload, user, progress))}
        return {"staged": upload.feature_count}
    if kind == VALIDATE:
        return {"report": _summary(uploads.validate(upload, user, progress))}
    if kind == PUBLISH:
        ack = bool(options.get("acknowledge_warnings"))
        if upload.target == Target.PARCELS:
            return {"release": parcels.publish(upload, user, ack, progress)}
        return {"revision": publishing.publish(upload, user, ack, progress)}
    if kind == SHEET:
        attachment = sheets.attach(upload, user, options.get("title_fr", ""), options.get("title_ar", ""), progress)
        return {"attachment": attachment.pk}
    raise ValueError(f"unknown job kind {kind!r}")


def _summary(report):
    return {"errors": report["errors"], "warnings": report["warnings"], "publishable": report["publishable"]}


def _meta_progress(job, every=0.5):
    if job is None:
        return None
    last = [0.0]

    def progress(done, total, step):
        now = time.monotonic()
        if now - last[0] >= every or done >= total:
            last[0] = now
            job.meta.update(done=done, total=total, step=step)
            job.save_meta()
    return progress


def fetch(job_id):
    try:
        return Job.fetch(job_id, connection=django_rq.get_connection("default"))
    except NoSuchJobError:
        return None


def refresh(upload):
    """The upload's job state {status, kind, done, total, step, error}, marking it failed if its job died."""
    state = {"id": upload.job_id or None, "kind": upload.job_kind or None, "status": upload.job_status or None,
             "error": upload.error or None}
    if not upload.job_id:
        return state
    job = fetch(upload.job_id)
    if job is not None:
        state.update({k: job.meta.get(k) for k in ("done", "total", "step")})
    if upload.job_status in FINAL:
        return state
    rq_status = job.get_status(refresh=False) if job is not None else None
    if job is None or rq_status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
        reason = "the job stopped before finishing (worker killed or job lost); nothing of this step was kept"
        if job is not None and job.latest_result() and job.latest_result().exc_string:
            reason = job.latest_result().exc_string.strip().splitlines()[-1][:500]
        LayerUpload.objects.filter(pk=upload.pk, job_status__in=["queued", "running"]).update(
            job_status="failed", error=reason)
        state.update(status="failed", error=reason)
    return state
