"""GeoTIFF writer: the clip of the plan's scanned approved sheet (a COG), read by window.

Only the pixels covering the extract's bounding box (grown to whole pixels)
are read from the sheet, never the whole file; the clip keeps the sheet's
CRS, resolution and bands, and carries the extract metadata as TIFF tags.
"""
import math

import rasterio
from rasterio.windows import Window, from_bounds

from geoportal.core.errors import InvalidParameter, NotFound
from geoportal.core.file_formats import open_raster
from plans.models import PlanAttachment


def _sheets(plan):
    return list(plan.attachments.filter(kind=PlanAttachment.Kind.SHEET).exclude(file=""))


def check_sheet(extract):
    plan = extract.area.plan
    if not _sheets(plan):
        raise NotFound(f"plan {plan.reference} v{plan.version} has no scanned sheet to clip; choose another "
                       "format (gpkg, dxf, pdf…)", "format")
    if extract.request.crs and extract.request.crs != plan.srid:
        raise InvalidParameter(f"the scanned sheet is clipped in its own CRS (the plan's EPSG:{plan.srid}); "
                               f"omit crs or give EPSG:{plan.srid}", "crs")


def _pixel_window(src, bounds):
    """The window of whole pixels covering `bounds` (in the sheet's CRS), cut to the sheet; None if outside."""
    window = from_bounds(*bounds, transform=src.transform)
    col0, row0 = math.floor(window.col_off + 1e-9), math.floor(window.row_off + 1e-9)
    col1 = math.ceil(window.col_off + window.width - 1e-9)
    row1 = math.ceil(window.row_off + window.height - 1e-9)
    col0, row0, col1, row1 = max(col0, 0), max(row0, 0), min(col1, src.width), min(row1, src.height)
    if col1 <= col0 or row1 <= row0:
        return None
    return Window(col0, row0, col1 - col0, row1 - row0)


def write_geotiff(extract, directory):
    plan, bounds = extract.area.plan, extract.area.lambert.extent
    best = None
    for sheet in _sheets(plan):
        with open_raster(sheet.file.path) as src:
            if src.crs is None or src.crs.to_epsg() != plan.srid:
                raise InvalidParameter(f"sheet {sheet.title_fr!r} is not georeferenced in EPSG:{plan.srid} "
                                       f"(found {src.crs}); the agency must re-upload it", "format")
            window = _pixel_window(src, bounds)
            if window is not None and (best is None or window.width * window.height > best[1].width * best[1].height):
                best = (sheet, window)
    if best is None:
        raise NotFound(f"no scanned sheet of plan {plan.reference} v{plan.version} covers this area", "format")
    sheet, window = best
    path = directory / f"{extract.basename}.tif"
    with open_raster(sheet.file.path) as src:
        data = src.read(window=window)
        tiled = window.width >= 256 and window.height >= 256
        profile = {key: value for key, value in src.profile.items() if key not in ("blockxsize", "blockysize")} | {
            "driver": "GTiff", "width": window.width, "height": window.height,
            "transform": src.window_transform(window), "compress": "deflate", "tiled": tiled,
        }
        if tiled:
            profile.update(blockxsize=256, blockysize=256)
        with rasterio.open(path, "w", **profile) as dst:
            dst.write(data)
            dst.update_tags(**extract.metadata, planche=sheet.title_fr)
    return path
