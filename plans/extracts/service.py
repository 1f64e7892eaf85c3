"""Making an extract: resolve, check the limits, log, then write now or in a background job.

Limits come from settings (environment): EXTRACT_MAX_AREA_M2 and
EXTRACT_MAX_FEATURES refuse an extract with 413; above EXTRACT_SYNC_MAX_FEATURES
features or EXTRACT_SYNC_MAX_AREA_M2 the extract runs on RQ and the client
polls its status URL for the download link.
"""
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rq import Retry

from geoportal.core import jobs
from geoportal.core.errors import InvalidParameter, ServiceUnavailable, TooLarge
from plans.models import ExtractLog

from . import clipping
from .area import resolve
from .metadata import extract_metadata
from .writers import FORMATS



def limit(name):
    """The extract limit `name` from settings (EXTRACT_MAX_AREA_M2…)."""
    return getattr(settings, name)


@dataclass
class Extract:
    """Everything a writer needs: the resolved area, the request, the output CRS and metadata."""

    area: object
    request: object
    srid: int
    metadata: dict = field(default_factory=dict)

    @property
    def format(self):
        return FORMATS[self.request.format]

    @property
    def basename(self):
        label = re.sub(r"[^A-Za-z0-9]+", "-", self.area.label).strip("-")
        return f"extrait-{self.area.plan.reference}-v{self.area.plan.version}-{label}"

    @cached_property
    def _layers(self):
        return [clipping.layer_features(self.area, name, self.srid, self.request.clip == "exact")
                for name in self.request.layers]

    def layers(self):
        """LayerData of each chosen layer, clipped, in the output CRS (queried once)."""
        return self._layers

    def layers_with_boundary(self):
        return self.layers() + [clipping.boundary_feature(self.area, self.srid)]


@dataclass
class Outcome:
    log: ExtractLog
    content: bytes | None = None  # None: running in the background
    filename: str = ""
    content_type: str = ""


def prepare(request):
    """Resolve `request` to an Extract and its feature counts; raise TooLarge beyond the limits."""
    area = resolve(request)
    if area.area_m2 > limit("EXTRACT_MAX_AREA_M2"):
        raise TooLarge(f"the extract covers {area.area_m2:,.0f} m²; the limit is {limit('EXTRACT_MAX_AREA_M2'):,} m²: "
                       "draw a smaller area or reduce the margin", "area")
    counts = {} if request.format == "tiff" else clipping.count_features(area, request.layers)
    total = sum(counts.values())
    if total > limit("EXTRACT_MAX_FEATURES"):
        raise TooLarge(f"the extract holds {total:,} features ({_counts_text(counts)}); the limit is "
                       f"{limit('EXTRACT_MAX_FEATURES'):,}: draw a smaller area or choose fewer layers", "layers")
    srid = request.crs or area.srid
    extract = Extract(area, request, srid, extract_metadata(area, request, srid))
    extract.format.check(extract)
    return extract, counts


def run(request, user=None, client_address=None, channel="api", background=None, prepared=None):
    """Make the extract of `request` now, or queue it when it is big; every extract is logged.

    `background`: True/False forces the choice (None: by the sync limits);
    `prepared`: the (extract, counts) of prepare(request), when already made.
    """
    extract, counts = prepared or prepare(request)
    if background is None:
        background = (sum(counts.values()) > limit("EXTRACT_SYNC_MAX_FEATURES")
                      or extract.area.area_m2 > limit("EXTRACT_SYNC_MAX_AREA_M2"))
    log = ExtractLog.objects.create(
        requested_by=user if user is not None and user.is_authenticated else None,
        client_address=client_address, channel=channel, plan=extract.area.plan, parameters=request.as_log(),
        format=request.format, srid=extract.srid, area=_multi(extract.area.wgs84), area_m2=extract.area.area_m2,
        feature_counts=counts, metadata=extract.metadata, background=background,
        status=ExtractLog.Status.QUEUED if background else ExtractLog.Status.RUNNING,
    )
    if background:
        transaction.on_commit(lambda: _enqueue(log))
        return Outcome(log)
    directory = Path(tempfile.mkdtemp(prefix="extract-"))
    try:
        path = extract.format.write(extract, directory)
        content = path.read_bytes()
    except Exception as exc:
        finish(log, ExtractLog.Status.FAILED, error=str(exc))
        raise
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    finish(log, ExtractLog.Status.DONE, size=len(content))
    return Outcome(log, content, path.name, extract.format.content_type)


# The job (plans.extracts.jobs.make_extract) imports this module; it is queued by its path, retried by RQ after
# a transient database error (the job says which errors are).
JOB = "plans.extracts.jobs.make_extract"
MAX_RETRIES = 2
RETRY_INTERVALS = [2, 10]  # seconds before the first and the second retry
RETRY = Retry(max=MAX_RETRIES, interval=RETRY_INTERVALS)


def job_id(log_id):
    return f"extract-{log_id}"


def _enqueue(log):
    try:
        jobs.enqueue(JOB, str(log.id), job_id=job_id(log.id), retry=RETRY)
    except jobs.QueueUnavailable as exc:
        _queue_unavailable(log, exc)


def _queue_unavailable(log, exc):
    finish(log, ExtractLog.Status.FAILED, error=f"queue unavailable: {exc}")
    raise ServiceUnavailable("background extracts are unavailable right now (job queue unreachable); "
                             "try again later or choose a smaller area", "format") from None


def retry(log):
    """Queue failed background extract `log` again (same request, same id); InvalidParameter otherwise.

    The earlier job is replaced in Redis while the log still says failed, and only then is the log queued: a status
    request in between (jobs.reconcile) must not find the earlier attempt's job, started by a dead worker, and fail
    the extract again (seen under `make faults`: the retried extract stayed failed)."""
    if not log.background or log.status != ExtractLog.Status.FAILED:
        raise InvalidParameter(f"extract {log.id} is {log.status}{'' if log.background else ' (not a background job)'}: "
                               "only a failed background extract can be retried", "id")
    try:
        pending = jobs.replace(JOB, str(log.id), job_id=job_id(log.id), retry=RETRY)
    except jobs.QueueUnavailable as exc:
        raise ServiceUnavailable(f"extract {log.id} cannot be retried right now (job queue unreachable: {exc}); "
                                 "try again later", "id") from None
    ExtractLog.objects.filter(pk=log.pk, status=ExtractLog.Status.FAILED).update(
        status=ExtractLog.Status.QUEUED, error="", finished_at=None, size_bytes=None)
    log.refresh_from_db()
    try:
        jobs.submit(pending)
    except jobs.QueueUnavailable as exc:
        _queue_unavailable(log, exc)
    return log


def write_to_file(extract, log):
    """Write `extract` into the log's file (media storage): the body of a background job."""
    from django.core.files import File

    directory = Path(tempfile.mkdtemp(prefix="extract-"))
    try:
        path = extract.format.write(extract, directory)
        with path.open("rb") as handle:
            log.file.save(f"{log.id}/{path.name}", File(handle), save=False)
        finish(log, ExtractLog.Status.DONE, size=path.stat().st_size)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def finish(log, status, size=None, error=""):
    log.status, log.size_bytes, log.error, log.finished_at = status, size, error, timezone.now()
    log.save(update_fields=["status", "size_bytes", "error", "finished_at", "file"])


def _multi(geom):
    from django.contrib.gis.geos import MultiPolygon

    return MultiPolygon(geom, srid=geom.srid) if geom.geom_type == "Polygon" else geom


def _counts_text(counts):
    return ", ".join(f"{name}: {count:,}" for name, count in counts.items())
