"""What numberMatched costs an items page, measured in the run that times the page (issue 16: at most 1.2×).

The page cannot be asked of the app without its numberMatched, so the app's own page statement
(layers.serving.layer_queries.page_statement) is timed through psycopg twice, one after the other in the
same run: as the app sends it, and with the count left out. Their difference is all that numberMatched
adds to a request (it is counted in that one statement); the report divides the app's HTTP latency of
the page by that latency less the difference.
"""
import os
import time

import psycopg

from . import datasets
from .measure import Result, percentile, run_sql
from .queries import ITEMS_CASES, items_case

WITH, WITHOUT = "page SQL", "page SQL, no count"


def statements(probe, key):
    """(SQL with numberMatched, SQL without, parameters) of the app's parcels page for items query `key`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
    import django

    django.setup()
    from layers.serving.layer_queries import page_statement
    from layers.serving.ogc_params import ItemsQuery
    from layers.serving.registry import LAYERS

    layer = next(layer for layer in LAYERS if layer.id == "parcels")
    bbox, limit = items_case(probe, key)
    query = ItemsQuery(limit=limit, bbox=tuple(bbox))
    with_sql, params, _ = page_statement(layer, query)
    without_sql, without_params, _ = page_statement(layer, query, count=False)
    return with_sql, without_sql, params, without_params


def measure(probe, queries, seconds, log):
    """c1 p50/p99 of each items page's statement with and without its count, alternated twice so that a
    change of load during the run falls on both."""
    dsn = datasets.libpq_dsn(probe.url)
    connect = lambda: psycopg.connect(dsn, autocommit=True)  # noqa: E731
    out = []
    for query in (q for q in queries if q.key in ITEMS_CASES):
        with_sql, without_sql, params, without_params = statements(probe, query.key)
        samples = {WITH: [], WITHOUT: []}
        for _ in range(2):
            for name, sql, args in ((WITH, with_sql, params), (WITHOUT, without_sql, without_params)):
                run_sql(connect, sql, args, 1, min(1.0, seconds / 4))  # warm-up (prepared, cached)
                samples[name] += run_sql(connect, sql, args, 1, seconds / 2)[0]
        with connect() as conn:
            matched = conn.execute(with_sql, params).fetchone()[3]
        for name, taken in samples.items():
            r = Result(name, query.key, probe.size, 1, requests=len(taken), extra={"numberMatched": matched})
            if taken:
                r.rps = len(taken) / seconds
                r.p50_ms, r.p99_ms = percentile(taken, 50) * 1000, percentile(taken, 99) * 1000
            out.append(r)
            log(f"  {probe.size} {name} {query.key}: {r.p50_ms or 0:.2f} ms p50 (numberMatched {matched})")
        time.sleep(0.1)
    return out
