"""Start, stop and inspect the cluster: PostgreSQL pair by pg_ctl, everything else under supervisord.

start() is idempotent: it makes what is missing (clusters, roles, the standby, the schema, the sample data,
the static files, the configuration), starts what is stopped and waits until the proxy answers /healthz.
"""
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings

from . import postgres, render
from .layout import environment, owner_environment

BASE = render.BASE


def _manage(layout, *args, owner=False):
    env = {**os.environ, **(owner_environment if owner else environment)(layout, settings.DATABASE_ROLES)}
    if not owner:
        env.pop("DATABASE_OWNER_URL", None)
    env["DEBUG"] = "1" if owner else env["DEBUG"]  # the owner's commands run beside the servers, not as them
    subprocess.run([sys.executable, str(BASE / "manage.py"), *args], cwd=BASE, env=env, check=True)


def start_databases(layout):
    """The primary (made, started, roles), then its standby (pg_basebackup, started, streaming)."""
    postgres.init_primary(layout)
    postgres.start(layout.primary_dir, layout.log_dir / "pg-primary.log")
    postgres.ensure_roles(layout, settings.DATABASE_ROLES)
    postgres.init_standby(layout)
    postgres.start(layout.standby_dir, layout.log_dir / "pg-standby.log")
    postgres.wait_streaming(layout)


def prepare_schema(layout, parcels, static=True):
    """migrate and the sample data as the owner, on the primary (the standby receives them by WAL)."""
    _manage(layout, "migrate", "--noinput", "-v", "0", owner=True)
    if parcels:
        _manage(layout, "load_sample_data", "--parcels", str(parcels), owner=True)
    if static:  # without it WhiteNoise serves the files from the apps' folders (WHITENOISE_USE_FINDERS)
        _manage(layout, "collectstatic", "--noinput", "-v", "0")


def supervisor_pid(layout):
    pid_file = layout.run_dir / "supervisord.pid"
    try:
        pid = int(pid_file.read_text())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def supervisorctl(layout, *args, check=False):
    command = [str(Path(sys.executable).with_name("supervisorctl")), "-c", str(layout.supervisor_conf), *args]
    return subprocess.run(command, capture_output=True, text=True, check=check).stdout


def start_processes(layout):
    render.write_all(layout, environment(layout, settings.DATABASE_ROLES))
    if supervisor_pid(layout) is None:
        subprocess.run([str(Path(sys.executable).with_name("supervisord")), "-c", str(layout.supervisor_conf)],
                       cwd=BASE, check=True)
    else:
        supervisorctl(layout, "update")  # restarts the programs whose command or environment changed
        supervisorctl(layout, "signal", "HUP", "nginx")  # nginx reads its configuration again, without a gap


def wait_healthy(layout, timeout=90):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(layout.base_url + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError as exc:
            last = exc
        time.sleep(0.5)
    raise RuntimeError(f"the proxy {layout.base_url}/healthz does not answer 200 after {timeout} s ({last}); "
                       f"see {layout.log_dir}")


def start(layout, parcels=6000, schema=True, copy_from=None, static=True):
    """Everything up; the schema by migrate (and `parcels` sample parcels), or a copy of database `copy_from`
    (a settings dict) followed by migrate (nothing left to apply: it makes the app role's grants)."""
    start_databases(layout)
    if copy_from is not None:
        postgres.copy_database(layout, copy_from, settings.DATABASE_ROLES)
        parcels = 0
    if schema:
        prepare_schema(layout, parcels, static)
    start_processes(layout)
    wait_healthy(layout)


def stop(layout):
    pid = supervisor_pid(layout)
    if pid is not None:
        os.kill(pid, signal.SIGTERM)  # supervisord stops every program, then itself
        deadline = time.monotonic() + 60
        while supervisor_pid(layout) is not None and time.monotonic() < deadline:
            time.sleep(0.2)
    postgres.stop(layout.standby_dir)
    postgres.stop(layout.primary_dir)


def status(layout):
    """Text report: each supervised process, both databases, replication."""
    lines = [f"cluster in {layout.root}  proxy {layout.base_url}"]
    if supervisor_pid(layout) is None:
        lines.append("supervisord: not running")
    else:
        lines.append(supervisorctl(layout, "status").rstrip())
    for name, folder, port in (("primary", layout.primary_dir, layout.primary_port),
                               ("standby", layout.standby_dir, layout.standby_port)):
        lines.append(f"postgres {name} (port {port}): {'running' if postgres.running(folder) else 'stopped'}")
    if postgres.running(layout.primary_dir):
        lines.append(f"replication: {postgres.replication_state(layout)}")
    return "\n".join(lines)
