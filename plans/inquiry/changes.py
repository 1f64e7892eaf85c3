"""What a version of a plan changes on a piece of land, against another version (by default: the draft under
inquiry against the plan in force).

compare(land, before, after) -> dict, where `land` is a GEOSGeometry (any SRID) and `before`/`after` are
PlanDocuments of one agency (`before` may be None: everything is new). Areas are square metres and shares
fractions of the land, computed by PostGIS in the plans' Lambert CRS (EPSG:`after.srid`), as surveyors do;
pieces under settings.NOTE_SLIVER_M2 m² (the note's own sliver tolerance) are digitising noise and left out.
Each plan is read at its live revision. Four parts:
- zones: each zone code on the land with its share before and after, and `status` added / removed / changed /
  unchanged; code_changes: the land that goes from one code to another (from_code -> to_code, m², share);
- rules: for each code present after (or before), its provisions compared one by one, a provision being known
  by its subject and its conditions (road width, lot area, corner, sub-zone, use, floors): added / removed /
  changed with the value before and after (the règlement's own rows, plans.reglement.provisions.as_row);
- servitudes: servitudes, roads, widenings and reservations on the land, matched by kind and code, added /
  removed / changed (its land taken changed) / unchanged, with the land each takes before and after.
"""
from django.conf import settings
from django.db import connection

from plans.models import ZoneRule
from plans.reglement.flat import CONDITIONS
from plans.reglement.provisions import as_row
from plans.vocabulary import PROVISION_SUBJECTS, servitude_kind_label

_LAND = """
WITH given AS (SELECT ST_GeomFromWKB(%(land)s, %(land_srid)s) AS g),
land AS (SELECT ST_Transform(g, 4326) AS lonlat, ST_Transform(g, %(srid)s) AS g FROM given)
"""
_ZONES = _LAND + """,
pieces AS (
    SELECT z.plan_id, z.code, z.rule_id, ST_Intersection(ST_Transform(z.geom, %(srid)s), land.g) AS g
    FROM plans_zone z JOIN plans_plandocument p ON p.id = z.plan_id AND z.revision = p.live_revision, land
    WHERE z.plan_id IN (%(before)s, %(after)s) AND ST_Intersects(z.geom, land.lonlat))
SELECT 'share', plan_id, code, NULL, max(rule_id), sum(ST_Area(g)) FROM pieces GROUP BY plan_id, code
UNION ALL
SELECT 'change', NULL, a.code, b.code, NULL, sum(ST_Area(ST_Intersection(a.g, b.g)))
FROM pieces a JOIN pieces b ON a.plan_id = %(before)s AND b.plan_id = %(after)s AND a.code <> b.code
     AND ST_Intersects(a.g, b.g)
GROUP BY a.code, b.code
UNION ALL
SELECT 'land', NULL, NULL, NULL, NULL, ST_Area(g) FROM land
"""
_SERVITUDES = _LAND + """
SELECT s.plan_id, s.kind, s.code, s.label_fr, s.label_ar, s.width_m,
       sum(ST_Area(ST_Intersection(ST_Transform(s.footprint, %(srid)s), land.g)))
FROM plans_servitude s JOIN plans_plandocument p ON p.id = s.plan_id AND s.revision = p.live_revision, land
WHERE s.plan_id IN (%(before)s, %(after)s) AND ST_Intersects(s.footprint, land.lonlat)
GROUP BY s.plan_id, s.kind, s.code, s.label_fr, s.label_ar, s.width_m
"""
VALUE_FIELDS = ("expression", "unit", "uses", "text_fr", "text_ar")


def _sliver():
    return float(settings.NOTE_SLIVER_M2)


def _status(before, after, same):
    if before is None:
        return "added"
    if after is None:
        return "removed"
    return "unchanged" if same else "changed"


def _params(land, before, after):
    # Transformed by PostGIS, with the pinned Merchich datum shift (plans.crs), not by GDAL.
    return {"land": land.wkb.tobytes(), "land_srid": land.srid, "srid": after.srid, "before": before.id if before else -1,
            "after": after.id}


def _rounded(value, digits=2):
    return None if value is None else round(float(value), digits)


def zone_changes(params, before_id):
    """(land area m², [zone codes with shares], [code changes], {(side, code): rule id})."""
    with connection.cursor() as cursor:
        cursor.execute(_ZONES, params)
        rows = cursor.fetchall()
    land_area = next(float(area) for kind, *_, area in rows if kind == "land")
    sliver = _sliver()
    areas, rules = {}, {}
    for kind, plan_id, code, _, rule_id, area in rows:
        if kind == "share" and area >= sliver:
            side = "before" if plan_id == before_id else "after"
            areas.setdefault(code, {})[side] = float(area)
            rules[(side, code)] = rule_id
    zones = []
    for code in sorted(areas):
        a, b = areas[code].get("before"), areas[code].get("after")
        zones.append({"code": code, "area_before_m2": _rounded(a), "area_after_m2": _rounded(b),
                      "share_before": _rounded(a / land_area if a else None, 4),
                      "share_after": _rounded(b / land_area if b else None, 4),
                      "status": _status(a, b, a is not None and b is not None and abs(a - b) < sliver)})
    changes = [{"from_code": a, "to_code": b, "area_m2": _rounded(area), "share": _rounded(area / land_area, 4)}
               for kind, _, a, b, _, area in rows if kind == "change" and area >= sliver]
    changes.sort(key=lambda c: -c["area_m2"])
    return land_area, zones, changes, rules


def _key(row):
    return (row["subject"], *(row[name] for name in CONDITIONS))


def _conditions(row):
    return {name: row[name] for name in CONDITIONS if row[name] not in (None, "")}


def _value(row):
    return {name: row[name] for name in VALUE_FIELDS if row[name] not in (None, "", [])} if row else None


def provision_changes(before_rule, after_rule):
    """[provision compared] between two ZoneRules (either may be None), in the after rule's order."""
    before = {_key(r): r for r in (as_row(p) for p in before_rule.provisions.all())} if before_rule else {}
    after = {_key(r): r for r in (as_row(p) for p in after_rule.provisions.all())} if after_rule else {}
    out = []
    for key in list(after) + [k for k in before if k not in after]:
        a, b = before.get(key), after.get(key)
        status = _status(a, b, _value(a) == _value(b))
        if status == "unchanged":
            continue
        row = b or a
        subject = PROVISION_SUBJECTS.get(row["subject"])
        out.append({"subject": row["subject"], "label_fr": subject.label_fr if subject else row["subject"],
                    "label_ar": subject.label_ar if subject else row["subject"], "conditions": _conditions(row),
                    "status": status, "before": _value(a), "after": _value(b),
                    "article": row["article"], "paragraph": row["paragraph"]})
    return out


def rule_changes(zones, rule_ids):
    """[{code, label_fr, label_ar, provisions: [...]}] for the codes on the land whose rule changes."""
    ids = {rid for rid in rule_ids.values() if rid}
    found = {rule.id: rule for rule in ZoneRule.objects.filter(id__in=ids).prefetch_related("provisions")}
    out = []
    for zone in zones:
        code = zone["code"]
        before, after = found.get(rule_ids.get(("before", code))), found.get(rule_ids.get(("after", code)))
        provisions = provision_changes(before, after)
        if provisions:
            rule = after or before
            out.append({"code": code, "label_fr": rule.label_fr, "label_ar": rule.label_ar,
                        "status": _status(before, after, False), "provisions": provisions})
    return out


def servitude_changes(params, before_id):
    with connection.cursor() as cursor:
        cursor.execute(_SERVITUDES, params)
        rows = cursor.fetchall()
    sliver = _sliver()
    found = {}
    for plan_id, kind, code, label_fr, label_ar, width, area in rows:
        if area < sliver:
            continue
        side = "before" if plan_id == before_id else "after"
        entry = found.setdefault((kind, code), {"kind": kind, "code": code})
        entry[side] = {"label_fr": label_fr, "label_ar": label_ar, "width_m": _rounded(width),
                       "area_m2": entry.get(side, {}).get("area_m2", 0) + round(float(area), 2)}
    out = []
    for (kind, code), entry in sorted(found.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        a, b = entry.get("before"), entry.get("after")
        same = a is not None and b is not None and abs(a["area_m2"] - b["area_m2"]) < sliver \
            and a["width_m"] == b["width_m"]
        shown = b or a
        out.append({"kind": kind, "kind_fr": servitude_kind_label(kind, "fr"),
                    "kind_ar": servitude_kind_label(kind, "ar"), "code": code,
                    "label_fr": shown["label_fr"], "label_ar": shown["label_ar"],
                    "status": _status(a, b, same),
                    "area_before_m2": a["area_m2"] if a else None, "area_after_m2": b["area_m2"] if b else None,
                    "width_before_m": a["width_m"] if a else None, "width_after_m": b["width_m"] if b else None})
    return out


def compare(land, before, after):
    """The differences on `land` between plan versions `before` (or None) and `after` (see the module doc)."""
    params = _params(land, before, after)
    before_id = before.id if before else None
    land_area, zones, code_changes, rule_ids = zone_changes(params, before_id)
    return {
        "area_m2": round(land_area, 2),
        "zones": zones,
        "code_changes": code_changes,
        "rules": rule_changes(zones, rule_ids),
        "servitudes": servitude_changes(params, before_id),
    }
