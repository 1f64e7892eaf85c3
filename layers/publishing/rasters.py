"""A scanned sheet's size checked from its header, before a pixel is read (uploads, and the COG job)."""
from django.conf import settings

from geoportal.core import file_formats
from geoportal.core.errors import InvalidParameter, TooLarge

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
