"""Web-chat events passed between Rasa processes, so a reply reaches every open socket.

A chat's websocket lives in one process: one of the embedded default's Sanic workers
(``RASA_WORKERS``) or one production instance. Whatever sends to the conversation can
run in another one: a reminder (the scheduler calls Rasa's HTTP API, and any worker or
instance may take that call), or a message typed in a second tab. python-socketio
delivers an event only to the sockets of its own process, unless the server has a
pub/sub client manager: then every emit is also published, and each process hands it
to the sockets it holds (``AsyncPubSubManager``).

``WEB_RELAY`` picks the backend:

* ``sqlite`` (embedded default): ``SQLiteRelayManager`` below, a table in the SQLite file
  ``WEB_RELAY_DB`` that each process polls (every ``POLL_SECONDS``), so ``make run`` still
  needs no server. Rows are kept ``KEEP_SECONDS``: they only have to outlive one poll;
* ``redis`` (production): python-socketio's own ``AsyncRedisManager`` on the stack's Redis
  (``REDIS_*``), on a channel named by ``REDIS_KEY_PREFIX`` and ``REDIS_LOCK_DB``
  (Redis pub/sub channels are shared by all databases of a server);
* ``off``: one process only; events reach the sockets of the process that sends them.

A relayed event is best effort, like the websocket itself: the conversation is in the
tracker store either way, and the widget shows it from ``history`` on the next load.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from socketio import AsyncManager, AsyncRedisManager
from socketio.async_pubsub_manager import AsyncPubSubManager

from bot.settings import Settings
from bot.sqlite_local import LocalConnections

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.2
KEEP_SECONDS = 60.0
PRUNE_EVERY = 200  # publishes between deletions of old rows
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS web_relay "
    "(id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, "
    "created REAL NOT NULL, body TEXT NOT NULL)"
)
BACKENDS = ("sqlite", "redis", "off")


class RelayMixin:
    """What both backends change in python-socketio's pub/sub manager.

    * python-socketio tells its own publishes from others' by ``host_id``. Sanic forks
      the workers after the channel (and its manager) is built, so an id made in
      ``__init__`` would be the same in every worker, and each would drop the others'
      events as its own: the id is made anew in each process.
    * An event for one socket of this process (``session_confirm``) is not published:
      no other process has that socket.
    """

    @property
    def host_id(self) -> str:
        ids = self.__dict__.setdefault("_host_ids", {})
        return ids.setdefault(os.getpid(), uuid.uuid4().hex)

    @host_id.setter
    def host_id(self, _value: str) -> None:
        """The base class sets one in ``__init__``; the per-process id wins."""

    async def emit(
        self,
        event: str,
        data: Any,
        namespace: str | None = None,
        room: str | None = None,
        skip_sid: Any = None,
        callback: Any = None,
        to: str | None = None,
        **kwargs: Any,
    ) -> Any:
        room = to or room
        if room is not None and self.is_connected(room, namespace or "/"):  # type: ignore[attr-defined]
            kwargs["ignore_queue"] = True
        return await super().emit(  # type: ignore[misc]
            event,
            data,
            namespace=namespace,
            room=room,
            skip_sid=skip_sid,
            callback=callback,
            **kwargs,
        )


class RedisRelayManager(RelayMixin, AsyncRedisManager):
    """python-socketio's Redis manager, with an id per process."""


class SQLiteRelayManager(RelayMixin, AsyncPubSubManager):
    """Pub/sub through a SQLite table: for the workers of one host, no server needed.

    Polling delivers an event up to ``POLL_SECONDS`` late, long enough for a widget
    that reconnects at once to join the conversation's room in between and get a reply
    it already had. So each event carries the moment it was sent (``time.monotonic``,
    one clock for every process of the host), and a socket that joined the room after
    that moment is skipped.
    """

    name = "sqlite-relay"

    def __init__(self, path: str | Path, channel: str = "web-relay") -> None:
        super().__init__(channel=channel)
        self.path = Path(path)
        self._connections = LocalConnections(self.path, schema=SCHEMA)
        self._published = 0
        self._joined: dict[tuple[str, str], dict[str, float]] = {}  # (namespace, sid)

    def basic_enter_room(
        self, sid: str, namespace: str, room: str, eio_sid: str | None = None
    ) -> None:
        self._joined.setdefault((namespace, sid), {})[room] = time.monotonic()
        super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)

    def basic_leave_room(self, sid: str, namespace: str, room: str) -> None:
        self._joined.get((namespace, sid), {}).pop(room, None)
        super().basic_leave_room(sid, namespace, room)

    def basic_disconnect(self, sid: str, namespace: str, **kwargs: Any) -> None:
        self._joined.pop((namespace, sid), None)
        super().basic_disconnect(sid, namespace, **kwargs)

    async def _handle_emit(self, message: dict[str, Any]) -> None:
        room, sent_at = message.get("room"), message.get("sent_at")
        if message.get("host_id") != self.host_id and isinstance(room, str) and sent_at:
            skip = message.get("skip_sid")
            skip = list(skip) if isinstance(skip, list) else [skip]
            namespace = message.get("namespace") or "/"
            skip += [
                sid
                for sid, _ in self.get_participants(namespace, room)
                if self._joined.get((namespace, sid), {}).get(room, 0.0) > sent_at
            ]
            message = {**message, "skip_sid": skip}
        await super()._handle_emit(message)

    def _connect(self) -> sqlite3.Connection:
        return self._connections.get()

    def _insert(self, body: str, prune: bool) -> None:
        conn = self._connect()
        now = time.time()
        conn.execute(
            "INSERT INTO web_relay (channel, created, body) VALUES (?, ?, ?)",
            (self.channel, now, body),
        )
        if prune:
            conn.execute("DELETE FROM web_relay WHERE created < ?", (now - KEEP_SECONDS,))

    def _rows_after(self, last_id: int) -> list[tuple[int, str]]:
        return (
            self._connect()
            .execute(
                "SELECT id, body FROM web_relay WHERE id > ? AND channel = ? ORDER BY id",
                (last_id, self.channel),
            )
            .fetchall()
        )

    def _last_id(self) -> int:
        row = self._connect().execute("SELECT MAX(id) FROM web_relay").fetchone()
        return row[0] or 0

    async def _publish(self, data: dict[str, Any]) -> None:
        self._published += 1
        prune = self._published % PRUNE_EVERY == 1
        try:
            body = self.json.dumps({**data, "sent_at": time.monotonic()})
            await asyncio.to_thread(self._insert, body, prune)
        except sqlite3.Error as exc:  # the event is lost, the conversation is not
            logger.error("web relay: could not publish an event (%s)", type(exc).__name__)

    async def _listen(self) -> AsyncIterator[str]:
        """Every body published after this process started listening, in order."""
        last_id = await asyncio.to_thread(self._last_id)
        while True:
            try:
                rows = await asyncio.to_thread(self._rows_after, last_id)
            except sqlite3.Error as exc:
                logger.error("web relay: could not read events (%s)", type(exc).__name__)
                rows = []
            for row_id, body in rows:
                last_id = row_id
                yield body
            if not rows:
                await asyncio.sleep(POLL_SECONDS)


def client_manager(settings: Settings) -> AsyncManager | None:
    """The socket.io client manager ``WEB_RELAY`` names (None: python-socketio's own)."""
    backend = settings.web_relay.strip().lower()
    if backend not in BACKENDS:
        raise ValueError(f"WEB_RELAY must be one of {', '.join(BACKENDS)}, not {backend!r}")
    if backend == "sqlite":
        return SQLiteRelayManager(settings.web_relay_db)
    if backend == "redis":
        return RedisRelayManager(
            f"redis://{settings.redis_host}:{settings.redis_port}/{settings.redis_lock_db}",
            channel=f"{settings.redis_key_prefix}:{settings.redis_lock_db}:web-relay",
            redis_options={"password": settings.redis_password or None},
        )
    return None
