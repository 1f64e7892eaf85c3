"""A whole cluster (geoportal.topology) on free ports in a folder of its own, on a copy of the test database."""
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

# The fault tests want short bounds: the replica is left out after 3 s of lag, checked every 0.3 s.
CLUSTER_ENV = {"REPLICA_MAX_LAG_SECONDS": "3", "REPLICA_CHECK_SECONDS": "0.3", "NOTE_ANONYMOUS_RATE": "100000/hour",
               "ESERVICES_SUBMISSIONS_PER_HOUR": "100000"}


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


@pytest.fixture(scope="package")
def cluster(django_db_setup, django_db_blocker):
    """(layout, control module) of a running cluster; stopped and removed afterwards."""
    from django.conf import settings
    from django.db import connection

    from geoportal.topology import control
    from geoportal.topology.layout import Layout

    http, app1, app2, primary, standby, redis = free_ports(6)
    root = Path(tempfile.mkdtemp(prefix="geoportal-cluster-"))
    root.chmod(0o755)  # the postgres system user makes its clusters inside
    layout = Layout(root=root, http_port=http, app_ports=(app1, app2), primary_port=primary,
                    standby_port=standby, redis_port=redis, workers=2)
    saved = {name: os.environ.get(name) for name in CLUSTER_ENV}
    os.environ.update(CLUSTER_ENV)
    source = {**settings.DATABASE_ROLES["owner"], "NAME": connection.settings_dict["NAME"]}
    try:
        with django_db_blocker.unblock():
            control.start(layout, copy_from=source, static=False)
        yield layout, control
    finally:
        control.stop(layout)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(root, ignore_errors=True)


def superuser_sql(layout, port, sql, database=None):
    """Output of `sql` run by the postgres superuser over the cluster's socket."""
    from django.conf import settings

    from geoportal.topology import postgres

    return postgres.psql(layout, port, sql, database=database or settings.DATABASE_ROLES["app"]["NAME"])


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"{what}: not after {timeout} s")


def supervised_pid(layout, control, name):
    """The pid of a supervised process, or None when it is not RUNNING."""
    line = control.supervisorctl(layout, "status", name).strip()
    parts = line.split()
    if len(parts) >= 4 and parts[1] == "RUNNING":
        return int(parts[3].rstrip(","))
    return None


def kill9(pid, tree=False):
    """SIGKILL `pid` (and, with `tree`, its children first: a whole gunicorn replica, master and workers)."""
    import psutil

    pids = [child.pid for child in psutil.Process(pid).children(recursive=True)] if tree else []
    subprocess.run(["kill", "-9", str(pid), *map(str, pids)], check=True)
