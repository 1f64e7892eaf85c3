"""python -m bench.load_cluster (`make load TARGET=cluster`): 50 clients × 60 s through the proxy of the cluster.

The cluster is `make cluster`'s (started if needed, with the fault runs' settings: notes and e-services not
rate-limited, since every client is 127.0.0.1). wrk keeps BENCH_LOAD_CLIENTS connections busy for
BENCH_LOAD_SECONDS through nginx, cycling through map tiles (z14–z18), feature pages (bbox pages and single
parcels), map clicks (/api/place) and note issuance (POST /api/notes), twice: undisturbed, then with app replica
app1 (master and workers) killed by kill -9 half-way (supervisord restarts it). Each run reports req/s, p50/p99,
wrk's errors, nginx's own count of 5xx answers by method (its access log) and of requests it passed to the other
replica, and the replicas' resident memory before and after. Goals: 0 errors in both runs. Every note POST carries
its own Idempotency-Key (bench/wrk/mix.lua), so nginx may re-send one that reached the killed replica to the other,
which answers it with the note the first made, if it made one.
Writes bench/results/<date>-load-cluster.md; exits non-zero when a goal is missed.
"""
import datetime
import os
import re
import sys
import threading
import time
from pathlib import Path

from .load import mix as tiles_pages_notes
from .measure import WRK_SCRIPT, Result, http_result, run_wrk, tree_rss_mib

HERE = Path(__file__).resolve().parent
LOG_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) .* upstream=(?P<upstream>.*) '
                      r'upstream_status=')


def cluster_mix(layout, roles):
    """(paths, note bodies, parcel count) of the mix on the cluster's data: bench.load's tiles, pages and notes,
    plus parcels read one by one and map clicks on them."""
    import psycopg

    from geoportal.topology.layout import environment

    from . import datasets

    url = environment(layout, roles)["DATABASE_URL"]
    probe = datasets.probe("cluster", url)
    paths, bodies = tiles_pages_notes(probe)
    with psycopg.connect(datasets.libpq_dsn(url)) as conn:
        near = conn.execute(
            "SELECT id, ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) FROM plans_parcel "
            "ORDER BY geom <-> ST_SetSRID(ST_MakePoint(%s, %s), 4326) LIMIT 20", probe.centre).fetchall()
        parcels = conn.execute("SELECT count(*) FROM plans_parcel").fetchone()[0]
    for parcel_id, lon, lat in near:
        paths += [f"/ogc/collections/parcels/items/{parcel_id}?f=json", f"/api/place?lon={lon:.7f}&lat={lat:.7f}"]
    return paths, bodies, parcels


def nginx_counts(log, offset):
    """{'answers', 'get_5xx', 'post_5xx', 'passed_on'} of the access log's lines after byte `offset`."""
    counts = {"answers": 0, "get_5xx": 0, "post_5xx": 0, "passed_on": 0}
    with open(log, encoding="utf-8", errors="replace") as lines:
        lines.seek(offset)
        for line in lines:
            match = LOG_LINE.search(line)
            if not match:
                continue
            counts["answers"] += 1
            if match["status"].startswith("5"):
                counts["post_5xx" if match["method"] == "POST" else "get_5xx"] += 1
            counts["passed_on"] += "," in match["upstream"]
    return counts


def replicas_rss(layout, control):
    from geoportal.topology.faults import _pid

    return sum(tree_rss_mib(pid) for pid in (_pid(layout, control, f"app{n}") for n in (1, 2)) if pid)


def one_run(layout, control, paths, bodies, clients, seconds, kill_at=None):
    """(wrk Result, nginx counts, RSS before, RSS after, killed pid) of one wrk run through the proxy."""
    from geoportal.topology.faults import _kill_tree, _pid, _wait

    env = dict(BENCH_PATHS=";".join(paths), BENCH_NOTE_BODIES=";".join(bodies), BENCH_NOTE_PATH="/api/notes")
    script = WRK_SCRIPT.with_name("mix.lua")
    run_wrk(layout.base_url + "/", 4, 5, script=script, env=env)  # warm-up
    time.sleep(1)
    before = replicas_rss(layout, control)
    log = layout.log_dir / "nginx-access.log"
    offset = log.stat().st_size
    killed = {}
    if kill_at is not None:
        def kill():
            killed["pid"] = _pid(layout, control, "app1")
            _kill_tree(killed["pid"])
        timer = threading.Timer(kill_at, kill)
        timer.start()
    result = Result("cluster", "mix", "cluster", clients)
    http_result(result, run_wrk(layout.base_url + "/", clients, seconds, script=script, env=env, threads=2,
                                timeout_s=30))
    if kill_at is not None:
        timer.join()
        _wait(lambda: _pid(layout, control, "app1") not in (None, killed.get("pid")), 60)
        control.wait_healthy(layout)
    time.sleep(1)
    return result, nginx_counts(log, offset), before, replicas_rss(layout, control), killed.get("pid")


def main():
    import django

    from geoportal.topology.faults import FAULT_ENV

    os.environ.update({k: v for k, v in FAULT_ENV.items() if k not in os.environ})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
    django.setup()
    from django.conf import settings

    from geoportal.topology import control
    from geoportal.topology.layout import default_layout

    clients = int(os.environ.get("BENCH_LOAD_CLIENTS", "50"))
    seconds = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
    layout = default_layout()
    control.start(layout, parcels=int(os.environ.get("PARCELS", "6000")))
    paths, bodies, parcels = cluster_mix(layout, settings.DATABASE_ROLES)
    runs = [("undisturbed", *one_run(layout, control, paths, bodies, clients, seconds)),
            (f"app1 killed (kill -9) at {seconds // 2} s",
             *one_run(layout, control, paths, bodies, clients, seconds, kill_at=seconds / 2))]
    lines, ok = report(runs, paths, parcels, clients, seconds)
    now = datetime.datetime.now(datetime.timezone.utc)
    out = HERE / "results" / f"{now:%Y-%m-%d}-load-cluster.md"
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"\nload: written to {out}")
    sys.exit(0 if ok else 1)


def report(runs, paths, parcels, clients, seconds):
    now = datetime.datetime.now(datetime.timezone.utc)
    kinds = {"tiles": sum("/tiles/" in p for p in paths), "feature pages": sum("/items" in p for p in paths),
             "map clicks": sum(p.startswith("/api/place") for p in paths), "notes": paths.count("NOTE")}
    lines = [f"# Load through the cluster's proxy {now:%Y-%m-%d %H:%M UTC}", "",
             f"`make load TARGET=cluster`: nginx → two gunicorn replicas (gthread, 2 workers × 4 threads each) → "
             f"PostgreSQL primary + streaming replica, Redis; {parcels} parcels; wrk, {clients} connections for "
             f"{seconds} s on loopback, cycling through {len(paths)} requests "
             f"({', '.join(f'{v} {k}' for k, v in kinds.items())}). Errors: wrk's (connect, read, write, timeout, "
             f"HTTP ≥ 400); 5xx: nginx's access log; passed on: requests nginx sent to the other replica.", "",
             "| run | requests | req/s | p50 ms | p99 ms | errors | GET 5xx | POST 5xx | passed on | "
             "RSS before MiB | RSS after MiB |", "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    ok = True
    for title, result, counts, before, after, killed in runs:
        lines.append(f"| {title} | {result.requests} | {result.rps:.0f} | {result.p50_ms:.1f} | {result.p99_ms:.1f} "
                     f"| {result.errors} | {counts['get_5xx']} | {counts['post_5xx']} | {counts['passed_on']} "
                     f"| {before:.0f} | {after:.0f} |")
        ok = ok and counts["get_5xx"] == 0 and counts["post_5xx"] == 0 and result.errors == 0
    lines += ["", "Goals: 0 errors undisturbed and with a replica killed half-way (keyed note POSTs re-sent) "
              f"({'met' if ok else '**missed**'}). RSS: both replicas (gunicorn masters and workers); after the "
              "kill, app1 is the process supervisord started again."]
    return lines, ok


if __name__ == "__main__":
    main()
