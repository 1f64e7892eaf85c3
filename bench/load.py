"""python -m bench.load (`make load`): 50 clients for 60 s mixing map tiles, feature pages and notes.

The app runs as in production (gunicorn, DEBUG off) on the BENCH_LOAD_SIZE
dataset (default 1m); wrk keeps BENCH_LOAD_CLIENTS connections busy for
BENCH_LOAD_SECONDS. Reports the error count (goal 0), p50/p99 latency and the
server's resident memory (MiB) before and after (goal: growth ≤ 10 %), and
writes bench/results/<date>-load.md. Exits non-zero when a goal is missed.
"""
import datetime
import json
import os
import sys
import time
from pathlib import Path

import psycopg

from . import datasets
from .measure import WRK_SCRIPT, Result, http_result, run_wrk, tree_rss_mib
from .run import once
from .servers import App

HERE = Path(__file__).resolve().parent
MAX_GROWTH = 0.10


def mix(probe):
    """(GET paths, note bodies): tiles around the centre at z14–z18, bbox pages panned over it, notes."""
    paths = []
    for z in (14, 16, 16, 18):
        _, x, y = probe.tiles[z]
        for dx, dy in ((0, 0), (1, 0), (0, 1), (-1, 0), (0, -1)):
            paths.append(f"/ogc/collections/parcels/tiles/WebMercatorQuad/{z}/{y + dy}/{x + dx}?f=mvt")
    west, south, east, north = probe.bbox_small
    step = (east - west) / 2
    for i in range(-2, 3):
        for j in range(-2, 3):
            box = (west + i * step, south + j * step, east + i * step, north + j * step)
            paths.append(f"/ogc/collections/parcels/items?bbox={probe.bbox_param(box)}&limit=100")
    with psycopg.connect(datasets.libpq_dsn(probe.url)) as conn:
        titles = [row[0] for row in conn.execute(
            "SELECT title_number FROM plans_parcel ORDER BY geom <-> ST_SetSRID(ST_MakePoint(%s, %s), 4326) LIMIT 20",
            probe.centre)]
    bodies = [json.dumps({"title_number": t}) for t in titles]
    paths += ["NOTE"] * 5
    return paths, bodies


def available(base, paths, bodies):
    """Keep the paths the build answers with 200; report the others with their status."""
    kept, missing = [], {}
    for path in dict.fromkeys(paths):
        if path == "NOTE":
            status = once(base + "/api/notes", "POST", bodies[0])[0] if bodies else 0
        else:
            status = once(base + path, None, None)[0]
        if 200 <= status < 300:
            kept.append(path)
        else:
            missing["POST /api/notes" if path == "NOTE" else path.split("?")[0]] = status
    return [p for p in paths if p in kept], missing


def main():
    size = datasets.parse_sizes(os.environ.get("BENCH_LOAD_SIZE", "1m"))[0]
    clients = int(os.environ.get("BENCH_LOAD_CLIENTS", "50"))
    seconds = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
    probe = datasets.probe(size, datasets.ensure_loaded(size))
    server = App()
    server.start(probe)
    try:
        paths, bodies = mix(probe)
        paths, missing = available(server.base, paths, bodies)
        if not paths:
            sys.exit(f"load: no endpoint of the mix answers on this build: {missing}")
        env = dict(BENCH_PATHS=";".join(paths), BENCH_NOTE_BODIES=";".join(bodies), BENCH_NOTE_PATH="/api/notes")
        run_wrk(server.base + "/", 4, 5, script=WRK_SCRIPT.with_name("mix.lua"), env=env)  # warm-up
        time.sleep(1)
        before = tree_rss_mib(server.pid)
        result = Result("app", "mix", size, clients)
        http_result(result, run_wrk(server.base + "/", clients, seconds, script=WRK_SCRIPT.with_name("mix.lua"),
                                    env=env, threads=2, timeout_s=30))
        time.sleep(1)
        after = tree_rss_mib(server.pid)
    finally:
        server.stop()
    growth = (after - before) / before if before else 0.0
    ok = result.errors == 0 and growth <= MAX_GROWTH
    now = datetime.datetime.now(datetime.timezone.utc)
    kinds = {"tiles": sum("/tiles/" in p for p in paths), "feature pages": sum("/items" in p for p in paths),
             "notes": paths.count("NOTE")}
    lines = [
        f"# Load test {now:%Y-%m-%d %H:%M UTC}", "",
        f"{server.label}, DEBUG off, {size} parcels; wrk, {clients} connections for {seconds} s, cycling through "
        f"{len(paths)} requests ({', '.join(f'{v} {k}' for k, v in kinds.items())}).", "",
        "| requests | req/s | p50 ms | p99 ms | errors | RSS before MiB | RSS after MiB | growth |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|",
        f"| {result.requests} | {result.rps:.0f} | {result.p50_ms:.1f} | {result.p99_ms:.1f} | {result.errors} "
        f"| {before:.0f} | {after:.0f} | {growth:+.1%} |", "",
        f"Goals: 0 errors ({'met' if result.errors == 0 else '**missed**'}); memory growth ≤ 10 % "
        f"({'met' if growth <= MAX_GROWTH else '**missed**'}).",
    ]
    if missing:
        lines += ["", "Left out of the mix (not answering 200 on this build): "
                  + ", ".join(f"{k} (HTTP {v})" for k, v in missing.items())]
    out = HERE / "results" / f"{now:%Y-%m-%d}-load.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"\nload: written to {out}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
