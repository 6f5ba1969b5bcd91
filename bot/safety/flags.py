"""Safety flags: stored per detection, reviewed by staff (new -> acknowledged -> resolved)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.db import session_scope
from bot.db.models import SafetyFlag, utcnow
from bot.safety import CATEGORIES

STATUSES = ("new", "acknowledged", "resolved")


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
    """Flags newest first, optionally only one status or one conversation."""
    query = select(SafetyFlag).order_by(SafetyFlag.created_at.desc(), SafetyFlag.id.desc())
    if status:
        query = query.where(SafetyFlag.status == status)
    if conversation_id:
        query = query.where(SafetyFlag.conversation_id == conversation_id)
    with session_scope(url) as session:
        return [_record(row) for row in session.execute(query).scalars()]


def set_status(flag_id: int, status: str, by: str, url: str | None = None) -> FlagRecord:
    """Move a flag to acknowledged or resolved, recording who did it and when."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    with session_scope(url) as session:
        row = session.get(SafetyFlag, flag_id)
        if row is None:
            raise LookupError(f"no safety flag {flag_id}")
        row.status, row.updated_by, row.updated_at = status, by, utcnow()
        session.flush()
        return _record(row)
