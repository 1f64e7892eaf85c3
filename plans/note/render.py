"""The note on screen and on paper: one template content, an HTML page and a WeasyPrint PDF (A4).

The PDF carries the agency's header, the map (frontend.cartography.printmap, drawn on
the server), the tables, the QR code (segno) of the absolute verification
URL and the note number on every page. It is rendered once, by a background
job right after issuance (plans.note.jobs) or at its first request if that
comes first, and stored with its SHA-256 (finalise); later requests serve
the stored bytes, so the hash on record is the hash of what people hold.
"""
import json

from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from frontend.cartography.printmap import render_print_map
from geoportal.core.qr import qr_svg_data_uri, site_root
from plans.crs import WGS84
from plans.models import IssuedNote
from geoportal.core.pdf_resources import data_only, font_config

from .signing import sha256

MAP_PAPER_MM = (178, 118)
MAP_MARGIN_M = 25  # ground shown around the land, metres
# Paper millimetres to one decimal: 0.1 mm, about the dot of a 300 dpi printer.
MAP_DECIMALS = 1


def links(note, request=None, root=None):
    """Absolute URLs of the note's HTML page, PDF and verification page.

    root: the site URL to use (a background job has no request); default site_root(request).
    """
    root = site_root(request) if root is None else root
    return {
        "html": root + reverse("note-page", args=[note.number]),
        "pdf": root + reverse("note-pdf", args=[note.number]),
        "verify": root + reverse("note-verify", args=[note.number]),
        "json": root + reverse("api-note", args=[note.number]),
    }


def context(note, request=None, root=None):
    content = note.content
    urls = links(note, request, root)
    return {
        "note": note,
        "c": content,
        "official": note.is_official,
        "links": urls,
        "map_svg": note.map_svg,
        "qr": qr_svg_data_uri(urls["verify"]),
        "zone_count": len(content["zones"]),
    }


def draw_map(note):
    """The print map of the note's land over the zoning the note was computed from, as SVG.

    The zones and servitudes drawn are those of the plan revisions stored in the
    note (content.plans[].revision), not the live ones: a plan re-published
    between issuance and the first PDF does not change the map. Notes issued
    before revisions were stored are drawn from the live revision.
    """
    minx, miny, maxx, maxy = note.content["parcel"]["bbox"]
    m = MAP_MARGIN_M + max(maxx - minx, maxy - miny) * 0.15
    plans = note.content["plans"]
    revisions = {p["id"]: p["revision"] for p in plans if p.get("revision") is not None}
    shape = (note.content.get("buildable") or {}).get("footprint")
    footprint = GEOSGeometry(json.dumps(shape), srid=WGS84) if shape else None
    return render_print_map(note.content["srid"], (minx - m, miny - m, maxx + m, maxy + m), MAP_PAPER_MM,
                            highlight=note.land, plan_ids=[p["id"] for p in plans], lang="fr",
                            revisions=revisions, precision=MAP_DECIMALS, footprint=footprint).svg


def render_pdf(note, map_svg, request=None, root=None):
    """The PDF bytes of `note` with `map_svg` as its map."""
    import weasyprint

    ctx = context(note, request, root)
    ctx["map_svg"] = map_svg
    html = render_to_string("note/pdf.html", ctx)
    return weasyprint.HTML(string=html, url_fetcher=data_only()).write_pdf(font_config=font_config())


def finalise(note, request=None, root=None):
    """Render and store the note's PDF and map once; return the note with them.

    Usually the background job (plans.note.jobs) has stored them already and
    this only reads. Two concurrent first renderings (the job and a request)
    both render but only one stores: the row lock makes the second one read
    what the first stored.
    """
    if note.pdf_sha256:
        return note
    map_svg = draw_map(note)
    pdf = render_pdf(note, map_svg, request, root)
    with transaction.atomic():
        locked = IssuedNote.objects.select_for_update().get(pk=note.pk)
        if not locked.pdf_sha256:
            IssuedNote.objects.filter(pk=note.pk).update(pdf=pdf, pdf_sha256=sha256(pdf), map_svg=map_svg)
    return IssuedNote.objects.get(pk=note.pk)
