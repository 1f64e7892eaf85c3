"""MapServer behind /ows: the generated configuration on disk, and one `mapserv` run per request.

The configuration (layers/ows/mapfile.py) is regenerated when the registry's data version changes (a publish or
unpublish bumps it), so every worker serves the same layers on its next request: the files live in a directory
named after the hash of their content (written once, atomically), private to the server's user since the mapfile
holds the app role's connection string. `mapserv` runs with MS_MAPFILE set to that file and a MapServer config
forbidding any other mapfile (MS_MAP_NO_PATH, MS_MAP_PATTERN); it gets the validated query only
(layers/ows/params.py).
"""
import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from geoportal.core.errors import ServerError, ServiceUnavailable
from layers.serving.registry import published_layers, registry_version

from .mapfile import render

MAPSERV = shutil.which("mapserv") or "/usr/lib/cgi-bin/mapserv"
PROJ_DB = Path("/usr/share/proj/proj.db")  # Debian's libproj data; MapServer takes one PROJ search directory
TIMEOUT_S = 60
_current = {}


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
    if key not in _current:
        rendered = render(app_dsn(), online_resource, list(published_layers(version).values()))
        digest = hashlib.sha256(repr(sorted(rendered.files.items())).encode()).hexdigest()[:20]
        directory = config_root() / digest
        if not (directory / "ows.map").exists():
            _write(directory, rendered.files)
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
    (staging / "mapserver.conf").write_text(_server_config(directory), encoding="utf-8")
    try:
        staging.rename(directory)
    except OSError:  # another worker wrote the same content first
        shutil.rmtree(staging, ignore_errors=True)


def _server_config(directory):
    """MapServer 8's own configuration: only our mapfile may be opened."""
    return f"""CONFIG
  ENV
    MS_MAP_NO_PATH "1"
    MS_MAP_PATTERN "^{directory}/ows\\.map$"
    MS_MAPFILE "{directory}/ows.map"
  END
END
"""


def run(query, online_resource):
    """(status, content type, body) of MapServer's answer to the validated `query`."""
    mapfile = mapfile_path(online_resource)
    proj_path = str(mapfile.parent / "proj")
    env = {"PATH": "/usr/bin:/bin", "REQUEST_METHOD": "GET", "QUERY_STRING": query,
           "MS_MAPFILE": str(mapfile), "MAPSERVER_CONFIG_FILE": str(mapfile.parent / "mapserver.conf"),
           "SERVER_NAME": "localhost", "SCRIPT_NAME": quote("/ows"),
           # CRSs from the generated `epsg` file (Lambert with the pinned Merchich shift), then PROJ's own data.
           "PROJ_USE_PROJ4_INIT_RULES": "YES", "PROJ_DATA": proj_path, "PROJ_LIB": proj_path}
    try:
        done = subprocess.run([MAPSERV], env=env, capture_output=True, timeout=TIMEOUT_S, check=False)
    except FileNotFoundError:
        raise ServiceUnavailable(f"MapServer is not installed ({MAPSERV}); run geoportal/bin/setup-system.sh")
    except subprocess.TimeoutExpired:
        raise ServiceUnavailable(f"MapServer did not answer within {TIMEOUT_S} s; ask for a smaller area")
    head, sep, body = done.stdout.partition(b"\r\n\r\n")
    if not sep:
        raise ServerError(f"MapServer failed (exit {done.returncode}): {done.stderr.decode(errors='replace')[-300:]}")
    headers = {}
    for line in head.decode("latin-1").split("\r\n"):
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    status = int(headers.get("status", "200").split()[0])
    return status, headers.get("content-type", "application/octet-stream"), body

