"""Writing a rule's provisions (one service, validated, atomic) and reading them as plain rows.

replace() is how the admin, the import command and layer publishing write provisions: it validates the whole
set first (plans.reglement.validation, messages naming the provision), replaces the rule's provisions in one
transaction and rewrites the rule's flat summary columns (plans.reglement.flat.summary), so the OGC layer,
the map and the extracts show what the provisions say.
"""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from plans.models import Provision, ZoneRule

from . import flat, validation

FIELDS = ("position", "subject", "expression", "unit", "uses", "text_fr", "text_ar", *flat.CONDITIONS, "article",
          "paragraph")


def as_row(provision):
    """A Provision as a JSON-ready dict (numbers as floats, empty conditions as None)."""
    row = {name: getattr(provision, name) for name in FIELDS}
    for name in ("road_width_min", "road_width_max", "lot_area_min", "lot_area_max"):
        row[name] = None if row[name] is None else float(row[name])
    row["uses"] = list(row["uses"])
    row["id"] = provision.pk
    return row


def rows_of(rule):
    return [as_row(p) for p in rule.provisions.all()]


def normalised(row, position):
    """`row` with every field present, empty strings for blank conditions, and its position."""
    out = {name: row.get(name) for name in FIELDS}
    out["position"] = int(row.get("position") or position)
    for name in ("expression", "text_fr", "text_ar", "sub_zone", "use", "article", "paragraph"):
        out[name] = str(out[name] or "").strip()
    out["uses"] = [u.strip() for u in (out["uses"] or []) if u and u.strip()]
    if out["corner"] in ("", None):
        out["corner"] = None
    return out


def replace(rule, rows):
    """Make `rows` (dicts) the provisions of `rule`; ValidationError (all problems) and nothing changed if bad."""
    rows = [normalised(row, n) for n, row in enumerate(rows, start=1)]
    problems = validation.check_all(rows)
    if problems:
        raise ValidationError([f"rule {rule.code}: {p}" for p in problems])
    with transaction.atomic():
        rule.provisions.all().delete()
        Provision.objects.bulk_create(Provision(rule=rule, **row) for row in rows)
        write_summary(rule, rows)
    return rows


def write_summary(rule, rows=None):
    """Rewrite `rule`'s flat columns from its provisions (rows, or read from the database)."""
    values = flat.summary(rows if rows is not None else rule.provisions.all())
    for name in ("max_height_m", "cos", "ces", "min_frontage_m", "setback_road_m", "setback_side_m",
                 "setback_rear_m"):
        if values[name] is not None:
            values[name] = Decimal(f"{values[name]:.2f}")
    if values["min_lot_area_m2"] is not None:
        values["min_lot_area_m2"] = int(round(values["min_lot_area_m2"]))
    ZoneRule.objects.filter(pk=rule.pk).update(**values)
    for name, value in values.items():
        setattr(rule, name, value)


def from_flat_rules(rules):
    """Give every rule of `rules` without provisions the provisions its flat fields say (layer publishing)."""
    rows = []
    for rule in rules:
        if not rule.provisions.exists():
            values = {name: getattr(rule, name) for name in flat.FLAT_FIELDS}
            rows += [Provision(rule=rule, **p) for p in flat.from_flat(values, article=f"Zone {rule.code}")]
    Provision.objects.bulk_create(rows)
    return len(rows)
