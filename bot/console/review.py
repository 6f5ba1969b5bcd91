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

from bot.booking import handoffs
from bot.booking.handoffs import HandoffRecord, list_handoffs  # noqa: F401  (the pages read these)
from bot.db import session_scope
from bot.db.models import ConversationNote, ConversationReview, ConversationTag, utcnow
from bot.safety import flags
from bot.safety.flags import FlagRecord, list_flags  # noqa: F401  (the pages read these)

MAX_TAG = 48
MAX_NOTE = 2000
MAX_BY = 64


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


def acknowledge_flag(flag_id: int, by: str, url: str | None = None) -> FlagRecord:
    """Acknowledge a safety flag as ``by`` (see bot.safety.flags)."""
    return flags.acknowledge_flag(flag_id, _by(by), url=url)


def resolve_flag(
    flag_id: int, by: str, note: str | None = None, url: str | None = None
) -> FlagRecord:
    """Resolve a safety flag as ``by``, with an optional note of what was done."""
    return flags.resolve_flag(flag_id, _by(by), note=note, url=url)


def resolve_handoff(handoff_id: int, by: str, url: str | None = None) -> HandoffRecord:
    """Close a handoff request as ``by`` (see bot.booking.handoffs)."""
    return handoffs.resolve_handoff(handoff_id, _by(by), url=url)
