"""The query of /ows, validated before MapServer sees it: a closed list of WMS 1.3.0 / WFS 2.0 keys, each value
checked against its own pattern; everything else is refused with a 400 naming the parameter.

MapServer's CGI understands more than the OGC keys (`map=` to choose a mapfile, `map.layer[..]=` to edit it,
`SLD=` to fetch a style from a URL, runtime substitutions into paths): none of those reach it. The only runtime
substitution the mapfile declares is `date` (history by date), validated here as an ISO date and again by the
mapfile's VALIDATION block.
"""
import datetime
import re
from urllib.parse import urlencode

from geoportal.core.errors import InvalidParameter, TooLarge

MAX_QUERY_CHARS = 16_000
MAX_IMAGE_PIXELS = 4096

_NUMBER = r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?"
_NAME = r"[A-Za-z][-\w.:]{0,80}"
_NAMES = rf"({_NAME})?(,({_NAME})?)*"
_CRS = r"(EPSG:\d{1,6}|CRS:84|urn:ogc:def:crs:EPSG::\d{1,6}|urn:ogc:def:crs:OGC:1\.3:CRS84|" \
       r"http://www\.opengis\.net/def/crs/EPSG/0/\d{1,6}|http://www\.opengis\.net/def/crs/OGC/1\.3/CRS84)"
_BBOX = rf"{_NUMBER},{_NUMBER},{_NUMBER},{_NUMBER}(,{_CRS})?"
_MIME = r"[\w.+-]+/[\w.+-]+(;\s?[\w-]+=[\w.\"/ -]+)*"
_INT = r"\d{1,9}"

# key (upper case) → pattern of its value. Keys are case-insensitive in the OGC protocols.
PATTERNS = {
    "SERVICE": r"(?i:WMS|WFS)",
    "REQUEST": r"(?i:GetCapabilities|GetMap|GetFeatureInfo|GetLegendGraphic|GetStyles|DescribeLayer|"
               r"GetFeature|DescribeFeatureType|ListStoredQueries|DescribeStoredQueries|GetPropertyValue)",
    "VERSION": r"\d\.\d\.\d",
    "ACCEPTVERSIONS": r"\d\.\d\.\d(,\d\.\d\.\d)*",
    "SECTIONS": r"[A-Za-z,]{1,200}",
    "UPDATESEQUENCE": r"[\w.:-]{0,64}",
    "ACCEPTFORMATS": _MIME,
    "LAYERS": _NAMES, "QUERY_LAYERS": _NAMES, "LAYER": _NAME,
    "STYLES": rf"({_NAME})?(,({_NAME})?)*", "STYLE": rf"({_NAME})?",
    "CRS": _CRS, "SRS": _CRS, "SRSNAME": _CRS,
    "BBOX": _BBOX,
    "WIDTH": _INT, "HEIGHT": _INT, "I": _INT, "J": _INT, "X": _INT, "Y": _INT,
    "FORMAT": _MIME, "INFO_FORMAT": _MIME, "OUTPUTFORMAT": rf"{_MIME}|GML2|GML3|geojson|json",
    "EXCEPTIONS": rf"{_MIME}|XML|INIMAGE|BLANK",
    "TRANSPARENT": r"(?i:true|false)", "BGCOLOR": r"0x[0-9A-Fa-f]{6}",
    "FEATURE_COUNT": _INT, "DPI": _NUMBER, "MAP_RESOLUTION": _NUMBER, "FORMAT_OPTIONS": r"[\w:;=.]{0,100}",
    "SLD_VERSION": r"1\.1\.0", "SCALE": _NUMBER, "RULE": rf"{_NAME}", "LEGEND_OPTIONS": r"[\w:;=.]{0,100}",
    "TYPENAME": _NAMES, "TYPENAMES": _NAMES, "COUNT": _INT, "MAXFEATURES": _INT, "STARTINDEX": _INT,
    "RESULTTYPE": r"results|hits", "RESOURCEID": rf"{_NAME}(,{_NAME})*", "FEATUREID": rf"{_NAME}(,{_NAME})*",
    "PROPERTYNAME": _NAMES, "SORTBY": rf"{_NAME}( (ASC|DESC|A|D))?(,{_NAME}( (ASC|DESC|A|D))?)*",
    "NAMESPACES": r"[\w(),=:/.# -]{0,500}", "NAMESPACE": r"[\w(),=:/.# -]{0,500}",
    "STOREDQUERY_ID": r"[\w:/.#-]{1,200}", "ID": rf"{_NAME}",
    "VALUEREFERENCE": _NAME,
    # The OGC Filter Encoding XML of WFS: parsed by MapServer's own XML reader (no DTD, no external entity);
    # refused here when it declares any (defence in depth).
    "FILTER": r"(?s)\s*(\(\s*)?<.*",
    # History by date: the layers whose plans have versions show what was in force on that day.
    "DATE": r"\d{4}-\d{2}-\d{2}",
}
# What MapServer would read as an instruction to itself rather than an OGC parameter.
FORBIDDEN = re.compile(r"^(MAP|MAP\..*|MAPEXT|IMGEXT|MODE|QLAYER|QITEM|QSTRING|SLD|SLD_BODY|CONTEXT|"
                       r"WMS_CONTEXT|MS_.*|.*\[.*)$", re.IGNORECASE)
_FILTER_HOSTILE = re.compile(r"<!(DOCTYPE|ENTITY)|SYSTEM\s+[\"']|xi:include|XInclude", re.IGNORECASE)


def validated_query(query):
    """The OGC query (a Django QueryDict) checked: (the query string MapServer receives, its runtime substitutions
    {"date": …}); raises InvalidParameter.

    Unknown keys are dropped (clients add their own vendor keys); MapServer's own instructions are refused.
    """
    if sum(len(k) + sum(len(v) for v in query.getlist(k)) for k in query) > MAX_QUERY_CHARS:
        raise TooLarge(f"the query is longer than {MAX_QUERY_CHARS} characters")
    clean = {}
    for key in query:
        upper = key.upper()
        if FORBIDDEN.match(upper):
            raise InvalidParameter(f"{key}: not accepted here; /ows serves the registry's layers with their own "
                                   "styles (WMS 1.3.0, WFS 2.0 keys only)", parameter=key)
        if upper not in PATTERNS:
            continue
        values = query.getlist(key)
        if len(values) != 1 or upper in clean:
            raise InvalidParameter(f"{key}: give it once", parameter=key)
        value = values[0]
        if "\x00" in value or not re.fullmatch(PATTERNS[upper], value):
            raise InvalidParameter(f"{key}: {value[:80]!r} is not a valid value", parameter=key)
        clean[upper] = value
    _check_values(clean)
    substitutions = {"date": clean.pop("date")} if "date" in clean else {}
    return urlencode(clean), substitutions


def _check_values(clean):
    if "SERVICE" not in clean and "REQUEST" in clean:
        clean["SERVICE"] = "WFS" if clean["REQUEST"] in {"GetFeature", "DescribeFeatureType"} else "WMS"
    if "REQUEST" not in clean:
        raise InvalidParameter("REQUEST: missing; start with SERVICE=WMS&REQUEST=GetCapabilities "
                               "or SERVICE=WFS&REQUEST=GetCapabilities", parameter="REQUEST")
    for key in ("WIDTH", "HEIGHT"):
        if key in clean and not 1 <= int(clean[key]) <= MAX_IMAGE_PIXELS:
            raise InvalidParameter(f"{key}: between 1 and {MAX_IMAGE_PIXELS} pixels", parameter=key)
    if "FILTER" in clean and _FILTER_HOSTILE.search(clean["FILTER"]):
        raise InvalidParameter("FILTER: no DTD, entity or inclusion in a filter", parameter="FILTER")
    if "DATE" in clean:
        try:
            datetime.date.fromisoformat(clean["DATE"])
        except ValueError:
            raise InvalidParameter(f"DATE: {clean['DATE']!r} is not a date (YYYY-MM-DD)", parameter="date")
        clean["date"] = clean.pop("DATE")  # the mapfile's runtime substitution is spelled %date%
