"""Request parameters from a JSON object body or from form fields, with one error wording.

Also the one JSON reader of the APIs (depth, NUL characters, size) and the
one way to read an uploaded file: its size is checked before a byte is read.
"""
import json
import math

from django.conf import settings
from django.core.exceptions import RequestDataTooBig

from .errors import InvalidParameter, TooLarge

MAX_JSON_DEPTH = 32  # a GeoJSON FeatureCollection of MultiPolygons is 7 deep; CQL2 filters a dozen


def parse_json(text, parameter="body", what=None):
    """`text` (str or bytes) parsed as JSON; InvalidParameter naming `parameter` when it is not usable JSON.

    Refused: invalid JSON, nesting deeper than MAX_JSON_DEPTH, NUL characters in strings (PostgreSQL
    text cannot hold them), NaN/Infinity literals (not JSON).
    """
    what = what or parameter

    def no_constant(name):
        raise ValueError(f"{name} is not a JSON number")

    try:
        value = json.loads(text, parse_constant=no_constant)
    except RecursionError:
        raise InvalidParameter(f"{what} is nested too deeply to be read", parameter) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidParameter(f"{what} is not valid JSON: {exc}", parameter) from None
    _check_tree(value, parameter, what)
    return value


def _check_tree(value, parameter, what):
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise InvalidParameter(f"{what} is nested more than {MAX_JSON_DEPTH} levels deep", parameter)
        if isinstance(item, str):
            if "\x00" in item:
                raise InvalidParameter(f"{what} holds a NUL character (\\u0000); remove it", parameter)
        elif isinstance(item, dict):
            stack.extend((v, depth + 1) for pair in item.items() for v in pair)
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)


def json_object(request):
    """The request's JSON body as a dict; InvalidParameter (400) or TooLarge (413) naming the problem otherwise."""
    try:
        raw = request.body or b"{}"
    except RequestDataTooBig:
        raise TooLarge(f"the JSON body is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 2**20:.1f} MiB "
                       "(REQUEST_MAX_BODY_BYTES); send a file as multipart instead", "body") from None
    body = parse_json(raw, "body", "the body")
    if not isinstance(body, dict):
        raise InvalidParameter("the JSON body must be an object of parameters, e.g. {\"title_number\": "
                               "\"TF 12345/19\"}", "body")
    return body


def parameters(request, query_on_get=False):
    """A JSON object body, else the form fields (else the query string for GET when `query_on_get`)."""
    if request.content_type == "application/json":
        return json_object(request)
    if query_on_get and request.method != "POST":
        return request.GET
    return request.POST


def read_upload(upload, limit, setting, field="file"):
    """The bytes of an uploaded file, refused (413) on its size before anything is read."""
    if upload.size > limit:
        raise TooLarge(f"file {upload.name!r} is {upload.size / 2**20:.1f} MiB; the limit is "
                       f"{limit / 2**20:.1f} MiB ({setting})", field)
    return upload.read(limit + 1)


BIGINT_MAX = 2**63 - 1  # what PostgreSQL's bigint holds: no id, offset or count of ours can be larger


def integer(value, name, low=-BIGINT_MAX, high=BIGINT_MAX, hint=""):
    """The int of a parameter (text or number), within [low, high]; InvalidParameter naming it otherwise."""
    try:
        number = int(value) if not isinstance(value, float) else None
    except (TypeError, ValueError):
        number = None
    if number is None or isinstance(value, bool):
        raise InvalidParameter(f"{name}={value!r} is not an integer", name)
    if number < low:
        raise InvalidParameter(f"{name}={number} must be at least {low}", name)
    if number > high:
        raise InvalidParameter(f"{name}={number} is beyond the maximum {high}{hint}", name)
    return number


def number(value, name, hint=""):
    """The finite float of a parameter (text or number); InvalidParameter naming it otherwise (NaN, Infinity…)."""
    try:
        result = float(value)
    except (TypeError, ValueError, OverflowError):
        result = None
    if result is None or isinstance(value, bool):
        raise InvalidParameter(f"{name}={value!r} is not a number{hint}", name)
    if not math.isfinite(result):
        raise InvalidParameter(f"{name}={value!r} is not a finite number (no NaN or Infinity){hint}", name)
    return result
