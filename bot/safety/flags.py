"""Safety flags: stored per detection, reviewed by staff (new -> acknowledged -> resolved)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select

from bot.db import session_scope
from bot.db.models import SafetyFlag, utcnow
from bot.safety import CATEGORIES

STATUSES = ("new", "acknowledged", "resolved")
TIERS = ("full", "check")  # the crisis protocol ran, or the gentle check was asked
MAX_NOTE = 2000
MAX_EVIDENCE = 10  # phrases kept per flag, the latest


@dataclass(frozen=True)
class FlagRecord:
    id: int
    conversation_id: str
    category: str
    evidence: list[str]
    source: str
    status: str
    created_at: datetime
    updated_by: str | None
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None
    resolved_by: str | None = None
    resolved_at: datetime | None = None
    note: str | None = None
    repeated: bool = False  # record_flag added to an unread flag: no second alert
    tier: str = "full"


def _record(row: SafetyFlag) -> FlagRecord:
    return FlagRecord(
        id=row.id,
        conversation_id=row.conversation_id,
        category=row.category,
        evidence=list(row.evidence or []),
        source=row.source,
        status=row.status,
        created_at=row.created_at,
        updated_by=row.updated_by,
        acknowledged_by=row.acknowledged_by,
        acknowledged_at=row.acknowledged_at,
        resolved_by=row.resolved_by,
        resolved_at=row.resolved_at,
        note=row.note,
        tier=row.tier or "full",
    )


def record_flag(
    conversation_id: str,
    category: str,
    evidence: list[str],
    source: str,
    url: str | None = None,
    tier: str = "full",
) -> FlagRecord:
    """Store a safety flag, or add this detection to the conversation's unread one.

    At most one *new* (not yet acknowledged) flag per conversation and category: a
    conversation that repeats danger words, or a flood of them, gives staff one item
    with the latest evidence and one alert (``repeated`` tells the caller not to alert
    again). Once staff have acknowledged a flag, a fresh detection is a fresh flag. A
    gentle check (``tier="check"``) is kept apart from the full protocol's flags.
    """
    if category not in CATEGORIES:
        raise ValueError(f"unknown safety category {category!r}")
    if tier not in TIERS:
        raise ValueError(f"unknown safety tier {tier!r}")
    cut = [e[:200] for e in evidence]
    with session_scope(url) as session:
        open_flag = session.scalars(
            select(SafetyFlag)
            .where(
                SafetyFlag.conversation_id == conversation_id,
                SafetyFlag.category == category,
                SafetyFlag.tier == tier,
                SafetyFlag.status == "new",
            )
            .order_by(SafetyFlag.id.desc())
            .limit(1)
        ).first()
        if open_flag is not None:
            known = list(open_flag.evidence or [])
            merged = [*known, *(e for e in cut if e not in known)]
            open_flag.evidence = merged[-MAX_EVIDENCE:]
            open_flag.updated_at = utcnow()
            session.flush()
            return replace(_record(open_flag), repeated=True)
        row = SafetyFlag(
            conversation_id=conversation_id,
            category=category,
            evidence=cut[:MAX_EVIDENCE],
            source=source,
            status="new",
            tier=tier,
        )
        session.add(row)
        session.flush()
        return _record(row)


def latest_open_flag(conversation_id: str, url: str | None = None) -> FlagRecord | None:
    """The conversation's newest full-protocol flag staff have not resolved, if any."""
    query = (
        select(SafetyFlag)
        .where(
            SafetyFlag.conversation_id == conversation_id,
            SafetyFlag.tier == "full",
            SafetyFlag.status != "resolved",
        )
        .order_by(SafetyFlag.id.desc())
        .limit(1)
    )
    with session_scope(url) as session:
        row = session.scalars(query).first()
        return _record(row) if row is not None else None


def list_flags(
    status: str | None = None, conversation_id: str | None = None, url: str | None = None
) -> list[FlagRecord]:
    """Flags newest first; ``status="open"`` means new or acknowledged."""
    query = select(SafetyFlag).order_by(SafetyFlag.created_at.desc(), SafetyFlag.id.desc())
    if status == "open":
        query = query.where(SafetyFlag.status != "resolved")
    elif status:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        query = query.where(SafetyFlag.status == status)
    if conversation_id:
        query = query.where(SafetyFlag.conversation_id == conversation_id)
    with session_scope(url) as session:
        return [_record(row) for row in session.execute(query).scalars()]


def acknowledge_flag(flag_id: int, by: str, url: str | None = None) -> FlagRecord:
    """Someone has seen it and is on it; an acknowledged or resolved flag stays as it is,
    so two staff acting at once (or a double-submitted form) cannot undo each other."""
    with session_scope(url) as session:
        row = session.get(SafetyFlag, flag_id)
        if row is None:
            raise LookupError(f"no safety flag {flag_id}")
        if row.status == "new":
            now = utcnow()
            row.status, row.acknowledged_by, row.acknowledged_at = "acknowledged", by, now
            row.updated_by, row.updated_at = by, now
            session.flush()
        return _record(row)


def resolve_flag(
    flag_id: int, by: str, note: str | None = None, url: str | None = None
) -> FlagRecord:
    """Close a flag; one resolved straight from new counts as acknowledged by the same
    person. Resolving it again changes nothing."""
    note = (note or "").strip()[:MAX_NOTE] or None
    with session_scope(url) as session:
        row = session.get(SafetyFlag, flag_id)
        if row is None:
            raise LookupError(f"no safety flag {flag_id}")
        if row.status != "resolved":
            now = utcnow()
            if row.acknowledged_at is None:
                row.acknowledged_by, row.acknowledged_at = by, now
            row.status, row.resolved_by, row.resolved_at = "resolved", by, now
            row.updated_by, row.updated_at = by, now
            if note:
                row.note = note
            session.flush()
        return _record(row)
