"""Reading Rasa's SQL tracker store for the console, without Rasa's classes.

Rasa writes one row per event into ``events``; the columns it fills besides the JSON
(``type_name``, ``timestamp``, ``intent_name``, ``action_name``) let the list be
aggregated in SQL, and only user rows' JSON is looked into (for the channel and the
confidence), so listing conversations does not load and parse every event.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    case,
    cast,
    delete,
    func,
    inspect,
    or_,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from bot.db import get_engine
from bot.settings import get_settings

LOW_CONFIDENCE = 0.5  # the FallbackClassifier's threshold in config.yml
FALLBACK_INTENT = "nlu_fallback"
FALLBACK_ACTION = "action_default_fallback"
EXTERNAL_PREFIX = "EXTERNAL_"  # intents the bot triggers itself (reminders), not typed
HIDDEN_ACTIONS = ("action_listen", "action_session_start")  # noise in a transcript
CHUNK = 500  # ids per IN (...) list, below every database's parameter limit

_metadata = MetaData()
events = Table(
    "events",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


@dataclass(frozen=True)
class ConversationSummary:
    conversation_id: str
    channel: str | None
    first_at: datetime
    last_at: datetime
    turns: int  # caregiver messages
    intents: tuple[str, ...]
    has_fallback: bool
    min_confidence: float | None


@dataclass(frozen=True)
class TranscriptItem:
    kind: str  # "user", "bot", "action", "slot", "session"
    at: datetime
    text: str | None = None
    intent: str | None = None  # a retrieval intent in full: "faq/what_is_cpp"
    confidence: float | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    action: str | None = None
    slot: str | None = None
    value: Any = None
    buttons: list[dict[str, Any]] = field(default_factory=list)


def _url(tracker_url: str | None) -> str:
    return tracker_url or get_settings().tracker_url


def _has_events(conn: Connection) -> bool:
    """Rasa creates the table on its first start; before that there is nothing to show."""
    return inspect(conn).has_table("events")


def to_datetime(timestamp: float | None) -> datetime:
    return datetime.fromtimestamp(timestamp or 0.0, tz=timezone.utc)


def json_text(dialect: str, *path: str) -> ColumnElement:
    """A text value inside the ``data`` JSON, extracted by the database itself."""
    if dialect == "postgresql":
        return func.json_extract_path_text(cast(events.c.data, JSON), *path)
    if dialect == "sqlite":
        return func.json_extract(events.c.data, "$." + ".".join(path))
    if dialect in ("mysql", "mariadb"):
        return func.json_unquote(func.json_extract(events.c.data, "$." + ".".join(path)))
    raise NotImplementedError(f"the console cannot read a {dialect} tracker store")


def confidence_expr(dialect: str) -> ColumnElement:
    return cast(json_text(dialect, "parse_data", "intent", "confidence"), Float)


def channel_expr(dialect: str) -> ColumnElement:
    return json_text(dialect, "input_channel")


def _is_user() -> ColumnElement:
    return events.c.type_name == "user"


def _typed_by_caregiver() -> ColumnElement:
    return and_(
        _is_user(),
        or_(events.c.intent_name.is_(None), ~events.c.intent_name.startswith(EXTERNAL_PREFIX)),
    )


def _search_ids(dialect: str, search: str):
    """Conversations with a message (either side) containing ``search``, any case."""
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    text = json_text(dialect, "text")
    return select(events.c.sender_id).where(
        events.c.type_name.in_(("user", "bot")),
        text.ilike(f"%{escaped}%", escape="\\"),
    )


def summaries(
    tracker_url: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    channel: str | None = None,
    intent: str | None = None,
    search: str | None = None,
    *,
    conversation_id: str | None = None,
) -> list[ConversationSummary]:
    """One summary per conversation, newest last message first.

    ``since``/``until`` keep conversations active in that window (last message at or
    after ``since``, first before ``until``); ``intent`` one the caregiver said at least
    once; ``search`` a case-insensitive text match in any message; ``conversation_id``
    just that one.
    """
    engine = get_engine(_url(tracker_url))
    dialect = engine.dialect.name
    user = _is_user()
    fallback = or_(
        and_(user, events.c.intent_name == FALLBACK_INTENT),
        and_(events.c.type_name == "action", events.c.action_name == FALLBACK_ACTION),
    )
    channel_col = func.max(case((user, channel_expr(dialect)))).label("channel")
    query = (
        select(
            events.c.sender_id,
            func.min(events.c.timestamp).label("first"),
            func.max(events.c.timestamp).label("last"),
            func.sum(case((_typed_by_caregiver(), 1), else_=0)).label("turns"),
            channel_col,
            func.min(case((user, confidence_expr(dialect)))).label("min_conf"),
            func.max(case((fallback, 1), else_=0)).label("fallback"),
        )
        .group_by(events.c.sender_id)
        .order_by(func.max(events.c.timestamp).desc(), events.c.sender_id)
    )
    if conversation_id is not None:
        query = query.where(events.c.sender_id == conversation_id)
    if since is not None:
        query = query.having(func.max(events.c.timestamp) >= since.timestamp())
    if until is not None:
        query = query.having(func.min(events.c.timestamp) < until.timestamp())
    if channel:
        query = query.having(channel_col == channel)
    if intent:
        query = query.where(
            events.c.sender_id.in_(
                select(events.c.sender_id).where(user, events.c.intent_name == intent)
            )
        )
    if search and search.strip():
        query = query.where(events.c.sender_id.in_(_search_ids(dialect, search.strip())))
    with engine.connect() as conn:
        if not _has_events(conn):
            return []
        rows = conn.execute(query).all()
        intents = _intents_by_conversation(conn, conversation_id)
    result = []
    for row in rows:
        low = row.min_conf is not None and row.min_conf < LOW_CONFIDENCE
        result.append(
            ConversationSummary(
                conversation_id=row.sender_id,
                channel=row.channel,
                first_at=to_datetime(row.first),
                last_at=to_datetime(row.last),
                turns=int(row.turns or 0),
                intents=tuple(sorted(intents.get(row.sender_id, ()))),
                has_fallback=bool(row.fallback) or low,
                min_confidence=None if row.min_conf is None else float(row.min_conf),
            )
        )
    return result


def _intents_by_conversation(conn: Connection, only: str | None) -> dict[str, set[str]]:
    query = (
        select(events.c.sender_id, events.c.intent_name)
        .where(_typed_by_caregiver(), events.c.intent_name.is_not(None))
        .distinct()
    )
    if only is not None:
        query = query.where(events.c.sender_id == only)
    found: dict[str, set[str]] = {}
    for sender_id, intent in conn.execute(query):
        found.setdefault(sender_id, set()).add(intent)
    return found


def conversation_ids(tracker_url: str | None = None) -> list[str]:
    """Every conversation id in the store (to resolve a masked id)."""
    engine = get_engine(_url(tracker_url))
    with engine.connect() as conn:
        if not _has_events(conn):
            return []
        return list(conn.execute(select(events.c.sender_id).distinct()).scalars())


def _item(type_name: str, data: dict[str, Any]) -> TranscriptItem | None:
    at = to_datetime(data.get("timestamp"))
    if type_name == "user":
        parse = data.get("parse_data") or {}
        intent = parse.get("intent") or {}
        return TranscriptItem(
            kind="user",
            at=at,
            text=data.get("text"),
            intent=intent.get("full_retrieval_intent_name") or intent.get("name"),
            confidence=intent.get("confidence"),
            entities=list(parse.get("entities") or []),
        )
    if type_name == "bot":
        extra = data.get("data") or {}
        return TranscriptItem(
            kind="bot", at=at, text=data.get("text"), buttons=list(extra.get("buttons") or [])
        )
    if type_name == "action":
        if data.get("name") in HIDDEN_ACTIONS:
            return None
        return TranscriptItem(
            kind="action", at=at, action=data.get("name"), confidence=data.get("confidence")
        )
    if type_name == "slot":
        return TranscriptItem(kind="slot", at=at, slot=data.get("name"), value=data.get("value"))
    if type_name == "session_started":
        return TranscriptItem(kind="session", at=at)
    return None


def transcript(conversation_id: str, tracker_url: str | None = None) -> list[TranscriptItem]:
    """Every session of one conversation in order: messages, actions, slot changes."""
    engine = get_engine(_url(tracker_url))
    query = (
        select(events.c.type_name, events.c.data)
        .where(events.c.sender_id == conversation_id)
        .order_by(events.c.id)
    )
    with engine.connect() as conn:
        if not _has_events(conn):
            return []
        rows = conn.execute(query).all()
    items = []
    for type_name, raw in rows:
        try:
            data = json.loads(raw or "{}")
        except ValueError:
            continue
        item = _item(type_name, data)
        if item is not None:
            items.append(item)
    return items


def conversation_ids_last_before(cutoff: datetime, tracker_url: str | None = None) -> list[str]:
    """Conversations whose most recent event is older than ``cutoff`` (for purging)."""
    engine = get_engine(_url(tracker_url))
    query = (
        select(events.c.sender_id)
        .group_by(events.c.sender_id)
        .having(func.max(events.c.timestamp) < cutoff.timestamp())
        .order_by(events.c.sender_id)
    )
    with engine.connect() as conn:
        if not _has_events(conn):
            return []
        return list(conn.execute(query).scalars())


def _chunks(ids: Iterable[str]) -> Iterable[Sequence[str]]:
    items = sorted(set(ids))
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _in_chunk(chunk: Sequence[str], before: datetime | None) -> ColumnElement:
    condition = events.c.sender_id.in_(chunk)
    if before is not None:
        condition = and_(condition, events.c.timestamp < before.timestamp())
    return condition


def count_events(
    ids: Iterable[str], before: datetime | None = None, tracker_url: str | None = None
) -> int:
    """How many events ``delete_conversations`` would remove (a dry run)."""
    engine = get_engine(_url(tracker_url))
    total = 0
    with engine.connect() as conn:
        if not _has_events(conn):
            return 0
        for chunk in _chunks(ids):
            query = select(func.count()).select_from(events).where(_in_chunk(chunk, before))
            total += int(conn.execute(query).scalar_one())
    return total


def delete_conversations(
    ids: Iterable[str], tracker_url: str | None = None, *, before: datetime | None = None
) -> int:
    """Delete these conversations' events; returns how many went.

    ``before`` keeps anything newer, so a caregiver who came back while a purge was
    running keeps the conversation they are having now.
    """
    engine = get_engine(_url(tracker_url))
    total = 0
    with engine.begin() as conn:
        if not _has_events(conn):
            return 0
        for chunk in _chunks(ids):
            total += int(conn.execute(delete(events).where(_in_chunk(chunk, before))).rowcount)
    return total


@dataclass(frozen=True)
class UserMessageStat:
    """One caregiver message without its text: what the overview counts."""

    conversation_id: str
    at: datetime
    channel: str | None
    intent: str | None
    topic: str | None  # the retrieval intent in full ("faq/what_is_cpp") or the intent
    confidence: float | None


def user_messages(
    since: datetime, until: datetime | None = None, tracker_url: str | None = None
) -> list[UserMessageStat]:
    """Caregiver messages in a time window, with the few values the charts need."""
    engine = get_engine(_url(tracker_url))
    dialect = engine.dialect.name
    retrieval = func.coalesce(
        json_text(dialect, "parse_data", "intent", "full_retrieval_intent_name"),
        json_text(
            dialect, "parse_data", "response_selector", "faq", "response", "intent_response_key"
        ),
    )
    query = (
        select(
            events.c.sender_id,
            events.c.timestamp,
            channel_expr(dialect).label("channel"),
            events.c.intent_name,
            retrieval.label("retrieval"),
            confidence_expr(dialect).label("confidence"),
        )
        .where(_typed_by_caregiver(), events.c.timestamp >= since.timestamp())
        .order_by(events.c.id)
    )
    if until is not None:
        query = query.where(events.c.timestamp < until.timestamp())
    with engine.connect() as conn:
        if not _has_events(conn):
            return []
        rows = conn.execute(query).all()
    return [
        UserMessageStat(
            conversation_id=row.sender_id,
            at=to_datetime(row.timestamp),
            channel=row.channel,
            intent=row.intent_name,
            topic=row.retrieval if row.intent_name == "faq" and row.retrieval else row.intent_name,
            confidence=None if row.confidence is None else float(row.confidence),
        )
        for row in rows
    ]
