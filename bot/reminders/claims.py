"""The scheduler's database side: claim a due time exactly once, then record the outcome.

A claim is one transaction that inserts the (reminder, due time) delivery row, whose
unique constraint lets only one scheduler have it, and moves the reminder's
``next_due_at`` on. The insert is the transaction's first statement, so on SQLite a
second scheduler waits for the write lock and then fails on the constraint; on
PostgreSQL it waits for the first to commit and fails the same way.

Sending happens after the claim commits, so a crash in between leaves the row
"claimed" and the reminder is never sent for that time: at most once, because a
duplicate nudge to a caregiver is worse than a missed one. Claims left like that are
marked "abandoned" by the next pass that finds them older than STALE_CLAIM.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from bot.db import session_scope
from bot.db.models import Reminder, ReminderDelivery
from bot.reminders.repository import ReminderRecord, opt_out_channel, opted_out_in, to_record
from bot.reminders.schedule import Schedule, in_quiet_hours, next_due

logger = logging.getLogger(__name__)

# Longer than any send can take (3 tries x REMINDER_SEND_TIMEOUT_SECONDS + backoff).
STALE_CLAIM = timedelta(minutes=5)
SEND = "send"
SKIPPED_LATE = "skipped_late"
SKIPPED_QUIET = "skipped_quiet"
SKIPPED_OPT_OUT = "skipped_opt_out"
_TICK = timedelta(microseconds=1)


@dataclass(frozen=True)
class Rules:
    """What decides a due time's fate besides the database: the clinic's clock and limits."""

    tz: ZoneInfo
    quiet_start: str
    quiet_end: str
    grace: timedelta


@dataclass(frozen=True)
class Claim:
    """A due time this scheduler owns: send it (outcome SEND) or it was already skipped."""

    delivery_id: int
    due_at: datetime
    outcome: str
    reminder: ReminderRecord  # as it is after the claim (next_due_at moved on)


class _Changed(Exception):
    """The reminder was stopped or moved since it was read: nothing to claim."""


def decide(due: datetime, now: datetime, opted_out: bool, rules: Rules) -> str:
    """SEND, or why not: opted out, too late (scheduler was down), or quiet hours
    (at the due time or now: a late-but-in-grace send must not land in them either)."""
    if opted_out:
        return SKIPPED_OPT_OUT
    if now - due > rules.grace:
        return SKIPPED_LATE
    quiet = (rules.quiet_start, rules.quiet_end)
    if in_quiet_hours(due, *quiet, rules.tz) or in_quiet_hours(now, *quiet, rules.tz):
        return SKIPPED_QUIET
    return SEND


def advance(
    schedule: Schedule, due: datetime, now: datetime, outcome: str, rules: Rules
) -> datetime:
    """The next due time after handling ``due``.

    Normally the first occurrence after now, so one pass sends at most once. After a
    late skip it is the latest occurrence still within grace if there is one (sent in
    this same pass), so downtime over several due times yields at most one message.
    """
    if outcome != SKIPPED_LATE:
        return next_due(schedule, max(due, now), rules.tz)
    candidate = next_due(schedule, max(due, now - rules.grace - _TICK), rules.tz)
    while candidate <= now:
        following = next_due(schedule, candidate, rules.tz)
        if following > now:
            break
        candidate = following
    return candidate


def due_reminders(now: datetime, limit: int, url: str | None = None) -> list[ReminderRecord]:
    """Active reminders whose next due time has come, earliest first."""
    query = (
        select(Reminder)
        .where(Reminder.active.is_(True), Reminder.next_due_at <= now)
        .order_by(Reminder.next_due_at, Reminder.id)
        .limit(limit)
    )
    with session_scope(url) as session:
        return [to_record(row) for row in session.execute(query).scalars()]


def abandon_stale(now: datetime, url: str | None = None) -> int:
    """Mark claims never finished (their scheduler died mid-send) as abandoned."""
    with session_scope(url) as session:
        result = session.execute(
            update(ReminderDelivery)
            .where(
                ReminderDelivery.status == "claimed",
                ReminderDelivery.claimed_at < now - STALE_CLAIM,
            )
            .values(status="abandoned", finished_at=now)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount


def claim(
    reminder: ReminderRecord, now: datetime, instance: str, rules: Rules, url: str | None = None
) -> Claim | None:
    """Claim the reminder's current due time; None when another scheduler (or a stop or
    a new opt-in) got there first."""
    due = reminder.next_due_at
    if due is None:
        return None
    try:
        with session_scope(url) as session:
            delivery = ReminderDelivery(
                reminder_id=reminder.id,
                due_at=due,
                status="claimed",
                claimed_by=instance[:64],
                claimed_at=now,
            )
            session.add(delivery)
            session.flush()  # the claim itself: a second (reminder, due_at) fails here
            _lock_if_unchanged(session, reminder.id, due, now)
            row = session.execute(select(Reminder).where(Reminder.id == reminder.id)).scalar_one()
            outcome = decide(due, now, opted_out_in(session, row.channel, row.owner_key), rules)
            if outcome == SKIPPED_OPT_OUT:
                reason = f"{opt_out_channel(row.channel)}_opt_out"[:32]
                row.active, row.stopped_at, row.stop_reason = False, now, reason
                row.next_due_at = None
            else:
                row.next_due_at = advance(to_record(row).schedule, due, now, outcome, rules)
            row.updated_at = now
            if outcome != SEND:
                delivery.status, delivery.finished_at = outcome, now
            session.flush()
            return Claim(delivery.id, due, outcome, to_record(row))
    except IntegrityError:
        _move_past_claimed(reminder.id, due, now, rules, url)
        return None
    except _Changed:
        return None


def _lock_if_unchanged(session, reminder_id: int, due: datetime, now: datetime) -> None:
    """Touch the reminder only if it is still active and still due at ``due``; this also
    locks its row on PostgreSQL, so a concurrent stop() waits for the claim to finish."""
    touched = session.execute(
        update(Reminder)
        .where(Reminder.id == reminder_id, Reminder.active.is_(True), Reminder.next_due_at == due)
        .values(updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if touched.rowcount != 1:
        raise _Changed


def _move_past_claimed(
    reminder_id: int, due: datetime, now: datetime, rules: Rules, url: str | None
) -> None:
    """A due time already had its row, yet the reminder still points at it (a new opt-in
    landed on a time handled before): move it on, or it would be stuck there for good.
    After an ordinary lost race the winner has already moved it and this does nothing."""
    with session_scope(url) as session:
        try:
            _lock_if_unchanged(session, reminder_id, due, now)
        except _Changed:
            return
        row = session.execute(select(Reminder).where(Reminder.id == reminder_id)).scalar_one()
        row.next_due_at = next_due(to_record(row).schedule, max(due, now), rules.tz)
    logger.warning("reminder %s: its due time was already handled; moved to the next", reminder_id)


def finish(
    delivery_id: int, status: str, now: datetime, error: str | None = None, url: str | None = None
) -> None:
    """Record how a send ended ("sent" or "failed"), even if marked abandoned meanwhile."""
    with session_scope(url) as session:
        session.execute(
            update(ReminderDelivery)
            .where(
                ReminderDelivery.id == delivery_id,
                ReminderDelivery.status.in_(("claimed", "abandoned")),
            )
            .values(status=status, finished_at=now, error=error[:200] if error else None)
            .execution_options(synchronize_session=False)
        )
