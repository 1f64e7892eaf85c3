"""The results file (Markdown), the raw JSON beside it, and the latency-vs-size plot (PNG).

Ratios are of c1 p50 latency: "× raw SQL" divides a server's latency by the
floor's on the same query and size; "× best peer" divides it by the fastest
peer's (tipg, pygeoapi, MapServer, QGIS Server). Below 1 is faster.
"""
import json
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .datasets import SIZES  # noqa: E402
from .matched import WITH, WITHOUT  # noqa: E402
from .queries import BY_KEY, ITEMS_CASES  # noqa: E402

FLOOR = "raw SQL"
PEERS = ("tipg", "pygeoapi", "mapserver", "qgis")
ORDER = (FLOOR, "app", *PEERS)
GOALS_NOTE = ("Goals: features within 1.5× of raw SQL and ahead of tipg and pygeoapi; tiles within 1.3× of raw "
              "ST_AsMVT; note JSON (with the buildable envelope) p50 ≤ 30 ms, PDF ≤ 1 s and the 3D envelope ≤ 100 ms "
              "at 1M parcels; latency flat from 1M to 10M; numberMatched makes no items page slower than 1.2×.")
MATCHED_LIMIT = 1.2
FLAT_LIMIT = 1.3  # growth of c1 p50 from the smallest to the largest size still called flat (±20 % run to run)


def _fmt(value, digits=1):
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def index(results):
    """{(server, query, size, concurrency): result dict}"""
    return {(r["server"], r["query"], r["size"], r["concurrency"]): r for r in results}


def best_peer(idx, query, size):
    """(name, c1 p50 ms) of the fastest peer on this query and size, or (None, None)."""
    timed = [(idx[(p, query, size, 1)]["p50_ms"], p) for p in PEERS
             if (p, query, size, 1) in idx and idx[(p, query, size, 1)]["p50_ms"] is not None
             and not idx[(p, query, size, 1)]["errors"]]
    if not timed:
        return None, None
    ms, name = min(timed)
    return name, ms


def ratio(a, b):
    return a / b if a is not None and b else None


def query_table(idx, query, sizes, servers, high):
    lines = [f"### {BY_KEY[query].label}", "",
             f"| size | server | c1 p50 ms | c1 p99 ms | c1 req/s | c{high} req/s | c{high} p50 ms | c{high} p99 ms "
             "| errors | peak RSS MiB | cold ms | KB | × raw SQL | × best peer |",
             "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for size in sizes:
        floor = idx.get((FLOOR, query, size, 1), {}).get("p50_ms")
        peer, peer_ms = best_peer(idx, query, size)
        for server in servers:
            one, many = idx.get((server, query, size, 1)), idx.get((server, query, size, high))
            if not one:
                continue
            if one["p50_ms"] is None and one["note"]:
                lines.append(f"| {size} | {server} | {one['note']} |||||||||||||")
                continue
            errors = one["errors"] + (many["errors"] if many else 0)
            kb = one["bytes_per_response"] / 1024 if one["bytes_per_response"] else None
            vs_peer = "" if server in PEERS and server == peer else _fmt(ratio(one["p50_ms"], peer_ms), 2)
            lines.append(
                f"| {size} | {server} | {_fmt(one['p50_ms'], 2)} | {_fmt(one['p99_ms'], 2)} | {_fmt(one['rps'])} "
                f"| {_fmt(many['rps']) if many and many['p50_ms'] else '—'} "
                f"| {_fmt(many['p50_ms'], 2) if many else '—'} | {_fmt(many['p99_ms'], 2) if many else '—'} "
                f"| {errors} | {_fmt(one['peak_rss_mib'] or (many or {}).get('peak_rss_mib'))} "
                f"| {_fmt(one['cold_ms'], 2)} | {_fmt(kb)} "
                f"| {'' if server == FLOOR else _fmt(ratio(one['p50_ms'], floor), 2)} | {vs_peer or '—'} |")
        floor_bytes = idx.get((FLOOR, query, size, 1), {}).get("bytes_per_response")
        notes = [f"{s}: answers {(idx[(s, query, size, 1)]['bytes_per_response'] or 0) / 1024:.1f} KB where the floor "
                 f"writes {floor_bytes / 1024:.1f} KB: not the same work, compare with care" for s in servers
                 if floor_bytes and s != FLOOR and (s, query, size, 1) in idx
                 and idx[(s, query, size, 1)]["p50_ms"] is not None
                 and (idx[(s, query, size, 1)]["bytes_per_response"] or 0) < floor_bytes / 10]
        notes += [f"{s}: {idx[(s, query, size, high)]['note']}" for s in servers
                 if (s, query, size, high) in idx and idx[(s, query, size, high)]["note"]
                 and idx[(s, query, size, 1)]["p50_ms"] is not None]
        for note in notes:
            lines.append(f"| {size} | {note} |||||||||||||")
    return lines + [""]


def summary_table(idx, sizes, queries, servers):
    """c1 p50 (ms) of every server on every query at the largest size: the table the README shows."""
    size = sizes[-1]
    shown = [s for s in servers if any((s, q, size, 1) in idx for q in queries)]
    lines = [f"c1 p50 latency in ms at {size} parcels (— not measured; n/a: the server has no such query)", "",
             "| query | " + " | ".join(shown) + " |", "|---|" + "--:|" * len(shown)]
    for query in queries:
        cells = []
        for server in shown:
            r = idx.get((server, query, size, 1))
            if not r:
                cells.append("—")
            elif r["p50_ms"] is None:
                cells.append("n/a" if not r["note"].startswith("not available") else "not on build")
            else:
                cells.append(_fmt(r["p50_ms"], 2) + (" (err)" if r["errors"] else ""))
        lines.append(f"| {BY_KEY[query].label} | " + " | ".join(cells) + " |")
    return lines + [""]


def goals(idx, sizes):
    """The issue's goals read against the numbers of this run: met, missed (with figures) or not measured."""
    size, lines = sizes[-1], []

    def p50(server, query, at=size):
        r = idx.get((server, query, at, 1))
        return r["p50_ms"] if r and not r["errors"] else None

    def verdict(ok):
        return "met" if ok else "**missed**"

    for query in ("items_100", "items_1000", "item", "filter"):
        app, floor = p50("app", query), p50(FLOOR, query)
        if app is None:
            lines.append(f"- {BY_KEY[query].label}: not measured (endpoint not on this build or errors)")
            continue
        rivals = {p: p50(p, query) for p in ("tipg", "pygeoapi")}
        ahead = all(v is None or app < v for v in rivals.values())
        lines.append(f"- {BY_KEY[query].label}: {app:.2f} ms = {ratio(app, floor) or 0:.2f}× raw SQL "
                     f"({verdict(floor and app <= 1.5 * floor)}); vs tipg/pygeoapi "
                     f"{', '.join(f'{p} {_fmt(v, 2)} ms' for p, v in rivals.items())} ({verdict(ahead)})")
    for query in ("tile_z14", "tile_z16", "tile_z18"):
        app, floor = p50("app", query), p50(FLOOR, query)
        if app is None:
            lines.append(f"- {BY_KEY[query].label}: not measured (endpoint not on this build or errors)")
            continue
        lines.append(f"- {BY_KEY[query].label}: {app:.2f} ms = {ratio(app, floor) or 0:.2f}× raw ST_AsMVT "
                     f"({verdict(floor and app <= 1.3 * floor)})")
    for query, limit in (("note_json", 30), ("note_pdf", 1000), ("note_3d", 100)):
        app = p50("app", query)
        lines.append(f"- {BY_KEY[query].label} p50 ≤ {limit} ms at {size}: "
                     + ("not measured (endpoint not on this build or errors)" if app is None
                        else f"{app:.1f} ms ({verdict(app <= limit)})"))
    if "1m" in sizes and size != "1m":
        for query, limit in (("note_json", 30), ("note_3d", 100)):
            app = p50("app", query, "1m")
            if app is not None:
                lines.append(f"- {BY_KEY[query].label} p50 ≤ {limit} ms at 1m: {app:.1f} ms ({verdict(app <= limit)})")
    if len(sizes) > 1:
        growth, over = [], []
        for query in BY_KEY:
            a, b = p50("app", query, sizes[0]), p50("app", query, sizes[-1])
            if a and b:
                growth.append(f"{query} {b / a:.2f}×")
                if b / a > FLAT_LIMIT:
                    over.append(query)
        lines.append(f"- flat latency {sizes[0]} → {sizes[-1]} (app c1 p50 growth ≤ {FLAT_LIMIT}×): "
                     + (", ".join(growth) if growth else "not measured")
                     + (f" ({verdict(not over)}{': ' + ', '.join(over) if over else ''})" if growth else ""))
    rows = matched_rows(idx, sizes)
    if rows:
        worst = max((r for r in rows if r[6]), key=lambda r: r[6], default=None)
        lines.append("- numberMatched ≤ 1.2× the page without it: " + (
            f"worst {worst[6]:.2f}× ({worst[1]} at {worst[0]}) ({verdict(worst[6] <= MATCHED_LIMIT)})" if worst
            else "not measured (no app figure)"))
    return lines


def datasets_table(described):
    """Each dataset: parcels, what its load took (time, peak memory of the loading process) and its disk."""
    lines = ["| size | parcels | load s | load peak memory MiB | database on disk GiB | parcels table + indexes GiB |",
             "|---|--:|--:|--:|--:|--:|"]
    for size, d in described.items():
        load = d.get("load") or {}
        lines.append(f"| {size} | {d['parcels']:,} | {_fmt(load.get('seconds'))} | {_fmt(load.get('peak_memory_mib'))} "
                     f"| {d['database_bytes'] / 2**30:.2f} | {d['parcel_table_bytes'] / 2**30:.2f} |")
    return lines + ["", "Load: `manage.py load_sample_data --parcels N` (generation + COPY + indexes + ANALYZE), as "
                        "recorded on this machine when the dataset was loaded (— loaded before it was recorded).", ""]


def scale_table(idx, sizes, queries):
    """App and raw-SQL c1 p50/p99 at each size, and the growth from the smallest size to the largest."""
    first, last = sizes[0], sizes[-1]
    head = " | ".join(f"app {s} p50 | app {s} p99" for s in sizes)
    lines = [f"| query | {' | '.join(f'raw SQL {s} p50' for s in sizes)} | {head} | app {first}→{last} "
             f"| raw SQL {first}→{last} |", "|---|" + "--:|" * (3 * len(sizes) + 2)]

    def cell(server, query, size, key):
        r = idx.get((server, query, size, 1))
        return r[key] if r and not r["errors"] else None

    for query in queries:
        floors = [cell(FLOOR, query, s, "p50_ms") for s in sizes]
        apps = [(cell("app", query, s, "p50_ms"), cell("app", query, s, "p99_ms")) for s in sizes]
        if not any(a for a, _ in apps) and not any(floors):
            continue
        app_growth = ratio(apps[-1][0], apps[0][0])
        floor_growth = ratio(floors[-1], floors[0])
        lines.append(f"| {BY_KEY[query].label} | " + " | ".join(_fmt(f, 2) for f in floors) + " | "
                     + " | ".join(f"{_fmt(a, 2)} | {_fmt(b, 2)}" for a, b in apps)
                     + f" | {_fmt(app_growth, 2)}{'×' if app_growth else ''} | {_fmt(floor_growth, 2)}"
                       f"{'×' if floor_growth else ''} |")
    return lines + [""]


def matched_rows(idx, sizes):
    """(size, query, numberMatched, page SQL ms, without ms, app ms, page with ÷ page without) per items page."""
    rows = []
    for size in sizes:
        for query in ITEMS_CASES:
            with_, without = idx.get((WITH, query, size, 1)), idx.get((WITHOUT, query, size, 1))
            app = idx.get(("app", query, size, 1))
            if not (with_ and without and with_["p50_ms"] and without["p50_ms"]):
                continue
            app_ms = app["p50_ms"] if app and not app["errors"] else None
            cost = max(0.0, with_["p50_ms"] - without["p50_ms"])
            slower = ratio(app_ms, app_ms - cost) if app_ms and app_ms > cost else None
            rows.append((size, query, with_["extra"].get("numberMatched"), with_["p50_ms"], without["p50_ms"],
                         app_ms, slower))
    return rows


def matched_table(idx, sizes):
    lines = ["| size | items page | numberMatched | page SQL ms | same without the count ms | app page ms "
             "| page ÷ page without numberMatched |", "|---|---|--:|--:|--:|--:|--:|"]
    for size, query, number, with_ms, without_ms, app_ms, slower in matched_rows(idx, sizes):
        shown = "left out (over the count's cap)" if number is None else f"{number:,}"
        lines.append(f"| {size} | {BY_KEY[query].label} | {shown} | {_fmt(with_ms, 2)} | {_fmt(without_ms, 2)} "
                     f"| {_fmt(app_ms, 2)} | {_fmt(slower, 2)}{'×' if slower else ''} |")
    return lines + ["", "The app's own page statement (layers.serving.layer_queries.page_statement) timed through "
                        "psycopg with and without its count, alternately, c1 p50; the difference is what "
                        "numberMatched adds to the app's page.", ""]


def plot(idx, sizes, queries, servers, path):
    """Latency (c1 p50, log scale) against dataset size, one panel per query, one line per server."""
    cols = 3
    rows = (len(queries) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(5 * cols, 3.6 * rows), squeeze=False)
    xs = [SIZES[s] for s in sizes]
    for ax, query in zip(axes.flat, queries):
        for server in servers:
            ys = [idx.get((server, query, s, 1), {}).get("p50_ms") for s in sizes]
            points = [(x, y) for x, y in zip(xs, ys) if y]
            if points:
                ax.plot(*zip(*points), marker="o", label=server, linestyle="--" if server == FLOOR else "-",
                        color=f"C{ORDER.index(server)}")
        ax.set_title(BY_KEY[query].label, fontsize=10)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks(xs, [s for s in sizes])
        ax.set_ylabel("c1 p50 ms")
        ax.grid(True, which="both", alpha=0.3)
        if ax.lines:
            ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(queries):]:
        ax.set_visible(False)
    fig.suptitle("Latency vs dataset size (parcels), one request at a time")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def write(results, status, meta, out_dir, stem):
    """Write <stem>.json, <stem>.md and <stem>-latency.png in `out_dir`; returns the .md path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data = [r.as_dict() for r in results]
    (out_dir / f"{stem}.json").write_text(json.dumps(dict(meta=meta, status=status, results=data), indent=1))
    idx = index(data)
    sizes, queries, high = meta["sizes"], meta["queries"], max(meta["concurrency"])
    servers = [s for s in ORDER if s in {r["server"] for r in data}]
    png = f"{stem}-latency.png"
    plot(idx, sizes, queries, servers, out_dir / png)
    lines = [f"# Benchmark {meta['date']}", "",
             f"Machine: {meta['machine']}. {meta['postgres']}. Commit {meta['commit']}. "
             f"Each figure: wrk for {meta['seconds']} s after a warm-up, at concurrency "
             f"{' and '.join(map(str, meta['concurrency']))}; raw SQL through psycopg threads. "
             "Load generator and servers share the machine: compare within this run, as ratios. "
             f"Machine load average (1 min, other work included): {meta.get('load', '?')}.", "",
             "## Servers", ""]
    lines += [f"- **{name}**: {text}" for name, text in status.items()]
    lines += ["", "## Summary", ""] + summary_table(idx, sizes, queries, servers)
    lines += ["## Goals", "", GOALS_NOTE, ""] + goals(idx, sizes) + [""]
    if meta.get("datasets"):
        lines += ["## Datasets", ""] + datasets_table(meta["datasets"])
    if len(sizes) > 1:
        lines += [f"## Scale: {sizes[0]} → {sizes[-1]}", "", "c1 latency in ms, one request at a time.", ""]
        lines += scale_table(idx, sizes, queries)
    if matched_rows(idx, sizes):
        lines += ["## numberMatched", ""] + matched_table(idx, sizes)
    lines += ["## Latency vs size", "", f"![latency vs size]({png})", "", "## All figures", ""]
    for query in queries:
        lines += query_table(idx, query, sizes, servers, high)
    path = out_dir / f"{stem}.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def update_readme(readme, md_path):
    """Replace the table between the bench markers of `readme` with the summary of `md_path`."""
    text = md_path.read_text()
    summary = text[text.index("## Summary") + len("## Summary"):text.index("## Goals")].strip()
    md_path, readme = md_path.resolve(), readme.resolve()
    link = md_path.relative_to(readme.parent) if md_path.is_relative_to(readme.parent) else md_path
    block = (f"<!-- bench:latest -->\nLatest run: [{md_path.name}]({link})\n\n{summary}\n"
             "<!-- /bench:latest -->")
    current = readme.read_text()
    readme.write_text(re.sub(r"<!-- bench:latest -->.*<!-- /bench:latest -->", lambda _: block, current, flags=re.S))
