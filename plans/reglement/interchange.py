"""A plan's règlement as a file, one row per provision: JSON or CSV, out and back in.

Columns (CSV header, JSON keys): zone (the rule's code), then plans.reglement.provisions.FIELDS; in CSV
uses are separated by "|", empty cells are empty conditions, corner is "oui"/"non" (or yes/no, true/false,
1/0). An import replaces the provisions of every zone it names, all or nothing: every row is checked first
and the errors name the row and the provision; a zone code the plan has no rule for is an error (create the
rule, with its labels and article, first).
"""
import csv
import io
import json

from django.core.exceptions import ValidationError
from django.db import transaction

from plans.models import ZoneRule

from . import provisions

COLUMNS = ("zone", *provisions.FIELDS)
MAX_ROWS = 20_000
_TRUE, _FALSE = {"oui", "yes", "true", "1", "vrai"}, {"non", "no", "false", "0", "faux"}


def export_rows(plan):
    rules = ZoneRule.objects.filter(plan=plan).prefetch_related("provisions").order_by("code")
    return [{"zone": rule.code, **{k: v for k, v in provisions.as_row(p).items() if k != "id"}}
            for rule in rules for p in rule.provisions.all()]


def to_json(plan):
    return json.dumps({"plan": plan.reference, "version": plan.version, "provisions": export_rows(plan)},
                      ensure_ascii=False, indent=1)


def to_csv(plan):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in export_rows(plan):
        cells = dict(row)
        cells["uses"] = "|".join(row["uses"])
        cells["corner"] = "" if row["corner"] is None else ("oui" if row["corner"] else "non")
        writer.writerow({k: "" if v is None else v for k, v in cells.items()})
    return out.getvalue()


def read(data, fmt):
    """Rows (dicts) from the bytes or text of a JSON or CSV file; ValueError naming what is wrong."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    if fmt == "json":
        try:
            document = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"the file is not JSON ({exc})") from None
        rows = document.get("provisions") if isinstance(document, dict) else document
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ValueError('JSON: give {"provisions": [{"zone": "D1", "subject": "max_height", …}, …]}')
    elif fmt == "csv":
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in ("zone", "subject", "unit") if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"CSV: missing column(s) {', '.join(missing)}; the header is {', '.join(COLUMNS)}")
        rows = [_from_cells(n, cells) for n, cells in enumerate(reader, start=2)]
    else:
        raise ValueError(f"format {fmt!r}: use json or csv")
    if len(rows) > MAX_ROWS:
        raise ValueError(f"{len(rows)} rows: at most {MAX_ROWS} provisions in one file")
    return rows


def _from_cells(line, cells):
    row = {k: (v.strip() if isinstance(v, str) else v) for k, v in cells.items() if k in COLUMNS}
    row["_line"] = line
    row["uses"] = [u for u in (row.get("uses") or "").split("|") if u.strip()]
    corner = (row.get("corner") or "").lower()
    if corner and corner not in _TRUE | _FALSE:
        raise ValueError(f"CSV line {line}: corner {row['corner']!r} should be oui or non (or empty)")
    row["corner"] = None if not corner else corner in _TRUE
    for name in ("road_width_min", "road_width_max", "lot_area_min", "lot_area_max", "floor_from", "floor_to",
                 "position"):
        value = (row.get(name) or "").replace(",", ".")
        try:
            row[name] = None if value == "" else (int(value) if name in ("floor_from", "floor_to", "position")
                                                  else float(value))
        except ValueError:
            raise ValueError(f"CSV line {line}: {name} {value!r} is not a number") from None
    return row


def import_rows(plan, rows):
    """Replace the provisions of each zone `rows` name; {zone: count}. ValidationError lists every problem."""
    by_zone, problems = {}, []
    for n, row in enumerate(rows, start=1):
        where = f"line {row.pop('_line')}" if "_line" in row else f"row {n}"
        code = str(row.get("zone") or "").strip()
        if not code:
            problems.append(f"{where}: no zone code")
            continue
        by_zone.setdefault(code, []).append(row)
    rules = {r.code: r for r in ZoneRule.objects.filter(plan=plan, code__in=list(by_zone))}
    problems += [f"zone {code}: plan {plan.reference} v{plan.version} has no rule for it; create the rule first"
                 for code in by_zone if code not in rules]
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        for code, zone_rows in by_zone.items():
            try:
                provisions.replace(rules[code], zone_rows)
            except ValidationError as exc:
                problems += exc.messages
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise ValidationError(problems)
    return {code: len(zone_rows) for code, zone_rows in by_zone.items()}
