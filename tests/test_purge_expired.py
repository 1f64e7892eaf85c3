"""manage.py purge_expired: expired extract files and staging tables go, recent ones and issued notes stay."""
import os
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from layers.publishing import staging
from layers.records import LayerUpload, UploadStatus
from layers.publishing.uploads import work_dir
from plans.models import Agency, ExtractLog, IssuedNote

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EXTRACT_RETENTION_HOURS = 48
    settings.LAYERS_STAGING_RETENTION_DAYS = 7


def _extract(hours_ago, name):
    log = ExtractLog.objects.create(parameters={"bbox": "0,0,1,1"}, format="geojson", status="done", background=True)
    log.file.save(name, ContentFile(b'{"type": "FeatureCollection", "features": []}'), save=True)
    at = timezone.now() - timedelta(hours=hours_ago)
    ExtractLog.objects.filter(pk=log.pk).update(requested_at=at, finished_at=at)
    return log


def _upload(status, days_ago):
    upload = LayerUpload.objects.create(agency=Agency.objects.get(code="AUT"), target="zones", status=status,
                                        original_name="zones.gpkg", sha256="0" * 64)
    table, view = staging.name(upload.staging_table), staging.name(upload.staging_table + "_v")
    with connection.cursor() as cursor:  # as the app role, in the one schema where it may create tables
        cursor.execute(f"CREATE TABLE {table} (fid integer)")
        cursor.execute(f"CREATE VIEW {view} AS SELECT fid FROM {table}")
    folder = work_dir(upload)
    folder.mkdir(parents=True)
    (folder / "zones.gpkg").write_bytes(b"x" * 1000)
    LayerUpload.objects.filter(pk=upload.pk).update(updated_at=timezone.now() - timedelta(days=days_ago))
    return upload


def _tables():
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename LIKE 'layers\\_stage\\_%%'",
                       [django_settings.LAYERS_STAGING_SCHEMA])
        return {row[0] for row in cursor.fetchall()}


def test_purge_removes_only_what_expired_and_never_a_note(client, settings, capsys):
    old, recent = _extract(49, "old.geojson"), _extract(47, "recent.geojson")
    orphan = settings.MEDIA_ROOT / "extracts" / "orphan.zip"
    orphan.write_bytes(b"PK")
    os.utime(orphan, (0, 0))
    published, abandoned, fresh = (_upload(UploadStatus.PUBLISHED, 8), _upload(UploadStatus.VALIDATED, 8),
                                   _upload(UploadStatus.PUBLISHED, 6))
    pdf_note = client.post("/api/notes", {"title_number": "TF 10001/19", "mode": "indicative"},
                           content_type="application/json")
    assert pdf_note.status_code == 201, pdf_note.content
    assert client.get(pdf_note.json()["links"]["pdf"]).status_code == 200  # its PDF is now stored
    # (notes issued by other tests' live servers may have no PDF yet)
    notes = {n.number: n.pdf and bytes(n.pdf) for n in IssuedNote.objects.all()}
    old_path = settings.MEDIA_ROOT / old.file.name

    call_command("purge_expired", "--dry-run")
    listed = capsys.readouterr().out
    assert "would remove 2 extract file(s), 2 staging table(s), 2 upload work folder(s)" in listed
    assert old.file.name in listed and "extracts/orphan.zip" in listed and recent.file.name not in listed
    assert old_path.exists() and orphan.exists() and published.staging_table in _tables()

    call_command("purge_expired", verbosity=0)
    assert not old_path.exists() and not orphan.exists() and (settings.MEDIA_ROOT / recent.file.name).exists()
    old.refresh_from_db()
    assert old.file.name == "" and old.status == "done"  # the log stays: it records who extracted what
    response = client.get(f"/api/extracts/{old.pk}/download")
    assert response.status_code == 404 and str(old.pk) in response.json()["description"]
    assert client.get(f"/api/extracts/{recent.pk}/download").status_code == 200
    tables = _tables()
    assert published.staging_table not in tables and abandoned.staging_table not in tables
    assert fresh.staging_table in tables and work_dir(fresh).exists() and not work_dir(published).exists()
    abandoned.refresh_from_db()
    assert abandoned.status == UploadStatus.FAILED and "upload the file again" in abandoned.error
    assert {n.number: n.pdf and bytes(n.pdf) for n in IssuedNote.objects.all()} == notes  # legal records untouched

    call_command("purge_expired", "--dry-run")
    assert "would remove 0 extract file(s), 0 staging table(s), 0 upload work folder(s)" in capsys.readouterr().out


def test_the_purge_is_scheduled_daily_on_the_rq_worker_queue():
    import django_rq
    from rq.cron import CronScheduler

    scheduler = CronScheduler(connection=django_rq.get_connection("default"))
    scheduler.load_config_from_file("geoportal/cron.py")
    jobs = {job.name: job for job in scheduler.get_jobs()}
    assert jobs["purge_expired"].cron == "15 3 * * *" and jobs["purge_expired"].queue_name == "default"
