"""StrictSQLTrackerStore against real SQLite and real PostgreSQL.

Outages are real: a SQLite file that cannot be opened, and a PostgreSQL reached
through ``TcpProxy``, a small TCP forwarder the test can switch off (refusing new
connections and cutting open ones, as a restarting server does) and on again,
without touching the PostgreSQL server that other tests share.
"""

from __future__ import annotations

import logging
import sqlite3
import time
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from rasa.core.agent import Agent
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered

from bot.tracking import agent_hooks, alerts
from bot.tracking.store import StrictSQLTrackerStore
from bot.tracking.unavailable import TrackerStoreUnavailable, try_again_text
from tests.pg_run import postgres_reachable
from tests.tracker_db import PG, PG_URL, TcpProxy, drop_events_table


@pytest.fixture
def proxy() -> Iterator[TcpProxy]:
    if not postgres_reachable():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    drop_events_table()
    running = TcpProxy((PG.host, PG.port or 5432))
    running.start()
    yield running
    running.stop()


def pg_store(port: int | None = None) -> StrictSQLTrackerStore:
    """The store with the keys endpoints.prod.yml gives it (url = host, port, db, ...)."""
    return StrictSQLTrackerStore(
        domain=Domain.empty(),
        dialect="postgresql",
        host=PG.host,
        port=str(port or PG.port or 5432),
        db=PG.database,
        username=PG.username,
        password=PG.password or "",
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path) -> StrictSQLTrackerStore:
    if request.param == "sqlite":
        return StrictSQLTrackerStore(
            domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db")
        )
    return pg_store(request.getfixturevalue("proxy").port)


def _rows(store: StrictSQLTrackerStore, sender: str) -> list[tuple[str, str | None]]:
    with store.engine.connect() as conn:
        result = conn.execute(
            sa.text("SELECT type_name, action_name FROM events WHERE sender_id = :s ORDER BY id"),
            {"s": sender},
        )
        return [(row.type_name, row.action_name) for row in result]


def _session_start(at: float) -> list:
    """What Rasa logs when a session starts: the action after the events it returned."""
    return [
        SessionStarted(timestamp=at),
        ActionExecuted("action_listen", timestamp=at + 0.001),
        ActionExecuted("action_session_start", timestamp=at + 0.002),
    ]


def _alerts(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bot.tracking.alerts"]


class Clock:
    """The alert rate limit's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> Clock:
    """Every test starts outside an outage, on a clock it controls."""
    fake = Clock()
    monkeypatch.setattr(alerts, "_outage", alerts._Outage(clock=fake))
    return fake


def test_alerts_are_rate_limited_during_an_outage_and_reset_when_it_ends(caplog, clock):
    caplog.set_level(logging.INFO)
    for _ in range(50):  # 50 failed messages in the first 10 s: one line
        alerts.store_unavailable("save", "OperationalError")
        clock.now += 0.2
    assert len(_alerts(caplog)) == 1
    clock.now += 25  # 35 s after the first line
    alerts.store_unavailable("retrieve", "OperationalError")
    lines = _alerts(caplog)
    assert len(lines) == 2 and lines[1].startswith("ALERT tracker store unavailable: retrieve")
    assert "(49 more failures since the last alert line" in lines[1]
    alerts.store_unavailable("save", "OperationalError")  # suppressed again
    caplog.clear()
    alerts.store_recovered()
    assert _alerts(caplog) == [
        "tracker store reachable again (1 failures after the last alert line)"
    ]
    caplog.clear()
    alerts.store_unavailable("save", "OperationalError")  # a new outage alerts at once
    alerts.store_recovered()
    assert len(_alerts(caplog)) == 2 and _alerts(caplog)[1] == "tracker store reachable again"


async def test_round_trip_and_each_event_stored_once_when_a_turn_is_saved_twice(store):
    """The inbound-first save plus the end-of-turn save, in a turn that starts a new
    session after an old one: every event exactly once, in order."""
    sender = f"s-{uuid.uuid4().hex[:8]}"
    old = time.time() - 7200
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    for event in [*_session_start(old), UserUttered("hi", timestamp=old + 1)]:
        tracker.update(event)
    tracker.update(BotUttered("hello", timestamp=old + 2))
    await store.save(tracker)

    now = time.time()
    tracker = await store.retrieve(sender)  # the next turn: a new session starts
    for event in _session_start(now):
        tracker.update(event)
    tracker.update(UserUttered("what is cpp", timestamp=now + 1))
    await store.save(tracker)  # inbound first
    tracker.update(BotUttered("CPP is ...", timestamp=now + 2))
    tracker.update(ActionExecuted("action_listen", timestamp=now + 3))
    await store.save(tracker)  # end of turn

    session = [
        ("session_started", None),
        ("action", "action_listen"),
        ("action", "action_session_start"),
        ("user", None),
    ]
    assert _rows(store, sender) == [
        *session,
        ("bot", None),
        *session,
        ("bot", None),
        ("action", "action_listen"),
    ]
    latest = await store.retrieve(sender)
    assert [e.text for e in latest.events if isinstance(e, UserUttered)] == ["what is cpp"]


async def test_rasas_own_store_duplicates_that_turn(tmp_path):
    """Why the store counts what it stored: Rasa's rule (skip as many events as the
    latest session has rows) re-inserts the old session on the second save."""
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "rasa.db"))
    sender = "s"
    old = time.time() - 7200
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    for event in [*_session_start(old), UserUttered("hi", timestamp=old + 1)]:
        tracker.update(event)
    await store.save(tracker)
    tracker = await store.retrieve(sender)
    for event in [*_session_start(time.time()), UserUttered("again")]:
        tracker.update(event)
    await store.save(tracker)
    tracker.update(BotUttered("reply"))
    await store.save(tracker)
    with store.engine.connect() as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM events")).scalar()
    assert count > 9  # 4 + 4 + 1 expected


def test_the_agent_keeps_a_strict_store_unwrapped(tmp_path):
    strict = StrictSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))
    assert agent_hooks.installed()
    assert Agent(tracker_store=strict).tracker_store is strict
    # every other store still gets Rasa's wrapper
    assert isinstance(
        Agent(tracker_store=InMemoryTrackerStore(Domain.empty())).tracker_store,
        FailSafeTrackerStore,
    )


async def test_a_sqlite_store_writes_in_wal_mode(tmp_path):
    """Commits append to the write-ahead log, and the console can read meanwhile."""
    store = StrictSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))
    tracker = await store.get_or_create_tracker("w", append_action_listen=False)
    tracker.update(UserUttered("hello"))
    await store.save(tracker)
    # WAL is a property of the file: any other reader (the console) sees it too.
    with sqlite3.connect(tmp_path / "t.db") as other:
        assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)


async def test_unreachable_sqlite_raises_and_alerts_without_fallback(tmp_path, caplog, clock):
    caplog.set_level(logging.INFO)
    start = time.monotonic()
    store = StrictSQLTrackerStore(
        Domain.empty(), dialect="sqlite", db=str(tmp_path / "missing" / "dir" / "t.db")
    )
    assert time.monotonic() - start < 3  # Rasa's own store would retry forever here
    assert len(_alerts(caplog)) == 1

    caplog.clear()
    clock.now += 60  # past the rate limit: the first failure below alerts again
    sender = "+15550101234"
    with pytest.raises(TrackerStoreUnavailable):
        await store.retrieve(sender)
    with pytest.raises(TrackerStoreUnavailable):
        await store.get_or_create_tracker(sender)  # not a fresh empty tracker
    tracker = store.init_tracker(sender)
    tracker.update(UserUttered("my son hits me"))
    with pytest.raises(TrackerStoreUnavailable):
        await store.save(tracker)
    lines = _alerts(caplog)  # one line: the next two are within the rate limit
    assert len(lines) == 1 and lines[0].startswith("ALERT tracker store unavailable")
    assert not any(sender in r.getMessage() or "hits" in r.getMessage() for r in caplog.records)


async def test_sqlite_outage_mid_conversation_then_recovery(tmp_path, caplog):
    """The folder holding the file disappears (an unmounted volume) and comes back."""
    caplog.set_level(logging.INFO)
    folder = tmp_path / "volume"
    folder.mkdir()
    store = StrictSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(folder / "t.db"))
    tracker = await store.get_or_create_tracker("c", append_action_listen=False)
    tracker.update(UserUttered("first"))
    await store.save(tracker)

    folder.rename(tmp_path / "away")
    caplog.clear()
    tracker.update(UserUttered("second, during the outage"))
    with pytest.raises(TrackerStoreUnavailable):
        await store.save(tracker)
    with pytest.raises(TrackerStoreUnavailable):
        await store.retrieve("c")
    assert len(_alerts(caplog)) == 1  # the second failure is within the rate limit

    (tmp_path / "away").rename(folder)
    again = await store.retrieve("c")
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["first"]


async def test_postgres_outage_mid_conversation_then_recovery(proxy, caplog):
    caplog.set_level(logging.INFO)
    store = pg_store(proxy.port)
    sender = f"s-{uuid.uuid4().hex[:8]}"
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    tracker.update(UserUttered("first"))
    await store.save(tracker)

    proxy.stop()  # outage: open pooled connections are cut too
    caplog.clear()
    tracker.update(UserUttered("second, during the outage"))
    with pytest.raises(TrackerStoreUnavailable) as failed:
        await store.save(tracker)
    assert "second" not in str(failed.value)
    with pytest.raises(TrackerStoreUnavailable):
        await store.retrieve(sender)
    with pytest.raises(TrackerStoreUnavailable):
        store.ping()
    assert len(_alerts(caplog)) == 1  # then rate-limited

    proxy.start()  # back: the dead pooled connection is replaced, no restart needed
    caplog.clear()
    again = await store.retrieve(sender)
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["first"]
    assert _alerts(caplog) == [
        "tracker store reachable again (2 failures after the last alert line)"
    ]
    again.update(UserUttered("third"))
    await store.save(again)
    assert [row[0] for row in _rows(store, sender)] == ["user", "user"]


async def test_postgres_down_at_startup_creates_the_table_when_it_comes_back(caplog):
    if not postgres_reachable():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    drop_events_table()
    proxy = TcpProxy((PG.host, PG.port or 5432))  # not started: connection refused
    start = time.monotonic()
    store = pg_store(proxy.port)
    assert time.monotonic() - start < 3
    with pytest.raises(TrackerStoreUnavailable):
        await store.retrieve("a")
    proxy.start()
    try:
        assert await store.retrieve("a") is None
        tracker = await store.get_or_create_tracker("a")  # appends and saves action_listen
        assert [row[1] for row in _rows(store, "a")] == ["action_listen"]
        assert tracker.sender_id == "a"
    finally:
        proxy.stop()


def test_pg_backend_terminated_is_survived_by_the_pool():
    """pg_terminate_backend kills the pooled connection; the next use reconnects."""
    if not postgres_reachable():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    drop_events_table()
    store = pg_store()
    store.ping()
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        killed = conn.execute(
            sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :db AND pid <> pg_backend_pid()"
            ),
            {"db": PG.database},
        ).scalar()
    admin.dispose()
    assert killed >= 1
    store.ping()  # no error: pre-ping replaced the dead connection


def test_empty_url_port_and_credentials_mean_not_given(tmp_path):
    """``${TRACKER_HOST}`` etc. render as "" when unset (endpoints.prod.yml)."""
    store = StrictSQLTrackerStore(
        Domain.empty(),
        dialect="sqlite",
        host="",
        port="",
        username="",
        password="",
        db=str(tmp_path / "t.db"),
    )
    assert store.engine.url.database == str(tmp_path / "t.db")


def test_try_again_text_names_the_clinic_phone_and_emergency_line(profile):
    text = try_again_text()
    assert "try again" in text and profile.phone in text
    assert profile.crisis.emergency.phone in text
