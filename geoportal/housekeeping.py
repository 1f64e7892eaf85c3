"""Files and tables that nobody needs any more, and their removal (`manage.py purge_expired`).

- Background extracts: the file of an extract finished more than
  settings.EXTRACT_RETENTION_HOURS (48) hours ago is deleted; its ExtractLog
  row stays (it is the record of who extracted what). Files under
  MEDIA_ROOT/extracts/ that no log points to and older than the same delay
  (a worker killed mid-write) go too.
- Layer uploads: the staging tables `layers_stage_<id>` (with their `_v` view and
  `_titles` table) and the unpacked work folder of uploads published or failed
  more than settings.LAYERS_STAGING_RETENTION_DAYS (7) days ago, or left
  unpublished that long (abandoned: marked failed, so nobody publishes from a
  dropped table). The uploaded file itself is kept with the audit log.
- Urbanism notes are never touched: an issued note and its stored PDF are a
  legal record (immutable in the database).

It runs as the app's database role (the daily job runs in the RQ worker): the
staging tables are the app's own, in schema layers_staging.
"""
import shutil
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from layers.publishing import staging
from layers.records import LayerUpload, UploadStatus
from layers.publishing.uploads import work_dir
from plans.models import ExtractLog

FINISHED_UPLOADS = (UploadStatus.PUBLISHED, UploadStatus.FAILED)


@dataclass
class Purge:
    """What was (or, in a dry run, would be) removed."""

    dry_run: bool = False
    extract_files: list = field(default_factory=list)  # media-relative paths
    staging_tables: list = field(default_factory=list)
    work_dirs: list = field(default_factory=list)
    abandoned_uploads: list = field(default_factory=list)  # upload ids marked failed
    freed_bytes: int = 0

    def lines(self):
        verb = "would remove" if self.dry_run else "removed"
        return [f"{verb} {len(self.extract_files)} extract file(s), {len(self.staging_tables)} staging table(s), "
                f"{len(self.work_dirs)} upload work folder(s): {self.freed_bytes / 1e6:.1f} MB",
                *(f"  extract file {p}" for p in self.extract_files),
                *(f"  table {t}" for t in self.staging_tables),
                *(f"  folder {d}" for d in self.work_dirs),
                *(f"  upload {u} abandoned: marked failed" for u in self.abandoned_uploads),
                "issued notes and their PDFs: kept (legal records)"]


def purge_expired(dry_run=False, now=None, progress=None):
    """Remove what has expired at `now` (default: the current time); returns a Purge report.

    `progress(step)` is called once per item examined (for a progress bar).
    """
    now = now or timezone.now()
    report = Purge(dry_run=dry_run)
    _purge_extracts(report, now - timedelta(hours=settings.EXTRACT_RETENTION_HOURS), progress)
    _purge_staging(report, now - timedelta(days=settings.LAYERS_STAGING_RETENTION_DAYS), progress)
    return report


def expired_items():
    """How many items purge_expired() will examine (for the progress bar's total)."""
    return ExtractLog.objects.exclude(file="").count() + LayerUpload.objects.count()


def _purge_extracts(report, cutoff, progress):
    root = Path(settings.MEDIA_ROOT)
    expired = ExtractLog.objects.exclude(file="").filter(requested_at__lt=cutoff).exclude(
        finished_at__gte=cutoff)
    kept = set()
    for log in ExtractLog.objects.exclude(file="").only("id", "file", "requested_at", "finished_at"):
        if progress:
            progress(1)
        kept.add(log.file.name)
    for log in expired:
        kept.discard(log.file.name)
        _remove_file(report, root / log.file.name, log.file.name)
        if not report.dry_run:
            ExtractLog.objects.filter(pk=log.pk).update(file="")
    folder = root / "extracts"
    for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
        name = path.relative_to(root).as_posix()
        if path.is_file() and name not in kept and name not in report.extract_files \
                and path.stat().st_mtime < cutoff.timestamp():
            _remove_file(report, path, name)


def _remove_file(report, path, name):
    report.extract_files.append(name)
    if path.exists():
        report.freed_bytes += path.stat().st_size
        if not report.dry_run:
            path.unlink()


def _purge_staging(report, cutoff, progress):
    existing = _staging_tables()
    for upload in LayerUpload.objects.order_by("pk"):
        if progress:
            progress(1)
        if upload.updated_at >= cutoff:
            continue
        tables = [t for t in (upload.staging_table, f"{upload.staging_table}_titles") if t in existing]
        folder = work_dir(upload)
        abandoned = upload.status not in FINISHED_UPLOADS
        if not tables and not folder.exists():
            continue
        report.staging_tables += tables
        if folder.exists():
            report.work_dirs.append(str(folder))
            report.freed_bytes += sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        if abandoned:
            report.abandoned_uploads.append(upload.pk)
        if report.dry_run:
            continue
        for table in tables:
            staging.drop(table)
        shutil.rmtree(folder, ignore_errors=True)
        if abandoned:
            LayerUpload.objects.filter(pk=upload.pk).update(
                status=UploadStatus.FAILED, job_status="", updated_at=timezone.now(),
                error=f"abandoned: not published within {settings.LAYERS_STAGING_RETENTION_DAYS} days, its staged "
                      "features were removed; upload the file again")


def _staging_tables():
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename LIKE %s",
                       [settings.LAYERS_STAGING_SCHEMA, r"layers\_stage\_%"])
        return {row[0] for row in cursor.fetchall()}


def run_scheduled():
    """The RQ cron job (geoportal/cron.py): purge and return the report's lines."""
    return purge_expired().lines()
