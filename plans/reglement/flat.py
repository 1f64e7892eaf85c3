"""The flat fields of a ZoneRule and its provisions, both ways.

Provisions are the règlement; the flat columns of plans_zonerule (max_height_m, cos, setback_road_m…) are
their summary, kept for the readers that want one number per zone (the OGC zones layer and its filters, the
map's tiles, extracts' attribute tables, layer publishing). summary() is the only writer of those columns
once a rule has provisions:
- a ceiling (height, floors, COS, CES) is the highest value any provision allows, a floor (setbacks,
  minimum lot, frontage) the lowest one asked: what the zone allows at most / asks at least somewhere;
- a formula counts through the constant it falls back on (max(height / 2, 4) → 4);
- uses are the unconditional ones, parking the unconditional wording.
from_flat() makes the unconditional provisions that say exactly what the flat fields said (migration 0010
and layer publishing use it), so nothing is lost.

Pure functions on dicts: the migration calls them with historical models.
"""
from . import expressions

# flat column -> (subject, unit)
NUMBERS = {
    "max_height_m": ("max_height", "m"),
    "max_floors": ("max_floors", "floors"),
    "cos": ("cos", "ratio"),
    "ces": ("ces", "ratio"),
    "min_lot_area_m2": ("min_lot_area", "m2"),
    "min_frontage_m": ("min_frontage", "m"),
    "setback_road_m": ("setback_road", "m"),
    "setback_side_m": ("setback_side", "m"),
    "setback_rear_m": ("setback_rear", "m"),
}
CEILINGS = {"max_height", "max_floors", "cos", "ces"}
FLAT_FIELDS = (*NUMBERS, "allowed_uses", "forbidden_uses", "parking_fr", "parking_ar")
CONDITIONS = ("road_width_min", "road_width_max", "lot_area_min", "lot_area_max", "corner", "sub_zone", "use",
              "floor_from", "floor_to")


def _number_text(value):
    text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    return text or "0"


def from_flat(values, article=""):
    """Provision dicts (subject, expression, unit, uses, text_fr, text_ar, article, position) for flat `values`."""
    out = []
    for column, (subject, unit) in NUMBERS.items():
        if values.get(column) is not None:
            out.append({"subject": subject, "expression": _number_text(values[column]), "unit": unit})
    for subject in ("allowed_uses", "forbidden_uses"):
        if values.get(subject):
            out.append({"subject": subject, "expression": "", "unit": "uses", "uses": list(values[subject])})
    if values.get("parking_fr") or values.get("parking_ar"):
        out.append({"subject": "parking", "expression": "", "unit": "text", "text_fr": values.get("parking_fr", ""),
                    "text_ar": values.get("parking_ar", "")})
    for position, provision in enumerate(out, start=1):
        provision.setdefault("uses", [])
        provision.setdefault("text_fr", "")
        provision.setdefault("text_ar", "")
        provision.update(position=position, article=article, paragraph="")
    return out


def unconditional(provision):
    return all(provision.get(name) in (None, "") for name in CONDITIONS)


def _fallback(expression):
    """The number a formula stands for in a one-number summary: itself, or the constants it is bounded by."""
    value = expressions.constant(expression)
    if value is not None:
        return value
    tree = expressions.parse(expression).body
    numbers = [float(n.value) for n in getattr(tree, "args", []) if hasattr(n, "value")]
    return max(numbers) if numbers else None


def summary(provisions):
    """The flat fields ({column: value}) that sum up `provisions` (dicts or Provision objects)."""
    rows = [p if isinstance(p, dict) else {**{c: getattr(p, c) for c in CONDITIONS}, "subject": p.subject,
                                           "expression": p.expression, "uses": list(p.uses),
                                           "text_fr": p.text_fr, "text_ar": p.text_ar} for p in provisions]
    out = {column: None for column in NUMBERS}
    for column, (subject, _unit) in NUMBERS.items():
        values = [v for v in (_fallback(p["expression"]) for p in rows if p["subject"] == subject and
                              p.get("floor_from") in (None, 0)) if v is not None]
        if values:
            out[column] = max(values) if subject in CEILINGS else min(values)
    if out["max_floors"] is not None:
        out["max_floors"] = int(round(out["max_floors"]))
    for subject in ("allowed_uses", "forbidden_uses"):
        out[subject] = sorted({u for p in rows if p["subject"] == subject and unconditional(p) for u in p["uses"]})
    parking = [p for p in rows if p["subject"] == "parking" and unconditional(p)]
    out["parking_fr"] = "; ".join(p["text_fr"] for p in parking if p["text_fr"])
    out["parking_ar"] = "؛ ".join(p["text_ar"] for p in parking if p["text_ar"])
    return out
