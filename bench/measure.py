"""Measuring one query: wrk in its own process for HTTP servers, a thread pool for raw SQL.

Every measurement returns a Result: requests/s, p50 and p99 latency (ms),
error count, and the peak resident memory (MiB) of the server's process
tree while the load ran. Memory is sampled every 100 ms with psutil, so a
spike shorter than that can be missed.
"""
import json
import os
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

WRK_SCRIPT = Path(__file__).resolve().parent / "wrk" / "report.lua"


@dataclass
class Result:
    """One server answering one query at one concurrency on one dataset size."""

    server: str
    query: str
    size: str
    concurrency: int
    rps: float = 0.0
    p50_ms: float | None = None
    p99_ms: float | None = None
    errors: int = 0
    requests: int = 0
    peak_rss_mib: float | None = None
    cold_ms: float | None = None  # first request after start, before warm-up
    bytes_per_response: int | None = None
    note: str = ""  # why there is no figure, when there is none
    extra: dict = field(default_factory=dict)

    def as_dict(self):
        return asdict(self)


def tree_rss_mib(pid):
    """Resident memory (MiB) of a process and all its descendants; 0 once it has gone."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 2**20


class PeakRss:
    """Samples a process tree's RSS in a background thread; `.peak` is the largest seen (MiB)."""

    def __init__(self, pid, interval=0.1):
        self.pid, self.interval, self.peak = pid, interval, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_mib(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self):
        if self.pid:
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self.pid:
            self._thread.join()


def run_wrk(url, concurrency, seconds, method=None, body=None, timeout_s=10, script=WRK_SCRIPT, threads=None,
            env=None):
    """Run wrk against `url` and return its summary (dict with requests, p50_us, p99_us, errors…).

    wrk runs as a separate process, pinned to no core: on a 2-core machine it
    competes with the server, which is why results are compared within one run.
    """
    threads = threads or min(concurrency, 2)
    env = dict(os.environ, BENCH_METHOD=method or "", BENCH_BODY=body or "", BENCH_LUA_DIR=str(WRK_SCRIPT.parent),
               **(env or {}))
    cmd = ["wrk", "-t", str(threads), "-c", str(concurrency), "-d", f"{max(1, round(seconds))}s",
           "--timeout", f"{timeout_s}s",
           "-s", str(script), url]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=seconds + timeout_s + 30)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH "):
            return json.loads(line[6:])
    raise RuntimeError(f"wrk gave no summary for {url}: {done.stdout[-500:]} {done.stderr[-500:]}")


def http_result(result, summary):
    """Fill `result` from a wrk summary."""
    seconds = summary["duration_us"] / 1e6
    result.requests = summary["requests"]
    result.rps = summary["requests"] / seconds if seconds else 0.0
    result.p50_ms = summary["p50_us"] / 1000
    result.p99_ms = summary["p99_us"] / 1000
    result.errors = sum(summary[k] for k in ("connect", "read", "write", "status", "timeout"))
    if summary["requests"]:
        result.bytes_per_response = summary["bytes"] // summary["requests"]
    return result


def run_sql(connect, sql, params, concurrency, seconds):
    """Run `sql` in a loop on `concurrency` connections for `seconds`; returns (latencies_s, errors, bytes).

    Each thread has its own connection; psycopg releases the GIL while PostgreSQL
    works, so the threads measure the database, not Python.
    """
    deadline = time.monotonic() + seconds
    samples, errors, sizes = [], [0], []
    lock = threading.Lock()

    def worker():
        own, own_sizes = [], []
        with connect() as conn:
            conn.execute("SELECT 1")
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    row = conn.execute(sql, params, prepare=True).fetchone()
                except Exception:  # noqa: BLE001 — counted, as wrk counts HTTP errors
                    errors[0] += 1
                    conn.rollback()
                    continue
                own.append(time.perf_counter() - started)
                own_sizes.append(len(row[0]) if row and row[0] is not None else 0)
        with lock:
            samples.extend(own)
            sizes.extend(own_sizes)

    with ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(worker) for _ in range(concurrency)]:
            future.result()
    return samples, errors[0], sizes


def percentile(values, q):
    """The q-th percentile (0–100) of `values`, nearest-rank."""
    ordered = sorted(values)
    if not ordered:
        return None
    index = min(len(ordered) - 1, max(0, int(round(q / 100 * len(ordered) + 0.5)) - 1))
    return ordered[index]
