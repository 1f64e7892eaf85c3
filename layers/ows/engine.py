"""MapServer behind /ows: the generated configuration on disk, and MapServer's own OWS dispatcher (mapscript).

The configuration (layers/ows/mapfile.py) is regenerated when the registry's data version changes (a publish or
unpublish bumps it), so every worker serves the same layers on its next request: the files live in a directory
named after the hash of their content (written once, atomically), private to the server's user since the mapfile
holds the app role's connection string. Each worker loads the mapfile once with Debian's python3-mapscript and
answers each request with a copy of it: the `date` substitution applied (validated again by the mapfile), then
MapServer's OWSDispatch on the validated query (layers/ows/params.py). No `map=`, no other mapfile: mapscript
dispatches on the loaded map only.

MapServer reads the database the request's reads go to (geoportal.core.replica: the streaming replica for public
reads, else the primary), through its own libpq connections, kept between requests. When one of them fails (a
backend terminated, a standby that stopped), the pooled connections are closed and the request is dispatched once
more; if the database still fails, run() says so and the view lets the replica router answer again on the primary.
"""
import hashlib
import importlib.util
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings
from geoportal.core.errors import ServiceUnavailable
from geoportal.core.replica import reads
from layers.serving.registry import published_layers, registry_version

from .mapfile import CONFIG_DIR, render

# Debian's python3-mapscript (MapServer 8.0), built for the system Python 3.11: loaded from its own folder so that
# nothing else of the system's site-packages enters the virtualenv.
MAPSCRIPT_DIR = Path("/usr/lib/python3/dist-packages/mapscript")
PROJ_DB = Path("/usr/share/proj/proj.db")  # Debian's libproj data, beside the generated `epsg` init file
# MapServer reads `init=epsg:NNNN` from our `epsg` file (Lambert with the pinned Merchich shift).
os.environ["PROJ_USE_PROJ4_INIT_RULES"] = "YES"
_current = {}
_maps = {}
EXCEPTION_TYPES = ("application/vnd.ogc.se_xml", "text/xml", "application/xml")
KEPT_MAPS = 4  # mapfiles kept loaded per process: the replica's and the primary's, across one publish
# MapServer's PostGIS driver names itself in its failures ("msPostGISLayerOpen(): ... Database connection failed",
# "msPostGISRetrieveVersion(): Query error"): a query that failed on the database, not a request MapServer refused.
DATABASE_FAILURE = b"msPostGIS"
# A configuration no worker has chosen for this long is removed: a worker picks the current one on each request,
# so only a request already under way can still read an older directory (its templates, fonts, CRS file).
STALE_AFTER_S = 3600


def config_root():
    return Path(getattr(settings, "OWS_CONFIG_ROOT", settings.BASE_DIR / "var" / "ows"))


def app_dsn():
    """The libpq connection string of the role the server runs as (the app role, which owns nothing), on the
    database the request's reads go to."""
    db = reads().settings_dict
    parts = {"host": db.get("HOST") or "127.0.0.1", "port": db.get("PORT") or 5432, "dbname": db["NAME"],
             "user": db.get("USER") or "", "password": db.get("PASSWORD") or ""}
    if db.get("OPTIONS", {}).get("connect_timeout"):  # the replica's: a standby that hangs is left out quickly
        parts["connect_timeout"] = db["OPTIONS"]["connect_timeout"]
    return " ".join(f"{key}={_libpq_value(value)}" for key, value in parts.items())


def _libpq_value(value):
    value = str(value)
    if value and all(c.isalnum() or c in "._-/" for c in value):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def mapfile_path(online_resource):
    """The current mapfile for this registry version and public URL, generated if missing."""
    version = registry_version()
    dsn = app_dsn()
    key = (version, online_resource, dsn)
    if key not in _current or not _current[key].exists():  # (removed as stale by a worker serving another URL)
        rendered = render(dsn, online_resource, list(published_layers(version).values()))
        digest = hashlib.sha256(repr(sorted(rendered.files.items())).encode()).hexdigest()[:20]
        directory = config_root() / digest
        if (directory / "ows.map").exists():
            os.utime(directory)  # chosen again (a layer published back): not stale
        else:
            _write(directory, {name: text.replace(CONFIG_DIR, str(directory)) for name, text in rendered.files.items()})
        remove_stale(keep=directory)
        if len(_current) >= KEPT_MAPS:
            _current.clear()
        _current[key] = directory / "ows.map"
    return _current[key]


def _write(directory, files):
    root = config_root()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    staging = Path(tempfile.mkdtemp(prefix=".new-", dir=root))
    for name, text in files.items():
        path = staging / name
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.write_text(text, encoding="utf-8")
        path.chmod(0o600)
    (staging / "proj" / "proj.db").symlink_to(PROJ_DB)
    try:
        staging.rename(directory)
    except OSError:  # another worker wrote the same content first
        shutil.rmtree(staging, ignore_errors=True)


def remove_stale(keep, now=None):
    """Remove the configurations (and interrupted writes) under config_root() that no worker chose for
    STALE_AFTER_S seconds, except `keep`; each one holds a copy of the app role's connection string."""
    limit = (now or time.time()) - STALE_AFTER_S
    for directory in config_root().iterdir():
        if directory != keep and directory.is_dir() and directory.stat().st_mtime < limit:
            shutil.rmtree(directory, ignore_errors=True)


_loaded = None
_loading = threading.Lock()


def _mapscript():
    """Debian's mapscript, loaded once per process. The module is in sys.modules while it is still being executed
    (its own submodules import it), so a second thread of a gthread worker must wait for the first to finish, not
    take the half-loaded module: a replica restarted under load answered 500 ("no attribute 'mapObj'") that way."""
    global _loaded
    if _loaded is not None:
        return _loaded
    with _loading:
        if _loaded is None:
            if not (MAPSCRIPT_DIR / "__init__.py").exists():
                raise ServiceUnavailable("MapServer's mapscript is not installed (Debian python3-mapscript); "
                                         "run geoportal/bin/setup-system.sh")
            module = sys.modules.get("mapscript")
            if module is None or not hasattr(module, "mapObj"):
                spec = importlib.util.spec_from_file_location("mapscript", MAPSCRIPT_DIR / "__init__.py",
                                                              submodule_search_locations=[str(MAPSCRIPT_DIR)])
                module = importlib.util.module_from_spec(spec)
                sys.modules["mapscript"] = module
                spec.loader.exec_module(module)
            _loaded = module
    return _loaded


def run(query, substitutions, online_resource):
    """(content type, body, failed, database failed) of MapServer's answer to the validated `query` (a query
    string); a database failure is dispatched once more on fresh connections first."""
    mapscript = _mapscript()
    path = mapfile_path(online_resource)
    if path not in _maps:
        if len(_maps) >= KEPT_MAPS:
            _maps.clear()
        _maps[path] = mapscript.mapObj(str(path))
    for attempt in (1, 2):
        content_type, body, failed = _dispatch(mapscript, _maps[path], query, substitutions)
        database_failed = failed and DATABASE_FAILURE in body[:2000]
        if not database_failed:
            break
        mapscript.msConnPoolCloseUnreferenced()  # the next dispatch opens fresh connections
    return content_type, body, failed, database_failed


def _dispatch(mapscript, loaded, query, substitutions):
    request = mapscript.OWSRequest()
    request.loadParamsFromURL(query)
    copy = loaded.clone()
    copy.applySubstitutions(substitutions)
    copy.applyDefaultSubstitutions()
    mapscript.msIO_installStdoutToBuffer()
    try:
        failed = copy.OWSDispatch(request) != mapscript.MS_SUCCESS
    except mapscript.MapServerError:
        failed = True
    finally:
        output = bytes(mapscript.msIO_getStdoutBufferBytes() or b"")
        mapscript.msIO_resetHandlers()
    head, sep, body = output.partition(b"\r\n\r\n")
    headers = dict(line.partition(":")[::2] for line in head.decode("latin-1").split("\r\n")) if sep else {}
    headers = {name.strip().lower(): value.strip() for name, value in headers.items()}
    body = body if sep else output
    failed = failed or (headers.get("content-type", "").startswith(EXCEPTION_TYPES) and _is_exception(body))
    return headers.get("content-type", "application/octet-stream"), body, failed


def _is_exception(body):
    head = body[:600]
    return b"ServiceExceptionReport" in head or b"ExceptionReport" in head
