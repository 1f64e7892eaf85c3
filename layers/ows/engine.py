"""MapServer behind /ows: the generated configuration on disk, and MapServer's own OWS dispatcher (mapscript).

The configuration (layers/ows/mapfile.py) is regenerated when the registry's data version changes (a publish or
unpublish bumps it), so every worker serves the same layers on its next request: the files live in a directory
named after the hash of their content (written once, atomically), private to the server's user since the mapfile
holds the app role's connection string. Each worker loads the mapfile once with Debian's python3-mapscript and
answers each request with a copy of it: the `date` substitution applied (validated again by the mapfile), then
MapServer's OWSDispatch on the validated query (layers/ows/params.py). No `map=`, no other mapfile: mapscript
dispatches on the loaded map only.
"""
import hashlib
import importlib.util
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from geoportal.core.errors import ServiceUnavailable
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
# A configuration no worker has chosen for this long is removed: a worker picks the current one on each request,
# so only a request already under way can still read an older directory (its templates, fonts, CRS file).
STALE_AFTER_S = 3600


def config_root():
    return Path(getattr(settings, "OWS_CONFIG_ROOT", settings.BASE_DIR / "var" / "ows"))


def app_dsn():
    """The libpq connection string of the role the server runs as (the app role, which owns nothing)."""
    db = connection.settings_dict
    parts = {"host": db.get("HOST") or "127.0.0.1", "port": db.get("PORT") or 5432, "dbname": db["NAME"],
             "user": db.get("USER") or "", "password": db.get("PASSWORD") or ""}
    return " ".join(f"{key}={_libpq_value(value)}" for key, value in parts.items())


def _libpq_value(value):
    value = str(value)
    if value and all(c.isalnum() or c in "._-/" for c in value):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def mapfile_path(online_resource):
    """The current mapfile for this registry version and public URL, generated if missing."""
    version = registry_version()
    key = (version, online_resource, connection.settings_dict["NAME"])
    if key not in _current or not _current[key].exists():  # (removed as stale by a worker serving another URL)
        rendered = render(app_dsn(), online_resource, list(published_layers(version).values()))
        digest = hashlib.sha256(repr(sorted(rendered.files.items())).encode()).hexdigest()[:20]
        directory = config_root() / digest
        if (directory / "ows.map").exists():
            os.utime(directory)  # chosen again (a layer published back): not stale
        else:
            _write(directory, {name: text.replace(CONFIG_DIR, str(directory)) for name, text in rendered.files.items()})
        remove_stale(keep=directory)
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


def _mapscript():
    module = sys.modules.get("mapscript")
    if module is None:
        if not (MAPSCRIPT_DIR / "__init__.py").exists():
            raise ServiceUnavailable("MapServer's mapscript is not installed (Debian python3-mapscript); "
                                     "run geoportal/bin/setup-system.sh")
        spec = importlib.util.spec_from_file_location("mapscript", MAPSCRIPT_DIR / "__init__.py",
                                                      submodule_search_locations=[str(MAPSCRIPT_DIR)])
        module = importlib.util.module_from_spec(spec)
        sys.modules["mapscript"] = module
        spec.loader.exec_module(module)
    return module


def run(query, substitutions, online_resource):
    """(content type, body, failed) of MapServer's answer to the validated `query` (a query string)."""
    mapscript = _mapscript()
    path = mapfile_path(online_resource)
    if path not in _maps:
        _maps.clear()
        _maps[path] = mapscript.mapObj(str(path))
    request = mapscript.OWSRequest()
    request.loadParamsFromURL(query)
    copy = _maps[path].clone()
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
    return headers.get("content-type", "application/octet-stream"), body if sep else output, failed
