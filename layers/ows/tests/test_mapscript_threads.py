"""Threads of a fresh gthread worker asking /ows at once all get a whole mapscript (none a half-loaded module)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import os, threading
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
import django
django.setup()
from layers.ows import engine
barrier, got = threading.Barrier(8), []
def first_request():
    barrier.wait()
    try:
        got.append(hasattr(engine._mapscript(), "mapObj"))
    except Exception as exc:
        got.append(repr(exc))
threads = [threading.Thread(target=first_request) for _ in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
print(got)
"""


def test_eight_threads_loading_mapscript_at_once_all_get_it_whole():
    for _ in range(3):  # a new process each time: the race is on the first load only
        done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.strip() == str([True] * 8), done.stdout + done.stderr[-2000:]
