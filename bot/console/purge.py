"""Retention: delete conversations nobody has touched for a year, and what hangs on them.

The tracker store and the project database are separate, so this cannot be one
transaction. The project's rows go first, in one transaction with the audit entry;
the tracker events last. If the process dies in between, the conversations are still
in the tracker, so running the purge again finds and finishes them.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import click
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot.console import tracker
from bot.db import session_scope
from bot.db.models import (
    AuditEntry,
    Booking,
    ConversationNote,
    ConversationReview,
    ConversationTag,
    HandoffRequest,
    ReflectionEntry,
    SafetyFlag,
    SmsButtons,
    SmsContact,
    SmsMessage,
    utcnow,
)
from bot.settings import get_settings

# Rows that exist only because of the conversation. Bookings are clinic records (they
# are kept, unlinked) and reminders are a caregiver's standing opt-in (kept as they are).
DELETED = (
    SafetyFlag,
    HandoffRequest,
    ReflectionEntry,
    ConversationReview,
    ConversationTag,
    ConversationNote,
    SmsMessage,
    SmsContact,
    SmsButtons,
)
BOOKINGS_UNLINKED = "bookings_unlinked"
_DURATION = re.compile(r"\s*(\d+)\s*([hdw])\s*", re.IGNORECASE)
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


@dataclass(frozen=True)
class PurgeReport:
    conversations: int
    events: int
    project_rows: dict[str, int] = field(default_factory=dict)  # table -> rows
    dry_run: bool = False
    cutoff: datetime | None = None


def parse_age(text: str) -> timedelta:
    """'365d', '52w' or '12h' as a timedelta; ValueError for anything else."""
    match = _DURATION.fullmatch(text or "")
    if not match or int(match.group(1)) < 1:
        raise ValueError(f"use a number and h, d or w (like 365d), not {text!r}")
    return timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})


def _chunks(ids: Sequence[str], size: int = tracker.CHUNK) -> list[Sequence[str]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def _project_rows(session: Session, ids: Sequence[str], dry_run: bool) -> dict[str, int]:
    counts = {model.__tablename__: 0 for model in DELETED}
    counts[BOOKINGS_UNLINKED] = 0
    for chunk in _chunks(ids):
        for model in DELETED:
            where = model.conversation_id.in_(chunk)
            if dry_run:
                found = session.execute(select(func.count()).select_from(model).where(where))
                counts[model.__tablename__] += int(found.scalar_one())
            else:
                counts[model.__tablename__] += int(
                    session.execute(delete(model).where(where)).rowcount
                )
        where = Booking.conversation_id.in_(chunk)
        if dry_run:
            found = session.execute(select(func.count()).select_from(Booking).where(where))
            counts[BOOKINGS_UNLINKED] += int(found.scalar_one())
        else:
            result = session.execute(update(Booking).where(where).values(conversation_id=None))
            counts[BOOKINGS_UNLINKED] += int(result.rowcount)
    return counts


def purge(
    older_than: timedelta,
    dry_run: bool,
    actor: str,
    now: datetime | None = None,
    url: str | None = None,
    tracker_url: str | None = None,
) -> PurgeReport:
    """Delete every conversation whose last event is older than ``older_than``, with the
    project's rows keyed by it; one audit row records it (none for a dry run)."""
    if older_than <= timedelta(0):
        raise ValueError("the age must be positive")
    cutoff = (now or utcnow()) - older_than
    ids = tracker.conversation_ids_last_before(cutoff, tracker_url)
    events = tracker.count_events(ids, before=cutoff, tracker_url=tracker_url)
    with session_scope(url) as session:
        rows = _project_rows(session, ids, dry_run)
        if not dry_run:
            session.add(
                AuditEntry(
                    actor=actor[:64],
                    action="purge",
                    detail={
                        "cutoff": cutoff.isoformat(),
                        "older_than_hours": int(older_than.total_seconds() // 3600),
                        "conversations": len(ids),
                        "events": events,
                        "rows": rows,
                    },
                )
            )
    if not dry_run:
        events = tracker.delete_conversations(ids, tracker_url, before=cutoff)
    return PurgeReport(len(ids), events, rows, dry_run, cutoff)


def _describe(report: PurgeReport) -> str:
    verb = "would remove" if report.dry_run else "removed"
    lines = [f"{verb} {report.conversations} conversations ({report.events} tracker events)"]
    for table, count in report.project_rows.items():
        if count:
            what = "bookings kept, unlinked" if table == BOOKINGS_UNLINKED else table
            lines.append(f"  {what}: {count}")
    return "\n".join(lines)


@click.command("purge")
@click.option(
    "--older-than",
    "older_than",
    help="Age of the last message, like 365d, 52w or 12h (default: $RETENTION_DAYS days).",
)
@click.option("--dry-run", is_flag=True, help="Only show what would be removed.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def purge_cli(older_than: str | None, dry_run: bool, yes: bool) -> None:
    """Delete old conversations and the rows that belong to them (bookings are kept)."""
    try:
        age = parse_age(older_than) if older_than else timedelta(days=get_settings().retention_days)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--older-than") from exc
    actor = f"cli:{getpass.getuser()}"
    preview = purge(age, dry_run=True, actor=actor)
    click.echo(f"conversations with no message since {preview.cutoff:%Y-%m-%d %H:%M} UTC")
    if dry_run:
        click.echo(_describe(preview))
        return
    if preview.conversations and not yes:
        click.echo(_describe(preview))
        click.confirm("Delete them for good?", abort=True)
    # Run (and audit) even when nothing is old enough: the log shows retention ran.
    click.echo(_describe(purge(age, dry_run=False, actor=actor)))
