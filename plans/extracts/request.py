"""What a user asks for: an ExtractRequest, read from query parameters or a JSON body.

Every bad value raises geoportal.core.errors.InvalidParameter / MissingParameter naming
the parameter, the value and what would be accepted.
"""
import datetime
import re
from dataclasses import asdict, dataclass

from geoportal.core.body import number as finite
from geoportal.core.errors import InvalidParameter, MissingParameter
from plans.crs import WGS84, UnsupportedCRS, check_srid

from .layers import DEFAULT_LAYERS, LAYERS
from .writers import FORMATS

CLIP_MODES = ("exact", "whole")
PAPER_SIZES = ("A4", "A3")
ORIENTATIONS = ("portrait", "landscape")
LANGUAGES = ("fr", "ar")
MAX_MARGIN_M = 500
MIN_SCALE, MAX_SCALE = 500, 5000
_CRS_URI = re.compile(r"^(?:https?://www\.opengis\.net/def/crs/EPSG/0/|urn:ogc:def:crs:EPSG::|EPSG:)?(\d+)$", re.I)


@dataclass
class ExtractRequest:
    """One extract: where (parcel, polygon or bbox, plus a margin in metres), what and how.

    `area_crs` is the EPSG code of the polygon/bbox coordinates (default 4326,
    lon/lat); `crs` the output CRS (None: the plan's Lambert CRS); `scale` the
    denominator of the PDF map scale (None: the largest scale the area fits);
    `lang` the language of the PDF map's legend (the title block has both).
    """

    format: str
    parcel: str | None = None
    agency: str | None = None
    polygon: str | None = None
    bbox: tuple | None = None
    area_crs: int = WGS84
    margin: float = 0.0
    layers: tuple = DEFAULT_LAYERS
    crs: int | None = None
    clip: str = "exact"
    plan: str | None = None
    date: datetime.date | None = None
    paper: str = "A4"
    orientation: str = "portrait"
    scale: int | None = None
    lang: str = "fr"

    @classmethod
    def from_params(cls, params):
        """Read a request from a mapping of parameters (GET query or POST JSON body)."""
        get = _getter(params)
        fmt = get("format")
        if not fmt:
            raise MissingParameter("format is required: one of " + ", ".join(FORMATS), "format")
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise InvalidParameter(f"format={fmt!r} is not offered; use one of " + ", ".join(FORMATS), "format")
        request = cls(
            format=fmt,
            parcel=get("parcel") or None,
            agency=get("agency") or None,
            polygon=get("polygon") or None,
            bbox=_bbox(get("bbox")),
            area_crs=_srid(get("area-crs") or get("bbox-crs"), "area-crs", WGS84),
            margin=_number(get("margin"), "margin", 0.0, 0, MAX_MARGIN_M),
            layers=_layers(get("layers")),
            crs=_srid(get("crs"), "crs", None),
            clip=_choice(get("clip"), "clip", CLIP_MODES),
            plan=get("plan") or None,
            date=_date(get("date")),
            paper=_choice((get("paper") or "A4").upper(), "paper", PAPER_SIZES),
            orientation=_choice(get("orientation"), "orientation", ORIENTATIONS),
            scale=_scale(get("scale")),
            lang=_choice(get("lang"), "lang", LANGUAGES),
        )
        given = [name for name in ("parcel", "polygon", "bbox") if getattr(request, name)]
        if len(given) != 1:
            raise MissingParameter(
                "give exactly one of parcel (a land title, e.g. 'TF 12345/19'), polygon (GeoJSON or WKT) "
                f"or bbox (minx,miny,maxx,maxy); got {', '.join(given) or 'none'}", "parcel")
        return request

    @classmethod
    def from_log(cls, data):
        """The request saved by as_log()."""
        data = dict(data, layers=tuple(data["layers"]), bbox=tuple(data["bbox"]) if data["bbox"] else None,
                    date=datetime.date.fromisoformat(data["date"]) if data["date"] else None)
        return cls(**data)

    def as_log(self):
        """The request as JSON-serialisable values, for the extract log."""
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        data["layers"] = list(self.layers)
        data["bbox"] = list(self.bbox) if self.bbox else None
        return data


def _getter(params):
    def get(name):
        # An HTML form sends layers=zones&layers=parcelles: read every value of a repeated parameter.
        value = params.getlist(name) if hasattr(params, "getlist") else params.get(name)
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
        if isinstance(value, (list, tuple)):
            return ",".join(str(v) for v in value) or None
        if isinstance(value, dict):  # a GeoJSON geometry in a JSON body
            import json

            return json.dumps(value)
        return None if value is None else str(value).strip()

    return get


def _choice(value, name, choices):
    if not value:
        return choices[0]
    if value not in choices:
        raise InvalidParameter(f"{name}={value!r} is not allowed; use one of " + ", ".join(choices), name)
    return value


def _srid(value, name, default):
    if not value:
        return default
    match = _CRS_URI.match(value)
    try:
        return check_srid(match.group(1) if match else value)
    except UnsupportedCRS as exc:
        raise InvalidParameter(f"{name}: {exc}", name) from None


def _number(value, name, default, low, high):
    if value in (None, ""):
        return default
    number = finite(value, name, " (metres)")
    if not low <= number <= high:
        raise InvalidParameter(f"{name}={value} is out of range: give {low} to {high} metres", name)
    return number


def _bbox(value):
    if not value:
        return None
    numbers = tuple(finite(p, "bbox", ": write four numbers minx,miny,maxx,maxy") for p in value.split(","))
    if len(numbers) != 4:
        raise InvalidParameter(f"bbox={value!r} has {len(numbers)} numbers; write minx,miny,maxx,maxy", "bbox")
    if numbers[0] >= numbers[2] or numbers[1] >= numbers[3]:
        raise InvalidParameter(f"bbox={value!r}: minx must be below maxx and miny below maxy", "bbox")
    return numbers


def _layers(value):
    if not value:
        return DEFAULT_LAYERS
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in LAYERS]
    if unknown:
        raise InvalidParameter(f"unknown layer(s) {', '.join(unknown)}; choose among " + ", ".join(LAYERS), "layers")
    return tuple(name for name in LAYERS if name in names)


def _date(value):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise InvalidParameter(f"date={value!r} is not a date; write YYYY-MM-DD", "date") from None


def _scale(value):
    if not value:
        return None
    text = value.replace(" ", "").removeprefix("1/").removeprefix("1:")
    if not text.isdigit() or not MIN_SCALE <= int(text) <= MAX_SCALE:
        raise InvalidParameter(f"scale={value!r}: give a scale denominator from {MIN_SCALE} to {MAX_SCALE}, "
                               "e.g. 1000 for 1/1000", "scale")
    return int(text)
