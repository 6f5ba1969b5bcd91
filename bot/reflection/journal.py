"""The caregiver's reflection journal: save, list, share and delete their own entries.

Entries are found by owner keys (bot.identity), never by a raw phone number or name;
``bot.reflection.owners.owner_keys`` gives every key one caregiver is known by, so a
journal started in the website chat is there over SMS too when the clinic knows both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select

from bot.db import session_scope
from bot.db.models import ReflectionEntry, utcnow

MAX_ANSWER_CHARS = 1000  # one step's answer; longer text is cut, never rejected


@dataclass(frozen=True)
class EntryRecord:
    id: int
    owner_key: str
    conversation_id: str
    channel: str | None
    prompt_id: str | None
    age_band: str | None
    theme: str | None
    answers: dict[str, str | None] = field(default_factory=dict)
    feelings: list[str] = field(default_factory=list)
    summary: str | None = None
    shared: bool = False
    shared_at: datetime | None = None
    created_at: datetime | None = None


def _record(row: ReflectionEntry) -> EntryRecord:
    return EntryRecord(
        id=row.id,
        owner_key=row.owner_key,
        conversation_id=row.conversation_id,
        channel=row.channel,
        prompt_id=row.prompt_id,
        age_band=row.age_band,
        theme=row.theme,
        answers=dict(row.answers or {}),
        feelings=list(row.feelings or []),
        summary=row.summary,
        shared=row.shared,
        shared_at=row.shared_at,
        created_at=row.created_at,
    )


def save_entry(
    owner_key: str,
    conversation_id: str,
    *,
    answers: Mapping[str, str | None],
    summary: str | None,
    feelings: Iterable[str] = (),
    shared: bool = False,
    channel: str | None = None,
    prompt_id: str | None = None,
    age_band: str | None = None,
    theme: str | None = None,
    now: datetime | None = None,
    url: str | None = None,
) -> EntryRecord:
    """Store one finished reflection the caregiver chose to keep (and maybe share)."""
    now = now or utcnow()
    with session_scope(url) as session:
        row = ReflectionEntry(
            owner_key=owner_key,
            conversation_id=conversation_id[:128],
            channel=(channel or None) and channel[:32],
            prompt_id=prompt_id,
            age_band=age_band,
            theme=theme,
            answers={k: (v[:MAX_ANSWER_CHARS] if v else None) for k, v in answers.items()},
            feelings=list(feelings),
            summary=summary,
            shared=shared,
            shared_at=now if shared else None,
            created_at=now,
        )
        session.add(row)
        session.flush()
        return _record(row)


def list_entries(
    owner_keys: Iterable[str], limit: int = 5, url: str | None = None
) -> list[EntryRecord]:
    """The caregiver's most recent entries, newest first."""
    keys = list(owner_keys)
    if not keys:
        return []
    with session_scope(url) as session:
        rows = session.scalars(
            select(ReflectionEntry)
            .where(ReflectionEntry.owner_key.in_(keys))
            .order_by(ReflectionEntry.created_at.desc(), ReflectionEntry.id.desc())
            .limit(limit)
        ).all()
        return [_record(row) for row in rows]


def delete_entries(owner_keys: Iterable[str], url: str | None = None) -> int:
    """Delete every entry of this caregiver (shared ones too); returns how many went."""
    keys = list(owner_keys)
    if not keys:
        return 0
    with session_scope(url) as session:
        result = session.execute(delete(ReflectionEntry).where(ReflectionEntry.owner_key.in_(keys)))
        return int(result.rowcount or 0)


def list_shared(limit: int = 50, url: str | None = None) -> list[EntryRecord]:
    """Entries caregivers chose to share with their clinician, newest first (staff view)."""
    with session_scope(url) as session:
        rows = session.scalars(
            select(ReflectionEntry)
            .where(ReflectionEntry.shared.is_(True))
            .order_by(ReflectionEntry.created_at.desc())
            .limit(limit)
        ).all()
        return [_record(row) for row in rows]
