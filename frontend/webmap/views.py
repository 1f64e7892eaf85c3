"""Public pages of the web map: the map, parcel deep links, embeddable maps.

The language is French unless `?lang=ar` (or the browser's preference via
LocaleMiddleware) asks for Arabic; the map state lives in the URL fragment
(#map=zoom/lat/lon&layers=…&parcel=…&date=…) so that a shared link restores it.
"""
from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from geoportal.core.errors import InvalidParameter, NotFound
from geoportal.core.language import request_language
from plans import vocabulary
from plans.models import Agency
from plans.selectors import agency_by_code, known_agency_codes, parcel_by_title
from plans.titles import InvalidTitleNumber, normalise_title

from . import embeds, places, queries
from .config import map_config
from .strings import js_strings


def agency_choices(lang):
    """[(code, name)] of the agencies, for the map's agency switch."""
    return [(a.code, a.name_ar if lang == "ar" else a.name_fr) for a in Agency.objects.order_by("code")]


@require_GET
def map_page(request, title=None):
    """The full-screen map; with `title`, opens on that parcel's panel."""
    lang = request_language(request)
    parcel = None
    if title is not None:
        try:
            parcel = normalise_title(title)
        except InvalidTitleNumber as exc:
            raise InvalidParameter(str(exc), "title") from None
    agency = None
    if request.GET.get("agency"):
        agency = agency_by_code(request.GET["agency"])
        if agency is None:
            raise NotFound(f"agency={request.GET['agency']!r}: no such agency; known: {known_agency_codes()}",
                           "agency")
    with translation.override(lang):
        config = {
            "lang": lang,
            "map": map_config(),
            "styles": vocabulary.as_config(),
            "strings": js_strings(),
            "servitudeKinds": vocabulary.servitude_kind_labels(lang),
            "inquiryWords": vocabulary.inquiry_words(lang),
            "observationThemes": vocabulary.observation_themes(lang),
            "initialParcel": parcel,
            "initialAgency": agency.code if agency else None,
            # The plans in force today (the agency's, on its entry URL /carte/?agency=AUT or /a/aut/).
            "initialBounds": queries.opening_extent(places.plans_in_force(timezone.localdate()),
                                                    agency.pk if agency else None),
        }
        response = render(request, "frontend/map.html", {
            "config": config, "agencies": agency_choices(lang), "agency": agency.code if agency else "",
        })
    response["Content-Language"] = lang
    return response


def _embed_response(request, fmap):
    response = HttpResponse(fmap.get_root().render(nonce=request.csp_nonce), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


# Agencies frame the embeds in their own sites (X-Frame-Options is off for them).
embeddable = csp_replace({"frame-ancestors": settings.EMBED_FRAME_ANCESTORS})


@require_GET
@xframe_options_exempt
@embeddable
def embed_plan(request, plan_id):
    """GET /embed/plan/<id>: an embeddable map of an approved (or historical) plan."""
    plan = embeds.public_plan(plan_id)
    if plan is None:
        raise NotFound(f"no public plan {plan_id}: drafts and plans under public inquiry are not published", "id")
    return _embed_response(request, embeds.plan_map(plan, request_language(request)))


@require_GET
@xframe_options_exempt
@embeddable
def embed_parcel(request, title):
    """GET /embed/parcel/<title number>[?agency=AUT]: an embeddable map of a parcel and what covers it."""
    parcel = parcel_by_title(title, request.GET.get("agency"), "title")
    return _embed_response(request, embeds.parcel_map(parcel, lang=request_language(request)))
