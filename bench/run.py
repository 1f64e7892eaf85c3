"""One benchmark run: every size, every server, every query, at each concurrency, in one process.

Servers are started one at a time on the dataset's database and stopped
before the next starts, so they never compete with each other; wrk competes
with the server under test for the 2 cores, the same for everyone.
"""
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import psycopg

from . import datasets, matched
from .measure import PeakRss, Result, http_result, percentile, run_sql, run_wrk
from .servers.base import Unavailable

SLOW_S = 1.0  # a query slower than this once warm is timed by single requests, not loaded


def measure_floor(probe, queries, concurrencies, seconds, log):
    """The raw-SQL floor: each query's SQL through psycopg (prepared), no HTTP."""
    dsn = datasets.libpq_dsn(probe.url)
    out = []
    for query in queries:
        if not query.floor_sql:
            out += [Result("raw SQL", query.key, probe.size, c, note="no SQL floor (rendering)") for c in concurrencies]
            continue
        params = query.floor_params(probe)
        connect = lambda: psycopg.connect(dsn, autocommit=True)  # noqa: E731
        started = time.perf_counter()
        with connect() as conn:
            first = conn.execute(query.floor_sql, params).fetchone()[0]
        cold = time.perf_counter() - started
        run_sql(connect, query.floor_sql, params, 1, min(1.0, seconds))  # warm-up
        for c in concurrencies:
            samples, errors, sizes = run_sql(connect, query.floor_sql, params, c, seconds)
            r = Result("raw SQL", query.key, probe.size, c, errors=errors, requests=len(samples),
                       cold_ms=cold * 1000, bytes_per_response=len(first) if first is not None else 0)
            if samples:
                r.rps = len(samples) / seconds
                r.p50_ms = percentile(samples, 50) * 1000
                r.p99_ms = percentile(samples, 99) * 1000
            out.append(r)
            log(f"  {probe.size} raw SQL {query.key} c{c}: {r.p50_ms or 0:.2f} ms p50, {r.rps:.0f} req/s")
    return out


def once(url, method, body, timeout=30):
    """(status, seconds, bytes, error text) of one request."""
    req = urllib.request.Request(url, data=body.encode() if body else None, method=method or "GET",
                                 headers={"Content-Type": "application/json"} if body else {})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            data = response.read()
            return response.status, time.perf_counter() - started, len(data), ""
    except urllib.error.HTTPError as exc:
        return exc.code, time.perf_counter() - started, 0, exc.read()[:200].decode("utf-8", "replace")
    except OSError as exc:
        return 0, time.perf_counter() - started, 0, str(exc)


def measure_server(server, probe, queries, concurrencies, seconds, log):
    """Every query on a started server: warm-up, then wrk at each concurrency with peak RSS sampled."""
    out, warmed = [], False
    for query in queries:
        rows = [Result(server.name, query.key, probe.size, c) for c in concurrencies]
        out += rows
        asked = server.request(query, probe)
        if isinstance(asked, str):
            for r in rows:
                r.note = asked
            continue
        if callable(asked):
            measure_fresh(server, asked, rows, seconds, log)
            continue
        url, method, body = asked
        status, cold, size, error = once(url, method, body)
        if not 200 <= status < 300:
            why = (f"not available on this build (HTTP {status})" if server.name == "app" and status in (404, 405)
                   else f"HTTP {status} on first request: {error.strip()[:120]}" if status
                   else f"no answer to the first request: {error.strip()[:120]}")
            for r in rows:
                r.note = why
            log(f"  {probe.size} {server.name} {query.key}: {why}")
            continue
        for r in rows:
            r.cold_ms, r.bytes_per_response = cold * 1000, size
        warm = _warm_latency(url, method, body, cold)
        if warm > SLOW_S:
            # Loading a server with requests this slow would only queue work in PostgreSQL past the run.
            for r in rows:
                r.note = f"too slow to load (a request takes {warm:.1f} s)"
                if r.concurrency == 1:
                    r.p50_ms, r.p99_ms = warm * 1000, max(warm, cold) * 1000
                    r.rps, r.requests = 1 / warm, 1
                    r.note += ": timed by single requests"
            log(f"  {probe.size} {server.name} {query.key}: {warm:.1f} s per request, not loaded")
            settle(probe)
            continue
        # Every worker process answers its first requests slowly (imports, connections, API set-up):
        # warm them all, longer for the first query the server meets.
        run_wrk(url, 8, 1 if warmed else 4, method, body)
        warmed = True
        for r in rows:
            with PeakRss(server.pid) as rss:
                http_result(r, run_wrk(url, r.concurrency, seconds, method, body))
            r.peak_rss_mib = rss.peak
            if not r.requests:
                r.p50_ms = r.p99_ms = None
                r.note = f"no request completed in {seconds:.0f} s"
            log(f"  {probe.size} {server.name} {query.key} c{r.concurrency}: {r.p50_ms or 0:.2f} ms p50, "
                f"{r.rps:.0f} req/s, {r.errors} errors, {r.peak_rss_mib:.0f} MiB")
            settle(probe)
    return out


def _warm_latency(url, method, body, cold, workers=4):
    """Seconds of a request once warm. Each worker process starts cold, so after a slow first request up to
    `workers` more are tried until one is fast; past 10 × SLOW_S the first one is taken as it is."""
    if cold <= SLOW_S or cold > 10 * SLOW_S:
        return 0.0 if cold <= SLOW_S else cold
    best = cold
    for _ in range(workers):
        best = min(best, once(url, method, body)[1])
        if best <= SLOW_S:
            break
    return best


def settle(probe, seconds=20):
    """Wait until no query of a load run is still at work in the dataset's database (wrk stops its clients,
    not the server's queries); cancel what is left after `seconds`, so the next figure starts clean."""
    sql = ("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' "
           "AND pid <> pg_backend_pid()")
    with psycopg.connect(datasets.libpq_dsn(probe.url), autocommit=True) as conn:
        deadline = time.monotonic() + seconds
        while conn.execute(sql).fetchone()[0] and time.monotonic() < deadline:
            time.sleep(0.2)
        conn.execute("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                     "AND state = 'active' AND pid <> pg_backend_pid()")


def _try(sample):
    try:
        return sample()
    except (OSError, Unavailable):
        return None


def measure_fresh(server, sample, rows, seconds, log):
    """Queries that cannot be repeated as such (a PDF is drawn once per note): `sample()` makes a fresh one
    and returns (seconds, bytes) of the timed request. Each of `concurrency` threads samples until `seconds`
    have passed, at least once."""
    with ThreadPoolExecutor(8) as pool:  # warms every worker (fonts, templates) before anything is timed
        list(pool.map(lambda _: _try(sample), range(8)))
    for r in rows:
        deadline = time.monotonic() + seconds
        samples, sizes, errors = [], [], [0]

        def worker():
            while True:
                try:
                    took, size = sample()
                    samples.append(took)
                    sizes.append(size)
                except (OSError, Unavailable):
                    errors[0] += 1
                if time.monotonic() > deadline:
                    return

        started = time.monotonic()
        with PeakRss(server.pid) as rss, ThreadPoolExecutor(r.concurrency) as pool:
            for future in [pool.submit(worker) for _ in range(r.concurrency)]:
                future.result()
        r.peak_rss_mib, r.errors, r.requests = rss.peak, errors[0], len(samples)
        if samples:
            r.rps = len(samples) / (time.monotonic() - started)
            r.p50_ms, r.p99_ms = percentile(samples, 50) * 1000, percentile(samples, 99) * 1000
            r.cold_ms, r.bytes_per_response = samples[0] * 1000, sizes[0]
        r.note = "each request a fresh note's first PDF download"
        log(f"  {r.size} {server.name} {r.query} c{r.concurrency}: {r.p50_ms or 0:.0f} ms p50, "
            f"{r.requests} fresh requests, {r.errors} errors")


def run(sizes, server_classes, queries, concurrencies, seconds, log=print):
    """All results of one run, the status of each server (label, or why it could not run) and what each
    dataset is (datasets.describe: parcels, load time and memory, disk)."""
    results, status, described = [], {}, {}
    for size in sizes:
        url = datasets.ensure_loaded(size, log)
        probe = datasets.probe(size, url)
        described[size] = datasets.describe(size, url)
        log(f"[{size}] centre {probe.centre[0]:.5f},{probe.centre[1]:.5f}; parcel {probe.title_number}; "
            f"tiles {probe.tiles}")
        results += measure_floor(probe, queries, concurrencies, seconds, log)
        results += matched.measure(probe, queries, seconds, log)
        for cls in server_classes:
            server = cls()
            try:
                server.install()
                server.start(probe)
            except Unavailable as exc:
                status.setdefault(server.name, f"not run: {exc}")
                log(f"  {size} {server.name}: {exc}")
                continue
            status[server.name] = server.label
            try:
                results += measure_server(server, probe, queries, concurrencies, seconds, log)
            finally:
                server.stop()
                settle(probe, seconds=5)
    return results, status, described
