"""Publishing an agency's parcels (cadastre) atomically, and restoring an earlier release.

The parcels table is shared by every agency, so a table swap is not
possible; instead every release is kept whole in ParcelSnapshot and applied
to plans_parcel in ONE transaction: upsert on (agency, title number), so a
parcel keeps its id while its title stays, and delete the agency's parcels
the release does not have. Restoring release N applies its snapshot the
same way. The first publish also keeps the parcels found before it (release
0), so that they can be restored too.
"""
from django.db import connection, transaction
from django.db.models import Max

from geoportal.core.errors import Conflict, NotFound

from . import audit, staging
from .publishing import check_publishable
from layers.records import AuditAction, ParcelRelease, UploadStatus
from geoportal.staff.roles import PUBLISHER, require

_AREA = "ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Force2D(ST_Transform(v.geom, 4326))), 3))"


def publish(upload, user, acknowledge_warnings=False, progress=None):
    """Replace the agency's parcels by the validated upload; returns the new release number."""
    agency = upload.agency
    require(user, agency, PUBLISHER)
    check_publishable(upload, acknowledge_warnings)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [8, agency.pk])
            if not ParcelRelease.objects.filter(agency=agency).exists():
                _keep_current(cursor, agency, user)
            number = (ParcelRelease.objects.filter(agency=agency).aggregate(m=Max("number"))["m"] or 0) + 1
            release = ParcelRelease.objects.create(agency=agency, number=number, upload=upload, created_by=_who(user))
            if progress:
                progress(0, 3, "publish")
            cursor.execute(f"""
                INSERT INTO layers_parcelsnapshot (release_id, title_number, commune_id, area_on_title_m2, geom)
                SELECT %s, t.title, c.id, v.area_on_title_m2::numeric(12, 2), {_AREA}
                FROM {staging.name(upload.staging_table + "_v")} v
                JOIN {staging.name(upload.staging_table + "_titles")} t ON t.fid = v.fid
                LEFT JOIN plans_commune c ON c.agency_id = %s AND c.code = v.commune
                WHERE ST_Dimension(v.geom) = 2""", [release.pk, agency.pk])
            release.feature_count = cursor.rowcount
            release.save(update_fields=["feature_count"])
            if progress:
                progress(1, 3, "publish")
            _apply(cursor, release)
        upload.status, upload.revision = UploadStatus.PUBLISHED, number
        upload.save(update_fields=["status", "revision", "updated_at"])
        audit.record(AuditAction.PUBLISH, user, agency, upload=upload, revision=number,
                     feature_count=release.feature_count, acknowledged_warnings=upload.report["warnings"])
    if progress:
        progress(3, 3, "publish")
    return number


def _who(user):
    return user if user is not None and user.is_authenticated else None


def _keep_current(cursor, agency, user):
    release = ParcelRelease.objects.create(agency=agency, number=0, created_by=_who(user), live=True)
    cursor.execute("""INSERT INTO layers_parcelsnapshot (release_id, title_number, commune_id, area_on_title_m2, geom)
                      SELECT %s, title_number, commune_id, area_on_title_m2, geom FROM plans_parcel
                      WHERE agency_id = %s""", [release.pk, agency.pk])
    release.feature_count = cursor.rowcount
    release.save(update_fields=["feature_count"])


def _apply(cursor, release):
    """Make the agency's parcels exactly those of `release` (inside the caller's transaction)."""
    cursor.execute("""
        INSERT INTO plans_parcel (agency_id, commune_id, title_number, area_on_title_m2, geom)
        SELECT %s, s.commune_id, s.title_number, s.area_on_title_m2, s.geom
        FROM layers_parcelsnapshot s WHERE s.release_id = %s
        ON CONFLICT (agency_id, title_number) DO UPDATE
        SET commune_id = EXCLUDED.commune_id, area_on_title_m2 = EXCLUDED.area_on_title_m2, geom = EXCLUDED.geom
        WHERE (plans_parcel.commune_id, plans_parcel.area_on_title_m2, plans_parcel.geom)
              IS DISTINCT FROM (EXCLUDED.commune_id, EXCLUDED.area_on_title_m2, EXCLUDED.geom)""",
                   [release.agency_id, release.pk])
    cursor.execute("""
        DELETE FROM plans_parcel p WHERE p.agency_id = %s AND NOT EXISTS (
            SELECT 1 FROM layers_parcelsnapshot s WHERE s.release_id = %s AND s.title_number = p.title_number)""",
                   [release.agency_id, release.pk])
    ParcelRelease.objects.filter(agency_id=release.agency_id).update(live=False)
    ParcelRelease.objects.filter(pk=release.pk).update(live=True)


def releases(agency):
    return [{"number": r.number, "live": r.live, "parcels": r.feature_count, "created_at": r.created_at.isoformat(),
             "created_by": r.created_by.get_username() if r.created_by else None,
             "file": r.upload.original_name if r.upload else None}
            for r in ParcelRelease.objects.filter(agency=agency).select_related("created_by", "upload")]


def restore(agency, number, user):
    """Make parcel release `number` of `agency` the served one again."""
    require(user, agency, PUBLISHER)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [8, agency.pk])
            release = ParcelRelease.objects.filter(agency=agency, number=number).first()
            if release is None:
                known = ", ".join(str(n) for n in ParcelRelease.objects.filter(agency=agency)
                                  .values_list("number", flat=True))
                raise NotFound(f"agency {agency.code} has no parcel release {number}; its releases: {known or 'none'}",
                               "release")
            if release.live:
                raise Conflict(f"parcel release {number} of {agency.code} is already the one served")
            _apply(cursor, release)
        audit.record(AuditAction.ROLLBACK, user, agency, target="parcels", revision=number,
                     feature_count=release.feature_count)
