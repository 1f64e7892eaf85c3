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


def _parcel_titles(upload, result):
    """Parcels: title numbers must normalise ("TF 12345/19") and be unique in the file (errors)."""
    from plans.titles import InvalidTitleNumber, normalise_title

    bad, seen, dupes = [], {}, []
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT fid, title_number FROM "{upload.staging_table}_v" WHERE title_number IS NOT NULL')
        for fid, title in cursor:
            try:
                normal = normalise_title(title)
            except InvalidTitleNumber as exc:
                bad.append({"fid": fid, "message": str(exc), "lon": None, "lat": None, "repair": None})
                continue
            if normal in seen:
                dupes.append({"fid": fid, "message": f"title {normal} also on feature {seen[normal]}",
                              "lon": None, "lat": None, "repair": None})
            else:
                seen[normal] = fid
        # Publishing joins the normalised titles kept here (normalise_title is Python, not SQL).
        cursor.execute(f'DROP TABLE IF EXISTS "{upload.staging_table}_titles"')
        cursor.execute(f'CREATE UNLOGGED TABLE "{upload.staging_table}_titles" (fid bigint PRIMARY KEY, title text)')
        with cursor.copy(f'COPY "{upload.staging_table}_titles" (fid, title) FROM STDIN') as copy:
            for title, fid in seen.items():
                copy.write_row((fid, title))
    for name, title, items in (("title_number", "Numéro de titre illisible", bad),
                               ("duplicate_title", "Numéro de titre en double", dupes)):
        if items:
            result["checks"].append({"check": name, "severity": checks.ERROR, "title_fr": title, "title_ar": "",
                                     "count": len(items), "items": items[:200]})
            result["errors"] += len(items)
