"""Background extracts on RQ: the job re-reads the logged request and writes the file to media storage.

The service (service.run) queues this job by its dotted path, so that neither module imports the other both ways.
"""
from plans.models import ExtractLog

from .request import ExtractRequest
from .service import finish, prepare, write_to_file

JOB = "plans.extracts.jobs.make_extract"


def make_extract(log_id):
    """RQ job: make the extract logged as `log_id`; the log ends done (with its file) or failed (with why)."""
    log = ExtractLog.objects.get(pk=log_id)
    log.status = ExtractLog.Status.RUNNING
    log.save(update_fields=["status"])
    try:
        extract, _ = prepare(ExtractRequest.from_log(log.parameters))
        write_to_file(extract, log)
    except Exception as exc:
        finish(log, ExtractLog.Status.FAILED, error=str(exc))
        raise
    return str(log.id)
