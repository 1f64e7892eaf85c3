"""Scanned plan sheets: a georeferenced scan becomes a Cloud Optimized GeoTIFF served as map tiles.

The COG keeps the scan's own CRS (the plan's Lambert, usually); tiles are
warped on the fly to Web Mercator (EPSG:3857), 256 px, from the COG's
overviews, and cached in Redis under the file's SHA-256, so a replaced sheet
never serves stale tiles.
"""
import hashlib
import logging
from pathlib import Path

import morecantile
import numpy as np
import rasterio
from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.utils import timezone
from rasterio.crs import CRS
from rasterio.enums import Resampling
from rasterio.io import MemoryFile
from rasterio.transform import from_bounds
from rasterio.vrt import WarpedVRT
from rio_cogeo.cogeo import cog_translate
from rio_cogeo.profiles import cog_profiles

from geoportal.core.errors import InvalidParameter, MissingParameter, TooLarge
from geoportal.core import file_formats
from plans.models import PlanAttachment

from layers.publishing import audit
from layers.records import AuditAction, UploadStatus
from geoportal.staff.roles import EDITOR, require

TILE = 256
logger = logging.getLogger(__name__)
_TMS = morecantile.tms.get("WebMercatorQuad")


MAX_BANDS = 4  # grey, palette, RGB, RGBA scans


def check_raster(path, name):
    """Refuse (413) a raster whose declared size would blow up the COG job, before a pixel is read."""
    with file_formats.open_raster(path, name) as src:
        pixels, limit = src.width * src.height, settings.LAYERS_MAX_RASTER_PIXELS
        if pixels > limit:
            raise TooLarge(f"{name} declares {src.width} × {src.height} px ({pixels / 1e6:.0f} Mpx); the limit is "
                           f"{limit / 1e6:.0f} Mpx (LAYERS_MAX_RASTER_PIXELS): scan at a lower resolution or split "
                           "the sheet", "file")
        if src.count > MAX_BANDS:
            raise InvalidParameter(f"{name} has {src.count} bands; a scanned sheet has 1 (grey or palette), "
                                   f"3 (RGB) or 4 (RGBA)", "file")


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
    from layers.publishing.uploads import source_of, work_dir

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


def describe(attachment, tiles_url):
    """A sheet for the web map: id, titles, tile URL template and lon/lat bounds (west, south, east, north)."""
    key = f"layers:sheet-bounds:{attachment.pk}:{attachment.sha256}"
    bounds = cache.get(key)
    if bounds is None:
        from rasterio.warp import transform_bounds

        with file_formats.open_raster(attachment.file.path) as src:
            bounds = [round(v, 7) for v in transform_bounds(src.crs, "EPSG:4326", *src.bounds)]
        cache.set(key, bounds, None)
    return {"id": attachment.pk, "plan": attachment.plan_id, "title_fr": attachment.title_fr,
            "title_ar": attachment.title_ar, "tiles": tiles_url, "bounds": bounds, "sha256": attachment.sha256}


TILES_PATH = "/api/layers/sheets/{id}/tiles/{{z}}/{{x}}/{{y}}.png"


def is_public(plan, on=None):
    """A plan's sheets are public documents once the plan has taken effect (in force, or since replaced);
    drafts, inquiries and approved plans not yet in effect stay with the agency's staff."""
    on = on or timezone.localdate()
    return plan.is_public and plan.effective_date is not None and plan.effective_date <= on


def map_overlays(on=None):
    """The sheets of the plans in force on `on` (default today) as raster overlays of the web map:
    [{"id", "label_fr", "label_ar", "url", "bounds": [[south, west], [north, east]] (degrees), "min_zoom"}]."""
    from plans.models import PlanDocument

    found = PlanAttachment.objects.filter(kind=PlanAttachment.Kind.SHEET,
                                          plan__in=PlanDocument.objects.in_force(on)).select_related("plan")
    overlays = []
    for sheet in found.order_by("plan__reference", "pk"):
        try:
            west, south, east, north = describe(sheet, "")["bounds"]
        except (rasterio.errors.RasterioIOError, InvalidParameter):  # a lost file must not take the map down
            logger.error("scanned sheet %s: file %s cannot be read", sheet.pk, sheet.file.name)
            continue
        plan = f"{sheet.plan.reference} v{sheet.plan.version}"
        overlays.append({
            "id": f"sheet-{sheet.pk}", "url": TILES_PATH.format(id=sheet.pk), "min_zoom": 10,
            "label_fr": f"Planche : {sheet.title_fr} ({plan})",
            "label_ar": f"لوحة: {sheet.title_ar or sheet.title_fr} ({plan})",
            "bounds": [[south, west], [north, east]],
        })
    return overlays


def tile_png(attachment, z, x, y):
    """The PNG bytes of tile z/x/y (Web Mercator) of a sheet; transparent outside the scan."""
    key = f"layers:sheet:{attachment.pk}:{attachment.sha256}:{z}/{x}/{y}"
    data = cache.get(key)
    if data is None:
        data = _render(attachment.file.path, z, x, y)
        cache.set(key, data, 24 * 3600)
    return data


def _render(path, z, x, y):
    bounds = _TMS.xy_bounds(morecantile.Tile(x, y, z))
    transform = from_bounds(bounds.left, bounds.bottom, bounds.right, bounds.top, TILE, TILE)
    with file_formats.open_raster(path) as src:
        # add_alpha: the warper writes 0 where the tile has no source pixel (outside the scan or masked).
        with WarpedVRT(src, crs="EPSG:3857", transform=transform, width=TILE, height=TILE,
                       resampling=Resampling.bilinear, add_alpha=True) as vrt:
            bands = vrt.read(indexes=[1, 2, 3] if src.count >= 3 else [1, 1, 1])
            alpha = vrt.read(vrt.count)
    if bands.dtype != np.uint8:
        bands = np.clip(bands, 0, 255).astype(np.uint8)
    with MemoryFile() as memory:
        with memory.open(driver="PNG", width=TILE, height=TILE, count=4, dtype="uint8") as png:
            png.write(bands, [1, 2, 3])
            png.write(alpha.astype(np.uint8), 4)
        return memory.read()
