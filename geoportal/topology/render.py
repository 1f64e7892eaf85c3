"""The cluster's configuration files, generated from the settings (never copied by hand).

client_max_body_size of each upload route is geoportal.request_guard's limit for it (route_body_bytes, read from
the same settings); every other route gets REQUEST_MAX_BODY_BYTES. Routes are found by their URL name in the
project's URL map, so a moved route keeps its limit. Templates are in templates/, with @name placeholders
(nginx and supervisord use $ and % themselves).
"""
import os
import string
import sys
from pathlib import Path

from django.conf import settings
from django.urls import URLResolver, get_resolver

from geoportal import request_guard

TEMPLATES = Path(__file__).resolve().parent / "templates"
BASE = Path(__file__).resolve().parent.parent.parent


class _Template(string.Template):
    delimiter = "@"


def _fill(name, **values):
    return _Template((TEMPLATES / name).read_text()).substitute(**values)


def _named_routes(resolver=None, prefix="", namespace=""):
    """{url name with its namespace: the PCRE of its whole path} of the project's URL map."""
    routes = {}
    for entry in (resolver or get_resolver()).url_patterns:
        regex = prefix + entry.pattern.regex.pattern.removeprefix("^")
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            routes = {**_named_routes(entry, regex, inner), **routes}
        elif entry.name:
            routes.setdefault(namespace + entry.name, "^/" + regex.replace("\\Z", "$"))
    return routes


def _route_regex(url_name, routes):
    if url_name not in routes:
        raise LookupError(f"no URL is named {url_name!r}: fix geoportal.request_guard.ROUTE_LIMITS")
    return routes[url_name]


def body_locations():
    """[(nginx location argument, client_max_body_size in bytes)], the admin and each upload route."""
    locations = [(request_guard.ADMIN_PREFIX, request_guard.route_body_bytes(request_guard.ADMIN_ROUTE))]
    routes = _named_routes()
    for url_name, route in request_guard.ROUTE_LIMITS.items():
        locations.append((f'~ "{_route_regex(url_name, routes)}"', request_guard.route_body_bytes(route)))
    return locations


def _location(match, size):
    return (f"        location {match} {{\n            client_max_body_size {size};\n"
            f"            proxy_pass http://geoportal_app;\n        }}\n")


# Routes whose writes honour an Idempotency-Key (plans.note.service): sent again with its key, a request gets the
# answer of the first, never a second note. Only such requests may be re-sent by nginx when their replica dies.
KEYED_WRITE_ROUTES = ("api-notes",)


def _keyed_location(match, size):
    """A request with an Idempotency-Key header goes on to a location that may re-send it to the other replica
    (error_page 418 is nginx's way to switch locations on a header: proxy_next_upstream is not allowed inside
    `if`); one without the header is never re-sent."""
    return (f"        location {match} {{\n            client_max_body_size {size};\n"
            f"            error_page 418 = @keyed_write_{size};\n"
            "            if ($http_idempotency_key) {\n                return 418;\n            }\n"
            "            proxy_pass http://geoportal_app;\n        }\n")


def _keyed_write_location(size):
    return (f"        location @keyed_write_{size} {{\n            client_max_body_size {size};\n"
            "            proxy_next_upstream error timeout http_502 http_503 http_504 non_idempotent;\n"
            "            proxy_pass http://geoportal_app;\n        }\n")


def _server_body():
    routes = _named_routes()
    keyed = {f'~ "{_route_regex(name, routes)}"' for name in KEYED_WRITE_ROUTES}
    locations = [("/", settings.REQUEST_MAX_BODY_BYTES), *body_locations()]
    locations += [(match, settings.REQUEST_MAX_BODY_BYTES) for match in sorted(keyed - {m for m, _ in locations})]
    body = ["        error_page 413 /_errors/413.json;\n",
            "        location = /_errors/413.json {\n            internal;\n            default_type application/json;\n"
            "            return 413 '{\"code\": \"RequestTooLarge\", \"description\": \"the request body is larger "
            "than this route accepts: send a smaller file\"}';\n        }\n"]
    body += [(_keyed_location if match in keyed else _location)(match, size) for match, size in locations]
    body += [_keyed_write_location(size) for size in sorted({size for match, size in locations if match in keyed})]
    return "".join(body)


def nginx_conf(layout, upstreams=None, listen=None):
    """nginx.conf of the cluster; `upstreams` (host:port) and `listen` override the loopback ones (docker)."""
    upstreams = upstreams or [f"127.0.0.1:{port}" for port in layout.app_ports]
    upstreams = "".join(f"        server {address} max_fails=1 fail_timeout=3s;\n" for address in upstreams)
    tls = ""
    cert, key = os.environ.get("CLUSTER_TLS_CERT"), os.environ.get("CLUSTER_TLS_KEY")
    if cert and key:
        tls = (f"    server {{\n        listen {(listen or '127.0.0.1:').rsplit(':', 1)[0]}:{layout.https_port} ssl;\n        http2 on;\n"
               f"        ssl_certificate {cert};\n        ssl_certificate_key {key};\n"
               "        ssl_protocols TLSv1.2 TLSv1.3;\n        ssl_session_cache shared:tls:10m;\n"
               f"{_server_body()}    }}\n")
    return _fill("nginx.conf", run=layout.run_dir, log=layout.log_dir, nginx=layout.nginx_dir,
                 upstreams=upstreams, listen=listen or f"127.0.0.1:{layout.http_port}", server_body=_server_body(), tls_server=tls)


def redis_conf(layout):
    return _fill("redis.conf", redis_port=layout.redis_port, redis_dir=layout.redis_dir)


def _supervisor_environment(env):
    return ",".join(f'{key}="{value.replace("%", "%%")}"' for key, value in sorted(env.items()))


def supervisord_conf(layout, env):
    python = sys.executable
    gunicorn = Path(python).with_name("gunicorn")
    environment = _supervisor_environment(env)
    # --preload: gunicorn binds its port only once Django is loaded, so a replica restarting after a crash refuses
    # connections (nginx sends them to the other one) instead of holding them while it boots.
    apps = "".join(
        f"[program:app{number}]\n"
        f"command = {gunicorn} geoportal.wsgi -c python:geoportal.gunicorn_conf -k gthread --preload --workers 2 "
        f"--threads 4 -b 127.0.0.1:{port} "
        "--timeout 60 --graceful-timeout 10 --keep-alive 5 --max-requests 5000 --max-requests-jitter 500 "
        "--forwarded-allow-ips 127.0.0.1\n"
        f"directory = {BASE}\nenvironment = {environment}\npriority = 200\nautorestart = true\nstartsecs = 2\nstopwaitsecs = 15\n"
        f"stdout_logfile = {layout.log_dir}/app{number}.log\nredirect_stderr = true\n\n"
        for number, port in enumerate(layout.app_ports, 1))
    return _fill("supervisord.conf", socket=layout.supervisor_socket, log=layout.log_dir, run=layout.run_dir,
                 base=BASE, root=layout.root, apps=apps, python=python, workers=layout.workers,
                 environment=environment, nginx=layout.nginx_dir)


def write_all(layout, env):
    """Write nginx.conf, redis.conf and supervisord.conf under the cluster's folder."""
    for folder in (layout.redis_dir, *(layout.nginx_dir / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"))):
        folder.mkdir(parents=True, exist_ok=True)
    (layout.root / "nginx.conf").write_text(nginx_conf(layout))
    (layout.root / "redis.conf").write_text(redis_conf(layout))
    layout.supervisor_conf.write_text(supervisord_conf(layout, env))
    if os.getuid() == 0:  # nginx's workers run as nobody: they write the temporary bodies
        import pwd
        nobody = pwd.getpwnam("nobody")
        for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            os.chown(layout.nginx_dir / name, nobody.pw_uid, nobody.pw_gid)
