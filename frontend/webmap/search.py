"""One search box: land title numbers, coordinates (lon/lat or Lambert, auto-detected), commune names.

Every result carries lon/lat (EPSG:4326) and, when it has an extent, a bbox
[west, south, east, north] in degrees, so that the map can zoom to it.
"""
import re

from plans.selectors import parcels_by_title
from plans.titles import InvalidTitleNumber, normalise_title

from . import coordinates, queries
from geoportal.core.errors import InvalidParameter, MissingParameter

MAX_QUERY_LENGTH = 120
_TITLE_PREFIX = re.compile(r"^\s*(?:T\.?\s*F\.?|R)\s*(\d{2,9})\s*$", re.IGNORECASE)


def search(text, limit=10):
    """{"query", "results": [...], "message"?}; "message" explains an empty or ambiguous answer."""
    text = (text or "").strip()
    if not text:
        raise MissingParameter("q is required: a land title (TF 12345/19), coordinates or a commune name", "q")
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidParameter(f"q is {len(text)} characters long; at most {MAX_QUERY_LENGTH} are read", "q")
    pair = coordinates.parse_pair(text)
    if pair is not None:
        return _coordinates(text, *pair)
    answer = {"query": text, "results": _titles(text, limit)}
    if not answer["results"]:
        answer["results"] = queries.communes_by_name(text, limit)
    if not answer["results"]:
        answer["message"] = (f"nothing matches {text!r}: type a land title (TF 12345/19 or R 678/19), "
                             f"coordinates (lon, lat or Lambert X Y) or a commune name")
    return answer


def _titles(text, limit):
    try:
        title = normalise_title(text)
    except InvalidTitleNumber:
        prefix = _TITLE_PREFIX.match(text)
        if not prefix:
            return []
        kind = "R" if text.strip().upper().startswith("R") else "TF"
        return queries.parcels_by_title_prefix(f"{kind} {prefix.group(1)}", limit)
    return queries.parcels_json(parcels_by_title(title).values_list("id", flat=True)[:limit], limit)


def _coordinates(text, a, b):
    found = coordinates.locate(a, b)
    results = [{
        "type": "coordinates", "crs": f"EPSG:{reading.crs}", "label": reading.label,
        "x": reading.x, "y": reading.y, "lon": round(reading.lon, 7), "lat": round(reading.lat, 7),
        "agency": agency["agency"], "agency_name_fr": agency["name_fr"], "agency_name_ar": agency["name_ar"],
    } for reading, agency in found]
    answer = {"query": text, "results": results}
    if not results:
        answer["message"] = (f"{text!r} falls outside every agency's territory whether read as lon/lat, lat/lon, "
                             f"Lambert Nord (EPSG:26191) or Lambert Sud (EPSG:26192): check the numbers and their order")
    elif len(results) > 1:
        answer["message"] = (f"{text!r} is ambiguous: it lands in a territory in {len(results)} systems "
                             f"({'; '.join(r['label'] for r in results)}); choose one")
    return answer
