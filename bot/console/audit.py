"""The append-only audit log: who viewed, exported or changed what, and when.

Only inserts and reads live here. The database itself refuses UPDATE and DELETE of its
rows (triggers from the migration), so no page, script or bug can rewrite history.
Details hold counts, filters and ids, never message text.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from bot.db import session_scope
from bot.db.models import AuditEntry

logger = logging.getLogger(__name__)

ACTIONS = (
    "login",
    "login_failed",
    "logout",
    "view_list",
    "view_transcript",
    "view_overview",
    "view_audit",
    "view_reflections",
    "view_handoffs",
    "view_flags",
    "view_staff",
    "export",
    "mark_reviewed",
    "tag",
    "note",
    "flag_acknowledge",
    "flag_resolve",
    "handoff_resolve",
    "staff_add",
    "staff_disable",
    "staff_enable",
    "staff_reset_password",
    "purge",
)
# Any short snake_case word is accepted (ACTIONS are the ones in use), so a new page can
# audit itself without a change here; free text is not.
_ACTION = re.compile(r"[a-z][a-z0-9_]{1,47}")


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    action: str
    conversation_id: str | None
    target: str | None
    detail: dict[str, Any]


def _record(row: AuditEntry) -> AuditRecord:
    return AuditRecord(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        conversation_id=row.conversation_id,
        target=row.target,
        detail=dict(row.detail or {}),
    )


def record(
    actor: str,
    action: str,
    *,
    staff_id: int | None = None,
    conversation_id: str | None = None,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    url: str | None = None,
) -> AuditRecord:
    """Append one entry. ``detail`` is stored as JSON (dates and the like as strings)."""
    if not _ACTION.fullmatch(action):
        raise ValueError(f"audit action must be a short snake_case word, not {action!r}")
    if not actor:
        raise ValueError("an audit entry needs an actor")
    stored = json.loads(json.dumps(detail or {}, default=str, sort_keys=True))
    with session_scope(url) as session:
        row = AuditEntry(
            actor=actor[:64],
            action=action,
            staff_id=staff_id,
            conversation_id=conversation_id[:128] if conversation_id else None,
            target=target[:64] if target else None,
            detail=stored,
        )
        session.add(row)
        session.flush()
        entry = _record(row)
    logger.debug("audit %s: %s by %s", entry.id, action, entry.actor)
    return entry


def _filtered(query, action: str | None, conversation_id: str | None):
    if action:
        query = query.where(AuditEntry.action == action)
    if conversation_id:
        query = query.where(AuditEntry.conversation_id == conversation_id)
    return query


def count_audit(
    action: str | None = None, url: str | None = None, conversation_id: str | None = None
) -> int:
    with session_scope(url) as session:
        query = _filtered(select(func.count(AuditEntry.id)), action, conversation_id)
        return int(session.execute(query).scalar_one())


def list_audit(
    page: int = 1,
    per_page: int = 50,
    action: str | None = None,
    url: str | None = None,
    conversation_id: str | None = None,
) -> tuple[list[AuditRecord], int]:
    """One page of entries, newest first, and how many match in all."""
    page = max(1, page)
    per_page = max(1, min(per_page, 500))
    total = count_audit(action, url, conversation_id)
    with session_scope(url) as session:
        query = _filtered(select(AuditEntry), action, conversation_id)
        rows = session.execute(
            query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).scalars()
        return [_record(row) for row in rows], total
