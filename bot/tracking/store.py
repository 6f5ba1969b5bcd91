"""``StrictSQLTrackerStore``: Rasa's SQL tracker store, minus the silent failures.

Use it in endpoints.yml as ``type: bot.tracking.store.StrictSQLTrackerStore`` with the
same keys as Rasa's ``SQL`` store (dialect, url/host, port, db, username, password,
login_db, query). Compared with Rasa's store:

* a database error on retrieve, save or keys raises ``TrackerStoreUnavailable`` and
  logs one alert line (bot.tracking.alerts). Constructing the store installs the agent
  hooks (bot.tracking.agent_hooks), so Rasa does not wrap it in ``FailSafeTrackerStore``,
  which would answer a failed read with a brand-new empty conversation and keep a
  failed write in memory only;
* the user's message is saved as soon as it is parsed, before any action runs (the
  hooks make Rasa's processor save there), and a turn saved twice stores each event
  once: the store remembers how many of a tracker's events are already in the
  database instead of counting the latest session's rows, which re-inserts events
  when a turn that started a new session is saved a second time;
* the server starts while the database is down (Rasa's store retries forever in its
  constructor) and creates the table at the first operation that reaches it; messages
  get an error until then;
* pooled connections are checked before use, so the first messages after a database
  restart do not fail on a dead connection, and a PostgreSQL connection attempt gives
  up after ``CONNECT_TIMEOUT_SECONDS`` instead of hanging the event loop.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import sqlalchemy.exc
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import (
    SQLTrackerStore,
    TrackerStore,
    create_engine_kwargs,
    is_postgresql_url,
    validate_port,
)
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.db.engine import sqlite_pragmas
from bot.private_files import private_sqlite_url
from bot.tracking import alerts
from bot.tracking.unavailable import TrackerStoreUnavailable

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 5
# Set on a tracker this store read or wrote: how many of its events are in the database.
_STORED = "_strict_store_stored_events"


def _blank_to_none(value: Any) -> Any:
    """``${TRACKER_HOST}`` and friends render as "" when unset: mean "not given"."""
    return None if value == "" else value


def _engine_kwargs(url: Any) -> dict[str, Any]:
    kwargs = create_engine_kwargs(url)  # Rasa's: pool size, PostgreSQL schema
    kwargs["pool_pre_ping"] = True
    if is_postgresql_url(url):
        kwargs.setdefault("connect_args", {})["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
    return kwargs


def _create_engine(url: Any) -> sa.engine.Engine:
    """The store's engine; a SQLite file gets the project database's settings (WAL).

    With Rasa's default rollback journal every commit syncs the disk several times and
    blocks readers (the staff console); in WAL mode a commit appends to one log file.
    """
    parsed = sa.engine.make_url(url)
    folder_exists = bool(parsed.database) and Path(parsed.database).parent.is_dir()
    if parsed.get_backend_name() == "sqlite" and folder_exists:
        # Owner-only: transcripts. A missing folder stays missing: an outage, not ours
        # to paper over (the store reports it).
        private_sqlite_url(parsed.database)
    engine = sa.create_engine(url, **_engine_kwargs(url))
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", sqlite_pragmas)
    return engine


def _mark_stored(tracker: DialogueStateTracker | None, count: int | None = None) -> None:
    if tracker is not None:
        setattr(tracker, _STORED, len(tracker.events) if count is None else count)


class StrictSQLTrackerStore(SQLTrackerStore):
    """A SQL tracker store whose failures reach the caller (see the module docstring)."""

    # Read by bot.tracking.agent_hooks: keep this store unwrapped, save the inbound first.
    STRICT = True

    def __init__(
        self,
        domain: Domain | None = None,
        dialect: str = "sqlite",
        host: str | None = None,
        port: int | str | None = None,
        db: str = "rasa.db",
        username: str | None = None,
        password: str | None = None,
        event_broker: EventBroker | None = None,
        login_db: str | None = None,
        query: dict | None = None,
        **kwargs: Any,
    ) -> None:
        # Rasa's constructor loops until the database answers; this one does not wait.
        url = self.get_db_url(
            dialect,
            _blank_to_none(host),
            validate_port(_blank_to_none(port)),
            db,
            _blank_to_none(username),
            _blank_to_none(password),
            _blank_to_none(login_db),
            query,
        )
        self.engine = _create_engine(url)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self._db = db
        self._login_db = _blank_to_none(login_db)
        self._schema_ready = False
        self._failing = False
        TrackerStore.__init__(self, domain, event_broker, **kwargs)

        from bot.tracking import agent_hooks

        agent_hooks.install()
        try:
            with self._reporting("startup"):
                self._ensure_schema()
        except TrackerStoreUnavailable:
            logger.warning("tracker store: database not reachable yet; retrying per message")

    def _ensure_schema(self) -> None:
        """Create the events table once the database answers (idempotent)."""
        if self._schema_ready:
            return
        if self._login_db:
            self._create_database_and_update_engine(self._db, self.engine.url)
            self.engine = _create_engine(self.engine.url)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
            self._login_db = None
        try:
            self.Base.metadata.create_all(self.engine)
        except (sqlalchemy.exc.ProgrammingError, sqlalchemy.exc.IntegrityError) as exc:
            # Several instances starting together race to create the table; one wins.
            logger.info("tracker store: table created concurrently (%s)", type(exc).__name__)
        self._schema_ready = True

    @contextlib.contextmanager
    def _reporting(self, operation: str) -> Iterator[None]:
        """Turn a database error into one alert line and ``TrackerStoreUnavailable``."""
        try:
            yield
        except sqlalchemy.exc.SQLAlchemyError as exc:
            self._failing = True
            cause = type(exc).__name__
            alerts.store_unavailable(operation, cause)
            # "from None": the driver's message may quote SQL parameters (message text).
            raise TrackerStoreUnavailable(operation, cause) from None
        if self._failing:
            self._failing = False
            alerts.store_recovered()

    def init_tracker(self, sender_id: str) -> DialogueStateTracker:
        """A new conversation's tracker: none of its events are stored yet."""
        tracker = super().init_tracker(sender_id)
        _mark_stored(tracker, 0)
        return tracker

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The latest session; None only when the database has no such conversation."""
        with self._reporting("retrieve"):
            self._ensure_schema()
            tracker = await super().retrieve(sender_id)
        _mark_stored(tracker)
        return tracker

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        with self._reporting("retrieve"):
            self._ensure_schema()
            tracker = await super().retrieve_full_tracker(conversation_id)
        _mark_stored(tracker)
        return tracker

    async def keys(self) -> Iterable[str]:
        with self._reporting("keys"):
            self._ensure_schema()
            return await super().keys()

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Append the tracker's events not yet stored, in one transaction."""
        with self._reporting("save"):
            self._ensure_schema()
            await super().save(tracker)
        _mark_stored(tracker)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        """The events to insert: those after the ones this store already read or wrote.

        A tracker this store has not seen (built by hand, e.g. through the HTTP API)
        falls back to Rasa's rule: skip as many events as the latest session has rows.
        """
        stored = getattr(tracker, _STORED, None)
        if stored is None or stored > len(tracker.events):
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, None)

    def ping(self) -> None:
        """Raise ``TrackerStoreUnavailable`` unless the database answers now."""
        with self._reporting("ping"):
            self._ensure_schema()
            with self.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
