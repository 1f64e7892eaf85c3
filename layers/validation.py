"""The validation report of a staged layer: errors block publishing, warnings need an acknowledgement."""
import time

from django.conf import settings
from django.db import connection
from django.utils import timezone

from . import checks
from .mapping import RANGES, SCHEMA, NUMBER, INTEGER
from .records import Target


def report(upload):
    """Run every check that applies to `upload` (staged and mapped) and return the report dict.

    Locations are lon/lat (EPSG:4326); areas in m² computed in the agency's
    Lambert CRS; the overlap/gap tolerance is settings.LAYERS_TOLERANCE_M2.
    """
    ctx = checks.Context(view=f"{upload.staging_table}_v", target=upload.target, lambert=upload.agency.srid,
                         agency_id=upload.agency_id, plan_id=upload.plan_id,
                         tolerance_m2=settings.LAYERS_TOLERANCE_M2)
    found, seconds = [], {}
    for check in _applicable(upload.target):
        for required in _required_fields(upload.target) if check.name == "missing_value" else [None]:
            start = time.perf_counter()
            count, items = checks.run(check, ctx, required)
            seconds[check.name] = round(time.perf_counter() - start, 3)
            if count:
                found.append({"check": check.name if not required else f"missing_{required}",
                              "severity": check.severity, "title_fr": check.title_fr, "title_ar": check.title_ar,
                              "count": count, "items": items})
    result = {
        "upload": upload.pk,
        "target": upload.target,
        "feature_count": upload.feature_count,
        "source_srid": upload.source_srid,
        "tolerance_m2": settings.LAYERS_TOLERANCE_M2,
        "checked_at": timezone.now().isoformat(),
        "errors": sum(c["count"] for c in found if c["severity"] == checks.ERROR),
        "warnings": sum(c["count"] for c in found if c["severity"] == checks.WARNING),
        "checks": found,
        "seconds": seconds,
    }
    if upload.target == Target.ZONES:
        result["codes_without_rule"] = codes_without_rule(upload)
    if upload.target == Target.PARCELS:
        _parcel_titles(upload, result)
    result["publishable"] = result["errors"] == 0
    return result


def _applicable(target):
    ranges = [checks.range_check(name, *RANGES[name]) for name, (kind, _r, _h) in SCHEMA[target].items()
              if kind in (NUMBER, INTEGER) and name in RANGES]
    return [c for c in checks.CHECKS if target in c.targets] + ranges


def _required_fields(target):
    return [name for name, (_k, required, _h) in SCHEMA[target].items() if required]


def codes_without_rule(upload):
    """Zone codes of the file that the plan's regulation (ZoneRule) does not cover, with feature counts."""
    with connection.cursor() as cursor:
        cursor.execute(f'''SELECT v.code, count(*), min(v.label_fr) FROM "{upload.staging_table}_v" v
                           WHERE v.code IS NOT NULL AND NOT EXISTS (
                               SELECT 1 FROM plans_zonerule r WHERE r.plan_id = %s AND r.code = v.code)
                           GROUP BY v.code ORDER BY v.code''', [upload.plan_id])
        return [{"code": code, "features": n, "label_fr": label} for code, n, label in cursor.fetchall()]


def _parcel_titles(upload, result, batch=50_000):
    """Parcels: title numbers must normalise ("TF 12345/19") and be unique in the file (errors).

    normalise_title is Python, so titles stream through in batches of `batch`
    features (memory stays bounded) into `<staging>_titles`, which publishing
    joins; duplicates are then found by PostgreSQL.
    """
    from plans.titles import InvalidTitleNumber, normalise_title

    table, bad, bad_count, last = f'"{upload.staging_table}_titles"', [], 0, -1
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE UNLOGGED TABLE {table} (fid bigint, title text)")
        while True:
            cursor.execute(f'SELECT fid, title_number FROM "{upload.staging_table}_v" WHERE fid > %s '
                           f"AND title_number IS NOT NULL ORDER BY fid LIMIT %s", [last, batch])
            rows = cursor.fetchall()
            if not rows:
                break
            last = rows[-1][0]
            good = []
            for fid, title in rows:
                try:
                    good.append((fid, normalise_title(title)))
                except InvalidTitleNumber as exc:
                    bad_count += 1
                    if len(bad) < 200:
                        bad.append({"fid": fid, "message": str(exc), "lon": None, "lat": None, "repair": None})
            with cursor.copy(f"COPY {table} (fid, title) FROM STDIN") as copy:
                for row in good:
                    copy.write_row(row)
        cursor.execute(f"CREATE INDEX ON {table} (fid)")
        cursor.execute(f"""SELECT fid, title, first FROM (
                               SELECT fid, title, min(fid) OVER (PARTITION BY title) AS first FROM {table}) t
                           WHERE fid <> first ORDER BY fid""")
        dupes = [{"fid": fid, "message": f"title {title} also on feature {first}", "lon": None, "lat": None,
                  "repair": None} for fid, title, first in cursor.fetchall()]
    for name, title, items, count in (("title_number", "Numéro de titre illisible", bad, bad_count),
                                      ("duplicate_title", "Numéro de titre en double", dupes, len(dupes))):
        if count:
            result["checks"].append({"check": name, "severity": checks.ERROR, "title_fr": title, "title_ar": "",
                                     "count": count, "items": items[:200]})
            result["errors"] += count
