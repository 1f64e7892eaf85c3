"""A server under test: installed on demand, started on 127.0.0.1, stopped by its own process group.

Subclasses say how to install themselves (a Debian package or a virtualenv
under bench/.peers/), how to start on one dataset, and which URL answers each
query (None with a reason when the server has no such feature).
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import psutil

from ..queries import ITEMS_CASES, items_case

ROOT = Path(__file__).resolve().parents[2]
PEERS = ROOT / "bench" / ".peers"
LOGS = ROOT / "var" / "bench"


class Unavailable(Exception):
    """The server cannot be installed or started here; the message says why."""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def apt_install(*packages):
    """Install Debian packages that are missing (root or passwordless sudo); Unavailable with apt's reason."""
    missing = [p for p in packages if subprocess.run(["dpkg-query", "-W", "-f=${Status}", p], capture_output=True,
                                                     text=True).stdout != "install ok installed"]
    if not missing:
        return
    if not shutil.which("apt-get"):
        raise Unavailable(f"apt-get not found to install {' '.join(missing)}")
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    done = subprocess.run([*sudo, "apt-get", "install", "-y", "-q", "--no-install-recommends", *missing],
                          capture_output=True, text=True, env=env)
    if done.returncode:
        raise Unavailable(f"apt-get install {' '.join(missing)} failed: {done.stderr.strip()[-300:]}")


def venv_install(name, requirements):
    """A virtualenv bench/.peers/<name> holding `requirements` (exact pins); returns its bin/ directory."""
    venv = PEERS / name
    stamp = venv / ".bench-installed"
    wanted = "\n".join(requirements)
    if stamp.exists() and stamp.read_text() == wanted:
        return venv / "bin"
    PEERS.mkdir(parents=True, exist_ok=True)
    steps = [[sys.executable, "-m", "venv", str(venv)],
             [str(venv / "bin" / "pip"), "install", "-q", *requirements]]
    for cmd in steps:
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode:
            raise Unavailable(f"{' '.join(cmd[:3])} … failed: {done.stderr.strip()[-300:]}")
    stamp.write_text(wanted)
    return venv / "bin"


def kind_of(query):
    """items_100 -> items, tile_z16 -> tile, note_pdf -> note: the feature a query needs."""
    return query.key.split("_")[0]


# The same WMS question to every server that speaks WMS 1.3.0 (after its URL and a "?" or "&").
WMS_GETMAP = ("SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=zones,parcels&STYLES=,&CRS=EPSG:4326&BBOX={latlon}"
              "&WIDTH=256&HEIGHT=256&FORMAT=image/png")


class Server:
    name = "?"
    label = "?"
    ready_path = "/"
    # URL templates per kind of query, formatted with base, bbox, limit, id, code, cql (the CQL2 text,
    # URL-quoted), z, x, y, latlon (the small bbox in EPSG:4326 axis order, for WMS 1.3.0 and WFS 2.0);
    # `lacks` says why a kind is missing.
    urls = {}
    lacks = {"note": "no urbanism note (a features server)", "wms": "no WMS", "wfs": "no WFS"}

    def __init__(self):
        self.proc = None
        self.port = None
        self.log_path = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def install(self):
        """Install what is missing; raise Unavailable with the reason when it cannot be had."""

    def command(self, probe, workdir):
        """(argv, extra environment) that serve `probe`'s database on self.port."""
        raise NotImplementedError

    def request(self, query, probe):
        """(url, method, body) answering `query`, or a string saying why this server cannot."""
        kind = kind_of(query)
        if kind not in self.urls:
            return self.lacks.get(kind, f"no {kind} query")
        bbox, limit = items_case(probe, query.key) if query.key in ITEMS_CASES else (probe.bbox_large, 1000)
        values = dict(base=self.base, bbox=probe.bbox_param(bbox), limit=limit, id=probe.parcel_id, code=probe.zone_code,
                      cql=quote(f"code={probe.zone_code!r}"),
                      latlon=",".join(f"{probe.bbox_small[i]:.6f}" for i in (1, 0, 3, 2)))
        if kind == "tile":
            values.update(zip("zxy", probe.tiles[int(query.key[len("tile_z"):])]))
        return self.urls[kind].format(**values), None, None

    def start(self, probe):
        self.port = free_port()
        workdir = LOGS / f"{self.name}-{probe.size}"
        workdir.mkdir(parents=True, exist_ok=True)
        argv, env = self.command(probe, workdir)
        self.log_path = workdir / "server.log"
        log = open(self.log_path, "w")
        self.proc = subprocess.Popen(argv, cwd=workdir, env=dict(os.environ, **env), stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_ready()

    def _wait_ready(self, seconds=90):
        deadline = time.monotonic() + seconds
        last = ""
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Unavailable(f"exited with code {self.proc.returncode} at start: {self.log_tail()}")
            try:
                with urllib.request.urlopen(self.base + self.ready_path, timeout=5) as response:
                    if response.status < 500:
                        return
            except urllib.error.HTTPError as exc:
                last = f"HTTP {exc.code}"
                if exc.code < 500:
                    return
            except OSError as exc:
                last = str(exc)
            time.sleep(0.3)
        self.stop()
        raise Unavailable(f"not ready after {seconds} s ({last}): {self.log_tail()}")

    def log_tail(self, chars=400):
        try:
            return self.log_path.read_text(errors="replace")[-chars:].strip()
        except OSError:
            return ""

    def stop(self):
        """Stop the process group this server was started in, and the processes it spawned in groups of their
        own (lighttpd's FastCGI children): only what this server started."""
        if not self.proc or self.proc.poll() is not None:
            return
        children = psutil.Process(self.proc.pid).children(recursive=True)
        pgid = os.getpgid(self.proc.pid)
        os.killpg(pgid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.proc.wait(5)
        for child in children:
            try:
                child.terminate()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(children, timeout=10)
