"""python -m geoportal.topology.faults (make faults): the faults of issue 14, one after the other, on the cluster.

Each fault runs under a bounded load (LOAD_THREADS threads on loopback, FAULT_SECONDS seconds) through nginx and
reports counts: requests, 5xx answers, failed requests (no answer), and what the fault asks for. The cluster is
`make cluster`'s (started if needed, with the short bounds below); results go to bench/results/<date>-faults.md.
"""
import datetime
import http.client
import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

FAULT_ENV = {"REPLICA_MAX_LAG_SECONDS": "3", "REPLICA_CHECK_SECONDS": "0.3", "NOTE_ANONYMOUS_RATE": "1000000/hour",
             "ESERVICES_SUBMISSIONS_PER_HOUR": "1000000", "EXTRACT_SYNC_MAX_FEATURES": "20"}
LOAD_THREADS = int(os.environ.get("FAULT_THREADS", "6"))
FAULT_SECONDS = float(os.environ.get("FAULT_SECONDS", "16"))
RESULTS = Path(__file__).resolve().parent.parent.parent / "bench" / "results"


def request(base, path, body=None, timeout=30, headers=None, answer=None):
    """(status, seconds) of one request; status 0 when no answer came, or only part of one. `answer`, a dict, gets
    the answer's headers."""
    data = json.dumps(body).encode() if body is not None else None
    started = time.monotonic()
    headers = {**({"Content-Type": "application/json"} if data else {}), **(headers or {})}
    req = urllib.request.Request(base + path, data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            response.read()
            status = response.status
            if answer is not None:
                answer.update(response.headers)
    except urllib.error.HTTPError as error:
        status = error.code
    except (OSError, http.client.HTTPException):  # no answer, or one cut short (a replica killed mid-answer)
        status = 0
    return status, time.monotonic() - started


def targets(base):
    """GET paths of the public read mix (items, one item, tiles, map click, territories) and a note body."""
    with urllib.request.urlopen(base + "/ogc/collections/parcels/items?limit=20", timeout=30) as response:
        features = json.loads(response.read())["features"]
    paths = ["/ogc/collections/zones/items?limit=20", "/api/territories", "/ogc/collections/zones/tiles/WebMercatorQuad/0/0/0?f=mvt"]
    for feature in features[:10]:
        lon, lat = _a_point(feature["geometry"])
        paths += [f"/ogc/collections/parcels/items/{feature['id']}?f=json", f"/api/place?lon={lon}&lat={lat}"]
        z = 16
        x, y = _tile(lon, lat, z)
        paths.append(f"/ogc/collections/parcels/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt")
    title = features[0]["properties"].get("title_number")
    points = [_a_point(f["geometry"]) for f in features]
    west, south, east, north = (min(p[0] for p in points) - 0.002, min(p[1] for p in points) - 0.002,
                                max(p[0] for p in points) + 0.002, max(p[1] for p in points) + 0.002)
    bbox = f"{west},{south},{east},{north}"
    paths += [f"/api/search?q={urllib.parse.quote(title)}", "/api/plans",
              # MapServer: a WMS map (lat,lon axis order in EPSG:4326) and a WFS page of the same place
              f"/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=zones,parcels&STYLES=&CRS=EPSG:4326"
              f"&BBOX={south},{west},{north},{east}&WIDTH=256&HEIGHT=256&FORMAT=image/png",
              f"/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=parcels&COUNT=10"
              f"&BBOX={south},{west},{north},{east},urn:ogc:def:crs:EPSG::4326"]
    return paths, {"title_number": title, "mode": "indicative", "bbox": bbox}


def _a_point(geometry):
    ring = geometry["coordinates"][0][0] if geometry["type"] == "MultiPolygon" else geometry["coordinates"][0]
    xs, ys = zip(*[(p[0], p[1]) for p in ring])
    return round(sum(xs) / len(xs), 7), round(sum(ys) / len(ys), 7)


def _tile(lon, lat, z):
    import math

    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


class Load:
    """LOAD_THREADS threads cycling through `paths` (and POSTing notes when `note` is given, each with its own
    Idempotency-Key, as a client that retries should) until stopped. `replayed` counts the POSTs answered as a
    replay of an earlier copy (nginx re-sent it after its replica died having committed the note)."""

    def __init__(self, base, paths, note=None, threads=LOAD_THREADS):
        self.base, self.paths = base, paths
        self.note = {k: v for k, v in note.items() if k != "bbox"} if note else None
        self.counts = {"get": 0, "get_5xx": 0, "get_failed": 0, "post": 0, "post_5xx": 0, "post_failed": 0,
                       "replayed": 0}
        self.slowest = 0.0
        self.failures = Counter()  # "METHOD path (status)" of each 5xx or unanswered request
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(threads)]

    def _run(self, number):
        i = number
        while not self._stop.is_set():
            post = self.note is not None and i % 10 == 0
            path = "/api/notes" if post else self.paths[i % len(self.paths)]
            answer = {}
            status, seconds = request(self.base, path, self.note if post else None, answer=answer,
                                      headers={"Idempotency-Key": uuid.uuid4().hex} if post else None)
            kind = "post" if post else "get"
            with self._lock:
                self.counts["replayed"] += answer.get("Idempotent-Replayed") == "true"
                if status >= 500 or status == 0:
                    self.failures[f"{kind.upper()} {path.split('?')[0]} ({status})"] += 1
                self.counts[kind] += 1
                self.counts[f"{kind}_5xx"] += status >= 500
                self.counts[f"{kind}_failed"] += status == 0
                self.slowest = max(self.slowest, seconds)
            i += 1

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for thread in self._threads:
            thread.join(60)


def _pid(layout, control, name):
    line = control.supervisorctl(layout, "status", name).split()
    return int(line[3].rstrip(",")) if len(line) >= 4 and line[1] == "RUNNING" else None


def _kill_tree(pid):
    import psutil

    pids = [pid] + [child.pid for child in psutil.Process(pid).children(recursive=True)]
    subprocess.run(["kill", "-9", *map(str, pids)], check=False)


def _wait(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def fault_app_replica(layout, control, base, paths, note):
    with Load(base, paths, note) as load:
        time.sleep(FAULT_SECONDS / 3)
        _kill_tree(_pid(layout, control, "app1"))
        time.sleep(FAULT_SECONDS * 2 / 3)
    restarted = _wait(lambda: _pid(layout, control, "app1") is not None, 30)
    failed = sum(load.counts[k] for k in ("get_5xx", "get_failed", "post_5xx", "post_failed"))
    return load, {"goal": "0 failed idempotent requests (and keyed note POSTs)", "ok": failed == 0,
                  "note": f"app1 restarted by supervisord: {restarted}; {load.counts['replayed']} note POSTs answered "
                          "as the replay of a copy"}


def fault_replica_stop(layout, control, base, paths, note):
    from . import postgres

    with Load(base, paths) as load:
        time.sleep(FAULT_SECONDS / 3)
        postgres.stop(layout.standby_dir, mode="immediate")
        time.sleep(FAULT_SECONDS * 2 / 3)
    postgres.start(layout.standby_dir, layout.log_dir / "pg-standby.log")
    postgres.wait_streaming(layout)
    return load, {"goal": "0 errors, reads fall back", "ok": load.counts["get_5xx"] + load.counts["get_failed"] == 0,
                  "note": "standby started again, streaming"}


def fault_redis_stop(layout, control, base, paths, note):
    with Load(base, paths, note) as load:
        time.sleep(3)
        control.supervisorctl(layout, "stop", "redis")
        time.sleep(10)
        control.supervisorctl(layout, "start", "redis")
        time.sleep(3)
    workers = _wait(lambda: all(_pid(layout, control, f"worker:worker-{n}") for n in range(layout.workers)), 60)
    fives = load.counts["get_5xx"] + load.counts["post_5xx"]
    return load, {"goal": "0 × 500", "ok": fives == 0, "note": f"workers running after the restart: {workers}"}


def fault_redis_freeze(layout, control, base, paths, note):
    pid = _pid(layout, control, "redis")
    with Load(base, paths, note) as load:
        time.sleep(3)
        os.kill(pid, signal.SIGSTOP)
        try:
            time.sleep(10)
        finally:
            os.kill(pid, signal.SIGCONT)
        time.sleep(3)
    fives = load.counts["get_5xx"] + load.counts["post_5xx"]
    return load, {"goal": "other endpoints keep answering", "ok": fives == 0 and load.counts["get"] > 100,
                  "note": f"{load.counts['get']} GET answered in 16 s, slowest {load.slowest:.2f} s"}


def _queue_idle(connection):
    """No job waiting on the default queue and none running (earlier faults leave note PDFs behind them)."""
    from rq import Queue

    queue = Queue("default", connection=connection)
    return queue.count == 0 and queue.started_job_registry.count == 0


def _big_bbox(bbox, half_m=900):
    """A bbox of about 2 × half_m metres around the centre of `bbox` (lon/lat): an extract that takes a while,
    within EXTRACT_MAX_AREA_M2 (4 km²)."""
    import math

    west, south, east, north = map(float, bbox.split(","))
    lon, lat = (west + east) / 2, (south + north) / 2
    dlat, dlon = half_m / 111_320, half_m / (111_320 * math.cos(math.radians(lat)))
    return f"{lon - dlon:.6f},{lat - dlat:.6f},{lon + dlon:.6f},{lat + dlat:.6f}"


def _json(url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"} if data else {})
    with urllib.request.urlopen(req, timeout=60) as response:
        return json.loads(response.read())


def _kill_worker_mid_job(layout, base, bbox, connection):
    """(extract status JSON, killed worker pids) of one extract whose worker (and work horse) got kill -9 while the
    extract was running, or None for the pids when it ended before it could be caught running."""
    import psutil
    from rq.job import Job

    extract = _json(base + "/api/extracts", {"format": "dxf", "bbox": _big_bbox(bbox)})
    job = Job.fetch(f"extract-{extract['id']}", connection=connection)
    running = _wait(lambda: job.refresh() or (job.meta.get("pid") and _json(extract["status_url"])["status"] == "running"),
                    60)
    if not running:
        return _json(extract["status_url"]), None
    horse = job.meta["pid"]
    try:
        worker = psutil.Process(horse).parent()  # the RQ worker that forked this work horse for the job
        pids = [worker.pid, horse] if "rqworker" in " ".join(worker.cmdline()) else [horse]
    except psutil.NoSuchProcess:
        return _json(extract["status_url"]), None
    subprocess.run(["kill", "-9", *map(str, pids)], check=False)
    return extract, pids


def fault_worker_mid_job(layout, control, base, paths, note, attempts=3):
    """kill -9 of the worker making an extract, once the queue is drained and the extract is running: the extract
    is reconciled (failed, with a message, retryable) and its retry is done."""
    import redis

    connection = redis.Redis(port=layout.redis_port)
    # The note PDFs the earlier faults' POSTs queued (≈ 2 s each on this machine) are done first: the extract must
    # be caught running, not waiting behind them.
    waited = time.monotonic()
    drained = _wait(lambda: _queue_idle(connection), 600)
    waited = time.monotonic() - waited
    pids = None
    for _ in range(attempts):
        extract, pids = _kill_worker_mid_job(layout, base, note["bbox"], connection)
        if pids:
            break
    final = _json(extract["status_url"]) if pids else extract
    ended = pids is not None and _wait(lambda: _json(extract["status_url"])["status"] in ("failed", "done"), 60)
    final = _json(extract["status_url"]) if pids else final
    retried = None
    if final["status"] == "failed" and final.get("retry_url"):
        _json(final["retry_url"], {})
        retried = _wait(lambda: _json(extract["status_url"])["status"] == "done", 180)
    restarted = _wait(lambda: all(_pid(layout, control, f"worker:worker-{n}") for n in range(layout.workers)), 60)
    ok = bool(pids) and ended and final["status"] == "failed" and bool(final.get("error")) and bool(retried)
    load = Load(base, paths)
    return load, {"goal": "job reconciled", "ok": ok,
                  "note": f"queue drained first: {drained} (in {waited:.0f} s); worker and work horse {pids} killed "
                          f"while the extract was running; extract {final['status']}"
                          f"{' (' + final.get('error', '')[:90] + ')' if final['status'] == 'failed' else ''}; "
                          f"retried and done: {retried}; workers restarted: {restarted}"}


def fault_db_terminate(layout, control, base, paths, note, seconds=FAULT_SECONDS, threads=LOAD_THREADS):
    """Every backend of the app role, on the primary and on the standby, terminated once a second under load."""
    from django.conf import settings

    from . import postgres

    app = settings.DATABASE_ROLES["app"]["USER"]
    killed = 0
    with Load(base, paths, threads=threads) as load:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for port in (layout.primary_port, layout.standby_port):
                out = postgres.psql(layout, port, f"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                                  f"WHERE usename = '{app}'")
                killed += int(out or 0)
            time.sleep(1)
    return load, {"goal": "0 × 500 on every read path", "ok": load.counts["get_5xx"] + load.counts["get_failed"] == 0,
                  "terminated": killed, "note": f"{killed} backends terminated"}


def fault_slow_clients(layout, control, base, paths, note, clients=50):
    sockets = []
    for _ in range(clients):
        s = socket.create_connection(("127.0.0.1", layout.http_port), timeout=5)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        sockets.append(s)
    probes = []
    deadline = time.monotonic() + FAULT_SECONDS
    beat = time.monotonic()
    while time.monotonic() < deadline:
        probes.append(request(base, "/healthz", timeout=10))
        if time.monotonic() - beat >= 3:
            beat = time.monotonic()
            for s in sockets:
                try:
                    s.sendall(b"X-Slow: 1\r\n")  # one header line every 3 s
                except OSError:
                    pass
        time.sleep(0.5)
    for s in sockets:
        s.close()
    slowest = max(seconds for _, seconds in probes)
    load = Load(base, paths)
    load.counts.update(get=len(probes), get_5xx=sum(status >= 500 for status, _ in probes),
                       get_failed=sum(status == 0 for status, _ in probes))
    load.slowest = slowest
    return load, {"goal": "a probe answers in < 1 s", "ok": slowest < 1 and load.counts["get_failed"] == 0,
                  "note": f"{clients} slow clients; slowest probe {slowest:.3f} s"}


FAULTS = [("kill -9 one app replica under load", fault_app_replica),
          ("stop the replica under load", fault_replica_stop),
          ("stop Redis 10 s under load", fault_redis_stop),
          ("freeze Redis 10 s (SIGSTOP)", fault_redis_freeze),
          ("kill -9 a worker mid-job", fault_worker_mid_job),
          ("terminate database backends under load", fault_db_terminate),
          ("50 slow clients", fault_slow_clients)]


def run(layout, control, names=None):
    """[(fault, counts, verdict)] of each fault (all, or those whose function name holds one of `names`)."""
    base = layout.base_url
    paths, note = targets(base)
    results = []
    for title, fault in FAULTS:
        if names and not any(name in fault.__name__ for name in names):
            continue
        load, verdict = fault(layout, control, base, paths, note)
        if load.failures:
            verdict["note"] += "; failed: " + ", ".join(f"{n} × {what}" for what, n in load.failures.most_common(4))
        results.append((title, dict(load.counts, slowest_s=round(load.slowest, 3)), verdict))
        print(f"{title}: {load.counts} -> {'ok' if verdict['ok'] else 'MISSED'} ({verdict['note']})", flush=True)
        control.wait_healthy(layout)
    return results


def report(results):
    now = datetime.datetime.now(datetime.timezone.utc)
    lines = [f"# Faults {now:%Y-%m-%d %H:%M UTC}", "",
             f"`make faults`: {LOAD_THREADS} client threads through nginx on loopback, {FAULT_SECONDS:.0f} s a fault.", "",
             "| fault | GET | GET 5xx | GET no answer | POST | POST 5xx | POST no answer | slowest s | goal | met | notes |",
             "|---|--:|--:|--:|--:|--:|--:|--:|---|---|---|"]
    for title, c, v in results:
        lines.append(f"| {title} | {c['get']} | {c['get_5xx']} | {c['get_failed']} | {c['post']} | {c['post_5xx']} "
                     f"| {c['post_failed']} | {c['slowest_s']} | {v['goal']} | {'yes' if v['ok'] else '**no**'} | {v['note']} |")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{now:%Y-%m-%d}-faults.md"
    out.write_text("\n".join(lines) + "\n")
    return out, "\n".join(lines)


def main():
    import sys

    import django

    os.environ.update({k: v for k, v in FAULT_ENV.items() if k not in os.environ})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
    django.setup()
    from . import control
    from .layout import default_layout

    layout = default_layout()
    control.start(layout, parcels=int(os.environ.get("PARCELS", "6000")))
    results = run(layout, control, sys.argv[1:])
    out, text = report(results)
    print(text)
    print(f"\nfaults: written to {out}")
    sys.exit(0 if all(v["ok"] for _, _, v in results) else 1)


if __name__ == "__main__":
    main()
