"""Benchmark: import of N parcels from a GeoPackage, ours beside `ogr2ogr -f PostgreSQL`, same file, same run.

    python -m bench.layers_import [--parcels 1000000] [--keep] [--validate] [--gpkg PATH]

Writes a GeoPackage of N parcels (20×25 m, EPSG:26191, fields NUM_TF and
SUPERFICIE) in a temporary folder, then runs, each in its own process so
that peak memory (max RSS) is measured per tool:
  1. ogr2ogr -f PostgreSQL into a scratch table (with its GiST index);
  2. our import (layers.publishing.uploads.receive + stage: GDAL read in batches, one
     streamed COPY into the staging table, GiST index, ANALYZE);
  3. with --validate, our validation report on the staged layer.
Prints wall time, ratio to ogr2ogr and max RSS. Uses DATABASE_URL. With
--gpkg PATH the GeoPackage is written there once and reused by later runs.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from geoportal.dbroles import STAGING_SCHEMA as STAGING  # where ogr2ogr and our import both write

ROOT = Path(__file__).resolve().parent.parent


def write_gpkg(path, n):
    import numpy as np
    import pyogrio
    import shapely

    side = int(np.ceil(np.sqrt(n)))
    i = np.arange(n)
    x0 = 495_000 + (i % side) * 20.0
    y0 = 545_000 + (i // side) * 25.0
    boxes = shapely.box(x0, y0, x0 + 20, y0 + 25)
    titles = np.array([f"TF {100000 + k}/19" for k in range(n)], dtype=object)
    areas = np.full(n, 500.0)
    pyogrio.raw.write(str(path), shapely.to_wkb(boxes), [titles, areas], ["NUM_TF", "SUPERFICIE"], layer="parcelles",
                      driver="GPKG", geometry_type="Polygon", crs="EPSG:26191")


def measured(cmd, env=None):
    """(seconds, max RSS in MB, stdout) of a child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    out, err = proc.stdout.read(), proc.stderr.read()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.exit(f"{' '.join(map(str, cmd[:4]))}… failed ({proc.returncode}): {err[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, out


def pg_dsn():
    """ogr2ogr's connection: the app role, as our import's (both write into the staging schema)."""
    import dj_database_url

    from geoportal.dbroles import DEFAULT_DATABASE_URL

    db = dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    return (f"PG:host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} dbname={db['NAME']} user={db['USER']}"
            + (f" password={db['PASSWORD']}" if db["PASSWORD"] else ""))


def child(path, validate):
    """Our import in this process: prints a JSON line of step timings."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
    django.setup()
    from django.contrib.auth import get_user_model

    from geoportal.staff import roles
    from layers.publishing import uploads
    from plans.models import Agency

    user, _ = get_user_model().objects.get_or_create(username="bench-import")
    agency = Agency.objects.get(code="AUT")
    roles.grant(user, agency, roles.PUBLISHER)
    timings = {}
    start = time.perf_counter()
    with open(path, "rb") as handle:
        handle.size = Path(path).stat().st_size
        upload = uploads.receive(user, agency, "parcels", handle, Path(path).name)
    timings["receive_s"] = time.perf_counter() - start
    start = time.perf_counter()
    uploads.stage(upload)
    timings["stage_s"] = time.perf_counter() - start
    if validate:
        start = time.perf_counter()
        uploads.map_fields(upload, {"title_number": "NUM_TF", "area_on_title_m2": "SUPERFICIE"}, user)
        report = uploads.validate(upload, user)
        timings["validate_s"] = time.perf_counter() - start
        timings["errors"], timings["warnings"] = report["errors"], report["warnings"]
        timings["checks_s"] = report["seconds"]
    uploads.discard(upload)
    print(json.dumps(timings))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, default=1_000_000)
    parser.add_argument("--validate", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the GeoPackage")
    parser.add_argument("--gpkg", help="GeoPackage to use: reused if it exists, else written there and kept")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--write", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        return write_gpkg(args.write, args.parcels)
    if args.child:
        return child(args.child, args.validate)
    gpkg = Path(args.gpkg) if args.gpkg else Path(tempfile.mkdtemp(prefix="bench-import-")) / "parcels.gpkg"
    if gpkg.exists():
        print(f"reusing {gpkg} ({gpkg.stat().st_size / 1e6:.0f} MB)")
    else:
        start = time.perf_counter()
        # Written by a child process: a parent holding a million shapes would lend its pages (RSS) to every fork.
        measured([sys.executable, "-m", "bench.layers_import", "--write", str(gpkg), "--parcels", str(args.parcels)])
        print(f"wrote {args.parcels:,} parcels to {gpkg} ({gpkg.stat().st_size / 1e6:.0f} MB) in "
              f"{time.perf_counter() - start:.1f} s")
    ogr_s, ogr_mb, _ = measured(["ogr2ogr", "-f", "PostgreSQL", pg_dsn(), str(gpkg), "-nln", "bench_ogr2ogr_parcels",
                                 "-overwrite", "-lco", "GEOMETRY_NAME=geom", "-lco", f"SCHEMA={STAGING}",
                                 "--config", "PG_USE_COPY", "YES"])
    ours_s, ours_mb, out = measured([sys.executable, "-m", "bench.layers_import", "--child", str(gpkg)]
                                    + (["--validate"] if args.validate else []))
    steps = json.loads(out.strip().splitlines()[-1])
    measured(["psql", pg_dsn()[3:], "-qc", f"DROP TABLE IF EXISTS {STAGING}.bench_ogr2ogr_parcels"])
    print(f"{'tool':<34}{'wall s':>9}{'× ogr2ogr':>11}{'max RSS MB':>12}")
    print(f"{'ogr2ogr -f PostgreSQL':<34}{ogr_s:>9.1f}{1:>11.2f}{ogr_mb:>12.0f}")
    print(f"{'layers import (process total)':<34}{ours_s:>9.1f}{ours_s / ogr_s:>11.2f}{ours_mb:>12.0f}")
    print(f"{'  of which read + COPY + index':<34}{steps['stage_s']:>9.1f}{steps['stage_s'] / ogr_s:>11.2f}")
    if "validate_s" in steps:
        print(f"{'  validation report':<34}{steps['validate_s']:>9.1f}   "
              f"({steps['errors']} errors, {steps['warnings']} warnings)")
        slowest = sorted(steps["checks_s"].items(), key=lambda kv: -kv[1])[:4]
        print("    slowest checks: " + ", ".join(f"{name} {s:.1f} s" for name, s in slowest))
    if not args.keep and not args.gpkg:
        gpkg.unlink()
        gpkg.parent.rmdir()


if __name__ == "__main__":
    main()
