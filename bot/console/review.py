"""What staff do to a conversation in the console: review, tag, note, act on flags.

Each change records who made it and when, on the row itself; the app writes the audit
row. Repeating an action is harmless (a second "acknowledge" changes nothing), so a
double-submitted form or two staff acting at once cannot undo each other's work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from bot.db import session_scope
from bot.db.models import (
    ConversationNote,
    ConversationReview,
    ConversationTag,
    HandoffRequest,
    SafetyFlag,
    utcnow,
)

MAX_TAG = 48
MAX_NOTE = 2000
MAX_BY = 64


@dataclass(frozen=True)
class FlagInfo:
    id: int
    conversation_id: str
    category: str
    evidence: tuple[str, ...]
    source: str
    status: str  # new, acknowledged, resolved
    created_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    resolved_by: str | None
    resolved_at: datetime | None
    note: str | None


@dataclass(frozen=True)
class HandoffInfo:
    id: int
    conversation_id: str
    reason: str
    preferred_contact: str | None
    preferred_time: str | None
    channel: str | None
    status: str  # new, contacted, closed
    created_at: datetime
    updated_by: str | None
    resolved_at: datetime | None


@dataclass(frozen=True)
class NoteInfo:
    id: int
    conversation_id: str
    author: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class TagInfo:
    conversation_id: str
    tag: str
    added_by: str
    added_at: datetime


@dataclass(frozen=True)
class ReviewInfo:
    conversation_id: str
    status: str
    reviewed_by: str
    reviewed_at: datetime


def flag_info(row: SafetyFlag) -> FlagInfo:
    return FlagInfo(
        id=row.id,
        conversation_id=row.conversation_id,
        category=row.category,
        evidence=tuple(row.evidence or ()),
        source=row.source,
        status=row.status,
        created_at=row.created_at,
        acknowledged_by=row.acknowledged_by,
        acknowledged_at=row.acknowledged_at,
        resolved_by=row.resolved_by,
        resolved_at=row.resolved_at,
        note=row.note,
    )


def handoff_info(row: HandoffRequest) -> HandoffInfo:
    return HandoffInfo(
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
    )


def _note(row: ConversationNote) -> NoteInfo:
    return NoteInfo(row.id, row.conversation_id, row.author, row.text, row.created_at)


def _tag(row: ConversationTag) -> TagInfo:
    return TagInfo(row.conversation_id, row.tag, row.added_by, row.added_at)


def _review(row: ConversationReview) -> ReviewInfo:
    return ReviewInfo(row.conversation_id, row.status, row.reviewed_by, row.reviewed_at)


def _by(by: str) -> str:
    by = (by or "").strip()
    if not by:
        raise ValueError("who did it must be known")
    return by[:MAX_BY]


def clean_tag(tag: str) -> str:
    """Tags are short labels; surrounding space is never meant."""
    tag = " ".join((tag or "").split())
    if not 1 <= len(tag) <= MAX_TAG:
        raise ValueError(f"a tag has 1 to {MAX_TAG} characters")
    return tag


# --- Review status, tags, notes ---------------------------------------------------------


def get_review(conversation_id: str, url: str | None = None) -> ReviewInfo | None:
    with session_scope(url) as session:
        row = session.get(ConversationReview, conversation_id)
        return _review(row) if row else None


def _save_review(conversation_id: str, by: str, url: str | None) -> ReviewInfo:
    with session_scope(url) as session:
        row = session.get(ConversationReview, conversation_id)
        if row is None:
            row = ConversationReview(conversation_id=conversation_id)
            session.add(row)
        row.status, row.reviewed_by, row.reviewed_at = "reviewed", by, utcnow()
        session.flush()
        return _review(row)


def mark_reviewed(conversation_id: str, by: str, url: str | None = None) -> ReviewInfo:
    """Mark a conversation reviewed (again: the latest reviewer and time win)."""
    by = _by(by)
    try:
        return _save_review(conversation_id, by, url)
    except IntegrityError:  # another first review inserted the row meanwhile: update it
        return _save_review(conversation_id, by, url)


def clear_review(conversation_id: str, url: str | None = None) -> bool:
    """Back to unreviewed; True if it was reviewed."""
    with session_scope(url) as session:
        query = delete(ConversationReview).where(
            ConversationReview.conversation_id == conversation_id
        )
        return bool(session.execute(query).rowcount)


def add_tag(conversation_id: str, tag: str, by: str, url: str | None = None) -> TagInfo:
    """Put a tag on a conversation; an existing tag is returned as it is."""
    tag, by = clean_tag(tag), _by(by)
    query = select(ConversationTag).where(
        ConversationTag.conversation_id == conversation_id, ConversationTag.tag == tag
    )
    try:
        with session_scope(url) as session:
            row = session.execute(query).scalar_one_or_none()
            if row is None:
                row = ConversationTag(conversation_id=conversation_id, tag=tag, added_by=by)
                session.add(row)
                session.flush()
            return _tag(row)
    except IntegrityError:  # added by someone else at the same moment
        with session_scope(url) as session:
            return _tag(session.execute(query).scalar_one())


def remove_tag(conversation_id: str, tag: str, url: str | None = None) -> bool:
    """Take a tag off; True if it was there."""
    tag = clean_tag(tag)
    with session_scope(url) as session:
        result = session.execute(
            delete(ConversationTag).where(
                ConversationTag.conversation_id == conversation_id, ConversationTag.tag == tag
            )
        )
        return bool(result.rowcount)


def list_tags(conversation_id: str, url: str | None = None) -> list[TagInfo]:
    query = (
        select(ConversationTag)
        .where(ConversationTag.conversation_id == conversation_id)
        .order_by(ConversationTag.tag)
    )
    with session_scope(url) as session:
        return [_tag(row) for row in session.execute(query).scalars()]


def add_note(conversation_id: str, text: str, by: str, url: str | None = None) -> NoteInfo:
    """Add a staff note (1-2000 characters after trimming)."""
    text, by = (text or "").strip(), _by(by)
    if not 1 <= len(text) <= MAX_NOTE:
        raise ValueError(f"a note has 1 to {MAX_NOTE} characters")
    with session_scope(url) as session:
        row = ConversationNote(conversation_id=conversation_id, author=by, text=text)
        session.add(row)
        session.flush()
        return _note(row)


def list_notes(conversation_id: str, url: str | None = None) -> list[NoteInfo]:
    """Notes oldest first, as a conversation reads."""
    query = (
        select(ConversationNote)
        .where(ConversationNote.conversation_id == conversation_id)
        .order_by(ConversationNote.created_at, ConversationNote.id)
    )
    with session_scope(url) as session:
        return [_note(row) for row in session.execute(query).scalars()]


# --- Safety flags and handoff requests ---------------------------------------------------


def list_flags(
    status: str | None = None, conversation_id: str | None = None, url: str | None = None
) -> list[FlagInfo]:
    """Flags newest first; ``status="open"`` means new or acknowledged."""
    query = select(SafetyFlag).order_by(SafetyFlag.created_at.desc(), SafetyFlag.id.desc())
    if status == "open":
        query = query.where(SafetyFlag.status != "resolved")
    elif status:
        query = query.where(SafetyFlag.status == status)
    if conversation_id:
        query = query.where(SafetyFlag.conversation_id == conversation_id)
    with session_scope(url) as session:
        return [flag_info(row) for row in session.execute(query).scalars()]


def acknowledge_flag(flag_id: int, by: str, url: str | None = None) -> FlagInfo:
    """Someone has seen it and is on it; an acknowledged or resolved flag stays as it is."""
    by = _by(by)
    with session_scope(url) as session:
        row = session.get(SafetyFlag, flag_id)
        if row is None:
            raise LookupError(f"no safety flag {flag_id}")
        if row.status == "new":
            now = utcnow()
            row.status, row.acknowledged_by, row.acknowledged_at = "acknowledged", by, now
            row.updated_by, row.updated_at = by, now
            session.flush()
        return flag_info(row)


def resolve_flag(
    flag_id: int, by: str, note: str | None = None, url: str | None = None
) -> FlagInfo:
    """Close a flag; one resolved straight from new counts as acknowledged by the same
    person. Resolving it again changes nothing."""
    by = _by(by)
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
        return flag_info(row)


def list_handoffs(
    status: str | None = None, conversation_id: str | None = None, url: str | None = None
) -> list[HandoffInfo]:
    """Handoff requests newest first; ``status="open"`` means new or contacted."""
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
        return [handoff_info(row) for row in session.execute(query).scalars()]


def resolve_handoff(handoff_id: int, by: str, url: str | None = None) -> HandoffInfo:
    """Close a handoff request (the caregiver was reached); closing again changes nothing."""
    by = _by(by)
    with session_scope(url) as session:
        row = session.get(HandoffRequest, handoff_id)
        if row is None:
            raise LookupError(f"no handoff request {handoff_id}")
        if row.status != "closed":
            now = utcnow()
            row.status, row.updated_by, row.resolved_at, row.updated_at = "closed", by, now, now
            session.flush()
        return handoff_info(row)
