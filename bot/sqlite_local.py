"""A SQLite connection per thread and per process, for files several processes share.

The embedded default's Rasa workers share small SQLite files: the conversation locks
(bot/tracking/sqlite_lock_store.py) and the web relay (bot/channels/web_relay.py).
sqlite3 connections must not cross threads (Rasa's event loop, ``asyncio.to_thread``,
the lock renewal thread) nor a ``fork`` (Sanic forks the workers after these objects
are made), so each thread of each process opens its own.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from bot.private_files import private_file


class LocalConnections:
    """``get()``: this thread's connection to ``path``, opened in this process.

    WAL (readers don't wait for the writer) and ``synchronous=NORMAL``: these files hold
    rows that live seconds, so losing the last commits in a power cut is harmless.
    ``isolation_level=None``: no implicit transactions; callers say BEGIN themselves.
    ``schema`` runs on each new connection (``CREATE TABLE IF NOT EXISTS``).
    """

    def __init__(self, path: str | Path, *, schema: str, timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.schema = schema
        self.timeout = timeout
        self._local = threading.local()

    def get(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != os.getpid():
            private_file(self.path)  # owner-only, like every file the project writes
            conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(self.schema)
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn
