"""The server-side print map: a static SVG of the zoning, drawn without network or browser.

    from frontend.cartography.printmap import render_print_map
    result = render_print_map(26191, (503000, 554000, 503300, 554200), (180, 120),
                              scale=1000, highlight=parcel.geom, lang="ar")
    result.svg      # '<svg …>' sized in millimetres, ready for WeasyPrint (<img src="data:…"> or inline)
    result.bbox     # the Lambert bbox actually shown (metres), after fitting the paper or the scale
    result.scale    # the scale denominator of the drawing (2000 for 1/2,000)

The SVG holds, in drawing order: the live zones of the plans in force
(coloured by code family, labelled with their codes), servitude footprints
(roads, planned roads and widenings, equipment reservations with their codes,
overlays), parcels, the optional highlighted geometry, then on top of the map
a north arrow (true north, from the projection's meridian convergence) and a
scale bar, Lambert coordinate ticks on the frame, and a legend of what is
shown under the frame. Layers come from PostGIS in one query each
(frontend.cartography.printmap_layers), already clipped and in paper millimetres.
"""
import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils import timezone

from geoportal.core.errors import InvalidParameter
from plans.models import PlanDocument
from plans.crs import LAMBERT_PROJ, from_wgs84, to_wgs84
from plans.vocabulary import (DRAFT_COLOUR, ZONE_FAMILIES, draft_notice, servitude_kind_label, zone_colour,
                               zone_family)

from . import printmap_layers as layers

DRAFT_STATUSES = (PlanDocument.Status.DRAFT, PlanDocument.Status.PUBLIC_INQUIRY)
MIN_SCALE, MAX_SCALE = 500, 5000
MARGIN_MM = 9.0  # room for the coordinate tick labels around the frame
LEGEND_ROW_MM = 4.4
LEGEND_COLUMN_MM = 62.0
FONT = "DejaVu Sans, Noto Naskh Arabic, Noto Sans Arabic, sans-serif"
NICE_STEPS = (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000)
WORDS = {
    "fr": {"scale": "Échelle", "parcel": "Parcelle demandée", "parcels": "Parcelles", "north": "N",
           "footprint": "Emprise constructible"},
    "ar": {"scale": "المقياس", "parcel": "القطعة المطلوبة", "parcels": "القطع الأرضية", "north": "ش",
           "footprint": "المساحة القابلة للبناء"},
}


@dataclass(frozen=True)
class PrintMap:
    """A rendered print map: the SVG text, the Lambert bbox shown (metres) and the scale denominator."""

    svg: str
    bbox: tuple
    scale: int
    srid: int


def render_print_map(srid, bbox, paper_mm, *, scale=None, highlight=None, lang="fr", on=None, plan_ids=None,
                     show_parcels=True, revisions=None, precision=2, footprint=None):
    """Draw the zoning of `bbox` as an SVG of `paper_mm` = (width, height) millimetres.

    srid: the Lambert CRS of the map (26191 or 26192); bbox: (minx, miny, maxx,
    maxy) in that CRS, metres. Without `scale`, the bbox is widened to the
    frame's proportions and fitted; with `scale` (a denominator from 500 to
    5,000), the bbox's centre is kept and the frame shows what that scale
    allows. `highlight`: a GEOSGeometry with an SRID (the parcel asked for).
    `plan_ids`: the plans whose live zones and servitudes are drawn; default:
    the plans in force on date `on` (default today) in that CRS. lang: 'fr' or
    'ar' for the legend. `revisions`: {plan id: publication revision} to draw
    instead of the live one (a note drawn as it was computed, even after a
    re-publication); plans left out are drawn live. `precision`: decimals of the
    paper millimetres written in the SVG paths (2 = 10 µm). `footprint`: a GEOSGeometry
    (the buildable footprint of a note, plans.reglement) drawn over the highlight. Raises
    geoportal.core.errors.InvalidParameter on bad arguments.
    """
    srid, bbox, paper_mm, lang = _checked(srid, bbox, paper_mm, scale, lang)
    on = on or timezone.localdate()
    if plan_ids is None:
        plan_ids = list(PlanDocument.objects.in_force(on).filter(srid=srid).values_list("id", flat=True))
        draft = False
    else:
        # A map that draws a draft (under inquiry or not) gets the watermark: a draft binds nobody.
        draft = PlanDocument.objects.filter(id__in=plan_ids, status__in=DRAFT_STATUSES).exists()
    width, height = paper_mm
    zone_rows = None
    # The legend's height depends on what is drawn, the frame on the legend: two passes at most.
    legend_rows = 3
    for _ in range(2):
        frame_w = width - 2 * MARGIN_MM
        frame_h = height - 2 * MARGIN_MM - _legend_height(legend_rows, frame_w)
        if frame_h < 30:
            raise InvalidParameter(f"paper {width}×{height} mm is too small for a map with its legend; "
                                   f"use at least 100×80 mm", "paper")
        frame, shown_scale = _fit(srid, bbox, frame_w, frame_h, scale)
        zone_rows = layers.zones(frame, plan_ids, revisions, precision)
        servitude_rows = layers.servitudes(frame, plan_ids, revisions, precision)
        entries = _legend_entries(zone_rows, servitude_rows, highlight is not None, show_parcels, lang,
                                  footprint is not None)
        needed = math.ceil(len(entries) / _legend_columns(frame_w))
        if needed <= legend_rows:
            break
        legend_rows = needed
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}mm" height="{height}mm" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}">',
        f"<defs>{layers.PATTERNS}<clipPath id=\"frame\"><rect x=\"{frame.x0}\" y=\"{frame.y0}\" "
        f'width="{frame_w}" height="{frame_h}"/></clipPath></defs>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        '<g clip-path="url(#frame)">',
        _zones_svg(zone_rows, frame),
        _servitudes_svg(servitude_rows, frame),
    ]
    if show_parcels:
        paths = layers.parcels(frame, precision)
        parts.append(f'<path {layers.PARCEL_STYLE} d="{" ".join(paths)}"/>' if paths else "")
    if highlight is not None:
        path = layers.highlight(frame, highlight, precision)
        if path:
            parts.append(f'<path {layers.HIGHLIGHT_STYLE} fill-rule="evenodd" d="{path}"/>')
    if footprint is not None:
        path = layers.highlight(frame, footprint, precision)
        if path:
            parts.append(f'<path {layers.FOOTPRINT_STYLE} fill-rule="evenodd" d="{path}"/>')
    parts.append(_labels_svg(zone_rows, servitude_rows, frame))
    if draft:
        parts.append(_watermark_svg(frame, frame_w, frame_h, lang))
    parts.append("</g>")
    parts.append(f'<rect x="{frame.x0}" y="{frame.y0}" width="{frame_w}" height="{frame_h}" fill="none" '
                 f'stroke="#000000" stroke-width="0.35"/>')
    parts.append(_ticks_svg(frame, frame_w, frame_h))
    parts.append(_north_arrow_svg(frame, frame_w, lang))
    parts.append(_scale_bar_svg(frame, frame_h, shown_scale, lang))
    parts.append(_legend_svg(entries, frame.x0, frame.y0 + frame_h + MARGIN_MM - 1, frame_w, lang))
    parts.append("</svg>")
    shown = (frame.minx, frame.miny, frame.maxx, frame.maxy)
    return PrintMap("".join(parts), tuple(round(v, 2) for v in shown), shown_scale, srid)


def _watermark_svg(frame, frame_w, frame_h, lang):
    """The draft's notice written across the frame, diagonally, twice: cropping cannot hide it."""
    size = max(3.0, min(frame_w, frame_h) / 18)
    angle = -math.degrees(math.atan2(frame_h, frame_w))
    text = escape(draft_notice(lang))
    lines = []
    for share in (0.35, 0.7):
        x, y = frame.x0 + frame_w / 2, frame.y0 + frame_h * share
        lines.append(f'<text class="draft-watermark" x="{x:.2f}" y="{y:.2f}" font-size="{size:.2f}" '
                     f'text-anchor="middle" fill="{DRAFT_COLOUR}" fill-opacity="0.35" font-weight="bold" '
                     f'transform="rotate({angle:.1f} {x:.2f} {y:.2f})">{text}</text>')
    return "".join(lines)


def _checked(srid, bbox, paper_mm, scale, lang):
    try:
        srid = int(srid)
    except (TypeError, ValueError):
        srid = None
    if srid not in LAMBERT_PROJ:
        raise InvalidParameter(f"print map CRS {srid!r} is not a Moroccan Lambert CRS; use one of "
                               + ", ".join(f"EPSG:{s}" for s in LAMBERT_PROJ), "crs")
    try:
        minx, miny, maxx, maxy = (float(v) for v in bbox)
    except (TypeError, ValueError):
        raise InvalidParameter(f"print map bbox {bbox!r} should be four numbers minx, miny, maxx, maxy in metres",
                               "bbox") from None
    if not (maxx > minx and maxy > miny):
        raise InvalidParameter(f"print map bbox {bbox!r} is empty: maxx must exceed minx and maxy miny", "bbox")
    try:
        width, height = (float(v) for v in paper_mm)
    except (TypeError, ValueError):
        raise InvalidParameter(f"paper size {paper_mm!r} should be (width, height) in millimetres", "paper") from None
    if scale is not None and not (MIN_SCALE <= int(scale) <= MAX_SCALE):
        raise InvalidParameter(f"scale 1/{scale} is outside 1/{MIN_SCALE}…1/{MAX_SCALE}", "scale")
    if lang not in WORDS:
        raise InvalidParameter(f"lang {lang!r} is not supported; use 'fr' or 'ar'", "lang")
    return srid, (minx, miny, maxx, maxy), (width, height), lang


def _fit(srid, bbox, frame_w, frame_h, scale):
    """The Frame showing `bbox` in frame_w × frame_h mm (at `scale` if given), and its scale denominator."""
    minx, miny, maxx, maxy = bbox
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    if scale:
        denominator = int(scale)
    else:
        needed = max((maxx - minx) / frame_w, (maxy - miny) / frame_h) * 1000  # metres per metre of paper
        # Rounded up to a scale people read: 1/1,250 rather than 1/1,197.
        step = 250 if needed <= 5000 else 500
        denominator = max(step, math.ceil(needed / step) * step)
    half_w = frame_w * denominator / 1000 / 2
    half_h = frame_h * denominator / 1000 / 2
    frame = layers.Frame(srid, cx - half_w, cy - half_h, cx + half_w, cy + half_h, MARGIN_MM, MARGIN_MM,
                         1000 / denominator)
    return frame, denominator


def _zones_svg(rows, frame):
    out = []
    for code, _, _, path, *_ in rows:
        colour = zone_colour(code)
        out.append(f'<path fill="{colour}" stroke="#7a5a3a" stroke-width="0.2" fill-rule="evenodd" d="{path}"/>')
    return "".join(out)


def _servitudes_svg(rows, frame):
    order = list(layers.SERVITUDE_STYLES)
    out = []
    for kind, code, path, *_ in sorted(rows, key=lambda r: order.index(r[0]) if r[0] in order else -1):
        style = layers.SERVITUDE_STYLES.get(kind, layers.SERVITUDE_STYLES["other"])
        out.append(f'<path {style} fill-rule="evenodd" d="{path}"/>')
    return "".join(out)


def _labels_svg(zone_rows, servitude_rows, frame):
    """Zone codes and equipment codes at a point inside each shape large enough on paper to hold them."""
    out = []
    mm2_per_m2 = frame.mm_per_m ** 2
    for code, _, _, _, x, y, area in zone_rows:
        if area * mm2_per_m2 >= 60:
            out.append(_label(code, *frame.paper(x, y), "#5a3a1a", 2.6))
    for kind, code, _, x, y, area in servitude_rows:
        if kind in ("equipment", "planned_road") and code and area * mm2_per_m2 >= 12:
            out.append(_label(code, *frame.paper(x, y), "#1f4e9c" if kind == "equipment" else "#c0392b", 2.2))
    return "".join(out)


def _label(text, x, y, colour, size):
    return (f'<text x="{x:.2f}" y="{y + size / 3:.2f}" font-size="{size}" font-weight="bold" text-anchor="middle" '
            f'fill="{colour}">{escape(text)}</text>')


def nice_step(length, parts):
    """The round step (m) closest below length / parts: 5, 10, 20, 25, 50, 100…"""
    target = length / parts
    return max([s for s in NICE_STEPS if s <= target] or [NICE_STEPS[0]])


def _ticks_svg(frame, frame_w, frame_h):
    """Lambert easting ticks on the top and bottom edges, northing ticks on the left and right (metres)."""
    step = nice_step((frame.maxx - frame.minx), 4)
    out = ['<g font-size="2" fill="#000000" stroke="#000000" stroke-width="0.2">']
    x = math.ceil(frame.minx / step) * step
    while x <= frame.maxx:
        px, _ = frame.paper(x, frame.maxy)
        bottom = frame.y0 + frame_h
        out.append(f'<line x1="{px:.2f}" y1="{frame.y0 - 1.5}" x2="{px:.2f}" y2="{frame.y0}"/>'
                   f'<line x1="{px:.2f}" y1="{bottom}" x2="{px:.2f}" y2="{bottom + 1.5}"/>'
                   f'<text stroke="none" x="{px:.2f}" y="{frame.y0 - 2.2}" text-anchor="middle">{_metres(x)}</text>'
                   f'<text stroke="none" x="{px:.2f}" y="{bottom + 4}" text-anchor="middle">{_metres(x)}</text>')
        x += step
    y = math.ceil(frame.miny / step) * step
    while y <= frame.maxy:
        _, py = frame.paper(frame.minx, y)
        right = frame.x0 + frame_w
        out.append(f'<line x1="{frame.x0 - 1.5}" y1="{py:.2f}" x2="{frame.x0}" y2="{py:.2f}"/>'
                   f'<line x1="{right}" y1="{py:.2f}" x2="{right + 1.5}" y2="{py:.2f}"/>'
                   f'<text stroke="none" transform="translate({frame.x0 - 2.2} {py:.2f}) rotate(-90)" '
                   f'text-anchor="middle">{_metres(y)}</text>'
                   f'<text stroke="none" transform="translate({right + 2.2} {py:.2f}) rotate(90)" '
                   f'text-anchor="middle">{_metres(y)}</text>')
        y += step
    out.append("</g>")
    return "".join(out)


def _metres(value):
    return f"{value:,.0f}".replace(",", " ")


def _north_arrow_svg(frame, frame_w, lang):
    """An arrow to true north: grid north turned by the meridian convergence at the frame's centre."""
    cx, cy = (frame.minx + frame.maxx) / 2, (frame.miny + frame.maxy) / 2
    lon, lat = to_wgs84(cx, cy, frame.srid)
    nx, ny = from_wgs84(lon, lat + 0.01, frame.srid)
    angle = math.degrees(math.atan2(nx - cx, ny - cy))  # clockwise from grid north
    x, y = frame.x0 + frame_w - 8, frame.y0 + 10
    return (f'<g transform="translate({x:.2f} {y:.2f}) rotate({angle:.3f})">'
            '<circle r="5.5" fill="#ffffff" fill-opacity="0.85" stroke="#000000" stroke-width="0.2"/>'
            '<path d="M0 -4.5 L2 2.5 L0 1.2 Z" fill="#000000"/><path d="M0 -4.5 L-2 2.5 L0 1.2 Z" fill="#ffffff" '
            'stroke="#000000" stroke-width="0.2"/>'
            f'<text y="-5.8" font-size="2.6" font-weight="bold" text-anchor="middle">{WORDS[lang]["north"]}</text>'
            "</g>")


def _scale_bar_svg(frame, frame_h, denominator, lang):
    """A four-segment scale bar, about a quarter of the frame wide, and the scale written 1/N."""
    ground = (frame.maxx - frame.minx)
    segment = nice_step(ground / 4, 4)
    seg_mm = segment * frame.mm_per_m
    x, y = frame.x0 + 4, frame.y0 + frame_h - 6
    out = [f'<rect x="{x - 2}" y="{y - 5.5}" width="{4 * seg_mm + 8:.2f}" height="9" fill="#ffffff" '
           'fill-opacity="0.85"/>']
    for i in range(4):
        fill = "#000000" if i % 2 == 0 else "#ffffff"
        out.append(f'<rect x="{x + i * seg_mm:.2f}" y="{y}" width="{seg_mm:.2f}" height="1.2" fill="{fill}" '
                   'stroke="#000000" stroke-width="0.15"/>')
    for i in (0, 2, 4):
        out.append(f'<text x="{x + i * seg_mm:.2f}" y="{y - 0.8}" font-size="2" text-anchor="middle">'
                   f'{_metres(i * segment)}</text>')
    out.append(f'<text x="{x + 4 * seg_mm + 2:.2f}" y="{y + 1.2}" font-size="2">m</text>')
    out.append(f'<text x="{x:.2f}" y="{y - 3.4}" font-size="2.2" font-weight="bold">'
               f'{WORDS[lang]["scale"]} 1/{_metres(denominator)}</text>')
    return "".join(out)


def _legend_columns(frame_w):
    return max(1, int(frame_w // LEGEND_COLUMN_MM))


def _legend_height(rows, frame_w):
    return rows * LEGEND_ROW_MM + 2


def _legend_entries(zone_rows, servitude_rows, highlighted, show_parcels, lang, footprint=False):
    """[(swatch svg attributes, text)] for each zone family and servitude kind drawn.

    A zone family is one entry, its colour and label those of plans.vocabulary (as on the web map's legend),
    after the codes drawn in it: "B3, B4 — Habitat continu et immeubles".
    """
    entries, codes = [], {}
    for code in sorted({row[0] for row in zone_rows}):
        codes.setdefault(zone_family(code), []).append(code)
    for family in ZONE_FAMILIES:
        if family in codes:
            label = family.label_ar if lang == "ar" else family.label_fr
            entries.append((f'fill="{family.colour}" stroke="#7a5a3a" stroke-width="0.2"',
                            f"{', '.join(codes[family])} — {label}"))
    kinds = {row[0] for row in servitude_rows}
    for kind, style in layers.SERVITUDE_STYLES.items():
        if kind in kinds:
            entries.append((style, servitude_kind_label(kind, lang)))
    if show_parcels:
        entries.append((layers.PARCEL_STYLE, WORDS[lang]["parcels"]))
    if highlighted:
        entries.append((layers.HIGHLIGHT_STYLE, WORDS[lang]["parcel"]))
    if footprint:
        entries.append((layers.FOOTPRINT_STYLE, WORDS[lang]["footprint"]))
    return entries


def _legend_svg(entries, x0, y0, frame_w, lang):
    """The legend in columns under the frame; mirrored for Arabic (swatch on the right, text right-aligned)."""
    columns = _legend_columns(frame_w)
    col_w = frame_w / columns
    rows = math.ceil(len(entries) / columns) or 1
    out = ['<g font-size="2.3">']
    for i, (style, text) in enumerate(entries):
        col, row = divmod(i, rows)
        y = y0 + row * LEGEND_ROW_MM
        if lang == "ar":
            right = x0 + frame_w - col * col_w
            out.append(f'<rect x="{right - 6:.2f}" y="{y:.2f}" width="6" height="3" {style}/>'
                       f'<text x="{right - 7.5:.2f}" y="{y + 2.3:.2f}" text-anchor="end">'
                       f"{escape(_fit_text(text, col_w))}</text>")
        else:
            left = x0 + col * col_w
            out.append(f'<rect x="{left:.2f}" y="{y:.2f}" width="6" height="3" {style}/>'
                       f'<text x="{left + 7.5:.2f}" y="{y + 2.3:.2f}">{escape(_fit_text(text, col_w))}</text>')
    out.append("</g>")
    return "".join(out)


def _fit_text(text, col_w):
    """Shorten a legend text to its column (about 1.2 mm per character at 2.3 mm type)."""
    room = int((col_w - 9) / 1.2)
    return text if len(text) <= room else text[: max(1, room - 1)] + "…"
