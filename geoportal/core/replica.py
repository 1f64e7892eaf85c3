"""Reads to the streaming replica, writes to the primary, and the primary whenever the replica is not fit.

settings.DATABASES["replica"] exists when DATABASE_REPLICA_URL is set (the app role on the hot standby).
PublicReadsMiddleware sends a request to it when it is a GET or HEAD on a public read path
(settings.REPLICA_READ_PATHS: the OGC API, the map APIs, the catalogue, verification) from a client that is not
signed in (no session cookie, no Authorization header: staff read their own writes on the primary). For such a
request ReplicaRouter answers "replica" to every read; every write, and every other request, goes to "default".

The replica is fit when it answers within REPLICA_CONNECT_TIMEOUT seconds, is in recovery, streams from the
primary and replays within REPLICA_MAX_LAG_SECONDS; each process checks this at most every
REPLICA_CHECK_SECONDS. Raw SQL of the read paths runs on reads() (the connection of read_alias()), like the ORM.

A public read that fails on a database error (a 5xx with an error on any of its connections: a replica that
stopped, backends terminated under it on either server) is answered again on the primary, at most
PRIMARY_RETRIES times, after closing every connection outside a transaction: a terminated backend is only found out
by its next query, so the primary's connection goes too even when the error was the replica's. A read that finds
nothing on the replica (404, a note issued a moment ago) is answered again on the primary. An unfit or failing
replica is left alone until the next check: a replica that stops or lags costs no error, only the primary's time.
Caches and ETags stay right on either database: both are keyed by the data versions (plans.versions), which
are read from the database that serves the data.
"""
import contextvars
import re
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import Error as DatabaseError

REPLICA = "replica"
_alias = contextvars.ContextVar("read_alias", default=DEFAULT_DB_ALIAS)
_state = threading.local()
_health = {"checked": 0.0, "fit": False, "why": "not checked yet"}
_health_lock = threading.Lock()

# How far the standby is behind: nothing when it has replayed the primary's WAL position read just before, else the
# age of the last transaction it replayed (a standby cut off from its primary falls behind as soon as the primary
# writes). Both functions are open to the app role; pg_stat_wal_receiver would need pg_read_all_stats.
PRIMARY_SQL = "SELECT pg_current_wal_lsn()::text"
REPLICA_SQL = ("SELECT pg_is_in_recovery(), %s::pg_lsn IS NULL OR pg_last_wal_replay_lsn() >= %s::pg_lsn, "
               "COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)")


PRIMARY_RETRIES = 2  # answers again on the primary after a database error: bounded, the read is idempotent


def configured():
    return REPLICA in connections.settings


def read_alias():
    """The alias reads of the current request go to ("default" outside a replica-routed request)."""
    return _alias.get()


def reads():
    """The connection raw SQL of a read path uses: the replica for a replica-routed request, else the primary."""
    return connections[_alias.get()]


def read_failed(message):
    """Raise a 503 for a read that failed on its database outside Django's connections (MapServer's own): the
    connection is marked as failed, so that PublicReadsMiddleware answers the request again on the primary."""
    from .errors import ServiceUnavailable

    connections[_alias.get()].errors_occurred = True
    raise ServiceUnavailable(message)


def _first_line(exc):
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def check_replica():
    """(fit?, why) of the replica now: one short query on the primary, one on the replica."""
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(PRIMARY_SQL)
            primary_lsn = cursor.fetchone()[0]
    except DatabaseError:
        primary_lsn = None  # the primary is down: the replica may still answer reads
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(REPLICA_SQL, [primary_lsn, primary_lsn])
            in_recovery, caught_up, age = cursor.fetchone()
    except DatabaseError as exc:
        connections[REPLICA].close()
        return False, f"unreachable: {_first_line(exc)}"
    if not in_recovery:
        return False, "not a standby (pg_is_in_recovery() is false)"
    lag = 0.0 if caught_up else float(age)
    if lag > settings.REPLICA_MAX_LAG_SECONDS:
        return False, f"lags {lag:.1f} s behind the primary (bound {settings.REPLICA_MAX_LAG_SECONDS} s)"
    return True, f"streaming, lag {lag:.1f} s" + ("" if primary_lsn else " (primary unreachable)")


def replica_fit():
    """Is the replica fit for reads? Checked at most every REPLICA_CHECK_SECONDS per process."""
    if not configured():
        return False
    now = time.monotonic()
    if now - _health["checked"] >= settings.REPLICA_CHECK_SECONDS:
        with _health_lock:
            if now - _health["checked"] >= settings.REPLICA_CHECK_SECONDS:
                _health["fit"], _health["why"] = check_replica()
                _health["checked"] = time.monotonic()
    return _health["fit"]


def mark_unfit(why):
    _health.update(fit=False, why=why, checked=time.monotonic())


def health():
    """{'configured', 'fit', 'state'} for /healthz (checked now)."""
    if not configured():
        return {"configured": False}
    fit, why = check_replica()
    return {"configured": True, "fit": fit, "state": why}


_READ_PATHS = None


def public_read(request):
    global _READ_PATHS
    if _READ_PATHS is None:
        _READ_PATHS = re.compile("|".join(settings.REPLICA_READ_PATHS))
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    return _READ_PATHS.match(request.path_info) is not None


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: reads of a replica-routed request to the replica, the rest to the primary."""

    def db_for_read(self, model, **hints):
        return _alias.get()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS


class PublicReadsMiddleware:
    """Early in settings.MIDDLEWARE (before the OGC fast path, which reads through read_alias()).

    A public read that fails on a database error is answered again on fresh connections to the primary (at most
    PRIMARY_RETRIES times): it is idempotent, and the client sees no error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not public_read(request):
            return self.get_response(request)
        alias = REPLICA if replica_fit() else DEFAULT_DB_ALIAS
        response, failed = self._answer(request, alias)
        if failed and alias == REPLICA:
            mark_unfit("a query failed on it")
        retries = PRIMARY_RETRIES if failed else 1 if alias == REPLICA and response.status_code == 404 else 0
        for _ in range(retries):  # the primary; a 404 may be a row not replayed yet
            response, failed = self._answer(request, DEFAULT_DB_ALIAS)
            if not failed:
                break
        return response

    def _answer(self, request, alias):
        """(response, failed on a database error?) of the request with its reads on `alias`."""
        for connection in connections.all(initialized_only=True):
            connection.errors_occurred = False
        token = _alias.set(alias)
        try:
            response = self.get_response(request)
        finally:
            _alias.reset(token)
        failed = response.status_code >= 500 and any(
            connection.errors_occurred for connection in connections.all(initialized_only=True))
        if failed:
            close_connections()
        return response, failed


def close_connections():
    """Close every connection outside a transaction: the next query of each opens a fresh one."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()
