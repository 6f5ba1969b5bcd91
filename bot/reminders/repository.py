"""Reminder opt-ins and channel opt-outs: what a caregiver asked for, kept across restarts.

A caregiver has at most one active reminder (``owner_key`` is the keyed hash from
bot.identity, never a phone number); opting in again changes it in place. An SMS
STOP is recorded per channel and stops every reminder of that caregiver; START lifts
the opt-out but does not restart reminders: that needs a new, explicit opt-in.

Quiet hours for ``opt_in`` come from the clinic profile unless the caller passes them,
so the action server and the scheduler judge times by the same rule.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db import session_scope
from bot.db.models import ChannelOptOut, Reminder, ReminderDelivery
from bot.reminders.quiet import profile_quiet_hours, quiet_refusal_text
from bot.reminders.schedule import Schedule, in_quiet_window, next_due

logger = logging.getLogger(__name__)

SMS_CHANNELS = frozenset({"sms", "twilio"})  # one STOP covers every channel that texts
_REASON = re.compile(r"[a-z][a-z0-9_]{0,31}")
_UPSERT_ATTEMPTS = 3


class ReminderRefused(ValueError):
    """An opt-in the bot cannot accept; the message is safe to show the caregiver.

    ``reason`` lets a conversation pick its own reply: "quiet_hours" or "opted_out".
    """

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class ReminderRecord:
    """One reminder as plain data (every column; times aware UTC)."""

    id: int
    owner_key: str
    conversation_id: str
    channel: str
    weekdays: tuple[int, ...]
    local_time: str  # "19:00" in the clinic's time zone
    active: bool
    next_due_at: datetime | None
    opted_in_at: datetime
    stopped_at: datetime | None
    stop_reason: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def schedule(self) -> Schedule:
        return Schedule.from_stored(self.weekdays, self.local_time)


@dataclass(frozen=True)
class DeliveryRecord:
    """One due time of one reminder and what became of it."""

    id: int
    reminder_id: int
    due_at: datetime
    status: str  # claimed, sent, failed, abandoned, skipped_late/_quiet/_opt_out
    claimed_by: str | None
    claimed_at: datetime
    finished_at: datetime | None
    error: str | None


def to_record(row: Reminder) -> ReminderRecord:
    return ReminderRecord(
        id=row.id,
        owner_key=row.owner_key,
        conversation_id=row.conversation_id,
        channel=row.channel,
        weekdays=tuple(int(d) for d in row.weekdays),
        local_time=row.local_time,
        active=bool(row.active),
        next_due_at=row.next_due_at,
        opted_in_at=row.opted_in_at,
        stopped_at=row.stopped_at,
        stop_reason=row.stop_reason,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _delivery(row: ReminderDelivery) -> DeliveryRecord:
    return DeliveryRecord(
        id=row.id,
        reminder_id=row.reminder_id,
        due_at=row.due_at,
        status=row.status,
        claimed_by=row.claimed_by,
        claimed_at=row.claimed_at,
        finished_at=row.finished_at,
        error=row.error,
    )


def opt_out_channel(channel: str) -> str:
    """The opt-out list that governs ``channel``: "sms" for every SMS-backed channel."""
    name = channel.strip().lower()
    return "sms" if name in SMS_CHANNELS else name


def _check_owner(owner_key: str, channel: str) -> None:
    """Refuse what the columns cannot hold rather than cutting it (a cut id is wrong)."""
    if not 0 < len(owner_key) <= 64:
        raise ValueError("owner_key must be 1 to 64 characters (bot.identity.owner_key)")
    if not 0 < len(channel) <= 32:
        raise ValueError("channel must be 1 to 32 characters")


def opted_out_in(session: Session, channel: str, owner_key: str) -> bool:
    """is_opted_out inside an open session (the scheduler checks within its claim)."""
    found = session.execute(
        select(ChannelOptOut.opted_out).where(
            ChannelOptOut.channel == opt_out_channel(channel), ChannelOptOut.owner_key == owner_key
        )
    ).scalar()
    return bool(found)


def opt_in(
    owner_key: str,
    conversation_id: str,
    channel: str,
    schedule: Schedule,
    now: datetime,
    *,
    tz: ZoneInfo,
    quiet_hours: tuple[str, str] | None = None,
    url: str | None = None,
) -> ReminderRecord:
    """Store a caregiver's explicit opt-in and its first due time.

    An active reminder of the same owner is changed in place (days, time, channel,
    conversation, next due time), so there is only ever one. ``quiet_hours`` is
    ("20:30", "08:00"); None reads the clinic profile. ReminderRefused (a ValueError
    with a caregiver-safe message) for a time in quiet hours, or on a channel the
    caregiver has opted out of (SMS STOP) until they opt back in.
    """
    _check_owner(owner_key, channel)
    if not 0 < len(conversation_id) <= 128:
        raise ValueError("conversation_id must be 1 to 128 characters")
    start, end = quiet_hours or profile_quiet_hours()
    if in_quiet_window(schedule.local_time, start, end):
        raise ReminderRefused(quiet_refusal_text(start, end), "quiet_hours")
    due = next_due(schedule, now, tz)
    with session_scope(url) as session:
        if opted_out_in(session, channel, owner_key):
            raise ReminderRefused(
                "You asked us to stop texting you, so we can't send reminders there. "
                "Reply START first if you'd like messages again."
                if opt_out_channel(channel) == "sms"
                else "You asked us not to send messages here, so we can't send reminders.",
                "opted_out",
            )
        active = (
            session.execute(
                select(Reminder)
                .where(Reminder.owner_key == owner_key, Reminder.active.is_(True))
                .order_by(Reminder.id.desc())
            )
            .scalars()
            .all()
        )
        for extra in active[1:]:  # only if two opt-ins ever raced: keep the newest
            extra.active, extra.stopped_at, extra.stop_reason = False, now, "replaced"
            extra.next_due_at, extra.updated_at = None, now
        row = active[0] if active else Reminder(owner_key=owner_key, created_at=now)
        row.conversation_id = conversation_id
        row.channel = channel
        row.weekdays = list(schedule.weekdays)
        row.local_time = schedule.time_text
        row.active = True
        row.next_due_at = due
        row.opted_in_at = now
        row.stopped_at = None
        row.stop_reason = None
        row.updated_at = now
        session.add(row)
        session.flush()
        record = to_record(row)
    logger.info("reminder %s: opted in (%s)", record.id, "updated" if active else "new")
    return record


def stop_in(session: Session, owner_key: str, now: datetime, reason: str) -> int:
    """Deactivate every active reminder of ``owner_key`` inside an open session."""
    stopped = session.execute(
        update(Reminder)
        .where(Reminder.owner_key == owner_key, Reminder.active.is_(True))
        .values(active=False, stopped_at=now, stop_reason=reason, next_due_at=None, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return stopped.rowcount


def stop(owner_key: str, now: datetime, reason: str = "asked", url: str | None = None) -> int:
    """Stop a caregiver's reminders; how many were active (0 when there was none)."""
    if not _REASON.fullmatch(reason):
        raise ValueError(f"stop reason must be a short snake_case word, not {reason!r}")
    with session_scope(url) as session:
        count = stop_in(session, owner_key, now, reason)
    if count:
        logger.info("reminders stopped (%s): %s", reason, count)
    return count


def get_active(owner_key: str, url: str | None = None) -> ReminderRecord | None:
    """The caregiver's active reminder, if they have one."""
    query = (
        select(Reminder)
        .where(Reminder.owner_key == owner_key, Reminder.active.is_(True))
        .order_by(Reminder.id.desc())
    )
    with session_scope(url) as session:
        row = session.execute(query).scalars().first()
        return to_record(row) if row else None


def list_reminders(active_only: bool = False, url: str | None = None) -> list[ReminderRecord]:
    """Every reminder (or only active ones), oldest first."""
    query = select(Reminder).order_by(Reminder.id)
    if active_only:
        query = query.where(Reminder.active.is_(True))
    with session_scope(url) as session:
        return [to_record(row) for row in session.execute(query).scalars()]


def _set_opt_out(
    channel: str, owner_key: str, opted_out: bool, now: datetime, url: str | None
) -> int:
    """Write the opt-out flag (insert or update); when opting out, stop reminders too.

    The update comes first so the transaction starts with a write (SQLite then waits
    for the lock instead of failing); two STOPs racing to insert retry as an update.
    """
    name = opt_out_channel(channel)
    for attempt in range(_UPSERT_ATTEMPTS):
        try:
            with session_scope(url) as session:
                changed = session.execute(
                    update(ChannelOptOut)
                    .where(ChannelOptOut.channel == name, ChannelOptOut.owner_key == owner_key)
                    .values(opted_out=opted_out, changed_at=now)
                    .execution_options(synchronize_session=False)
                )
                if changed.rowcount == 0 and opted_out:
                    session.add(
                        ChannelOptOut(
                            channel=name, owner_key=owner_key, opted_out=True, changed_at=now
                        )
                    )
                    session.flush()
                if not opted_out:
                    return 0
                return stop_in(session, owner_key, now, f"{name}_opt_out"[:32])
        except IntegrityError:
            if attempt == _UPSERT_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def record_opt_out(channel: str, owner_key: str, now: datetime, url: str | None = None) -> int:
    """An address asked for no more messages (SMS STOP): remember it, and stop every
    active reminder of that caregiver (reason "sms_opt_out"). How many were stopped."""
    _check_owner(owner_key, channel)
    stopped = _set_opt_out(channel, owner_key, True, now, url)
    logger.info("%s opt-out recorded; %s reminder(s) stopped", opt_out_channel(channel), stopped)
    return stopped


def record_opt_in(channel: str, owner_key: str, now: datetime, url: str | None = None) -> None:
    """The address may be messaged again (SMS START). Reminders stay stopped: sending
    them again needs the caregiver's new, explicit opt-in."""
    _check_owner(owner_key, channel)
    _set_opt_out(channel, owner_key, False, now, url)


def is_opted_out(channel: str, owner_key: str, url: str | None = None) -> bool:
    """True while the caregiver's address has opted out of ``channel`` (sms covers twilio)."""
    with session_scope(url) as session:
        return opted_out_in(session, channel, owner_key)


def deliveries(reminder_id: int | None = None, url: str | None = None) -> list[DeliveryRecord]:
    """Recorded due times (sent, failed, skipped...), by due time; all, or one reminder's."""
    query = select(ReminderDelivery).order_by(ReminderDelivery.due_at, ReminderDelivery.id)
    if reminder_id is not None:
        query = query.where(ReminderDelivery.reminder_id == reminder_id)
    with session_scope(url) as session:
        return [_delivery(row) for row in session.execute(query).scalars()]
