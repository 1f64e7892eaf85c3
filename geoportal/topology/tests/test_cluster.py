"""The production topology, started for real (make cluster): replication, reads on the replica, restarts.

Every check talks to the cluster through its nginx on loopback, or to its PostgreSQL over its own socket.
"""
import json
import secrets
import threading
import time
import urllib.error
import urllib.request

from .conftest import kill9, superuser_sql, supervised_pid, wait_for


def get(layout, path, timeout=10):
    """(status, body bytes) of GET `path` through the proxy."""
    try:
        with urllib.request.urlopen(layout.base_url + path, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_a_write_on_the_primary_is_read_on_the_standby(cluster):
    layout, _ = cluster
    token = secrets.token_hex(8)
    superuser_sql(layout, layout.primary_port, "CREATE TABLE IF NOT EXISTS cluster_probe (token text)")
    superuser_sql(layout, layout.primary_port, f"INSERT INTO cluster_probe VALUES ('{token}')")
    wait_for(lambda: superuser_sql(layout, layout.standby_port,
                                   f"SELECT count(*) FROM cluster_probe WHERE token = '{token}'") == "1",
             10, "the row written on the primary reaches the standby")
    assert superuser_sql(layout, layout.standby_port, "SELECT pg_is_in_recovery()") == "t"
    state = superuser_sql(layout, layout.primary_port, "SELECT state, sync_state FROM pg_stat_replication")
    assert state.startswith("streaming|"), state


def test_the_app_connects_as_its_least_privileged_role(cluster):
    layout, _ = cluster
    from django.conf import settings

    app = settings.DATABASE_ROLES["app"]["USER"]
    get(layout, "/ogc/collections/parcels/items?limit=1")
    for port in (layout.primary_port, layout.standby_port):
        users = set(superuser_sql(layout, port, "SELECT DISTINCT usename FROM pg_stat_activity "
                                                "WHERE backend_type = 'client backend' AND usename <> 'postgres'")
                    .split())
        assert users <= {app}, (port, users)
    assert superuser_sql(layout, layout.primary_port,
                         f"SELECT rolsuper OR rolcreaterole OR rolreplication FROM pg_roles WHERE rolname = '{app}'") == "f"


def _first_parcel(layout):
    status, body = get(layout, "/ogc/collections/parcels/items?limit=1")
    assert status == 200, body[:300]
    feature = json.loads(body)["features"][0]
    return feature["id"]


def _label_of(layout, parcel_id, marker):
    """The parcel's title as the site answers it now (the item's JSON), and whether it holds `marker`."""
    status, body = get(layout, f"/ogc/collections/parcels/items/{parcel_id}?f=json")
    assert status == 200, body[:300]
    return marker in body.decode()


def _wfs_label_of(layout, parcel_id, marker):
    """Whether MapServer's WFS answer for the parcel (/ows) holds `marker`."""
    status, body = get(layout, f"/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=parcels"
                               f"&RESOURCEID=parcels.{parcel_id}")
    assert status == 200 and b"title_number" in body, body[:300]
    return marker in body.decode()


def test_public_reads_come_from_the_replica_until_it_lags_beyond_the_bound(cluster):
    layout, _ = cluster
    parcel_id = _first_parcel(layout)
    old, new = f"TF {secrets.randbelow(10**6)}/91", f"TF {secrets.randbelow(10**6)}/92"
    update = "UPDATE plans_parcel SET title_number = '{}' WHERE id = {}"
    superuser_sql(layout, layout.primary_port, update.format(old, parcel_id))
    wait_for(lambda: _label_of(layout, parcel_id, old), 10, "the standby replays the first change")
    superuser_sql(layout, layout.standby_port, "SELECT pg_wal_replay_pause()")
    try:
        superuser_sql(layout, layout.primary_port, update.format(new, parcel_id))
        changed = time.monotonic()
        # Within the lag bound (3 s), the replica answers: the change made on the primary is not seen yet.
        assert _label_of(layout, parcel_id, old)
        assert _wfs_label_of(layout, parcel_id, old)  # MapServer (/ows) reads the replica too
        assert time.monotonic() - changed < 3, "too slow to observe the replica within its lag bound"
        # Past the bound, the replica is left out: the primary answers, with the change.
        wait_for(lambda: _label_of(layout, parcel_id, new), 12, "reads fall back to the primary past the lag bound")
        # Each process of each replica checks the lag on its own (every REPLICA_CHECK_SECONDS): MapServer's request
        # may land on one that has not looked since the bound passed.
        wait_for(lambda: _wfs_label_of(layout, parcel_id, new), 5, "MapServer's reads fall back to the primary too")
        status, body = get(layout, "/healthz")
        health = json.loads(body)
        assert status == 200 and health["status"] == "degraded" and not health["replica"]["fit"], health
        assert "lags" in health["replica"]["state"], health
    finally:
        superuser_sql(layout, layout.standby_port, "SELECT pg_wal_replay_resume()")
    wait_for(lambda: json.loads(get(layout, "/healthz")[1])["replica"]["fit"], 15, "the replica is fit again")


def test_a_stopped_replica_costs_no_error(cluster):
    layout, control = cluster
    from geoportal.topology import postgres

    parcel_id = _first_parcel(layout)
    postgres.stop(layout.standby_dir, mode="immediate")
    try:
        statuses = [get(layout, path)[0] for _ in range(10) for path in (
            f"/ogc/collections/parcels/items/{parcel_id}?f=json", "/ogc/collections/zones/items?limit=5",
            "/api/territories", "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=zones&COUNT=2")]
        assert statuses.count(200) == len(statuses), statuses
        health = json.loads(get(layout, "/healthz")[1])
        assert health["replica"]["fit"] is False and "unreachable" in health["replica"]["state"], health
    finally:
        postgres.start(layout.standby_dir, layout.log_dir / "pg-standby.log")
    postgres.wait_streaming(layout)


def test_a_killed_worker_is_restarted(cluster):
    layout, control = cluster
    pid = wait_for(lambda: supervised_pid(layout, control, "worker:worker-0"), 20, "worker-0 is running")
    other = supervised_pid(layout, control, "worker:worker-1")
    kill9(pid)
    restarted = wait_for(lambda: (supervised_pid(layout, control, "worker:worker-0") or pid) != pid and
                         supervised_pid(layout, control, "worker:worker-0"), 30, "supervisord restarts worker-0")
    assert restarted != pid
    assert supervised_pid(layout, control, "worker:worker-1") == other  # the other worker went on


def test_a_killed_app_replica_costs_no_idempotent_request(cluster):
    """kill -9 of replica app1 (master and workers) between two GETs: all 60 answer 200, through app2 and then
    app1 restarted by supervisord. A slow answer on a busy machine is waited for (60 s); only an error fails."""
    layout, control = cluster
    from geoportal.topology import faults

    pid = wait_for(lambda: supervised_pid(layout, control, "app1"), 30, "app1 is running")
    control.wait_healthy(layout)
    statuses = []
    for number in range(60):
        if number == 10:
            kill9(pid, tree=True)
        statuses.append(faults.request(layout.base_url, "/ogc/collections/zones/items?limit=2", timeout=60)[0])
    assert statuses.count(200) == len(statuses), statuses  # 0 = no answer
    wait_for(lambda: (supervised_pid(layout, control, "app1") or pid) != pid, 60, "supervisord restarts app1")


def test_a_killed_app_replica_costs_no_keyed_note(cluster):
    """kill -9 of app1 while 4 clients issue notes, each POST with its own Idempotency-Key: every POST is answered
    (nginx re-sends a keyed POST cut off with its replica), and each key made one note, never two."""
    layout, control = cluster
    from geoportal.topology import faults

    _, note = faults.targets(layout.base_url)
    body = {k: v for k, v in note.items() if k != "bbox"}
    pid = wait_for(lambda: supervised_pid(layout, control, "app1"), 30, "app1 is running")
    control.wait_healthy(layout)
    statuses, keys, stop = [], [], threading.Event()

    def client():
        while not stop.is_set():
            key = secrets.token_hex(12)
            keys.append(key)
            statuses.append(faults.request(layout.base_url, "/api/notes", body, timeout=60,
                                           headers={"Idempotency-Key": key})[0])

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    kill9(pid, tree=True)
    time.sleep(4)
    stop.set()
    for thread in threads:
        thread.join(90)
    assert statuses and set(statuses) <= {200, 201}, statuses  # 0 = no answer, 502 = a POST nginx did not re-send
    listed = ",".join(f"'{key}'" for key in keys)
    made = superuser_sql(layout, layout.primary_port, "SELECT count(*), count(DISTINCT idempotency_key) FROM "
                         f"plans_issuednote WHERE idempotency_key IN ({listed})")
    assert made == f"{len(keys)}|{len(keys)}", (made, len(keys))
    wait_for(lambda: (supervised_pid(layout, control, "app1") or pid) != pid, 60, "supervisord restarts app1")


def test_database_backends_terminated_under_load_cost_no_read(cluster):
    """Every app backend on both servers terminated once a second for 8 s under 3 clients reading every public read
    path (OGC items, item and tiles, map clicks, search, plans, territories, WMS and WFS): 0 × 5xx, 0 unanswered."""
    layout, control = cluster
    from geoportal.topology import faults

    paths, note = faults.targets(layout.base_url)
    assert any(path.startswith("/api/place") for path in paths) and any(path.startswith("/ows") for path in paths)
    load, verdict = faults.fault_db_terminate(layout, control, layout.base_url, paths, note, seconds=8, threads=3)
    assert verdict["terminated"] >= 8, verdict  # the fault really happened: backends were there to terminate, every second
    assert load.counts["get"] >= len(paths), load.counts  # and every read path was asked under it
    assert load.counts["get_5xx"] == 0 and load.counts["get_failed"] == 0, (load.counts, load.failures)
