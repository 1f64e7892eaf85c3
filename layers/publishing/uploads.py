"""From an uploaded file to a staged, mapped and validated layer.

receive() stores the file and, for a single file, lists its layers at once
(so that a missing CRS or a layer choice is asked for immediately); a zip is
only checked from its directory (names, sizes, which dataset it holds) and
expanded by the import job, never inside the request. inspect() unpacks and
lists the layers; stage() copies the chosen layer into PostGIS (inspecting
first if needed); map_fields() applies the field mapping; validate() writes
the report. stage() and validate() are long on big files: they run as
background jobs (layers.publishing.jobs) and report progress through a callback
progress(done, total, step).
"""
import hashlib
import shutil
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.db import transaction

from geoportal.core.errors import Conflict, InvalidParameter, MissingParameter

from . import archives, audit, mapping, reading, staging, validation
from .rasters import check_raster
from layers.records import AuditAction, AuditEntry, LayerUpload, Target, UploadStatus
from geoportal.staff.roles import EDITOR, require


def work_dir(upload):
    return Path(settings.MEDIA_ROOT) / "layers" / "work" / str(upload.pk)


def receive(user, agency, target, file, name, plan=None, layer="", srid=None, encoding="", field_mapping=None,
            mapping_label="", expand_zip=False, tolerance_m2=None):
    """Store an uploaded `file` (a file object) for `agency` and check it can be read, and `field_mapping`
    (when given) against our schema and the file's fields.

    Raises the typed API errors (4xx) naming what is wrong: size, archive,
    missing .shx, unknown layer, undeclared CRS, no feature, a mapping that
    does not fit. Nothing is kept for a file or a mapping that is refused:
    no record, no file, no audit entry, no saved mapping. A zip is expanded
    by the import job unless `expand_zip` (the CLI: no request to protect),
    so its fields, and the mapping's field names, are checked there.
    """
    require(user, agency, EDITOR)
    try:
        target = Target(target)
    except ValueError:
        raise InvalidParameter(f"target {target!r} is not one of: {', '.join(Target.values)}", "target") from None
    if target != Target.PARCELS and plan is None:
        raise MissingParameter(f"a {target} upload goes into a plan: give the plan id", "plan")
    if plan is not None and plan.agency_id != agency.pk:
        raise InvalidParameter(f"plan {plan.pk} belongs to agency {plan.agency.code}, not {agency.code}", "plan")
    if field_mapping is not None and target == Target.SHEET:
        raise InvalidParameter("a scanned sheet has no fields to map: send it without `mapping`", "mapping")
    if field_mapping is not None:
        mapping.check(target, field_mapping)  # its shape and our fields, before anything is stored
    tolerance = None if tolerance_m2 in (None, "") else validation.check_tolerance(tolerance_m2)
    size = getattr(file, "size", None) or 0
    archives.check_upload_size(size, name)
    upload = LayerUpload.objects.create(agency=agency, plan=plan, target=target, original_name=name,
                                        created_by=user if user.is_authenticated else None,
                                        declared_srid=srid or None, declared_encoding=encoding or "",
                                        layer_name=layer or "", tolerance_m2=tolerance)
    try:
        _store(upload, file, name)
        if archives.is_zip(upload.file.path) and not expand_zip:
            kept = archives.check_zip(upload.file.path, name)
            _check_kind(upload, reading.find_source([relative for relative, _info in kept], name))
        else:
            inspect(upload)
            if field_mapping is not None:
                map_fields(upload, field_mapping, user, mapping_label)
    except Exception:
        discard(upload)
        raise
    audit.record(AuditAction.UPLOAD, user, agency, plan=plan, upload=upload, feature_count=upload.feature_count,
                 file=name, size_bytes=upload.size_bytes)
    return upload


def _store(upload, file, name):
    digest = hashlib.sha256()
    size = 0
    for chunk in (file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b"")):
        digest.update(chunk)
        size += len(chunk)
    archives.check_upload_size(size, name)
    file.seek(0)
    upload.file.save(Path(name).name, File(file, name=Path(name).name), save=False)
    upload.sha256, upload.size_bytes = digest.hexdigest(), size
    upload.save()


def _check_kind(upload, source):
    if (source.kind == "raster") != (upload.target == Target.SHEET):
        expected = "a GeoTIFF or a scan with its world file" if upload.target == Target.SHEET else "a vector layer"
        raise InvalidParameter(f"{upload.original_name}: a {upload.get_target_display()} upload needs {expected}",
                               "file")


def inspect(upload):
    """Unpack the upload, find its dataset and layers, and settle layer, CRS and feature count."""
    files = archives.unpack(upload.file.path, work_dir(upload), upload.original_name)
    source = reading.find_source(files, upload.original_name)
    _check_kind(upload, source)
    if source.kind == "raster":
        check_raster(source.path, upload.original_name)
        upload.layers = [{"name": source.path.name}]
        upload.save()
        return source
    upload.layers = reading.list_layers(source)
    layer = reading.pick_layer(upload.layers, upload.layer_name)
    if layer["features"] == 0:
        raise InvalidParameter(f"layer {layer['name']!r} of {upload.original_name} has no feature; export the "
                               "layer again with its features", "file")
    upload.layer_name = layer["name"]
    upload.source_srid, _how = reading.detect_srid(layer, upload.declared_srid)
    _check_known_to_postgis(upload.source_srid)
    upload.encoding, _how = reading.detect_encoding(source, layer, upload.declared_encoding)
    upload.encoding = upload.encoding or ""
    upload.fields = staging.columns_for(layer["fields"])
    upload.feature_count = layer["features"]
    upload.save()
    return source


def _check_known_to_postgis(srid):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM spatial_ref_sys WHERE srid = %s", [srid])
        if cursor.fetchone() is None:
            raise InvalidParameter(f"EPSG:{srid} is not in the database's spatial_ref_sys; declare the layer's "
                                   "CRS as a standard EPSG code", "srid")


def source_of(upload):
    """The upload's dataset in its work folder, unpacked (and inspected) on first use."""
    files = [p for p in work_dir(upload).rglob("*") if p.is_file()]
    if not files or not upload.layers:
        return inspect(upload)
    return reading.find_source(files, upload.original_name)


def stage(upload, progress=None):
    """Copy the chosen layer into the upload's staging table, a batch at a time (inspecting a zip first)."""
    source = source_of(upload)
    names = [f["name"] for f in upload.fields]
    staging.create(upload.staging_table, upload.source_srid, names)
    batches = reading.read_batches(source, upload.layer_name, upload.encoding or None)
    done = staging.copy_batches(upload.staging_table, names, batches,
                                progress and (lambda rows: progress(rows, upload.feature_count, "read")))
    if done == 0:
        staging.drop(upload.staging_table)
        raise InvalidParameter(f"layer {upload.layer_name!r} of {upload.original_name} has no feature", "file")
    staging.finish(upload.staging_table)
    upload.feature_count = done
    upload.status = UploadStatus.STAGED
    upload.save()


def mapping_for(upload):
    """The mapping to use: the upload's own, else the one saved for this agency and source, else None."""
    names = [f["name"] for f in upload.fields]
    return upload.mapping or mapping.saved(upload.agency, upload.target, names)


def map_fields(upload, field_mapping, user, label="", tolerance_m2=None):
    """Check `field_mapping` against the file, remember it for the agency and source, create the view; a
    `tolerance_m2` given (within the documented bounds) is the upload's overlap/gap tolerance from now on."""
    names = [f["name"] for f in upload.fields]
    normal = mapping.check(upload.target, field_mapping, names)
    if tolerance_m2 not in (None, ""):
        upload.tolerance_m2 = validation.check_tolerance(tolerance_m2)
    upload.mapping = normal
    upload.source_label = label or upload.source_label or upload.layer_name
    upload.save()
    mapping.remember(upload.agency, upload.target, names, normal, upload.source_label, user)
    return normal


def validate(upload, user=None, progress=None):
    """Write the validation report of a staged, mapped upload; returns it."""
    if upload.status == UploadStatus.RECEIVED:
        raise InvalidParameter(f"upload {upload.pk} is not read yet; wait for its import job", "upload")
    if upload.status == UploadStatus.PUBLISHED:
        raise Conflict(f"upload {upload.pk} is already published (revision {upload.revision}); upload the file "
                       "again to publish it anew")
    field_mapping = mapping_for(upload)
    if not field_mapping:
        names = [f["name"] for f in upload.fields]
        raise MissingParameter(f"upload {upload.pk} needs a field mapping; its fields: {', '.join(names)}; "
                               f"suggested: {mapping.suggest(upload.target, names)}", "mapping")
    upload.mapping = mapping.check(upload.target, field_mapping, [f["name"] for f in upload.fields])
    mapping.create_view(upload, upload.mapping)
    if progress:
        progress(0, 1, "validate")
    upload.report = validation.report(upload)
    upload.status = UploadStatus.VALIDATED
    upload.save()
    audit.record(AuditAction.VALIDATE, user, upload.agency, plan=upload.plan, upload=upload,
                 feature_count=upload.feature_count, errors=upload.report["errors"],
                 warnings=upload.report["warnings"])
    if progress:
        progress(1, 1, "validate")
    return upload.report


def discard(upload):
    """Remove an upload's files and staging tables (the record too when it never got anywhere)."""
    staging.drop(upload.staging_table + "_titles")
    staging.drop_view(upload.staging_table + "_v")
    staging.drop(upload.staging_table)
    shutil.rmtree(work_dir(upload), ignore_errors=True)
    if upload.file:
        upload.file.delete(save=False)
    with transaction.atomic():
        if not AuditEntry.objects.filter(upload=upload).exists():
            upload.delete()
