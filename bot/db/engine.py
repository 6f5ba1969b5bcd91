"""Engine and session handling (SQLAlchemy 1.4 with the 2.0-style API)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.future import create_engine
from sqlalchemy.orm import Session, sessionmaker

from bot.private_files import private_sqlite_url
from bot.settings import get_settings

_lock = threading.Lock()
_engines: dict[str, Engine] = {}
_makers: dict[str, sessionmaker] = {}


def sqlite_pragmas(dbapi_conn, _record) -> None:
    """Per-connection SQLite settings (a ``connect`` event listener; the tracker store's too)."""
    # WAL lets the action server and the console read while another process writes;
    # the busy timeout makes concurrent writers wait instead of failing at once.
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _create(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        private_sqlite_url(parsed.database)  # owner-only: it holds caregivers' data
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def get_engine(url: str | None = None) -> Engine:
    """The engine for DATABASE_URL (or ``url``), created on first use and then reused."""
    url = url or get_settings().database_url
    with _lock:
        if url not in _engines:
            _engines[url] = _create(url)
            _makers[url] = sessionmaker(bind=_engines[url], future=True, expire_on_commit=False)
        return _engines[url]


def reset_engine() -> None:
    """Dispose every engine (tests switch databases; forked workers need fresh pools)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _makers.clear()


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session for one operation: commit on success, roll back on any error."""
    url = url or get_settings().database_url
    get_engine(url)
    session: Session = _makers[url]()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
