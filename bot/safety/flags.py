"""Safety flags: stored per detection, reviewed by staff (new -> acknowledged -> resolved)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.db import session_scope
from bot.db.models import SafetyFlag, utcnow
from bot.safety import CATEGORIES

STATUSES = ("new", "acknowledged", "resolved")
MAX_NOTE = 2000


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
    )


def record_flag(
    conversation_id: str, category: str, evidence: list[str], source: str, url: str | None = None
) -> FlagRecord:
    """Store a new safety flag for a conversation."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown safety category {category!r}")
    with session_scope(url) as session:
        row = SafetyFlag(
            conversation_id=conversation_id,
            category=category,
            evidence=[e[:200] for e in evidence][:10],
            source=source,
            status="new",
        )
        session.add(row)
        session.flush()
        return _record(row)


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
