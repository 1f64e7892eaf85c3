"""The web map's JSON endpoints: /api/place, /api/search, /api/plans, /api/territories, /api/measure.

Thin: each reads its parameters, calls a service (frontend.webmap.places, frontend.webmap.search)
and returns its JSON. Answers carry an ETag built on the data version of
the tables they read and the day, so a publish or a new day changes it.
"""
import hashlib

from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import etag, require_GET

from plans.versions import data_version

from . import places, queries
from .measure import measure as run_measure
from .measure import parse_vertices
from .search import search as run_search

_TABLES = ("plans_agency", "plans_commune", "plans_plandocument", "plans_zonerule", "plans_zone",
           "plans_servitude", "plans_parcel")


def _etag(request, *args, **kwargs):
    key = f"{data_version(_TABLES)}|{timezone.localdate()}|{request.get_full_path()}"
    return hashlib.sha1(key.encode()).hexdigest()[:20]


def _json(data):
    response = JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=60"
    return response


@require_GET
@etag(_etag)
def place(request):
    """GET /api/place?lon=&lat= | ?x=&y=&crs=EPSG:26191 | ?parcel=TF 12345/19 [&date=YYYY-MM-DD][&agency=AUT]."""
    on = places.parse_date(request.GET.get("date"))
    if request.GET.get("parcel"):
        return _json(places.parcel_place(request.GET["parcel"], request.GET.get("agency") or None, on))
    lon, lat = places.point_from_params(request.GET)
    return _json(places.place_at(lon, lat, on))


@require_GET
@etag(_etag)
def search(request):
    """GET /api/search?q=… : land titles, coordinates (auto-detected system), communes (French or Arabic)."""
    return _json(run_search(request.GET.get("q")))


@require_GET
@etag(_etag)
def plans(request):
    """GET /api/plans[?date=YYYY-MM-DD]: perimeters of the plans in force that day, GeoJSON in EPSG:4326."""
    on = places.parse_date(request.GET.get("date"))
    collection = queries.plans_geojson(places.plans_in_force(on))
    collection["date"] = on.isoformat()
    return _json(collection)


@require_GET
@etag(_etag)
def territories(request):
    """GET /api/territories: agency territories, simplified, GeoJSON in EPSG:4326 (the offline background)."""
    return _json(queries.territories_geojson())


@require_GET
def measure(request):
    """GET /api/measure?kind=line|area&points=lon,lat;lon,lat;…: length, or area and perimeter, in the Lambert CRS
    of the agency where the drawing starts (metres, m²; `crs` says which)."""
    kind = request.GET.get("kind", "line")
    return _json(run_measure(parse_vertices(request.GET.get("points"), kind), kind))

