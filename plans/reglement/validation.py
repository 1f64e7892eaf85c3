"""Is a set of provisions a règlement the engine can apply? Every problem names the provision at fault.

Checked for each provision: the subject is known, the unit is the subject's (metres for a height, a ratio
for a CES…), the value is a valid formula of the allowed variables (plans.reglement.expressions) that does
not depend on itself, a constant value is within the subject's range, ranges of conditions are ordered, a
floor band is only given to CES, COS and the upper-floor retreat, uses are given for use provisions. Checked across provisions: two
provisions of one subject that apply to a common case (same floor band, sub-zone, use and corner condition,
overlapping road-width and lot-area ranges) with equal precedence and different values are contradictory;
the same use both allowed and forbidden under the same conditions is contradictory.
"""
from plans.vocabulary import LAND_USES, PROVISION_SUBJECTS, PROVISION_UNITS

from . import expressions
from .flat import CONDITIONS

# A provision may not use the variable it defines (a height from the height).
SELF_VARIABLE = {"max_height": "height", "max_floors": "height"}
# Subjects given per floor band (floor_from / floor_to): the others hold for the whole building.
FLOOR_BANDED = ("ces", "cos", "upper_retreat")


def _value(row, name):
    value = row.get(name)
    return None if value in ("", None) else value


def _label(row):
    where = f", {row['article']}" if row.get("article") else ""
    where += f" {row['paragraph']}" if row.get("paragraph") else ""
    return f"provision {row.get('position', '?')} ({row.get('subject') or 'no subject'}{where})"


def check_one(row):
    """Problems of provision `row` (a dict) alone, as messages naming it."""
    label, out = _label(row), []
    subject = PROVISION_SUBJECTS.get(row.get("subject"))
    if subject is None:
        return [f"{label}: unknown subject; use one of {', '.join(PROVISION_SUBJECTS)}"]
    if row.get("unit") != subject.unit:
        unit = PROVISION_UNITS[subject.unit][0] or subject.unit
        out.append(f"{label}: unit {row.get('unit')!r} does not fit {subject.key}, which is given in {unit!r} "
                   f"(unit {subject.unit!r})")
    if subject.unit in ("m", "m2", "ratio", "floors"):
        out += _check_value(row, subject, label)
    elif subject.unit == "uses":
        unknown = [u for u in row.get("uses") or [] if u not in LAND_USES]
        if not row.get("uses"):
            out.append(f"{label}: list the uses (e.g. habitation, commerce)")
        if unknown:
            out.append(f"{label}: unknown uses {', '.join(unknown)}; known: {', '.join(LAND_USES)}")
    elif not (row.get("text_fr") or "").strip():
        out.append(f"{label}: give its wording in French (text_fr)")
    for low, high, what in (("road_width_min", "road_width_max", "road width"),
                            ("lot_area_min", "lot_area_max", "lot area")):
        lo, hi = _value(row, low), _value(row, high)
        if any(v is not None and float(v) < 0 for v in (lo, hi)):
            out.append(f"{label}: the {what} range cannot be negative")
        if lo is not None and hi is not None and float(lo) >= float(hi):
            out.append(f"{label}: the {what} range {lo}–{hi} is empty (from must be below up to)")
    band = (_value(row, "floor_from"), _value(row, "floor_to"))
    if band != (None, None):
        if subject.key not in FLOOR_BANDED:
            out.append(f"{label}: a floor band only applies to CES, COS and upper_retreat, not {subject.key}")
        elif band[0] is not None and band[1] is not None and int(band[0]) > int(band[1]):
            out.append(f"{label}: floor band {band[0]}–{band[1]} is empty")
    if _value(row, "use") is not None and row["use"] not in LAND_USES:
        out.append(f"{label}: unknown use condition {row['use']!r}")
    return out


def _check_value(row, subject, label):
    text = row.get("expression")
    try:
        used = expressions.variables(text)
    except expressions.ExpressionError as exc:
        return [f"{label}: {exc}"]
    if SELF_VARIABLE.get(subject.key) in used:
        return [f"{label}: {subject.key} cannot depend on {SELF_VARIABLE[subject.key]}, the value it defines"]
    if used:
        return []
    value = expressions.constant(text)
    if not subject.low <= value <= subject.high:
        unit = PROVISION_UNITS[subject.unit][0]
        return [f"{label}: {value:g} {unit} is outside the accepted range {subject.low:g}–{subject.high:g} {unit}"
                .replace("  ", " ")]
    return []


def _interval(row, low, high):
    lo, hi = _value(row, low), _value(row, high)
    return (float(lo) if lo is not None else float("-inf"), float(hi) if hi is not None else float("inf"))


def _overlap(a, b):
    return a[0] < b[1] and b[0] < a[1]


def precedence(row):
    """How specific a provision is: the number of its conditions (the more specific one wins)."""
    return sum(1 for name in CONDITIONS if name not in ("floor_from", "floor_to") and _value(row, name) is not None)


def _same_case(a, b):
    for name in ("sub_zone", "use", "corner", "floor_from", "floor_to"):
        if _value(a, name) != _value(b, name):
            return False
    return (_overlap(_interval(a, "road_width_min", "road_width_max"), _interval(b, "road_width_min", "road_width_max"))
            and _overlap(_interval(a, "lot_area_min", "lot_area_max"), _interval(b, "lot_area_min", "lot_area_max")))


def _what(row):
    subject = PROVISION_SUBJECTS[row["subject"]]
    if subject.unit == "uses":
        return tuple(sorted(row.get("uses") or []))
    if subject.unit == "text":
        return (row.get("text_fr") or "").strip()
    return str(row.get("expression") or "").strip()


def check_all(rows):
    """Problems of the provisions `rows` (dicts) of one rule: each alone, then each pair."""
    out = [message for row in rows for message in check_one(row)]
    if out:
        return out
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            if a["subject"] == b["subject"] and a["subject"] not in ("allowed_uses", "forbidden_uses", "parking") \
                    and precedence(a) == precedence(b) and _same_case(a, b):
                kind = "repeats" if _what(a) == _what(b) else "contradicts"
                out.append(f"{_label(b)} {kind} {_label(a)}: both apply to the same lots "
                           f"({_what(a)} vs {_what(b)}); narrow their conditions or remove one")
            if {a["subject"], b["subject"]} == {"allowed_uses", "forbidden_uses"} and _same_case(a, b) \
                    and precedence(a) == precedence(b):
                both = sorted(set(a.get("uses") or []) & set(b.get("uses") or []))
                if both:
                    out.append(f"{_label(b)} contradicts {_label(a)}: {', '.join(both)} both allowed and forbidden")
    return out
