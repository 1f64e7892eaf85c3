"""A job for the worker tests: importable by a real worker process, needs neither the database nor Redis."""
import time
from pathlib import Path


def sleep_then_write(path, seconds):
    """Sleep `seconds`, then write "done" to `path`; returns the text written."""
    time.sleep(seconds)
    Path(path).write_text("done")
    return "done"


def fail_once(path):
    """Raise the first time (and leave `path` behind), return "done" the next."""
    if not Path(path).exists():
        Path(path).write_text("failed once")
        raise RuntimeError("a transient failure, on purpose")
    return "done"


def note_pid_then_sleep(path, seconds):
    """Write this process's pid (the work horse's) to `path`, then sleep `seconds`."""
    import os

    Path(path).write_text(str(os.getpid()))
    time.sleep(seconds)
