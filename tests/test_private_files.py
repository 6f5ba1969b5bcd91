"""Every database and secret file the project creates is readable by its owner only."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.private_files import private_file


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask():
    """As on a default system: new files readable by everyone unless we say otherwise."""
    import os

    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_file_is_owner_only_and_an_old_one_is_tightened(tmp_path):
    new = private_file(tmp_path / "var" / "a.db")
    assert _mode(new) == 0o600
    old = tmp_path / "b.db"
    old.write_text("x")
    (tmp_path / "b.db-wal").write_text("x")
    old.chmod(0o644)
    private_file(old)
    assert _mode(old) == 0o600 and _mode(tmp_path / "b.db-wal") == 0o600


def test_the_project_database_and_its_wal_are_owner_only(tmp_path):
    from bot.db import get_engine, reset_engine

    url = f"sqlite:///{tmp_path / 'app.db'}"
    try:
        with get_engine(url).begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
            conn.execute(text("INSERT INTO t VALUES (1)"))
        files = sorted(tmp_path.glob("app.db*"))
        assert files and all(_mode(f) == 0o600 for f in files), [(f, _mode(f)) for f in files]
    finally:
        reset_engine()


def test_the_tracker_store_and_the_shared_sqlite_files_are_owner_only(tmp_path):
    from bot.sqlite_local import LocalConnections
    from bot.tracking.store import _create_engine

    engine = _create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    engine.dispose()
    LocalConnections(tmp_path / "locks.db", schema="CREATE TABLE IF NOT EXISTS l (x)").get()
    files = sorted(tmp_path.glob("*.db*"))
    assert len(files) >= 2 and all(_mode(f) == 0o600 for f in files), [
        (f.name, oct(_mode(f))) for f in files
    ]
