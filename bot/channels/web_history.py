"""The website chat's transcript, rebuilt from the tracker store.

The widget asks the server for the history after a page reload instead of keeping
the caregiver's words in the browser: on a shared family computer nothing of the
conversation stays in browser storage, only the signed session token.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rasa.shared.core.constants import EXTERNAL_MESSAGE_PREFIX
from rasa.shared.core.events import BotUttered, Event, UserUttered

MAX_HISTORY_MESSAGES = 200


def _quick_replies(buttons: Iterable[dict[str, Any]] | None) -> list[dict[str, str]]:
    return [
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in buttons or []
        if isinstance(b, dict)
    ]


def transcript(events: Iterable[Event], limit: int = MAX_HISTORY_MESSAGES) -> list[dict[str, Any]]:
    """What the caregiver saw: ``[{"sender": "user"|"bot", "text": ..., "quick_replies": [...]}]``.

    Bot texts are split at blank lines exactly as Rasa's socket.io output sends
    them; a button the caregiver clicked shows its title, as it did live; messages
    the bot sent on its own (reminders) appear without their internal trigger.
    """
    messages: list[dict[str, Any]] = []
    last_buttons: list[dict[str, str]] = []
    for event in events:
        if isinstance(event, UserUttered):
            text = event.text or ""
            if not text or text.startswith(EXTERNAL_MESSAGE_PREFIX):
                continue
            title = next((b["title"] for b in last_buttons if b["payload"] == text), None)
            messages.append({"sender": "user", "text": title or text, "quick_replies": []})
            last_buttons = []
        elif isinstance(event, BotUttered) and event.text:
            parts = [p for p in event.text.strip().split("\n\n") if p.strip()] or [event.text]
            last_buttons = _quick_replies((event.data or {}).get("buttons"))
            for index, part in enumerate(parts):
                replies = last_buttons if index == len(parts) - 1 else []
                messages.append({"sender": "bot", "text": part, "quick_replies": replies})
    return messages[-limit:]
