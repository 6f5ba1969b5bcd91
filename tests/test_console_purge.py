"""Retention purge: old transcripts and their rows go, bookings and audit rows stay."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from bot.booking.availability import list_slots
from bot.booking.bookings import NewCaregiver, book_slot
from bot.channels import sms_store
from bot.console import review, tracker
from bot.console.purge import parse_age, purge, purge_cli
from bot.db import session_scope
from bot.db.models import (
    AuditEntry,
    Booking,
    ConversationNote,
    HandoffRequest,
    ReflectionEntry,
    Reminder,
    SafetyFlag,
    SmsContact,
    utcnow,
)
from bot.safety.flags import record_flag
from bot.settings import get_settings
from tests.console_seed import seeded_store

NOW = datetime(2025, 6, 2, 15, 0, tzinfo=timezone.utc)
YEAR = timedelta(days=365)


@contextmanager
def _seeded_with_extras(db_url, tmp_path, now, tracker_url=None):
    with seeded_store(db_url, tmp_path, now, tracker_url) as seeded:
        old = seeded.ids["old"]
        # More of what the project keeps per conversation, all on the year-old one.
        record_flag(old, "self_harm", ["old words"], "rules", url=db_url)
        review.mark_reviewed(old, "alice", url=db_url)
        review.add_tag(old, "old", "alice", url=db_url)
        review.add_note(old, "Followed up.", "alice", url=db_url)
        sms_store.remember_contact(old, "+16175550100", url=db_url)
        sms_store.offer_buttons(old, [{"title": "Yes", "payload": "/affirm"}], url=db_url)
        slot = list_slots(now=now + timedelta(days=1), days=7, status="open", url=db_url)[0]
        person = NewCaregiver(first_name="Ola", email="ola@example.com", consent=True)
        book_slot(slot.id, person, 30, None, old, db_url, now=now)
        with session_scope(db_url) as session:
            session.add(
                Reminder(
                    owner_key="k" * 64,
                    conversation_id=old,
                    channel="socketio",
                    weekdays=[0],
                    local_time="19:00",
                )
            )
            session.add(AuditEntry(actor="alice", action="view_transcript", conversation_id=old))
        yield seeded


@pytest.fixture
def seeded(db_url, tmp_path):
    with _seeded_with_extras(db_url, tmp_path, NOW) as seeded:
        yield seeded


def _count(url, model, **where):
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    with session_scope(url) as session:
        return session.execute(query).scalar_one()


def test_parse_age():
    assert parse_age("365d") == timedelta(days=365)
    assert parse_age("52w") == timedelta(weeks=52)
    assert parse_age(" 12H ") == timedelta(hours=12)
    for bad in ("", "365", "d", "0d", "-3d", "1y", "3 days"):
        with pytest.raises(ValueError):
            parse_age(bad)


def test_dry_run_counts_and_changes_nothing(seeded):
    url, old = seeded.url, seeded.ids["old"]
    events = tracker.count_events([old], tracker_url=seeded.tracker_url)
    report = purge(
        YEAR, dry_run=True, actor="cli:test", now=NOW, url=url, tracker_url=seeded.tracker_url
    )
    assert (report.conversations, report.events, report.dry_run) == (1, events, True)
    assert report.project_rows["safety_flags"] == 1
    assert report.project_rows["handoff_requests"] == 1
    assert report.project_rows["reflection_entries"] == 1
    assert report.project_rows["sms_contacts"] == report.project_rows["sms_buttons"] == 1
    assert report.project_rows["bookings_unlinked"] == 1
    assert tracker.count_events([old], tracker_url=seeded.tracker_url) == events
    assert _count(url, SafetyFlag, conversation_id=old) == 1
    assert _count(url, AuditEntry, action="purge") == 0


def test_purge_removes_old_conversation_and_its_rows(seeded):
    url, turl, ids = seeded.url, seeded.tracker_url, seeded.ids
    old = ids["old"]
    before = {s.conversation_id for s in tracker.summaries(turl)}
    flags_before = _count(url, SafetyFlag)
    report = purge(YEAR, dry_run=False, actor="cli:test", now=NOW, url=url, tracker_url=turl)
    assert report.conversations == 1 and report.events > 0 and not report.dry_run
    assert report.project_rows == {
        "safety_flags": 1,
        "handoff_requests": 1,
        "reflection_entries": 1,
        "conversation_reviews": 1,
        "conversation_tags": 1,
        "conversation_notes": 1,
        "sms_messages": 0,
        "sms_contacts": 1,
        "sms_buttons": 1,
        "bookings_unlinked": 1,
    }
    assert tracker.transcript(old, turl) == []
    assert {s.conversation_id for s in tracker.summaries(turl)} == before - {old}
    for model in (SafetyFlag, HandoffRequest, ReflectionEntry, ConversationNote, SmsContact):
        assert _count(url, model, conversation_id=old) == 0
    assert _count(url, SafetyFlag) == flags_before - 1  # the crisis flag is still there
    assert _count(url, Booking) == 2 and _count(url, Booking, conversation_id=old) == 0
    assert _count(url, Reminder, conversation_id=old) == 1  # an opt-in, kept
    assert _count(url, AuditEntry, action="view_transcript", conversation_id=old) == 1

    with session_scope(url) as session:
        audit = session.execute(select(AuditEntry).where(AuditEntry.action == "purge")).scalars()
        (entry,) = list(audit)
    assert entry.actor == "cli:test" and entry.conversation_id is None
    assert entry.detail["conversations"] == 1 and entry.detail["events"] == report.events
    assert entry.detail["rows"]["safety_flags"] == 1
    assert entry.detail["cutoff"] == (NOW - YEAR).isoformat()
    assert old not in str(entry.detail)

    again = purge(YEAR, dry_run=False, actor="cli:test", now=NOW, url=url, tracker_url=turl)
    assert (again.conversations, again.events, sum(again.project_rows.values())) == (0, 0, 0)


def test_shorter_age_takes_more_and_keeps_recent_activity(seeded):
    url, turl, ids = seeded.url, seeded.tracker_url, seeded.ids
    report = purge(
        timedelta(days=3), dry_run=False, actor="cli:test", now=NOW, url=url, tracker_url=turl
    )
    assert report.conversations == 4  # fallback, sms, socketio (4-6 days) and the old one
    left = {s.conversation_id for s in tracker.summaries(turl)}
    assert left == {ids[n] for n in ("crisis", "handoff", "booking", "reflection", "script")}
    assert _count(url, SmsContact, conversation_id=ids["sms"]) == 0
    assert _count(url, SafetyFlag, conversation_id=ids["crisis"]) == 1


def test_purge_refuses_a_zero_age(seeded):
    with pytest.raises(ValueError):
        purge(
            timedelta(0),
            dry_run=True,
            actor="cli:test",
            url=seeded.url,
            tracker_url=seeded.tracker_url,
        )


@pytest.fixture
def cli_env(db_url, tmp_path, monkeypatch):
    """The command reads the databases from settings and the clock, like `python -m bot
    purge`; the tracker store is a SQLite file (settings cannot name a PostgreSQL host)."""
    tracker_db = tmp_path / "tracker.db"
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("TRACKER_DIALECT", "sqlite")
    monkeypatch.setenv("TRACKER_DB", str(tracker_db))
    get_settings.cache_clear()
    with _seeded_with_extras(db_url, tmp_path, utcnow(), f"sqlite:///{tracker_db}") as seeded:
        yield seeded
    get_settings.cache_clear()


def test_cli_dry_run_then_confirm(cli_env):
    runner = CliRunner()
    result = runner.invoke(purge_cli, ["--older-than", "365d", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would remove 1 conversations" in result.output
    assert "safety_flags: 1" in result.output
    assert _count(cli_env.url, AuditEntry, action="purge") == 0

    result = runner.invoke(purge_cli, ["--older-than", "52w"], input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output
    assert tracker.transcript(cli_env.ids["old"], cli_env.tracker_url) != []

    result = runner.invoke(purge_cli, ["--yes"])  # default: RETENTION_DAYS (365)
    assert result.exit_code == 0, result.output
    assert "removed 1 conversations" in result.output
    assert "bookings kept, unlinked: 1" in result.output
    assert tracker.transcript(cli_env.ids["old"], cli_env.tracker_url) == []
    assert _count(cli_env.url, AuditEntry, action="purge") == 1


def test_cli_rejects_a_bad_age(cli_env):
    result = CliRunner().invoke(purge_cli, ["--older-than", "1y"])
    assert result.exit_code == 2 and "--older-than" in result.output
