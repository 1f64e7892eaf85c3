"""Scanned plan sheets served: the web map's overlays and their tiles, warped from the Cloud Optimized GeoTIFF.

layers.publishing.sheets turns an upload into that COG and attaches it to the plan.

The COG keeps the scan's own CRS (the plan's Lambert, usually); tiles are
warped on the fly to Web Mercator (EPSG:3857), 256 px, from the COG's
overviews, and cached in Redis under the file's SHA-256, so a replaced sheet
never serves stale tiles.
"""
import logging

import morecantile
import numpy as np
import rasterio
from django.core.cache import cache
from django.utils import timezone
from rasterio.enums import Resampling
from rasterio.io import MemoryFile
from rasterio.transform import from_bounds
from rasterio.vrt import WarpedVRT

from geoportal.core.errors import InvalidParameter
from geoportal.core import file_formats
from plans.models import PlanAttachment, PlanDocument


TILE = 256
logger = logging.getLogger(__name__)
_TMS = morecantile.tms.get("WebMercatorQuad")


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
