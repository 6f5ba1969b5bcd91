"""Reading one conversation back from Rasa's ``events`` table in PostgreSQL.

Read with plain SQL and a connection per call (no pool), so the check sees exactly
what Rasa committed and survives a PostgreSQL restart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool


@dataclass
class Turn:
    """A user message and the events that followed it up to the next user message."""

    user_text: str
    bot_texts: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        """The bot went back to listening: the whole turn was stored."""
        return any(
            e["event"] == "action" and e.get("name") == "action_listen" for e in self.events[-1:]
        )


def read_events(tracker_url: str, conversation: str) -> list[dict[str, Any]]:
    """All stored events of a conversation, in the order Rasa reads them."""
    engine = create_engine(tracker_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"),
                {"s": conversation},
            ).all()
    finally:
        engine.dispose()
    return [json.loads(row.data) for row in rows]


def split_turns(events: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Turn]]:
    """The events before the first user message, and one ``Turn`` per user message."""
    head: list[dict[str, Any]] = []
    turns: list[Turn] = []
    for event in events:
        if event["event"] == "user":
            turns.append(Turn(user_text=event.get("text") or ""))
        elif turns:
            turns[-1].events.append(event)
            if event["event"] == "bot" and event.get("text"):
                turns[-1].bot_texts.append(event["text"])
        else:
            head.append(event)
    return head, turns


def duplicate_rows(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events stored twice (same JSON, timestamp included): a double save."""
    seen: set[str] = set()
    dups = []
    for event in events:
        key = json.dumps(event, sort_keys=True)
        if key in seen:
            dups.append(event)
        seen.add(key)
    return dups
