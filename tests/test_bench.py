"""The benchmark harness measures what it claims: floor SQL answers like the sample data, wrk's
figures come back from a real server, and the results file reads ratios and goals right."""
import json
from pathlib import Path

import mapbox_vector_tile
import pytest
import shapely
from django.db import connection

from bench import datasets, report
from bench.measure import PeakRss, Result, http_result, run_wrk, tree_rss_mib
from bench.queries import BY_KEY
from plans.crs import transform_shapely


@pytest.fixture(scope="module")
def probe(django_db_setup, django_db_blocker):
    s = connection.settings_dict
    url = f"postgis://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return datasets.probe("sample", url)


def floor(probe, key):
    import psycopg

    query = BY_KEY[key]
    with psycopg.connect(datasets.libpq_dsn(probe.url)) as conn:
        return conn.execute(query.floor_sql, query.floor_params(probe)).fetchone()[0]


def tetouan(sample_dataset):
    return next(a for a in sample_dataset.agencies if a.code == "AUT")


def test_items_floor_returns_the_parcels_in_the_bbox(probe, sample_dataset):
    agency = tetouan(sample_dataset)
    bbox = transform_shapely(shapely.box(*probe.bbox_small), 4326, agency.srid)
    expected = {str(t) for t, g in zip(agency.parcel_titles, agency.parcel_geoms) if g.intersects(bbox)}
    features = json.loads(floor(probe, "items_100"))["features"]
    assert 0 < len(features) <= 100
    got = {f["properties"]["title_number"] for f in features}
    assert got <= expected, f"parcels outside the bbox: {sorted(got - expected)[:5]}"
    assert len(got) == min(100, len(expected))


def test_tile_floor_holds_the_parcels_of_the_tile(probe):
    tile = mapbox_vector_tile.decode(bytes(floor(probe, "tile_z16")))
    z, x, y = probe.tiles[16]
    assert (z, x, y) == datasets.tile_of(*probe.centre, 16)
    ids = {f["properties"]["title_number"] for f in tile["parcels"]["features"]}
    assert probe.title_number in ids, "the probe's parcel lies at the tile's centre"
    assert len(ids) > 50, f"a z16 tile over the dense centre holds {len(ids)} parcels"


def test_note_floor_overlays_the_parcel_on_the_plan_in_force(probe, sample_dataset):
    agency = tetouan(sample_dataset)
    parcel = next(g for t, g in zip(agency.parcel_titles, agency.parcel_geoms) if str(t) == probe.title_number)
    plan = next(p for p in agency.plans if p.status == "approved")
    expected = {code: parcel.intersection(geom).area for code, geom in plan.zones if geom.intersects(parcel)}
    rows = [r for r in json.loads(floor(probe, "note_json")) if r["layer"] == "zone"]
    got = {}
    for r in rows:
        got[r["code"]] = got.get(r["code"], 0) + r["area_m2"]
    assert set(got) == {c for c, a in expected.items() if a > 0.05}
    for code, area in got.items():
        assert area == pytest.approx(expected[code], abs=0.5), code  # m², Lambert 26191
    assert sum(r["share"] for r in rows) == pytest.approx(1.0, abs=0.01)


def test_wrk_measures_a_real_server(live_server_url):
    """wrk's JSON line is parsed into requests/s, latencies and errors; RSS of a live tree is seen."""
    result = http_result(Result("app", "health", "sample", 2), run_wrk(live_server_url + "/healthz", 2, 1))
    assert result.requests > 0 and result.rps > 0
    assert result.errors == 0
    assert 0 < result.p50_ms <= result.p99_ms
    missing = http_result(Result("app", "404", "sample", 1), run_wrk(live_server_url + "/no-such-page", 1, 1))
    assert missing.errors == missing.requests > 0, "non-2xx answers count as errors"


def test_peak_rss_of_this_process():
    with PeakRss(__import__("os").getpid()) as rss:
        __import__("time").sleep(0.25)
    assert rss.peak == pytest.approx(tree_rss_mib(__import__("os").getpid()), rel=0.5)
    assert rss.peak > 10


def _result(server, query, p50, size="1m", errors=0, note=""):
    return Result(server, query, size, 1, rps=1000 / p50 if p50 else 0, p50_ms=p50, p99_ms=p50 and p50 * 2,
                  errors=errors, requests=100, note=note)


def test_results_file_reads_ratios_and_goals(tmp_path):
    results = [
        _result("raw SQL", "items_100", 2.0), _result("app", "items_100", 2.5), _result("tipg", "items_100", 10.0),
        _result("pygeoapi", "items_100", 50.0), _result("mapserver", "items_100", 4.0),
        _result("raw SQL", "tile_z16", 5.0), _result("app", "tile_z16", 8.0), _result("tipg", "tile_z16", 6.0),
        _result("app", "note_json", None, note="not available on this build (HTTP 404)"),
    ]
    meta = dict(date="2026-11-23 00:00 UTC", sizes=["1m"], queries=["items_100", "tile_z16", "note_json"],
                concurrency=[1], seconds=1, machine="test", postgres="PostgreSQL", commit="abc")
    md = report.write(results, {"app": "geoportal"}, meta, tmp_path, "run").read_text()
    assert "| 1m | app | 2.50 |" in md
    app_row = next(line for line in md.splitlines() if line.startswith("| 1m | app | 2.50"))
    assert app_row.endswith("| 1.25 | 0.62 |"), app_row  # 2.5 / 2.0 raw SQL; 2.5 / 4.0 (MapServer, best peer)
    assert "items, 300 m bbox, limit 100: 2.50 ms = 1.25× raw SQL (met)" in md
    assert "vector tile z16: 8.00 ms = 1.60× raw ST_AsMVT (**missed**)" in md
    assert "urbanism note, JSON p50 ≤ 30 ms at 1m: not measured" in md
    assert (tmp_path / "run-latency.png").stat().st_size > 1000
    readme = tmp_path / "README.md"
    readme.write_text("intro\n<!-- bench:latest -->\nold\n<!-- /bench:latest -->\nend\n")
    report.update_readme(readme, tmp_path / "run.md")
    text = readme.read_text()
    assert "old" not in text and "| items, 300 m bbox, limit 100 | 2.00 | 2.50 |" in text and text.endswith("end\n")


def test_unknown_size_is_refused_with_the_valid_ones():
    with pytest.raises(SystemExit, match="10k, 100k, 1m"):
        datasets.parse_sizes("2m")
    assert datasets.parse_sizes("1m,10k") == ["10k", "1m"]


def test_bench_folder_is_a_package_run_by_python_m():
    assert (Path(datasets.__file__).parent / "__main__.py").exists()


def test_scale_and_number_matched_sections_read_the_figures_right(tmp_path):
    results = [_result("raw SQL", "items_100", 1.0), _result("raw SQL", "items_100", 1.1, size="10m"),
               _result("app", "items_100", 2.0), _result("app", "items_100", 2.4, size="10m"),
               _result("page SQL", "items_100", 1.5, size="10m"), _result("page SQL, no count", "items_100", 1.1,
                                                                          size="10m")]
    results[4].extra = {"numberMatched": 138}
    meta = dict(date="2026-12-02 00:00 UTC", sizes=["1m", "10m"], queries=["items_100"], concurrency=[1],
                seconds=1, machine="test", postgres="PostgreSQL", commit="abc", load="1.0 at start",
                datasets={"10m": dict(parcels=10_002_200, database_bytes=12 * 2**30, parcel_table_bytes=4 * 2**30,
                                      load=dict(seconds=1800.0, peak_memory_mib=812))})
    md = report.write(results, {"app": "geoportal"}, meta, tmp_path, "run").read_text()
    assert "| 10m | 10,002,200 | 1,800 | 812 | 12.00 | 4.00 |" in md
    assert "| items, 300 m bbox, limit 100 | 1.00 | 1.10 | 2.00 | 4.00 | 2.40 | 4.80 | 1.20× | 1.10× |" in md
    # the page costs 2.4 ms with numberMatched, 2.4 - (1.5 - 1.1) = 2.0 ms without: 1.2×
    assert "| 10m | items, 300 m bbox, limit 100 | 138 | 1.50 | 1.10 | 2.40 | 1.20× |" in md
    assert "numberMatched ≤ 1.2× the page without it: worst 1.20× (items_100 at 10m) (met)" in md
    assert "app c1 p50 growth ≤ 1.3×): items_100 1.20× (met)" in md


def test_number_matched_is_all_the_page_statement_adds(probe):
    """The page statement without its count (what bench/matched.py times) answers the same features; with it,
    a full page of parcels is counted exactly up to the cap (ten rows per row of the page, at least 1,000)."""
    import psycopg

    from bench import matched
    from layers.serving.layer_queries import MIN_EXACT_COUNT

    box = "ST_MakeEnvelope(%s, %s, %s, %s, 4326)"
    with psycopg.connect(datasets.libpq_dsn(probe.url)) as conn:
        for key, bbox in (("items_100", probe.bbox_small), ("items_wide", probe.bbox_wide)):
            with_sql, without_sql, params, without_params = matched.statements(probe, key)
            counted = conn.execute(with_sql, params).fetchone()
            bare = conn.execute(without_sql, without_params).fetchone()
            expected = conn.execute(f"SELECT count(*) FROM plans_parcel WHERE ST_Intersects(geom, {box})",
                                    bbox).fetchone()[0]
            assert counted[:3] == bare[:3] and counted[1] == 100, key
            assert bare[3] is None
            assert expected > 100
            assert counted[3] == min(expected, MIN_EXACT_COUNT + 1), key
