"""Handing a caregiver to a person: the request staff work from, and when to expect them."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select

from bot.booking.states import HANDOFF_STATUSES
from bot.clinic import WEEKDAYS, ClinicProfile, get_profile
from bot.db import session_scope
from bot.db.models import HandoffRequest, utcnow

logger = logging.getLogger(__name__)

# Promise 'today' only if staff still have this long before closing to make the call.
MIN_TIME_LEFT_TODAY = timedelta(hours=1)
_REASON = re.compile(r"[a-z][a-z0-9_]{0,31}")


@dataclass(frozen=True)
class HandoffRecord:
    id: int
    conversation_id: str
    reason: str
    preferred_contact: str | None
    preferred_time: str | None
    channel: str | None
    status: str
    created_at: datetime
    updated_by: str | None = None
    resolved_at: datetime | None = None
    urgent: bool = False  # asked for right after a crisis reply
    flag_id: int | None = None  # that crisis reply's safety flag
    first_name: str | None = None  # whom to ask for
    topic: str | None = None  # what it is about, in the caregiver's words


def _record(row: HandoffRequest) -> HandoffRecord:
    return HandoffRecord(
        id=row.id,
        conversation_id=row.conversation_id,
        reason=row.reason,
        preferred_contact=row.preferred_contact,
        preferred_time=row.preferred_time,
        channel=row.channel,
        status=row.status,
        created_at=row.created_at,
        updated_by=row.updated_by,
        resolved_at=row.resolved_at,
        urgent=bool(row.urgent),
        flag_id=row.flag_id,
        first_name=row.first_name,
        topic=row.topic,
    )


def _text(value: str | None, limit: int) -> str | None:
    return (value or "").strip()[:limit] or None


def create_handoff(
    conversation_id: str,
    reason: str,
    preferred_contact: str | None,
    preferred_time: str | None,
    channel: str | None,
    url: str | None = None,
    *,
    urgent: bool = False,
    flag_id: int | None = None,
    first_name: str | None = None,
    topic: str | None = None,
) -> HandoffRecord:
    """Record that a caregiver should hear from staff, and how they would like to be reached.

    ``reason`` is one of HANDOFF_REASONS or another short snake_case word, so staff can
    sort requests without reading the conversation. ``urgent`` (with the crisis
    reply's ``flag_id``) puts it first for staff.
    """
    if not _REASON.fullmatch(reason):
        raise ValueError(f"handoff reason must be a short snake_case word, not {reason!r}")
    with session_scope(url) as session:
        row = HandoffRequest(
            conversation_id=conversation_id[:128],
            reason=reason,
            preferred_contact=_text(preferred_contact, 500),
            preferred_time=_text(preferred_time, 500),
            channel=_text(channel, 32),
            first_name=_text(first_name, 80),
            topic=_text(topic, 500),
            status="new",
            urgent=urgent,
            flag_id=flag_id,
        )
        session.add(row)
        session.flush()
        record = _record(row)
    logger.info(
        "handoff request %s created (%s%s)",
        record.id,
        record.reason,
        ", urgent" if urgent else "",
    )
    return record


def list_handoffs(
    status: str | None = None, conversation_id: str | None = None, url: str | None = None
) -> list[HandoffRecord]:
    """Handoff requests, newest first; ``status="open"`` means not closed yet."""
    if status and status != "open" and status not in HANDOFF_STATUSES:
        raise ValueError(
            f"unknown handoff status {status!r}; use one of {', '.join(HANDOFF_STATUSES)}"
        )
    query = select(HandoffRequest).order_by(
        HandoffRequest.created_at.desc(), HandoffRequest.id.desc()
    )
    if status == "open":
        query = query.where(HandoffRequest.status != "closed")
    elif status:
        query = query.where(HandoffRequest.status == status)
    if conversation_id:
        query = query.where(HandoffRequest.conversation_id == conversation_id)
    with session_scope(url) as session:
        return [_record(row) for row in session.execute(query).scalars()]


def resolve_handoff(handoff_id: int, by: str, url: str | None = None) -> HandoffRecord:
    """Close a request (the caregiver was reached); closing it again changes nothing."""
    with session_scope(url) as session:
        row = session.get(HandoffRequest, handoff_id)
        if row is None:
            raise LookupError(f"no handoff request {handoff_id}")
        if row.status != "closed":
            now = utcnow()
            row.status, row.updated_by, row.resolved_at, row.updated_at = "closed", by, now, now
            session.flush()
        return _record(row)


def expected_contact_text(now: datetime | None = None, profile: ClinicProfile | None = None) -> str:
    """When staff will reach out, from the clinic's weekly hours: 'by the end of today',
    'tomorrow morning' or 'on Monday morning' (holidays are not known here)."""
    profile = profile or get_profile()
    local = (now or utcnow()).astimezone(profile.tz)
    weekly = profile.hours.weekly
    today = WEEKDAYS[local.weekday()]
    if today in weekly:
        closes = datetime.combine(local.date(), _clock(weekly[today][1]), tzinfo=profile.tz)
        if local <= closes - MIN_TIME_LEFT_TODAY:
            return "by the end of today"
    for ahead in range(1, 8):
        day = local.date() + timedelta(days=ahead)
        hours = weekly.get(WEEKDAYS[day.weekday()])
        if hours:
            part = "morning" if _clock(hours[0]).hour < 12 else "afternoon"
            return f"tomorrow {part}" if ahead == 1 else f"on {day:%A} {part}"
    return "as soon as the clinic is open again"


def _clock(text: str) -> time:
    return datetime.strptime(text, "%H:%M").time()
