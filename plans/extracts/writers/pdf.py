"""PDF writer: the plan at a chosen scale (1/500–1/5000) on A4 or A3, with a bilingual title block.

The map itself is frontend.cartography.printmap (zones, servitudes, parcels, legend,
scale bar, north arrow, Lambert ticks, drawn by PostGIS as SVG); this module
only lays it out on the page under a title block (plan, decree, date,
disclaimer, in French and Arabic) and has WeasyPrint print it.
"""
import base64
import math

from django.template.loader import render_to_string

from geoportal.core.errors import InvalidParameter
from frontend.cartography import printmap
from geoportal.core.pdf_resources import data_only

PAPER_MM = {"A4": (210, 297), "A3": (297, 420)}
PAGE_MARGIN_MM = 8
TITLE_BLOCK_MM = 50
# Room printmap keeps around its frame (tick labels) and, at most, for its legend.
FRAME_MARGIN_MM = 2 * printmap.MARGIN_MM
LEGEND_MM = 6 * printmap.LEGEND_ROW_MM + 2
STANDARD_SCALES = (500, 1000, 2000, 2500, 5000)


def page_mm(request):
    width, height = PAPER_MM[request.paper]
    return (height, width) if request.orientation == "landscape" else (width, height)


def map_mm(request):
    """(width, height) in mm of the map under the title block."""
    width, height = page_mm(request)
    return width - 2 * PAGE_MARGIN_MM, height - 2 * PAGE_MARGIN_MM - TITLE_BLOCK_MM


def _fits(extent, request, scale):
    width, height = map_mm(request)
    ground_w = (width - FRAME_MARGIN_MM) * scale / 1000
    ground_h = (height - FRAME_MARGIN_MM - LEGEND_MM) * scale / 1000
    return extent[2] - extent[0] <= ground_w and extent[3] - extent[1] <= ground_h, (ground_w, ground_h)


def map_scale(extract):
    """The scale denominator: the one asked for, or the largest standard scale at which the area fits."""
    extent, request = extract.area.lambert.extent, extract.request
    size = f"{extent[2] - extent[0]:.0f} × {extent[3] - extent[1]:.0f} m"
    if request.scale:
        fits, (ground_w, ground_h) = _fits(extent, request, request.scale)
        if not fits:
            better = [s for s in STANDARD_SCALES if _fits(extent, request, s)[0]]
            hint = f"choose scale={better[0]}" if better else "draw a smaller area"
            raise InvalidParameter(
                f"at 1/{request.scale} on {request.paper} {request.orientation} the map shows {ground_w:.0f} × "
                f"{ground_h:.0f} m but the extract is {size}: {hint}, or paper=A3", "scale")
        return request.scale
    for scale in STANDARD_SCALES:
        if _fits(extent, request, scale)[0]:
            return scale
    raise InvalidParameter(f"the extract ({size}) does not fit on {request.paper} at 1/5000, the smallest scale "
                           "offered: draw a smaller area, or use paper=A3", "scale")


def check_layout(extract):
    if extract.srid != extract.area.srid:
        raise InvalidParameter(f"the PDF map is drawn in the plan's Lambert CRS (EPSG:{extract.area.srid}); "
                               "omit crs", "crs")
    map_scale(extract)


def write_pdf(extract, directory):
    from weasyprint import HTML  # WeasyPrint (and its fonts) load on the first PDF, not at start-up

    area, request = extract.area, extract.request
    scale = map_scale(extract)
    highlight = area.parcel.geom if area.parcel else area.wgs84
    width, height = map_mm(request)
    drawing = printmap.render_print_map(area.srid, area.lambert.extent, (width, height), scale=scale,
                                        highlight=highlight, on=area.on, plan_ids=[area.plan.id],
                                        lang=request.lang)
    page_w, page_h = page_mm(request)
    html = render_to_string("extracts/map.html", {
        "plan": area.plan, "metadata": extract.metadata, "scale": scale, "scale_text": _scale_text(scale),
        "page_w": page_w, "page_h": page_h, "margin": PAGE_MARGIN_MM, "map_w": width, "map_h": height,
        "title_h": TITLE_BLOCK_MM, "paper": request.paper, "subject": area.label,
        "svg": base64.b64encode(drawing.svg.encode()).decode(), "bbox": drawing.bbox,
    })
    path = directory / f"{extract.basename}.pdf"
    HTML(string=html, url_fetcher=data_only()).write_pdf(path, pdf_identifier=str(math.floor(scale)).encode(),
                                                       custom_metadata=True)
    return path


def _scale_text(scale):
    return f"1/{scale:,}".replace(",", " ")
