"""The note's PDF rendered in the background right after issuance (RQ), so that its first download is instant.

issue() schedules render_note_pdf once the note is committed. When the queue
is unreachable, or settings.NOTE_PDF_BACKGROUND is False, nothing is lost:
the first request of the PDF or the page renders it (render.finalise), as
it does when it arrives before the worker has finished.
"""
import logging

from django.conf import settings
from rq import Retry

from geoportal.core import jobs
from plans.models import IssuedNote

from .render import finalise

log = logging.getLogger(__name__)


def enabled():
    return bool(settings.NOTE_PDF_BACKGROUND)


# A job not started within this time is dropped: the first request renders the PDF instead.
JOB_TTL_S = 3600
# A job whose worker died (killed, or lost with Redis) is queued again, this many times after these pauses (s):
# rendering is idempotent (a stored PDF is kept), and a note asked for at once is rendered by its request anyway.
RETRY = Retry(max=2, interval=[5, 30])
# A PDF takes about half a second; a job still rendering after this (seconds) is stopped by RQ, not left to run.
JOB_TIMEOUT_S = 120


def job_id(note):
    return f"note-pdf-{note.signature[:32]}"


def schedule(note, root):
    """Queue the rendering of `note` (an IssuedNote); `root` is the absolute site URL its QR code points to."""
    try:
        jobs.enqueue(render_note_pdf, note.pk, note.signature, root, job_id=job_id(note), ttl=JOB_TTL_S,
                     result_ttl=0, retry=RETRY, job_timeout=JOB_TIMEOUT_S)
    except jobs.QueueUnavailable as exc:
        log.warning("note %s: PDF not queued (%s); it will be rendered at its first request", note.number, exc)


def render_note_pdf(note_id, signature, root):
    """RQ job: render and store the PDF of note `note_id` unless it is already stored; returns its SHA-256.

    The signature identifies the note across databases: a queue shared by a
    test run, a benchmark and a dev server may hold jobs of another database,
    whose ids mean other notes here; those are skipped.
    """
    note = IssuedNote.objects.select_related("agency").filter(pk=note_id, signature=signature).first()
    if note is None:
        return None
    return finalise(note, root=root).pdf_sha256
