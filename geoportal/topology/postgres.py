"""A PostgreSQL primary and its hot-standby streaming replica, as two clusters of our own under var/cluster.

Made with the distribution's initdb, pg_basebackup and pg_ctl (PG_BIN, PostgreSQL 15), run as the postgres
system user when we are root. The primary listens on loopback only; the standby is a byte copy made by
pg_basebackup -R (standby.signal, primary_conninfo, its own replication slot) that streams WAL and answers
reads (hot_standby). The app's two roles and its database come from geoportal/bin/roles.sql, as in make demo.
"""
import os
import pwd
import shutil
import subprocess
import time
from pathlib import Path

from .layout import PG_BIN, REPLICATION_ROLE, secrets_for

ROLES_SQL = Path(__file__).resolve().parent.parent / "bin" / "roles.sql"
SLOT = "standby_1"

SERVER_SETTINGS = """
# --- geoportal cluster (geoportal/topology/postgres.py) ---
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{sockets}'
wal_level = replica
max_wal_senders = 5
max_replication_slots = 5
hot_standby = on
hot_standby_feedback = on
max_standby_streaming_delay = 5s
shared_buffers = 128MB
max_connections = 100
logging_collector = off
"""


def _as_postgres(command, check=True, **kwargs):
    """Run `command` as the postgres system user when we are root (PostgreSQL refuses to run as root)."""
    if os.getuid() == 0:
        command = ["runuser", "-u", "postgres", "--"] + command
    return subprocess.run(command, check=check, cwd="/", **kwargs)


def _own(path):
    path.mkdir(parents=True, exist_ok=True)
    if os.getuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(path, entry.pw_uid, entry.pw_gid)


def running(data_dir):
    if not (data_dir / "PG_VERSION").exists():
        return False
    return _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data_dir), "status"], check=False,
                        capture_output=True).returncode == 0


def start(data_dir, log):
    if not running(data_dir):
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data_dir), "-l", str(log), "-w", "-t", "60", "start"],
                     stdout=subprocess.DEVNULL)


def stop(data_dir, mode="fast"):
    if running(data_dir):
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data_dir), "-m", mode, "-w", "-t", "60", "stop"],
                     stdout=subprocess.DEVNULL)


def psql(layout, port, sql=None, database="postgres", stdin=None, variables=()):
    """psql as the superuser over the cluster's socket; returns its output (unaligned, tuples only)."""
    command = [str(PG_BIN / "psql"), "-h", str(layout.run_dir), "-p", str(port), "-U", "postgres", "-d", database,
               "-v", "ON_ERROR_STOP=1", "-qtA"]
    for name, value in variables:
        command += ["-v", f"{name}={value}"]
    if sql is not None:
        command += ["-c", sql]
    return _as_postgres(command, input=stdin, capture_output=True, text=True).stdout.strip()


def init_primary(layout):
    """initdb the primary once (trust on its private socket only, SCRAM passwords over TCP)."""
    data = layout.primary_dir
    if (data / "PG_VERSION").exists():
        return False
    for folder in (layout.root, layout.run_dir, layout.log_dir, data):
        _own(folder)
    data.chmod(0o700)
    _as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth-local=trust",
                  "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"], stdout=subprocess.DEVNULL)
    conf = SERVER_SETTINGS.format(port=layout.primary_port, sockets=layout.run_dir)
    _append(data / "postgresql.conf", conf)
    _append(data / "pg_hba.conf", f"host replication {REPLICATION_ROLE} 127.0.0.1/32 scram-sha-256\n")
    return True


def _append(path, text):
    with open(path, "a") as handle:
        handle.write(text)


def ensure_roles(layout, roles):
    """The replication role, then the app's owner and app roles and database (geoportal/bin/roles.sql)."""
    password = secrets_for(layout)["REPLICATION_PASSWORD"]
    psql(layout, layout.primary_port, stdin=(
        f"SELECT 'CREATE ROLE {REPLICATION_ROLE}' WHERE NOT EXISTS "
        f"(SELECT 1 FROM pg_roles WHERE rolname = '{REPLICATION_ROLE}') \\gexec\n"
        f"ALTER ROLE {REPLICATION_ROLE} LOGIN REPLICATION PASSWORD :'password';\n"), variables=[("password", password)])
    psql(layout, layout.primary_port, stdin=ROLES_SQL.read_text(), variables=[
        ("owner", roles["owner"]["USER"]), ("owner_password", roles["owner"]["PASSWORD"]),
        ("app", roles["app"]["USER"]), ("app_password", roles["app"]["PASSWORD"]), ("db", roles["app"]["NAME"])])


def init_standby(layout):
    """pg_basebackup of the running primary into the standby's folder, streaming from its own slot."""
    data = layout.standby_dir
    if (data / "PG_VERSION").exists():
        return False
    if data.exists():
        shutil.rmtree(data)  # a copy interrupted half-way
    _own(data)
    data.chmod(0o700)
    password = secrets_for(layout)["REPLICATION_PASSWORD"]
    exists = psql(layout, layout.primary_port, f"SELECT 1 FROM pg_replication_slots WHERE slot_name = '{SLOT}'")
    _as_postgres([str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(layout.primary_port),
                  "-U", REPLICATION_ROLE, "-D", str(data), "-X", "stream", "-R", "-S", SLOT, "-c", "fast"]
                 + ([] if exists else ["-C"]), env={**os.environ, "PGPASSWORD": password})
    _append(data / "postgresql.auto.conf", f"port = {layout.standby_port}\n")
    return True


def replication_state(layout):
    """{'streaming': bool, 'lag_bytes': int|None, 'replay_lag_s': float|None} seen from the primary."""
    row = psql(layout, layout.primary_port,
               "SELECT state, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), "
               "COALESCE(extract(epoch FROM replay_lag), 0) FROM pg_stat_replication LIMIT 1")
    if not row:
        return {"streaming": False, "lag_bytes": None, "replay_lag_s": None}
    state, lag, seconds = row.split("|")
    return {"streaming": state == "streaming", "lag_bytes": int(float(lag or 0)), "replay_lag_s": float(seconds)}


def wait_streaming(layout, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if replication_state(layout)["streaming"]:
            return True
        time.sleep(0.5)
    raise RuntimeError(f"the standby on port {layout.standby_port} does not stream from the primary after "
                       f"{timeout} s; see {layout.log_dir / 'pg-standby.log'}")


def libpq_url(role, port, database):
    return f"postgresql://{role['USER']}:{role['PASSWORD']}@127.0.0.1:{port}/{database}"


def copy_database(layout, source, roles):
    """Fill the primary's database with a copy of `source` (a Django settings dict: a test database, an existing
    geoportal) by pg_dump | pg_restore as the owner, leaving out the extensions roles.sql already made."""
    database = roles["app"]["NAME"]
    source_url = libpq_url(source, source.get("PORT") or 5432, source["NAME"])
    dump = subprocess.run([str(PG_BIN / "pg_dump"), "-Fc", "-d", source_url], capture_output=True, check=True).stdout
    listing = subprocess.run([str(PG_BIN / "pg_restore"), "-l"], input=dump, capture_output=True, check=True).stdout
    kept = b"\n".join(line for line in listing.splitlines() if b" EXTENSION " not in line
                      and b" SCHEMA - public " not in line and b"spatial_ref_sys" not in line)
    list_file = layout.root / "restore.list"
    list_file.write_bytes(kept + b"\n")
    subprocess.run([str(PG_BIN / "pg_restore"), "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error",
                    "-L", str(list_file), "-d", libpq_url(roles["owner"], layout.primary_port, database)],
                   input=dump, check=True)
    list_file.unlink()
