"""Benchmark of /ogc/ against the same queries in raw SQL: `python -m bench.ogc`.

Load the big sample first (`manage.py load_sample_data --parcels 1000000`).
For each case (items in a ~300 m bbox with limit 100, items in a ~1 km bbox
with limit 1000, one item by id, a CQL2 filter on zone codes, z18 and z16
parcel tiles, cold then from the cache) it runs
wrk against a gunicorn server on the current DATABASE_URL, then the floor
query (json_agg(ST_AsGeoJSON(t.*)) / ST_AsMVT, as in PERFORMANCE.md) from
as many client processes, over the same randomised list of bboxes or tiles.
Reports requests/s, p50 and p99 latency in milliseconds and the ratio
HTTP/SQL of the c1 p50 latencies. Numbers are machine-wide (client and
server share the CPUs): compare within one run, as ratios.
"""
import argparse
import json
import math
import multiprocessing
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = 400

FLOOR_ITEMS = """SELECT json_build_object('type', 'FeatureCollection',
                         'features', json_agg(ST_AsGeoJSON(t.*)::json))::text
FROM (SELECT * FROM plans_parcel WHERE geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326) LIMIT %s) t"""
FLOOR_ITEM = "SELECT ST_AsGeoJSON(t.*) FROM plans_parcel t WHERE id = %s"
FLOOR_CQL = """SELECT json_build_object('type', 'FeatureCollection',
                         'features', json_agg(ST_AsGeoJSON(t.*)::json))::text
FROM (SELECT * FROM plans_zone WHERE code = %s LIMIT %s) t"""
# A full page whose numberMatched must be counted: the floor counts in the same statement, as a peer server would.
FLOOR_MATCHED = """SELECT json_build_object('type', 'FeatureCollection', 'numberMatched',
                         (SELECT count(*) FROM plans_zone WHERE code = %s),
                         'features', json_agg(ST_AsGeoJSON(t.*)::json))::text
FROM (SELECT * FROM plans_zone WHERE code = %s LIMIT %s) t"""
FLOOR_TILE = """SELECT ST_AsMVT(q, 'parcels') FROM (
  SELECT id, title_number, ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope(%s, %s, %s)) AS geom
  FROM plans_parcel WHERE geom && ST_Transform(ST_TileEnvelope(%s, %s, %s), 4326)) q"""


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
    import django

    django.setup()


def parcel_extent():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM plans_parcel")
        count = cursor.fetchone()[0]
        # The densest agency: the one with the most parcels.
        cursor.execute("""SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (
            SELECT ST_Extent(geom) e FROM plans_parcel WHERE agency_id = (
                SELECT agency_id FROM plans_parcel GROUP BY 1 ORDER BY count(*) DESC LIMIT 1)) s""")
        return count, cursor.fetchone()


def bboxes(extent, metres, rng):
    """SAMPLES random squares of `metres` a side (lon/lat) inside `extent`."""
    minx, miny, maxx, maxy = extent
    dy = metres / 111_320
    dx = metres / (111_320 * math.cos(math.radians((miny + maxy) / 2)))
    out = []
    for _ in range(SAMPLES):
        x, y = rng.uniform(minx, maxx - dx), rng.uniform(miny, maxy - dy)
        out.append((round(x, 6), round(y, 6), round(x + dx, 6), round(y + dy, 6)))
    return out


def parcel_ids(rng):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM plans_parcel")
        low, high = cursor.fetchone()
    return [rng.randint(low, high) for _ in range(SAMPLES)]


def zone_codes():
    """The most frequent zone codes of the plans in force (the CQL2 filter cases)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT code FROM ogc_zones GROUP BY code ORDER BY count(*) DESC LIMIT 5")
        return [row[0] for row in cursor.fetchall()]


def tiles(extent, z, rng):
    import morecantile

    tms = morecantile.tms.get("WebMercatorQuad")
    minx, miny, maxx, maxy = extent
    # Distinct tiles, so that a "cold" run does not meet the shared cache (until it wraps around the list).
    picked = {(z, t.x, t.y) for t in (tms.tile(rng.uniform(minx, maxx), rng.uniform(miny, maxy), z)
                                      for _ in range(SAMPLES * 10))}
    return rng.sample(sorted(picked), len(picked))


# ---------------------------------------------------------------- raw SQL
def _sql_worker(args):
    dsn, sql, params_list, seconds, offset = args
    import psycopg

    latencies = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        i, deadline = offset, time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            conn.execute(sql, params_list[i % len(params_list)]).fetchone()
            latencies.append(time.perf_counter() - started)
            i += 1
    return latencies


def run_sql(dsn, sql, params_list, clients, seconds):
    with multiprocessing.Pool(clients) as pool:
        results = pool.map(_sql_worker, [(dsn, sql, params_list, seconds, n * 37) for n in range(clients)])
    latencies = sorted(x for r in results for x in r)
    return {"rps": len(latencies) / seconds, "p50": _pct(latencies, 50), "p99": _pct(latencies, 99)}


def _pct(values, p):
    return 1000 * values[min(len(values) - 1, int(len(values) * p / 100))] if values else float("nan")


# ---------------------------------------------------------------- HTTP
LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def run_wrk(base, paths, clients, seconds):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % ",".join(json.dumps(p) for p in paths))
    out = subprocess.run(["wrk", "-t", str(min(clients, 2)), "-c", str(clients), "-d", f"{seconds}s", "--latency",
                          "-s", script.name, base], capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    if "Non-2xx" in out:
        raise SystemExit(f"bench: the server answered errors:\n{out}")

    def ms(label):
        value, unit = re.search(rf"\s{label}\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": ms("50%"), "p99": ms("99%")}


def start_server(workers, threads):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, DEBUG="0", SECRET_KEY="bench-only-" + str(port), LOG_LEVEL="ERROR",
               NOTE_SIGNING_KEY="bench-only-" + os.urandom(24).hex(),
               CACHE_KEY_PREFIX=f"bench-{port}-{int(time.time())}")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "geoportal.wsgi", "-b", f"127.0.0.1:{port}",
                             "-w", str(workers), "-k", "gthread", "--threads", str(threads)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            return proc, base
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("bench: the server did not start")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--clients", default="1,8", help="comma-separated concurrencies")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--cases", default="", help="run only the cases whose name contains one of these words")
    args = parser.parse_args(argv)
    _setup_django()
    from django.db import connection

    count, extent = parcel_extent()
    if count < 100_000:
        print(f"bench: only {count} parcels; load the big sample: manage.py load_sample_data --parcels 1000000")
    settings = connection.settings_dict
    dsn = (f"host={settings['HOST'] or '127.0.0.1'} port={settings['PORT'] or 5432} dbname={settings['NAME']} "
           f"user={settings['USER']} password={settings['PASSWORD']}")
    rng = random.Random(20261123)
    small, large, z16 = bboxes(extent, 300, rng), bboxes(extent, 1000, rng), tiles(extent, 16, rng)
    ids, codes, z18 = parcel_ids(rng), zone_codes(), tiles(extent, 18, rng)
    cases = [
        ("items 300 m bbox, limit 100", [f"/ogc/collections/parcels/items?limit=100&bbox={','.join(map(str, b))}"
                                         for b in small], FLOOR_ITEMS, [b + (100,) for b in small]),
        ("items 1 km bbox, limit 1000", [f"/ogc/collections/parcels/items?limit=1000&bbox={','.join(map(str, b))}"
                                         for b in large], FLOOR_ITEMS, [b + (1000,) for b in large]),
        ("item by id", [f"/ogc/collections/parcels/items/{i}" for i in ids], FLOOR_ITEM, [(i,) for i in ids]),
        ("CQL2 zones code=…, limit 100", [f"/ogc/collections/zones/items?limit=100&filter=code%3D%27{c}%27"
                                          for c in codes], FLOOR_CQL, [(c, 100) for c in codes]),
        ("numberMatched: zones code=…, limit 2", [f"/ogc/collections/zones/items?limit=2&filter=code%3D%27{c}%27"
                                                  for c in codes], FLOOR_MATCHED, [(c, c, 2) for c in codes]),
        ("tile z18 parcels (cold)", [f"/ogc/collections/parcels/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt"
                                     for z, x, y in z18], FLOOR_TILE, [t + t for t in z18]),
        ("tile z18 parcels (cached)", None, FLOOR_TILE, [t + t for t in z18]),
        ("tile z16 parcels (cold)", [f"/ogc/collections/parcels/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt"
                                     for z, x, y in z16], FLOOR_TILE, [t + t for t in z16]),
        ("tile z16 parcels (cached)", None, FLOOR_TILE, [t + t for t in z16]),
    ]
    proc, base = start_server(args.workers, args.threads)
    try:
        print(f"{count} parcels; server: gunicorn {args.workers} workers × {args.threads} threads; "
              f"{args.seconds} s per run")
        print(f"{'case':30} {'c':>3} | {'HTTP req/s':>10} {'p50 ms':>8} {'p99 ms':>8} | "
              f"{'SQL req/s':>10} {'p50 ms':>8} {'p99 ms':>8} | p50 ratio")
        last_paths = None
        wanted = [word for word in args.cases.split(",") if word]
        for name, paths, sql, params in cases:
            paths = paths or last_paths  # "cached": the same tiles again, now in the shared cache
            last_paths = paths
            if wanted and not any(word in name for word in wanted):
                continue
            for clients in (int(c) for c in args.clients.split(",")):
                if name.endswith("(cold)") and clients != 1:
                    continue  # after the c1 run every tile is cached: only c1 is cold
                http = run_wrk(base, paths, clients, args.seconds)
                if name.endswith("(cold)") and http["rps"] * args.seconds > len(paths):
                    print(f"  ({len(paths)} distinct tiles for {http['rps'] * args.seconds:.0f} requests: "
                          f"part of this run was served from the cache)")
                floor = run_sql(dsn, sql, params, clients, args.seconds)
                print(f"{name:30} {clients:>3} | {http['rps']:>10.0f} {http['p50']:>8.2f} {http['p99']:>8.2f} | "
                      f"{floor['rps']:>10.0f} {floor['p50']:>8.2f} {floor['p99']:>8.2f} | "
                      f"{http['p50'] / floor['p50']:.2f}×", flush=True)
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
