"""Where the cluster lives and how its processes are reached: ports, folders, URLs, environment.

Everything is under var/cluster of the checkout (CLUSTER_DIR to move it). Ports come from CLUSTER_*
variables so that several clusters can share a machine; every service listens on loopback only.
The database name and the two roles (owner, app) are the ones of DATABASE_OWNER_URL / DATABASE_URL,
on the cluster's own PostgreSQL.
"""
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

PG_BIN = Path(os.environ.get("CLUSTER_PG_BIN", "/usr/lib/postgresql/15/bin"))
REPLICATION_ROLE = "replicator"
# Settings an operator (or a fault test) may give the cluster's processes through the environment of `make cluster`.
PASSED_THROUGH = ("REPLICA_MAX_LAG_SECONDS", "REPLICA_CHECK_SECONDS", "REPLICA_CONNECT_TIMEOUT", "REDIS_SOCKET_TIMEOUT",
                  "NOTE_ANONYMOUS_RATE", "ESERVICES_SUBMISSIONS_PER_HOUR", "LOG_LEVEL",
                  "EXTRACT_SYNC_MAX_FEATURES")


def _port(name, default):
    return int(os.environ.get(name, default))


@dataclass(frozen=True)
class Layout:
    root: Path
    http_port: int = field(default_factory=lambda: _port("CLUSTER_HTTP_PORT", 8480))
    https_port: int = field(default_factory=lambda: _port("CLUSTER_HTTPS_PORT", 8443))
    app_ports: tuple = field(default_factory=lambda: (_port("CLUSTER_APP1_PORT", 8481), _port("CLUSTER_APP2_PORT", 8482)))
    primary_port: int = field(default_factory=lambda: _port("CLUSTER_PG_PRIMARY_PORT", 5441))
    standby_port: int = field(default_factory=lambda: _port("CLUSTER_PG_STANDBY_PORT", 5442))
    redis_port: int = field(default_factory=lambda: _port("CLUSTER_REDIS_PORT", 6391))
    workers: int = field(default_factory=lambda: _port("CLUSTER_WORKERS", 2))

    # folders
    @property
    def primary_dir(self):
        return self.root / "pg-primary"

    @property
    def standby_dir(self):
        return self.root / "pg-standby"

    @property
    def run_dir(self):
        """Sockets and pid files (PostgreSQL's sockets too: it must be writable by the postgres user)."""
        return self.root / "run"

    @property
    def log_dir(self):
        return self.root / "log"

    @property
    def redis_dir(self):
        return self.root / "redis"

    @property
    def nginx_dir(self):
        return self.root / "nginx"

    @property
    def supervisor_conf(self):
        return self.root / "supervisord.conf"

    @property
    def supervisor_socket(self):
        return self.run_dir / "supervisor.sock"

    @property
    def secrets_file(self):
        return self.root / "secrets.env"

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def redis_url(self):
        return f"redis://127.0.0.1:{self.redis_port}/0"


def default_layout():
    base = Path(__file__).resolve().parent.parent.parent
    return Layout(root=Path(os.environ.get("CLUSTER_DIR", base / "var" / "cluster")).resolve())


def _url(role, port, database):
    return f"postgis://{role['USER']}:{role['PASSWORD']}@127.0.0.1:{port}/{database}"


def secrets_for(layout):
    """The cluster's own SECRET_KEY, NOTE_SIGNING_KEY and replication password, made once and kept in secrets.env."""
    path = layout.secrets_file
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        values = {"SECRET_KEY": secrets.token_urlsafe(50), "NOTE_SIGNING_KEY": secrets.token_urlsafe(40),
                  "REPLICATION_PASSWORD": secrets.token_urlsafe(24)}
        path.write_text("".join(f"{k}={v}\n" for k, v in values.items()))
        path.chmod(0o600)
    return dict(line.split("=", 1) for line in path.read_text().split())


def environment(layout, roles):
    """The environment of the app replicas, workers and cron: the app role only (no owner password), DEBUG off."""
    keys = secrets_for(layout)
    database = roles["app"]["NAME"]
    return {
        "DJANGO_SETTINGS_MODULE": "geoportal.settings",
        "DEBUG": "0",
        "SECRET_KEY": keys["SECRET_KEY"],
        "NOTE_SIGNING_KEY": keys["NOTE_SIGNING_KEY"],
        "SECURE_COOKIES": "0",  # plain http on loopback; set 1 once the TLS server block is on
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TRUSTED_PROXIES": "127.0.0.1",
        "DATABASE_URL": _url(roles["app"], layout.primary_port, database),
        "DATABASE_REPLICA_URL": _url(roles["app"], layout.standby_port, database),
        "REDIS_URL": layout.redis_url,
        "CACHE_KEY_PREFIX": f"cluster-{database}",
        "STATIC_ROOT": str(layout.root / "static"),
        "MEDIA_ROOT": str(layout.root / "media"),
        "PRIVATE_MEDIA_ROOT": str(layout.root / "private"),
        **{name: os.environ[name] for name in PASSED_THROUGH if os.environ.get(name)},
    }


def owner_environment(layout, roles):
    """The environment of migrate and load_sample_data on the cluster's primary (the owner role)."""
    env = environment(layout, roles)
    env["DATABASE_OWNER_URL"] = _url(roles["owner"], layout.primary_port, roles["owner"]["NAME"])
    return env
