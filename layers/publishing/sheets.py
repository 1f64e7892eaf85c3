"""Scanned plan sheets published: a georeferenced scan becomes a Cloud Optimized GeoTIFF attached to its plan.

The COG keeps the scan's own CRS (the plan's Lambert, usually); layers.serving.sheets serves it as tiles.
"""
import hashlib
from pathlib import Path

import rasterio
from django.core.files import File
from rasterio.crs import CRS
from rasterio.vrt import WarpedVRT
from rio_cogeo.cogeo import cog_translate
from rio_cogeo.profiles import cog_profiles

from geoportal.core import file_formats
from geoportal.core.errors import InvalidParameter, MissingParameter
from geoportal.staff.roles import EDITOR, require
from layers.records import AuditAction, UploadStatus
from plans.models import PlanAttachment

from . import audit
from .rasters import check_raster
from .uploads import source_of, work_dir

def make_cog(source, target, declared_srid=None):
    """Write `source` (GeoTIFF, or image with a world file) as a COG at `target`; returns its EPSG code."""
    check_raster(source, Path(source).name)
    src = file_formats.open_raster(source)
    with src:
        if src.transform == rasterio.Affine.identity() and not src.gcps[0]:
            raise InvalidParameter(f"{Path(source).name} has no georeferencing: export a GeoTIFF, or add its world "
                                   "file (.tfw, .pgw, .jgw) to the zip", "file")
        crs = CRS.from_epsg(int(declared_srid)) if declared_srid else src.crs
        if crs is None:
            raise MissingParameter(f"{Path(source).name} declares no coordinate system: give its EPSG code "
                                   "(srid=26191 for Merchich Nord Maroc, 26192 for Sud Maroc)", "srid")
        epsg = crs.to_epsg()
        if epsg is None:
            raise InvalidParameter(f"the CRS of {Path(source).name} ({crs.to_string()[:80]}) matches no EPSG code; "
                                   "declare it with srid=…", "srid")
        dataset = WarpedVRT(src, src_crs=crs) if declared_srid else src
        profile = cog_profiles.get("deflate")
        cog_translate(dataset, str(target), profile, overview_resampling="average", quiet=True,
                      in_memory=False, add_mask=src.nodata is None and src.count in (1, 3))
    return epsg


def attach(upload, user, title_fr="", title_ar="", progress=None):
    """Convert the upload's scan to a COG and attach it to the plan as a sheet; returns the attachment."""
    require(user, upload.agency, EDITOR)
    source = source_of(upload)
    target = work_dir(upload) / (Path(upload.original_name).stem + ".cog.tif")
    if progress:
        progress(0, 2, "cog")
    upload.source_srid = make_cog(source.path, target, upload.declared_srid)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    with open(target, "rb") as handle:
        attachment = PlanAttachment(plan=upload.plan, kind=PlanAttachment.Kind.SHEET, sha256=digest,
                                    title_fr=title_fr or Path(upload.original_name).stem, title_ar=title_ar)
        attachment.file.save(target.name, File(handle), save=True)
    target.unlink()
    upload.status, upload.revision = UploadStatus.PUBLISHED, attachment.pk
    upload.save()
    audit.record(AuditAction.SHEET, user, upload.agency, plan=upload.plan, upload=upload, attachment=attachment.pk,
                 cog_sha256=digest)
    if progress:
        progress(2, 2, "cog")
    return attachment
