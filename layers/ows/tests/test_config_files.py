"""The generated MapServer configurations on disk (var/ows/<hash>): a new one per content, old ones removed.

Each directory holds the app role's connection string: one no worker chose for an hour goes, the current one and
recent ones stay (a request under way may still read them), and a configuration chosen again is fresh again.
"""
import os
import time

import pytest

from layers.ows import engine

pytestmark = pytest.mark.django_db
URL = "http://testserver/ows"


@pytest.fixture
def config_root(settings, tmp_path):
    settings.OWS_CONFIG_ROOT = tmp_path / "ows"
    engine._current.clear()
    yield settings.OWS_CONFIG_ROOT
    engine._current.clear()


def age(path, seconds):
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_old_configurations_are_removed_and_the_current_one_kept(config_root):
    current = engine.mapfile_path(URL)
    assert current.exists() and "dbname=" in current.read_text()
    old, recent, interrupted = config_root / ("0" * 20), config_root / ("1" * 20), config_root / ".new-x1"
    for directory, seconds in ((old, 2 * engine.STALE_AFTER_S), (recent, 60),
                               (interrupted, 2 * engine.STALE_AFTER_S)):
        directory.mkdir()
        (directory / "ows.map").write_text("MAP END")
        age(directory, seconds)
    age(current.parent, 2 * engine.STALE_AFTER_S)  # the current one, however old, is chosen again

    engine._current.clear()  # as after a publish: the next request chooses its configuration again
    assert engine.mapfile_path(URL) == current
    assert sorted(p.name for p in config_root.iterdir()) == sorted([current.parent.name, recent.name])
    assert current.parent.stat().st_mtime > time.time() - 60


def test_a_configuration_removed_under_a_worker_is_written_again(config_root):
    current = engine.mapfile_path(URL)
    for path in sorted(current.parent.rglob("*"), reverse=True):
        path.unlink() if not path.is_dir() or path.is_symlink() else path.rmdir()
    current.parent.rmdir()
    assert engine.mapfile_path(URL) == current and current.exists()
