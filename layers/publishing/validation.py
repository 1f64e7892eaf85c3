"""The validation report of a staged layer: errors block publishing, warnings need an acknowledgement."""
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from geoportal.core.errors import InvalidParameter

from . import checks, staging
from .mapping import RANGES, SCHEMA, NUMBER, INTEGER
from layers.records import Target
from .title_checks import parcel_titles

# Problems listed per check (the first ones by FID; the report gives every check's total count).
ITEMS_PER_CHECK = 1000
# PostgreSQL memory for one sort or hash of the validation (per operation, for this transaction only).
WORK_MEM = "128MB"


def report(upload):
    """Run every check that applies to `upload` (staged and mapped) and return the report dict.

    Locations are lon/lat (EPSG:4326); areas in m² computed in the agency's
    Lambert CRS; the overlap/gap tolerance is the upload's (tolerance_of).
    Each check lists at most ITEMS_PER_CHECK problems (the first ones, by
    FID) beside its total `count`, so the report stays small whatever the
    layer.
    """
    ctx = checks.Context(view=staging.name(upload.staging_table + "_v"), target=upload.target,
                         lambert=upload.agency.srid, agency_id=upload.agency_id, plan_id=upload.plan_id,
                         tolerance_m2=tolerance_of(upload), limit=ITEMS_PER_CHECK)
    found, seconds = [], {}
    with transaction.atomic(), connection.cursor() as cursor:
        # A million-feature layer is grouped and sorted (duplicates, titles) in memory rather than on disk;
        # JIT compiling costs ~1 s per query here and gains nothing (the time is in PostGIS calls);
        # ST_IsValid would otherwise send one NOTICE per invalid feature.
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL client_min_messages = warning")
        start = time.perf_counter()
        checks.prepare_territory(ctx, upload.source_srid)
        seconds["territory_pieces"] = _since(start)
        start = time.perf_counter()
        applicable = _applicable(upload.target)
        counts = checks.count_features([c for c in applicable if not c.sql], ctx)
        seconds["feature_checks"] = _since(start)
        for check in applicable:
            start = time.perf_counter()
            if check.sql:
                count, items = checks.run_layer_check(check, ctx)
            else:
                count = counts[check.name]
                items = checks.items(check, ctx) if count else []
            seconds[check.name] = _since(start)
            if count:
                found.append(checks.entry(check, count, items))
        checks.drop_territory(ctx)
        result = {
            "upload": upload.pk,
            "target": upload.target,
            "feature_count": upload.feature_count,
            "source_srid": upload.source_srid,
            "tolerance_m2": ctx.tolerance_m2,
            "tolerance_bounds_m2": [settings.LAYERS_TOLERANCE_MIN_M2, settings.LAYERS_TOLERANCE_MAX_M2],
            "items_per_check": ITEMS_PER_CHECK,
            "checked_at": timezone.now().isoformat(),
            "checks": found,
            "seconds": seconds,
        }
        if upload.target == Target.ZONES:
            result["codes_without_rule"] = codes_without_rule(upload)
        if upload.target == Target.PARCELS:
            start = time.perf_counter()
            found.extend(parcel_titles(upload, ITEMS_PER_CHECK))
            seconds["titles"] = _since(start)
    result["errors"] = sum(c["count"] for c in found if c["severity"] == checks.ERROR)
    result["warnings"] = sum(c["count"] for c in found if c["severity"] == checks.WARNING)
    result["publishable"] = result["errors"] == 0
    return result


def tolerance_of(upload):
    """The overlap/gap tolerance (m²) of `upload`: the one chosen for it, else settings.LAYERS_TOLERANCE_M2."""
    return float(settings.LAYERS_TOLERANCE_M2 if upload.tolerance_m2 is None else upload.tolerance_m2)


def check_tolerance(value):
    """`value` (m², text or number) as a float within the documented bounds; InvalidParameter otherwise."""
    low, high = settings.LAYERS_TOLERANCE_MIN_M2, settings.LAYERS_TOLERANCE_MAX_M2
    try:
        tolerance = float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        tolerance = float("nan")
    if not low <= tolerance <= high:  # NaN fails too
        raise InvalidParameter(f"tolerance_m2 {value!r} is not a number of m² between {low:g} and {high:g} "
                               "(LAYERS_TOLERANCE_MIN_M2, LAYERS_TOLERANCE_MAX_M2): overlaps and gaps up to it "
                               "are accepted, each one above it is listed", "tolerance_m2")
    return tolerance


def _since(start):
    return round(time.perf_counter() - start, 3)


def _applicable(target):
    """The checks that apply to `target`, in the order of the report."""
    fields = SCHEMA[target].items()
    extra = [checks.missing_check(name) for name, (_k, required, _h) in fields if required]
    extra += [checks.range_check(name, *RANGES[name]) for name, (kind, _r, _h) in fields
              if kind in (NUMBER, INTEGER) and name in RANGES]
    return [c for c in checks.CHECKS if target in c.targets] + extra


def codes_without_rule(upload):
    """Zone codes of the file that the plan's regulation (ZoneRule) does not cover, with feature counts."""
    with connection.cursor() as cursor:
        view = staging.name(upload.staging_table + "_v")
        cursor.execute(f'''SELECT v.code, count(*), min(v.label_fr) FROM {view} v
                           WHERE v.code IS NOT NULL AND NOT EXISTS (
                               SELECT 1 FROM plans_zonerule r WHERE r.plan_id = %s AND r.code = v.code)
                           GROUP BY v.code ORDER BY v.code''', [upload.plan_id])
        return [{"code": code, "features": n, "label_fr": label} for code, n, label in cursor.fetchall()]
