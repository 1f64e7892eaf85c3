"""python -m bench: this server side by side with its peers and the raw-SQL floor.

    make bench                                   # 10k, 100k, 1m parcels, every server
    BENCH_SIZES=10k,100k make bench              # quicker
    python -m bench --servers app,tipg --queries items_100,tile_z16 --seconds 2

Writes bench/results/<date>.md (+ .json, + -latency.png) and refreshes the
table in bench/README.md. Everything listens on 127.0.0.1 only.
"""
import argparse
import datetime
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import psycopg

from . import datasets, report
from .queries import QUERIES, parse_queries
from .run import run
from .servers import ALL, BY_NAME

HERE = Path(__file__).resolve().parent


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "10k,100k,1m"),
                        help=f"comma-separated among {','.join(datasets.SIZES)} (env BENCH_SIZES)")
    parser.add_argument("--servers", default=os.environ.get("BENCH_SERVERS", ",".join(c.name for c in ALL)),
                        help=f"comma-separated among {','.join(BY_NAME)} (env BENCH_SERVERS)")
    parser.add_argument("--queries", default=os.environ.get("BENCH_QUERIES", ",".join(q.key for q in QUERIES)),
                        help="comma-separated query keys (env BENCH_QUERIES)")
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "3")),
                        help="load duration per figure (env BENCH_SECONDS, default 3)")
    parser.add_argument("--concurrency", default=os.environ.get("BENCH_CONCURRENCY", "1,16"))
    parser.add_argument("--out", default=str(HERE / "results"))
    args = parser.parse_args(argv)
    servers = [s.strip() for s in args.servers.split(",") if s.strip()]
    unknown = [s for s in servers if s not in BY_NAME]
    if unknown:
        parser.error(f"--servers {','.join(unknown)}: choose among {', '.join(BY_NAME)}")
    try:
        args.concurrency = sorted({int(c) for c in args.concurrency.split(",")})
    except ValueError:
        parser.error(f"--concurrency {args.concurrency!r}: give integers, e.g. 1,16")
    if not 1 <= args.seconds <= 120:
        parser.error(f"--seconds {args.seconds}: choose between 1 and 120")
    args.sizes = datasets.parse_sizes(args.sizes)
    args.server_classes = [BY_NAME[s] for s in servers]
    args.query_list = parse_queries(args.queries)
    return args


def describe_machine():
    memory = psutil.virtual_memory().total / 2**30
    return f"{os.cpu_count()} cores, {memory:.0f} GiB, {platform.system()} {platform.release()}"


def describe_postgres(url):
    with psycopg.connect(datasets.libpq_dsn(url)) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        postgis = conn.execute("SELECT postgis_lib_version()").fetchone()[0]
    return f"PostgreSQL {version}, PostGIS {postgis}"


class LoadAverage:
    """The machine's 1-minute load average sampled every `interval` s while the run goes on (other developers'
    work included): what the figures of this run competed with."""

    def __init__(self, interval=15):
        self.samples, self._stop = [os.getloadavg()[0]], threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)

    def _run(self, interval):
        while not self._stop.wait(interval):
            self.samples.append(os.getloadavg()[0])

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.samples.append(os.getloadavg()[0])

    def describe(self):
        s = self.samples
        return (f"{s[0]:.1f} at start, {s[-1]:.1f} at end; min {min(s):.1f}, mean {sum(s) / len(s):.1f}, "
                f"max {max(s):.1f} over {len(s)} samples")


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if not shutil.which("wrk"):
        sys.exit("bench: wrk is not installed: run `make system` (Debian package wrk)")
    started = time.monotonic()
    with LoadAverage() as load:
        results, status, described = run(args.sizes, args.server_classes, args.query_list, args.concurrency,
                                         args.seconds)
    now = datetime.datetime.now(datetime.timezone.utc)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=HERE).stdout.strip() or "unknown"
    meta = dict(date=now.strftime("%Y-%m-%d %H:%M UTC"), sizes=args.sizes, queries=[q.key for q in args.query_list],
                concurrency=args.concurrency, seconds=args.seconds, machine=describe_machine(),
                postgres=describe_postgres(datasets.database_url(args.sizes[0])), commit=commit,
                wall_seconds=round(time.monotonic() - started),
                load=load.describe(), datasets=described)
    stem = now.strftime("%Y-%m-%d")
    md = report.write(results, status, meta, Path(args.out), stem)
    if md.parent.resolve() == (HERE / "results").resolve():  # runs written elsewhere are drafts
        for readme in (HERE / "README.md", HERE.parent / "README.md"):
            report.update_readme(readme, md)
    print(f"bench: {len(results)} figures in {meta['wall_seconds']} s → {md}")


if __name__ == "__main__":
    main()
