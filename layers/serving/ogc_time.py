"""`datetime` of OGC API Features: features whose plan is legally in force on an instant or during an interval.

The legal life of a plan is a span of days: from its effective date to the first of its expiry and
supersession dates (exclusive), the rule of the SQL function plan_in_force (plans migration 0009); a draft
under public inquiry lives from the first to the last day of its inquiry (inclusive). A feature matches an
instant when its span contains that day, an interval when the two overlap. Times of day are dropped: legal
dates are days. Collections without legal dates (parcels, agencies, communes) have no temporal extent, and
`datetime` leaves them unfiltered, as Features Part 1 lets servers do.

RFC 3339 has a year 0000, which Python's dates lack: QGIS 3.22 bounds its half-open date filters with
0000-01-01T00:00:00Z (and 9999-12-31T00:00:00Z), so a year-0000 end is read as "before every plan".
"""
import datetime
from dataclasses import dataclass

from geoportal.core.errors import InvalidParameter

OPEN = ("", "..")
HINT = "give a date or time (2020-06-01, 2020-06-01T00:00:00Z) or an interval (2015-01-01/2020-12-31, ../2020-12-31)"


@dataclass(frozen=True)
class Interval:
    """Days from `start` to `end`, both included; None is open-ended. An instant has start == end."""

    start: datetime.date = None
    end: datetime.date = None


def _day(text, raw):
    value = text.strip()
    if value.startswith("0000-"):
        _day("0001-" + value[5:], raw)  # the rest must still be a valid RFC 3339 date or time
        return datetime.date.min
    try:
        if "T" in value or " " in value:
            return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise InvalidParameter(f"datetime={raw!r}: {value!r} is not an RFC 3339 date or time; {HINT}",
                               parameter="datetime") from None


def parse_datetime(raw):
    """The Interval of a `datetime` parameter (RFC 3339 instant, or interval with '..' or '' for open ends)."""
    if "/" not in raw:
        day = _day(raw, raw)
        return Interval(day, day)
    first, _, last = raw.partition("/")
    if "/" in last or (first.strip() in OPEN and last.strip() in OPEN):
        raise InvalidParameter(f"datetime={raw!r}: an interval has two ends, at most one of them open; {HINT}",
                               parameter="datetime")
    start = None if first.strip() in OPEN else _day(first, raw)
    end = None if last.strip() in OPEN else _day(last, raw)
    if start and end and start > end:
        raise InvalidParameter(f"datetime={raw!r}: the interval ends before it starts", parameter="datetime")
    return Interval(start, end)


def legal_span_sql(layer, alias="t"):
    """(first day, day after the last) SQL expressions of a feature's legal life, or None when it has none."""
    names = layer.properties
    if "effective_date" not in names and "inquiry_start" not in names:
        return None
    ends = [f"{alias}.{name}" for name in ("expiry_date", "superseded_on") if name in names]
    in_force_end = f"LEAST({', '.join(ends)})" if ends else "NULL::date"
    if "inquiry_start" not in names:
        return f"{alias}.effective_date", in_force_end
    if "effective_date" not in names:
        return f"{alias}.inquiry_start", f"({alias}.inquiry_end + 1)"
    return (f"COALESCE({alias}.effective_date, {alias}.inquiry_start)",
            f"(CASE WHEN {alias}.effective_date IS NULL THEN {alias}.inquiry_end + 1 ELSE {in_force_end} END)")


def datetime_where(layer, interval, alias="t"):
    """(sql, params) keeping the features of `layer` in force during `interval`; None when it has no legal dates."""
    span = legal_span_sql(layer, alias)
    if span is None or interval is None:
        return None
    start, end = span
    clauses, params = [], []
    if interval.end is not None:
        clauses.append(f"{start} <= %s")
        params.append(interval.end)
    if interval.start is not None:
        clauses.append(f"({end} IS NULL OR {end} > %s)")
        params.append(interval.start)
    return f"({start} IS NOT NULL AND {' AND '.join(clauses)})", params


DATETIME_PARAMETER = {
    "name": "datetime", "in": "query", "required": False, "style": "form", "explode": False,
    "schema": {"type": "string"},
    "description": "Features whose plan is legally in force on this day or during this interval (RFC 3339: "
                   "2020-06-01, 2020-06-01T00:00:00Z, 2015-01-01/2020-12-31, ../2020-12-31, 2015-01-01/..)",
}


def with_datetime_parameter(oas, ogc_url):
    """`oas` with the `datetime` query parameter on the items of every collection that has legal dates (an
    OPENAPI completer, settings.OGC_OPENAPI_COMPLETERS): pygeoapi lists it only for a provider's time field."""
    from .registry import LAYERS

    oas.setdefault("components", {}).setdefault("parameters", {})["datetime"] = DATETIME_PARAMETER
    for layer in LAYERS:
        get = oas["paths"].get(f"/collections/{layer.id}/items", {}).get("get")
        if get is None or legal_span_sql(layer) is None:
            continue
        parameters = get.setdefault("parameters", [])
        if {"$ref": "#/components/parameters/datetime"} not in parameters:
            parameters.append({"$ref": "#/components/parameters/datetime"})
    return oas
