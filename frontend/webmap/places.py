"""What applies at a place: the zone and its rule, the servitudes, the plan in force and the parcel.

The answer is for one date (default today, Africa/Casablanca): only the
live revision of plans legally in force that day, never a draft or a plan
under public inquiry. Points are given in lon/lat (EPSG:4326) or in
Lambert metres (EPSG:26191/26192) or Web Mercator (EPSG:3857).
"""
from urllib.parse import urlencode

from plans.crs import WGS84, UnsupportedCRS, check_srid, transformer
from plans.models import Parcel
from plans.reglement import buildable
from plans.selectors import parcel_by_title, parse_date, plans_in_force  # noqa: F401 (the map's API reads them here)
from plans.vocabulary import LAND_USES

from . import queries
from geoportal.core.body import number
from geoportal.core.errors import InvalidParameter, MissingParameter, NotFound


def _number(params, name):
    text = params.get(name, "")
    if text == "":
        raise MissingParameter(f"{name} is required", name)
    return number(text, name, "; use a dot for decimals, e.g. 35.5889")


def point_from_params(params):
    """(lon, lat) in EPSG:4326 from `lon`/`lat`, or from `x`/`y` with `crs` (EPSG:26191, 26192, 3857 or 4326)."""
    if "lon" in params or "lat" in params:
        lon, lat = _number(params, "lon"), _number(params, "lat")
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise InvalidParameter(
                f"lon={lon}, lat={lat} are not degrees; for Lambert metres use x=…&y=…&crs=EPSG:26191", "lon")
        return lon, lat
    if "x" in params or "y" in params:
        x, y = _number(params, "x"), _number(params, "y")
        text = params.get("crs", "")
        if not text:
            raise MissingParameter("x/y need crs: EPSG:26191 (Lambert Nord Maroc) or EPSG:26192 (Sud)", "crs")
        try:
            srid = check_srid(text.upper().removeprefix("EPSG:"))
        except UnsupportedCRS as exc:
            raise InvalidParameter(str(exc), "crs") from None
        if srid == WGS84:
            return x, y
        return transformer(srid, WGS84).transform(x, y)
    raise MissingParameter("give a place: lon=…&lat=… (degrees), x=…&y=…&crs=EPSG:26191, or parcel=TF 12345/19",
                           "lon")


def place_at(lon, lat, on):
    """The place answer at lon/lat (EPSG:4326) on date `on`; NotFound outside every agency territory."""
    plan_ids = plans_in_force(on)
    answer = queries.place_at_point(lon, lat, plan_ids)
    if answer["agency"] is None:
        raise NotFound(
            f"lon={lon}, lat={lat} lies outside every agency's territory: check that longitude (about -1 to -17 "
            f"in Morocco) and latitude (21 to 36) are not swapped, or that Lambert metres were not given as degrees")
    return _complete(answer, on, {"lon": round(lon, 7), "lat": round(lat, 7)}, plan_ids=plan_ids)


def parcel_place(title_text, agency, on):
    """The place answer for a whole parcel (zones and servitudes with their shares) on date `on`."""
    parcel = queries.parcels_json([parcel_by_title(title_text, agency, "parcel").id])[0]
    plan_ids = plans_in_force(on)
    answer = queries.place_of_parcel(parcel["id"], plan_ids)
    return _complete(answer, on, {"lon": parcel["lon"], "lat": parcel["lat"]}, bbox=parcel["bbox"], plan_ids=plan_ids)


def _complete(answer, on, point, bbox=None, plan_ids=()):
    """Add labels of uses, the date, the point, what can be built on the parcel and links to the note and the
    extract."""
    for zone in answer["zones"]:
        for key in ("allowed_uses", "forbidden_uses"):
            zone[key] = [{"key": use, "fr": LAND_USES.get(use, (use, use))[0], "ar": LAND_USES.get(use, (use, use))[1]}
                         for use in zone.get(key) or []]
    answer["date"] = on.isoformat()
    answer["point"] = point
    if bbox:
        answer["bbox"] = bbox
    parcel = answer.get("parcel")
    answer["links"] = parcel_links(parcel["title_number"]) if parcel else {}
    if parcel:
        land = Parcel.objects.select_related("agency").only("geom", "agency__srid").get(
            title_number=parcel["title_number"], agency__code=parcel["agency"])
        answer["buildable"] = buildable.content_for(land.geom, land.agency.srid, plan_ids)
    return answer


def parcel_links(title):
    """Where a citizen goes next for a parcel: the urbanism note and the PDF extract."""
    return {
        "note": "/notes/new?" + urlencode({"title": title}),
        "extract": "/extraits?" + urlencode({"parcel": title}),
        "permalink": "/parcel/" + title,
    }
