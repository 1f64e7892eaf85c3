"""The note on screen and on paper: one template content, an HTML page and a WeasyPrint PDF (A4).

The PDF carries the agency's header, the map (frontend.printmap, drawn on
the server), the tables, the QR code (segno) of the absolute verification
URL and the note number on every page. It is rendered once, at its first
request, and stored with its SHA-256 (finalise); later requests serve the
stored bytes, so the hash on record is the hash of what people hold.
"""
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from plans.models import IssuedNote

from .signing import sha256

MAP_PAPER_MM = (178, 118)
MAP_MARGIN_M = 25  # ground shown around the land, metres


def base_url(request=None):
    """settings.PUBLIC_BASE_URL when set, else the request's scheme and host (no trailing slash)."""
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL
    return request.build_absolute_uri("/").rstrip("/") if request is not None else ""


def links(note, request=None):
    """Absolute URLs of the note's HTML page, PDF and verification page."""
    root = base_url(request)
    return {
        "html": root + reverse("note-page", args=[note.number]),
        "pdf": root + reverse("note-pdf", args=[note.number]),
        "verify": root + reverse("note-verify", args=[note.number]),
        "json": root + reverse("api-note", args=[note.number]),
    }


def qr_data_uri(url):
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def context(note, request=None):
    content = note.content
    return {
        "note": note,
        "c": content,
        "official": note.is_official,
        "links": links(note, request),
        "map_svg": note.map_svg,
        "qr": qr_data_uri(links(note, request)["verify"]),
        "zone_count": len(content["zones"]),
    }


def draw_map(note):
    """The print map of the note's land over the zoning of the plans the note applied, as SVG."""
    from frontend.printmap import render_print_map

    minx, miny, maxx, maxy = note.content["parcel"]["bbox"]
    m = MAP_MARGIN_M + max(maxx - minx, maxy - miny) * 0.15
    plan_ids = [p["id"] for p in note.content["plans"]]
    return render_print_map(note.content["srid"], (minx - m, miny - m, maxx + m, maxy + m), MAP_PAPER_MM,
                            highlight=note.land, plan_ids=plan_ids, lang="fr").svg


def render_pdf(note, map_svg, request=None):
    """The PDF bytes of `note` with `map_svg` as its map."""
    import weasyprint

    ctx = context(note, request)
    ctx["map_svg"] = map_svg
    html = render_to_string("frontend/note/pdf.html", ctx)
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def finalise(note, request=None):
    """Render and store the note's PDF and map once; return the note with them.

    Two concurrent first requests render twice but only one stores: the row
    lock makes the second one read what the first stored.
    """
    if note.pdf_sha256:
        return note
    map_svg = draw_map(note)
    pdf = render_pdf(note, map_svg, request)
    with transaction.atomic():
        locked = IssuedNote.objects.select_for_update().get(pk=note.pk)
        if not locked.pdf_sha256:
            IssuedNote.objects.filter(pk=note.pk).update(pdf=pdf, pdf_sha256=sha256(pdf), map_svg=map_svg)
    return IssuedNote.objects.get(pk=note.pk)
