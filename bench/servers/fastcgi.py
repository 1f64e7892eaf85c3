"""lighttpd in front of a FastCGI program (MapServer, QGIS Server), on loopback, in the foreground."""
import shutil

from .base import Unavailable

LIGHTTPD_CONF = """
server.bind = "127.0.0.1"
server.port = {port}
server.document-root = "{workdir}"
server.errorlog = "{workdir}/lighttpd-error.log"
server.pid-file = "{workdir}/lighttpd.pid"
server.modules = ("mod_fastcgi")
server.max-connections = 256
fastcgi.server = ("{prefix}" => ((
    "socket" => "{workdir}/fcgi.sock",
    "bin-path" => "{program}",
    "max-procs" => {processes},
    "check-local" => "disable",
    "bin-environment" => ({environment}),
)))
"""


def lighttpd_command(workdir, port, prefix, program, processes, environment):
    """argv running lighttpd with `processes` copies of the FastCGI `program` mounted at `prefix`."""
    lighttpd = shutil.which("lighttpd") or "/usr/sbin/lighttpd"
    if not shutil.which(lighttpd):
        raise Unavailable("lighttpd is not installed")
    env = ", ".join(f'"{k}" => "{v}"' for k, v in environment.items())
    conf = workdir / "lighttpd.conf"
    conf.write_text(LIGHTTPD_CONF.format(port=port, workdir=workdir, prefix=prefix, program=program,
                                         processes=processes, environment=env))
    return [lighttpd, "-D", "-f", str(conf)]
