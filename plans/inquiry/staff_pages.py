"""The agency staff's side of their inquiries: the page /staff/inquiries/ and its map's data.

The page lists the inquiries of the user's agencies (e-services or GIS staff) with their dates and state, the
counts per commune and theme (selectors.counts), the register's exports, the open/close forms (they post JSON
to /api/inquiries/<plan>/open and /close with the CSRF token: inquiry/staff.js shows the API's message) and a
map of every observation beside the draft's zones (Leaflet, vendored). Words: plans.vocabulary.INQUIRY_WORDS;
status colours: plans.vocabulary.OBSERVATION_STATUS_COLOURS.
"""
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.views.decorators.http import require_GET

from geoportal.core.errors import Forbidden, MethodNotAllowed
from geoportal.core.language import direction, request_language
from plans import vocabulary

from . import opening, register, selectors
from .responses import private_json as _json


@require_GET
def inquiries_page(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    agency_ids = selectors.staff_agency_ids(request.user)
    if agency_ids is not None and not agency_ids:
        raise Forbidden(f"user {request.user.get_username()!r} works for no agency; a superuser gives a role in "
                        "the admin (Personnel des agences: memberships)")
    lang = request_language(request)
    words, themes = vocabulary.inquiry_words(lang), dict(
        (t["value"], t["label"]) for t in vocabulary.observation_themes(lang))
    rows = []
    for inquiry in selectors.staff_inquiries(agency_ids):
        counts = selectors.counts(inquiry)
        state = opening.state(inquiry.plan)
        rows.append({
            "inquiry": inquiry, "plan": inquiry.plan, "state": state, "state_label": words[f"state_{state}"],
            "counts": counts, "themes": [(themes.get(k, k), n) for k, n in sorted(counts["by_theme"].items())],
            "communes": sorted(counts["by_commune"].items()),
            "exports": list(inquiry.exports.order_by("-issued_at")[:5]),
            "paper_file": inquiry.paper_file_ar if lang == "ar" else inquiry.paper_file_fr,
            "inquiry_communes": {c.code for c in inquiry.communes.all()},
        })
    return render(request, "inquiry/staff.html", {
        "lang": lang, "dir": direction(lang), "words": words, "rows": rows,
        "drafts": selectors.drafts_to_open(agency_ids),
        "map_config": {"colours": vocabulary.OBSERVATION_STATUS_COLOURS,
                       "status": {k: words[f"status_{k}"] for k in vocabulary.OBSERVATION_STATUS_COLOURS},
                       "themes": themes}})


def observations_geojson(request, plan_id):
    """GET /api/inquiries/<plan>/observations.geojson (agency staff): every observation, published or not."""
    if request.method not in ("GET", "HEAD"):
        raise MethodNotAllowed(f"{request.method} is not accepted here: this is a read (GET)", ("GET", "HEAD"))
    inquiry = register.inquiry_of(plan_id)
    register.require_agency_staff(request.user, inquiry)
    return _json(selectors.all_observations_geojson(inquiry))
