"""The console's first page in numbers: activity per channel, topics, fallbacks, open work.

Days are the clinic's own (its time zone), since staff read "yesterday" as theirs.
Topics count caregiver messages by intent, with FAQ questions by their retrieval
intent ("faq/what_is_cpp"); greetings and form answers are not topics.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from bot.clinic import get_profile
from bot.console.tracker import FALLBACK_INTENT, LOW_CONFIDENCE, UserMessageStat, user_messages
from bot.db import session_scope
from bot.db.models import HandoffRequest, SafetyFlag, utcnow

TOP_TOPICS = 10
NOT_TOPICS = frozenset(
    {
        "greet",
        "goodbye",
        "thank",
        "affirm",
        "deny",
        "inform",
        "bot_challenge",
        "stop_form",
        "skip_step",
        "choose_slot",
        "none_fit",
        "i_am_safe",
        FALLBACK_INTENT,
    }
)
UNKNOWN_CHANNEL = "unknown"


@dataclass(frozen=True)
class Overview:
    per_day_by_channel: dict[str, list[tuple[date, int]]]  # conversations active that day
    top_topics: list[tuple[str, int]]  # caregiver messages per topic, most first
    fallback_rate_by_day: list[tuple[date, float]]  # share of messages (days with any)
    open_flags: int  # new or acknowledged
    urgent_flags: int  # new
    open_handoffs: int  # new or contacted
    conversations: int  # with a caregiver message in the window


def is_fallback(message: UserMessageStat) -> bool:
    low = message.confidence is not None and message.confidence < LOW_CONFIDENCE
    return message.intent == FALLBACK_INTENT or low


def _open_work(url: str | None) -> tuple[int, int, int]:
    with session_scope(url) as session:
        flags = dict(
            session.execute(
                select(SafetyFlag.status, func.count()).group_by(SafetyFlag.status)
            ).all()
        )
        handoffs = session.execute(
            select(func.count()).where(HandoffRequest.status != "closed")
        ).scalar_one()
    return flags.get("new", 0) + flags.get("acknowledged", 0), flags.get("new", 0), handoffs


def overview(
    days: int = 30,
    now: datetime | None = None,
    url: str | None = None,
    tracker_url: str | None = None,
) -> Overview:
    """The last ``days`` clinic days up to ``now``, and the work open right now."""
    if days < 1:
        raise ValueError("days must be at least 1")
    tz = get_profile().tz
    today = (now or utcnow()).astimezone(tz).date()
    window = [today - timedelta(days=days - 1 - n) for n in range(days)]
    start = datetime.combine(window[0], time(), tzinfo=tz)
    messages = user_messages(start, start + timedelta(days=days), tracker_url)

    active: dict[str, set[tuple[date, str]]] = defaultdict(set)
    totals: Counter[date] = Counter()
    fallbacks: Counter[date] = Counter()
    topics: Counter[str] = Counter()
    for message in messages:
        day = message.at.astimezone(tz).date()
        active[message.channel or UNKNOWN_CHANNEL].add((day, message.conversation_id))
        totals[day] += 1
        fallbacks[day] += is_fallback(message)
        if message.topic and message.topic not in NOT_TOPICS:
            topics[message.topic] += 1
    per_day = {
        channel: [(day, sum(1 for d, _ in seen if d == day)) for day in window]
        for channel, seen in sorted(active.items())
    }
    open_flags, urgent_flags, open_handoffs = _open_work(url)
    return Overview(
        per_day_by_channel=per_day,
        top_topics=topics.most_common(TOP_TOPICS),
        fallback_rate_by_day=[(day, fallbacks[day] / totals[day]) for day in window if totals[day]],
        open_flags=open_flags,
        urgent_flags=urgent_flags,
        open_handoffs=open_handoffs,
        conversations=len({m.conversation_id for m in messages}),
    )
