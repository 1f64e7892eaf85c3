"""Which provision applies to a lot, and its value: the conditions that hold, the most specific first.

A provision applies when every condition it sets holds for the lot (road width and net lot area in their
half-open ranges, corner or not, the zone's sub-zone, the use asked). Among the applicable provisions of one
subject the most specific one (most conditions, plans.reglement.validation.precedence) wins; equally
specific ones (validation refuses them when their values differ, but an old record may hold them) give the
strictest value, the least a ceiling allows and the most a floor asks, so the answer never allows more than
the règlement. Floor bands (CES/COS by floor) are chosen for one floor at a time, a banded provision before
an unbanded one.
"""
from dataclasses import dataclass

from plans.vocabulary import PROVISION_SUBJECTS

from . import expressions
from .validation import precedence


@dataclass
class Lot:
    """What the conditions and formulas of provisions read about a lot (metres, m²)."""

    road_width: float | None
    lot_area: float
    frontage: float
    depth: float | None
    corner: bool
    zone_code: str
    use: str | None = None

    def variables(self, height=None):
        return {"road_width": self.road_width, "lot_area": self.lot_area, "frontage": self.frontage,
                "depth": self.depth, "height": height}


def _in(value, low, high):
    if low is None and high is None:
        return True
    if value is None:
        return False
    return (low is None or value >= float(low)) and (high is None or value < float(high))


def applies(row, lot):
    return (_in(lot.road_width, row.get("road_width_min"), row.get("road_width_max"))
            and _in(lot.lot_area, row.get("lot_area_min"), row.get("lot_area_max"))
            and (row.get("corner") is None or row["corner"] == lot.corner)
            and (not row.get("sub_zone") or row["sub_zone"] == lot.zone_code)
            and (not row.get("use") or row["use"] == lot.use))


def _in_band(row, floor):
    low, high = row.get("floor_from"), row.get("floor_to")
    if low is None and high is None:
        return None  # unbanded
    return (low is None or floor >= low) and (high is None or floor <= high)


def condition_text(row):
    """The conditions of `row` as a short French phrase: "voie ≥ 15 m, lot d'angle"."""
    parts = []
    for low, high, name, unit in (("road_width_min", "road_width_max", "voie", "m"),
                                  ("lot_area_min", "lot_area_max", "lot", "m²")):
        lo, hi = row.get(low), row.get(high)
        if lo is not None and hi is not None:
            parts.append(f"{float(lo):g} {unit} ≤ {name} < {float(hi):g} {unit}")
        elif lo is not None:
            parts.append(f"{name} ≥ {float(lo):g} {unit}")
        elif hi is not None:
            parts.append(f"{name} < {float(hi):g} {unit}")
    if row.get("corner") is not None:
        parts.append("lot d'angle" if row["corner"] else "lot hors angle")
    if row.get("sub_zone"):
        parts.append(f"sous-zone {row['sub_zone']}")
    if row.get("use"):
        parts.append(f"usage {row['use']}")
    if row.get("floor_from") is not None or row.get("floor_to") is not None:
        parts.append(f"niveaux {row.get('floor_from') or 0}–{'' if row.get('floor_to') is None else row['floor_to']}")
    return ", ".join(parts) or "toujours"


@dataclass
class Choice:
    value: float
    row: dict
    inputs: dict

    def trace(self, figure, zone):
        row = self.row
        return {"figure": figure, "zone": zone, "value": round(self.value, 4), "subject": row["subject"],
                "provision": row.get("position"), "article": row.get("article", ""),
                "paragraph": row.get("paragraph", ""), "expression": row.get("expression", ""),
                "condition": condition_text(row), "inputs": self.inputs}


def choose(rows, subject, lot, height=None, floor=None):
    """The Choice for `subject` on `lot` (None when no provision applies). ExpressionError propagates."""
    candidates = [r for r in rows if r["subject"] == subject and applies(r, lot)]
    if floor is not None:
        banded = [r for r in candidates if _in_band(r, floor)]
        candidates = banded or [r for r in candidates if _in_band(r, floor) is None]
    else:
        candidates = [r for r in candidates if _in_band(r, 0) in (None, True)]
    if not candidates:
        return None
    top = max(precedence(r) for r in candidates)
    values = lot.variables(height)
    choices = []
    for row in (r for r in candidates if precedence(r) == top):
        used = expressions.variables(row["expression"])
        choices.append(Choice(expressions.evaluate(row["expression"], values), row,
                              {name: values[name] for name in used}))
    ceiling = PROVISION_SUBJECTS[subject].bound == "max"
    return (min if ceiling else max)(choices, key=lambda c: c.value)
