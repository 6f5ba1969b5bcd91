"""Checks every channel applies to a caregiver's text before Rasa sees it."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_MESSAGE_CHARS = 4000

# Intents a caregiver may trigger with a "/intent" payload: the ones our buttons
# send. Anything else typed with a leading "/" is treated as ordinary text, so a
# user cannot jump the conversation to an arbitrary intent or inject entities.
BUTTON_INTENTS = frozenset({"affirm", "deny"})

_PAYLOAD = re.compile(r"^/(?P<intent>[A-Za-z0-9_]+)(?P<rest>.*)$", re.DOTALL)

EMPTY_REPLY = "It looks like that message was empty. What would you like to know about CPP?"
TOO_LONG_REPLY = (
    "That message is too long for me to read in one go. Could you send a shorter one "
    f"(under about {MAX_MESSAGE_CHARS:,} characters)?"
)


@dataclass(frozen=True)
class Checked:
    """The text to hand to Rasa, or a reply to send instead of processing it."""

    text: str | None
    reply: str | None = None


def check_text(raw: str) -> Checked:
    """Decide what to do with a caregiver's message text."""
    text = raw.replace("\x00", "").strip()
    if not text:
        return Checked(text=None, reply=EMPTY_REPLY)
    if len(text) > MAX_MESSAGE_CHARS:
        return Checked(text=None, reply=TOO_LONG_REPLY)
    return Checked(text=neutralise_payload(text))


def neutralise_payload(text: str) -> str:
    """Keep button payloads ("/affirm"); turn other "/intent{...}" text into plain words."""
    match = _PAYLOAD.match(text)
    if match and match.group("intent") in BUTTON_INTENTS and not match.group("rest").strip():
        return text
    if not text.startswith("/"):
        return text
    return text.lstrip("/").strip() or "?"
