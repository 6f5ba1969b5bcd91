"""The console's conversation list and transcript page: Rasa's tracker joined with the
project's tables (flags, handoffs, bookings, shared reflections, review work).

Conversation ids are channel addresses (a web session, an SMS owner key), so pages and
URLs only ever carry ``masked_id``: a stable hash that cannot be turned back.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.booking.bookings import BookingRecord
from bot.booking.bookings import _record as booking_record
from bot.booking.bookings import _rows as booking_rows
from bot.clinic import get_profile
from bot.console import review as reviews
from bot.console.tracker import ConversationSummary, TranscriptItem, summaries, transcript
from bot.console.tracker import conversation_ids as tracker_ids
from bot.db import session_scope
from bot.db.models import (
    Booking,
    ConversationReview,
    ConversationTag,
    HandoffRequest,
    ReflectionEntry,
    SafetyFlag,
)
from bot.reflection.journal import EntryRecord
from bot.reflection.journal import _record as entry_record

MASK_PREFIX = "c-"
REVIEW_FILTERS = ("reviewed", "unreviewed")


def masked_id(conversation_id: str) -> str:
    """``c-`` and 10 hex digits of SHA-256: the same every time, never the raw id."""
    return MASK_PREFIX + hashlib.sha256(conversation_id.encode()).hexdigest()[:10]


@dataclass(frozen=True)
class ListFilters:
    flagged: bool = False  # has a safety flag (open or resolved)
    channel: str | None = None
    since: date | None = None  # clinic-local days, both inclusive
    until: date | None = None
    intent: str | None = None
    review: str | None = None  # "reviewed", "unreviewed" or None for both
    search: str | None = None


@dataclass(frozen=True)
class ConversationRow:
    summary: ConversationSummary
    masked_id: str
    open_flags: int  # new or acknowledged
    flag_categories: tuple[str, ...]  # of every flag, resolved ones too
    urgent: bool  # a flag nobody has acknowledged yet
    has_handoff: bool
    has_booking: bool
    has_shared_reflection: bool
    reviewed: bool
    tags: tuple[str, ...]


@dataclass(frozen=True)
class ConversationDetail:
    row: ConversationRow
    transcript: list[TranscriptItem]
    flags: list[reviews.FlagRecord]
    handoffs: list[reviews.HandoffRecord]
    bookings: list[BookingRecord]
    shared_reflections: list[EntryRecord]
    notes: list[reviews.NoteInfo]
    tags: list[reviews.TagInfo]
    review: reviews.ReviewInfo | None
    evidence: tuple[str, ...] = field(default=())  # the flags' matched words, to highlight

    @property
    def conversation_id(self) -> str:
        return self.row.summary.conversation_id


@dataclass
class _Project:
    """What the project's tables say about each conversation."""

    flags: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    handoffs: set[str] = field(default_factory=set)
    bookings: set[str] = field(default_factory=set)
    shared: set[str] = field(default_factory=set)
    reviewed: set[str] = field(default_factory=set)
    tags: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def _project(session: Session, only: str | None = None) -> _Project:
    def scoped(query, column):
        return query.where(column == only) if only is not None else query

    found = _Project()
    flags = select(SafetyFlag.conversation_id, SafetyFlag.category, SafetyFlag.status)
    for cid, category, status in session.execute(scoped(flags, SafetyFlag.conversation_id)):
        found.flags[cid].append((category, status))
    for column, target in (
        (HandoffRequest.conversation_id, found.handoffs),
        (Booking.conversation_id, found.bookings),
        (ConversationReview.conversation_id, found.reviewed),
    ):
        target.update(session.execute(scoped(select(column).distinct(), column)).scalars())
    shared = select(ReflectionEntry.conversation_id).where(ReflectionEntry.shared.is_(True))
    found.shared.update(
        session.execute(scoped(shared, ReflectionEntry.conversation_id).distinct()).scalars()
    )
    tags = select(ConversationTag.conversation_id, ConversationTag.tag).order_by(
        ConversationTag.tag
    )
    for cid, tag in session.execute(scoped(tags, ConversationTag.conversation_id)):
        found.tags[cid].append(tag)
    return found


def _row(summary: ConversationSummary, project: _Project) -> ConversationRow:
    cid = summary.conversation_id
    flags = project.flags.get(cid, [])
    return ConversationRow(
        summary=summary,
        masked_id=masked_id(cid),
        open_flags=sum(1 for _, status in flags if status != "resolved"),
        flag_categories=tuple(sorted({category for category, _ in flags})),
        urgent=any(status == "new" for _, status in flags),
        has_handoff=cid in project.handoffs,
        has_booking=cid in project.bookings,
        has_shared_reflection=cid in project.shared,
        reviewed=cid in project.reviewed,
        tags=tuple(project.tags.get(cid, ())),
    )


def _local_start(day: date) -> datetime:
    """Midnight of a clinic-local day: staff filter by the days they work in."""
    return datetime.combine(day, time(), tzinfo=get_profile().tz)


def _keep(row: ConversationRow, filters: ListFilters) -> bool:
    if filters.flagged and not row.flag_categories:
        return False
    if filters.review == "reviewed" and not row.reviewed:
        return False
    return not (filters.review == "unreviewed" and row.reviewed)


def _sort_key(row: ConversationRow) -> tuple[int, float]:
    rank = 0 if row.urgent else 1 if row.open_flags else 2
    return rank, -row.summary.last_at.timestamp()


def matching_rows(
    filters: ListFilters, url: str | None = None, tracker_url: str | None = None
) -> list[ConversationRow]:
    """Every conversation the filters keep, in list order (urgent flags first)."""
    if filters.review not in (None, *REVIEW_FILTERS):
        raise ValueError(f"review filter is one of {', '.join(REVIEW_FILTERS)}")
    found = summaries(
        tracker_url,
        since=_local_start(filters.since) if filters.since else None,
        until=_local_start(filters.until + timedelta(days=1)) if filters.until else None,
        channel=filters.channel or None,
        intent=filters.intent or None,
        search=filters.search or None,
    )
    with session_scope(url) as session:
        project = _project(session)
    rows = [row for row in (_row(s, project) for s in found) if _keep(row, filters)]
    return sorted(rows, key=_sort_key)


def list_conversations(
    filters: ListFilters,
    page: int = 1,
    per_page: int = 25,
    url: str | None = None,
    tracker_url: str | None = None,
) -> tuple[list[ConversationRow], int]:
    """One page of the list and the number of conversations matching in all."""
    rows = matching_rows(filters, url, tracker_url)
    page, per_page = max(1, page), max(1, per_page)
    start = (page - 1) * per_page
    return rows[start : start + per_page], len(rows)


def resolve_masked(
    masked: str, url: str | None = None, tracker_url: str | None = None
) -> str | None:
    """The conversation id behind a masked id, from the tracker and the project's rows."""
    if not masked.startswith(MASK_PREFIX):
        return None
    for cid in tracker_ids(tracker_url):
        if masked_id(cid) == masked:
            return cid
    with session_scope(url) as session:
        for column in (SafetyFlag.conversation_id, HandoffRequest.conversation_id):
            for cid in session.execute(select(column).distinct()).scalars():
                if masked_id(cid) == masked:
                    return cid
    return None


def _summary(
    conversation_id: str, tracker_url: str | None, flags: list[reviews.FlagRecord]
) -> ConversationSummary | None:
    found = summaries(tracker_url, conversation_id=conversation_id)
    if found:
        return found[0]
    if not flags:
        return None
    # Flagged, but the transcript is gone (another store, or purged there only).
    at = min(flag.created_at for flag in flags)
    return ConversationSummary(conversation_id, None, at, at, 0, (), False, None)


def conversation_detail(
    masked_or_id: str, url: str | None = None, tracker_url: str | None = None
) -> ConversationDetail | None:
    """Everything the transcript page shows, or None for an unknown conversation."""
    cid = resolve_masked(masked_or_id, url, tracker_url) or masked_or_id
    flags = reviews.list_flags(conversation_id=cid, url=url)
    summary = _summary(cid, tracker_url, flags)
    if summary is None:
        return None
    with session_scope(url) as session:
        row = _row(summary, _project(session, only=cid))
        bookings = [
            booking_record(*found)
            for found in session.execute(booking_rows().where(Booking.conversation_id == cid))
        ]
        shared = session.execute(
            select(ReflectionEntry)
            .where(ReflectionEntry.conversation_id == cid, ReflectionEntry.shared.is_(True))
            .order_by(ReflectionEntry.created_at)
        ).scalars()
        shared_reflections = [entry_record(entry) for entry in shared]
    evidence = tuple(dict.fromkeys(e for flag in flags for e in flag.evidence if e))
    return ConversationDetail(
        row=row,
        transcript=transcript(cid, tracker_url),
        flags=flags,
        handoffs=reviews.list_handoffs(conversation_id=cid, url=url),
        bookings=bookings,
        shared_reflections=shared_reflections,
        notes=reviews.list_notes(cid, url),
        tags=reviews.list_tags(cid, url),
        review=reviews.get_review(cid, url),
        evidence=evidence,
    )


def details_matching(
    filters: ListFilters,
    limit: int = 500,
    url: str | None = None,
    tracker_url: str | None = None,
) -> list[ConversationDetail]:
    """Full details of the first ``limit`` conversations in list order (filtered export)."""
    details = []
    for row in matching_rows(filters, url, tracker_url)[:limit]:
        detail = conversation_detail(row.summary.conversation_id, url, tracker_url)
        if detail is not None:
            details.append(detail)
    return details
