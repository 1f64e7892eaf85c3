"""Publishing a plan's zones or servitudes as a new revision, and restoring an older one.

A publish inserts the new rows with revision = (highest revision of the
plan) + 1, carries over the other layer's live rows into that revision (a
revision is the whole graphic part of the plan), and switches
PlanDocument.live_revision, all in ONE transaction: public endpoints see the
old version until the commit and the new one right after (their caches key
on plans.versions.data_version(), bumped by triggers). A killed publish
leaves nothing: the transaction dies with its connection. Older revisions
stay in the tables, so a rollback is one UPDATE of live_revision.
"""
from django.db import connection, transaction
from django.db.models import Count, Max

from geoportal.core.errors import Conflict, InvalidParameter, NotFound
from plans.crs import STORAGE_MAX_SEGMENT_M
from plans.models import PlanDocument, Servitude, Zone, ZoneRule
from plans.reglement.provisions import from_flat_rules

from . import audit, staging
from layers.records import AuditAction, AuditEntry, Target, UploadStatus
from geoportal.staff.roles import PUBLISHER, require

# A staged feature in lon/lat for storage, its edges densified first in the
# file's own CRS (plans.crs.lambert_to_storage explains why; a no-op in degrees).
_STORED = f"ST_Transform(ST_Segmentize(v.geom, {STORAGE_MAX_SEGMENT_M}), 4326)"
# Polygons of a staged feature in lon/lat, repaired (make_valid) and 2D.
_AREA = f"ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Force2D({_STORED})), 3))"


def _deduplicated(view):
    """The mapped rows of `view`, keeping only the first feature of each set of identical geometries."""
    return (f"(SELECT * FROM (SELECT d.*, row_number() OVER (PARTITION BY md5(ST_AsBinary(ST_Normalize(d.geom))) "
            f"ORDER BY d.fid) AS nth FROM {view} d WHERE d.geom IS NOT NULL) n WHERE n.nth = 1)")


def check_publishable(upload, acknowledge_warnings):
    """Raise Conflict unless the upload's report allows publishing (warnings acknowledged)."""
    if upload.status != UploadStatus.VALIDATED or not upload.report:
        raise Conflict(f"upload {upload.pk} is {upload.get_status_display()}: only a validated upload can be "
                       "published (map its fields and run the validation first)")
    if upload.report["errors"]:
        raise Conflict(f"upload {upload.pk} has {upload.report['errors']} validation error(s); fix the file and "
                       "upload it again (see its validation report)")
    if upload.report["warnings"] and not acknowledge_warnings:
        raise Conflict(f"upload {upload.pk} has {upload.report['warnings']} warning(s): read the report, then "
                       "publish again with acknowledge_warnings=true")


def publish(upload, user, acknowledge_warnings=False, progress=None):
    """Publish a validated zones or servitudes upload as the plan's new live revision; returns it."""
    plan = upload.plan
    require(user, plan.agency, PUBLISHER)
    check_publishable(upload, acknowledge_warnings)
    view = staging.name(upload.staging_table + "_v")
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Serialises publishes of one plan without locking the row the public reads.
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7, plan.pk])
            revision = _next_revision(plan)
            if progress:
                progress(0, 3, "publish")
            if upload.target == Target.ZONES:
                _create_missing_rules(cursor, plan, view)
                inserted = _insert_zones(cursor, plan, view, revision)
                carried = _carry(cursor, "plans_servitude", plan, revision)
            else:
                inserted = _insert_servitudes(cursor, plan, view, revision)
                carried = _carry(cursor, "plans_zone", plan, revision)
            if progress:
                progress(2, 3, "publish")
            previous = PlanDocument.objects.filter(pk=plan.pk).values_list("live_revision", flat=True).get()
            PlanDocument.objects.filter(pk=plan.pk).update(live_revision=revision)
        upload.status, upload.revision = UploadStatus.PUBLISHED, revision
        upload.save(update_fields=["status", "revision", "updated_at"])
        audit.record(AuditAction.PUBLISH, user, plan.agency, plan=plan, upload=upload, revision=revision,
                     feature_count=inserted, previous_revision=previous, carried_over=carried,
                     acknowledged_warnings=upload.report["warnings"])
    if progress:
        progress(3, 3, "publish")
    return revision


def _next_revision(plan):
    top = max(Zone.objects.filter(plan=plan).aggregate(m=Max("revision"))["m"] or 0,
              Servitude.objects.filter(plan=plan).aggregate(m=Max("revision"))["m"] or 0,
              PlanDocument.objects.filter(pk=plan.pk).values_list("live_revision", flat=True).get())
    return top + 1


def _create_missing_rules(cursor, plan, view):
    """A zone code the regulation lacks gets a rule from the file's label and numbers, when it has a label."""
    cursor.execute(f"""
        INSERT INTO plans_zonerule (plan_id, code, label_fr, label_ar, allowed_uses, forbidden_uses, cos, ces,
                                    max_height_m, max_floors, parking_fr, parking_ar, article_fr, article_ar)
        SELECT DISTINCT ON (v.code) %s, v.code, v.label_fr, coalesce(v.label_ar, ''), '{{}}', '{{}}', v.cos, v.ces,
               v.max_height_m, v.max_floors::int, '', '', '', ''
        FROM {view} v
        WHERE v.code IS NOT NULL AND v.label_fr IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM plans_zonerule r WHERE r.plan_id = %s AND r.code = v.code)
        ORDER BY v.code, v.fid""", [plan.pk, plan.pk])
    # The règlement is its provisions: a rule made from the file's numbers gets the provisions they say.
    from_flat_rules(ZoneRule.objects.filter(plan=plan, provisions__isnull=True))


def _insert_zones(cursor, plan, view, revision):
    cursor.execute(f"""
        INSERT INTO plans_zone (plan_id, code, rule_id, revision, geom)
        SELECT %s, v.code, r.id, %s, {_AREA}
        FROM {_deduplicated(view)} v LEFT JOIN plans_zonerule r ON r.plan_id = %s AND r.code = v.code
        WHERE ST_Dimension(v.geom) = 2 AND NOT ST_IsEmpty({_AREA})
        ORDER BY v.fid""", [plan.pk, revision, plan.pk])
    return cursor.rowcount


def _insert_servitudes(cursor, plan, view, revision):
    # Lines and points become ground footprints buffered by half their width in the plan's Lambert CRS
    # (flat ends for lines, as a road strip is drawn), like plans.models.zoning.compute_footprint.
    cursor.execute(f"""
        INSERT INTO plans_servitude (plan_id, kind, code, label_fr, label_ar, width_m, rule_fr, rule_ar, revision,
                                     geom, footprint)
        SELECT %s, v.kind, coalesce(v.code, ''), coalesce(v.label_fr, v.kind), coalesce(v.label_ar, ''),
               v.width_m, '', '', %s, g.geom,
               CASE WHEN ST_Dimension(g.geom) = 2 THEN ST_Multi(ST_CollectionExtract(g.geom, 3))
                    ELSE ST_Multi(ST_Transform(ST_Segmentize(ST_Buffer(ST_Transform(g.geom, %s), v.width_m / 2,
                         CASE WHEN ST_Dimension(g.geom) = 1 THEN 'endcap=flat' ELSE '' END),
                         {STORAGE_MAX_SEGMENT_M}), 4326)) END
        FROM {_deduplicated(view)} v,
             LATERAL (SELECT ST_MakeValid(ST_Force2D({_STORED})) AS geom) g
        WHERE NOT ST_IsEmpty(g.geom)
        ORDER BY v.fid""", [plan.pk, revision, plan.srid])
    return cursor.rowcount


def _carry(cursor, table, plan, revision):
    """Copy the other layer's live rows of `plan` into `revision`; returns how many."""
    columns = {"plans_zone": "plan_id, code, rule_id, geom",
               "plans_servitude": "plan_id, kind, code, label_fr, label_ar, width_m, rule_fr, rule_ar, geom, footprint"}
    cols = columns[table]
    cursor.execute(f"""INSERT INTO {table} ({cols}, revision)
                       SELECT {cols}, %s FROM {table}
                       WHERE plan_id = %s AND revision = (SELECT live_revision FROM plans_plandocument WHERE id = %s)
                    """, [revision, plan.pk, plan.pk])
    return cursor.rowcount


def versions(plan):
    """The plan's revisions, newest first: feature counts, whether live, and who published them when."""
    zones = dict(Zone.objects.filter(plan=plan).values_list("revision").annotate(n=Count("id")))
    servitudes = dict(Servitude.objects.filter(plan=plan).values_list("revision").annotate(n=Count("id")))
    published = {e.revision: e for e in AuditEntry.objects.filter(plan=plan, action=AuditAction.PUBLISH)
                 .select_related("user", "upload")}
    live = PlanDocument.objects.filter(pk=plan.pk).values_list("live_revision", flat=True).get()
    result = []
    for revision in sorted(set(zones) | set(servitudes) | {live}, reverse=True):
        entry = published.get(revision)
        result.append({
            "revision": revision, "live": revision == live,
            "zones": zones.get(revision, 0), "servitudes": servitudes.get(revision, 0),
            "published_at": entry.at.isoformat() if entry else None,
            "published_by": entry.user.get_username() if entry and entry.user else None,
            "file": entry.upload.original_name if entry and entry.upload else None,
            "sha256": entry.sha256 if entry else None,
        })
    return result


def rollback(plan, revision, user):
    """Make `revision` the plan's live revision again (one UPDATE); returns the previous live revision."""
    require(user, plan.agency, PUBLISHER)
    try:
        revision = int(revision)
    except (TypeError, ValueError):
        raise InvalidParameter(f"revision {revision!r} is not a number", "revision") from None
    with transaction.atomic():
        current = PlanDocument.objects.select_for_update().filter(pk=plan.pk).values_list(
            "live_revision", flat=True).get()
        exists = (Zone.objects.filter(plan=plan, revision=revision).exists()
                  or Servitude.objects.filter(plan=plan, revision=revision).exists())
        if not exists:
            known = ", ".join(str(v["revision"]) for v in versions(plan))
            raise NotFound(f"plan {plan.reference} v{plan.version} has no revision {revision}; its revisions: {known}",
                           "revision")
        if revision == current:
            raise Conflict(f"revision {revision} is already live for plan {plan.reference} v{plan.version}")
        PlanDocument.objects.filter(pk=plan.pk).update(live_revision=revision)
        audit.record(AuditAction.ROLLBACK, user, plan.agency, plan=plan, revision=revision, previous_revision=current,
                     feature_count=Zone.objects.filter(plan=plan, revision=revision).count())
    return current

