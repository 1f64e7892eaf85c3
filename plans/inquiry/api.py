"""The public inquiry's JSON and printed map: /api/inquiries, /api/inquiries/<id>/map.svg.

Thin: read the parameters, call the selectors and frontend.cartography, answer. Answers carry an ETag on the
plans' data version and the day (an inquiry opens and closes with the date).
"""
import hashlib
import json

from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import etag, require_GET

from frontend.cartography.printmap import render_print_map
from geoportal.core.errors import InvalidParameter
from geoportal.core.language import request_language
from plans.crs import from_wgs84
from plans.versions import data_version
from plans.vocabulary import draft_notice

from . import comparison, selectors

_TABLES = ("plans_plandocument", "plans_commune", "plans_agency", "plans_zonerule", "plans_zone",
           "plans_servitude", "plans_parcel")  # provisions: written with their rule
PAPER_MM = {"a4": (277, 190), "a3": (400, 277)}


def _etag(request, *args, **kwargs):
    key = f"{data_version(_TABLES)}|{timezone.localdate()}|{request.user.pk}|{request.get_full_path()}"
    return hashlib.sha1(key.encode()).hexdigest()[:20]


def _json(body, request):
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    # Staff may compare drafts the public may not see: their answers stay in their own browser.
    response["Cache-Control"] = "private, no-store" if request.user.is_authenticated else "public, max-age=60"
    return response


def _feature(plan):
    return {
        "type": "Feature", "id": plan.id,
        "geometry": json.loads(plan.perimeter.geojson),
        "properties": {
            "reference": plan.reference, "version": plan.version, "kind": plan.kind,
            "title_fr": plan.title_fr, "title_ar": plan.title_ar, "agency_code": plan.agency.code,
            "inquiry_start": plan.inquiry_start.isoformat(), "inquiry_end": plan.inquiry_end.isoformat(),
            "binding": False, "notice_fr": draft_notice("fr"), "notice_ar": draft_notice("ar"),
            "communes": [{"code": c.code, "name_fr": c.name_fr, "name_ar": c.name_ar} for c in plan.communes.all()],
            "replaces": ({"id": plan.supersedes.id, "version": plan.supersedes.version}
                         if plan.supersedes_id else None),
            "links": {
                "zones": f"/ogc/collections/zones-inquiry/items?plan_id={plan.id}",
                "servitudes": f"/ogc/collections/servitudes-inquiry/items?plan_id={plan.id}",
                "record": f"/ogc/collections/catalogue/items/{plan.id}",
                "map": f"/api/inquiries/{plan.id}/map.svg",
            },
        },
    }


@require_GET
@etag(_etag)
def inquiries(request):
    """GET /api/inquiries: the drafts whose public inquiry is open today, GeoJSON (perimeters, EPSG:4326)."""
    today = timezone.localdate()
    body = {"type": "FeatureCollection", "date": today.isoformat(),
            "features": [_feature(plan) for plan in selectors.open_inquiries(today)]}
    return _json(body, request)


@require_GET
@etag(_etag)
def changes(request):
    """GET /api/changes?parcel=TF 1/19[&parcel=…] | ?area=<GeoJSON|WKT>[&area-crs=EPSG:26191] [&from=ID][&to=ID]:
    what the draft under inquiry (or version `to`) changes on the land against the plan in force (or `from`)."""
    return _json(comparison.changes_for(request.GET, request.user), request)


@require_GET
@etag(_etag)
def draft_map(request, plan_id):
    """GET /api/inquiries/<id>/map.svg[?paper=a4|a3][&lang=fr|ar]: the draft's printed map, watermarked."""
    plan = selectors.open_draft(plan_id)
    paper = request.GET.get("paper", "a4").lower()
    if paper not in PAPER_MM:
        raise InvalidParameter(f"paper={paper!r} is not offered; use one of {', '.join(PAPER_MM)}", "paper")
    minx, miny, maxx, maxy = plan.perimeter.extent
    corners = [from_wgs84(lon, lat, plan.srid) for lon in (minx, maxx) for lat in (miny, maxy)]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    drawing = render_print_map(plan.srid, (min(xs), min(ys), max(xs), max(ys)), PAPER_MM[paper],
                               plan_ids=[plan.id], lang=request_language(request), show_parcels=False)
    response = HttpResponse(drawing.svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=60"
    return response
