"""The conversation lock store of the embedded default: a SQLite file the workers share.

``make run`` starts Rasa with ``RASA_WORKERS`` Sanic worker processes (two on this 2-core
machine, see README, Benchmark). Rasa's in-memory lock store is per process, so two
messages of one conversation could run at once on two workers; this store keeps the
tickets in one SQLite file (``LOCK_STORE_DB``) instead. Each change of a lock is one
``BEGIN IMMEDIATE`` transaction: SQLite lets only one writer in at a time across
processes, so read, change and write cannot interleave (``AtomicTicketLockStore``,
bot/tracking/lock_store.py, has the protocol, the ticket renewal and the reasons).

Plain ``sqlite3``, not SQLAlchemy: one table, a few statements per turn on the hot path,
and ``BEGIN IMMEDIATE`` is SQLite's own. A connection per thread (Rasa's event loop and
the renewal thread) and per process (bot.sqlite_local).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from rasa.core.lock import TicketLock
from rasa.utils.endpoints import EndpointConfig

from bot.sqlite_local import LocalConnections
from bot.tracking.lock_store import AtomicTicketLockStore, Change, T

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS conversation_locks "
    "(conversation_id TEXT PRIMARY KEY, lock TEXT NOT NULL)"
)
BUSY_TIMEOUT_SECONDS = 10.0


class SQLiteLockStore(AtomicTicketLockStore):
    """``type: bot.tracking.sqlite_lock_store.SQLiteLockStore`` with ``db: <file>``."""

    store_errors = (sqlite3.Error,)

    def __init__(
        self, endpoint_config: EndpointConfig | None = None, db: str | Path | None = None
    ) -> None:
        super().__init__()
        if endpoint_config is not None:
            db = db or endpoint_config.kwargs.get("db")
        if not db:
            raise ValueError("SQLiteLockStore needs a database file (db: in endpoints.yml)")
        self.path = Path(db)
        self._connections = LocalConnections(self.path, schema=SCHEMA, timeout=BUSY_TIMEOUT_SECONDS)
        self._connect()  # the table exists before the first turn

    def _connect(self) -> sqlite3.Connection:
        return self._connections.get()

    def _change(self, conversation_id: str, change: Change[T], create: bool = False) -> T:
        """One ``BEGIN IMMEDIATE`` transaction: other processes wait (busy timeout)."""
        conn = self._connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = conn.execute(
                "SELECT lock FROM conversation_locks WHERE conversation_id = ?",
                (conversation_id,),
            ).fetchone()
            result, lock = self._apply(conversation_id, row[0] if row else None, change, create)
            if lock is not None:
                self._write(conn, lock)
            elif row is not None:
                self._delete(conn, conversation_id)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return result

    @staticmethod
    def _write(conn: sqlite3.Connection, lock: TicketLock) -> None:
        conn.execute(
            "INSERT INTO conversation_locks (conversation_id, lock) VALUES (?, ?) "
            "ON CONFLICT (conversation_id) DO UPDATE SET lock = excluded.lock",
            (lock.conversation_id, lock.dumps()),
        )

    @staticmethod
    def _delete(conn: sqlite3.Connection, conversation_id: str) -> None:
        conn.execute("DELETE FROM conversation_locks WHERE conversation_id = ?", (conversation_id,))

    # Rasa's plain accessors (LockStore's API; the ticket protocol above uses _change).
    def get_lock(self, conversation_id: str) -> TicketLock | None:
        row = (
            self._connect()
            .execute(
                "SELECT lock FROM conversation_locks WHERE conversation_id = ?", (conversation_id,)
            )
            .fetchone()
        )
        return TicketLock.from_dict(json.loads(row[0])) if row else None

    def save_lock(self, lock: TicketLock) -> None:
        self._write(self._connect(), lock)

    def delete_lock(self, conversation_id: str) -> None:
        self._delete(self._connect(), conversation_id)
