"""Checks every channel applies to a caregiver's text before Rasa sees it."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from bot.channels.dictation import spoken_punctuation

MAX_MESSAGE_CHARS = 4000
# How much of an over-long message is scanned for danger: ten pieces. Past that, the
# scan would cost seconds of a worker's CPU for text no caregiver types into a chat.
MAX_SCANNED_CHARS = 10 * MAX_MESSAGE_CHARS

# Intents a caregiver may trigger with a "/intent" payload: the ones our buttons
# send. Anything else typed with a leading "/" is treated as ordinary text, so a
# user cannot jump the conversation to an arbitrary intent or inject entities.
BUTTON_INTENTS = frozenset({"affirm", "deny", "i_am_safe", "request_person"})

_PAYLOAD = re.compile(r"^/(?P<intent>[A-Za-z0-9_]+)(?P<rest>.*)$", re.DOTALL)
# Every slash and space in front: "/ /greet" and "/\t/self_harm" must not leave "/greet".
_LEADING_SLASHES = re.compile(r"^[\s/]+")

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
    """Decide what to do with a caregiver's message text (dictated punctuation written
    as marks: bot.channels.dictation).

    An over-long message is not processed, except that it is first scanned for
    danger: the part that shows it goes on to the bot, so a disclosure buried in a
    very long message still gets the safety response.
    """
    text = spoken_punctuation(raw.replace("\x00", "")).strip()
    if not text:
        return Checked(text=None, reply=EMPTY_REPLY)
    if len(text) > MAX_MESSAGE_CHARS:
        excerpt = crisis_excerpt(text)
        return Checked(text=excerpt) if excerpt else Checked(text=None, reply=TOO_LONG_REPLY)
    return Checked(text=neutralise_payload(text))


def chunks(text: str, size: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Split at sentence ends into pieces of at most ``size`` characters."""
    pieces, current = [], ""
    for sentence in re.split(r"(?<=[.!?\n])\s+", text):
        while len(sentence) > size:  # a "sentence" longer than a piece: cut it
            pieces.append(sentence[:size])
            sentence = sentence[size:]
        if len(current) + len(sentence) + 1 > size:
            pieces.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    return pieces


def crisis_excerpt(text: str) -> str | None:
    """The first piece of an over-long message in which the rule layer sees danger.

    Only the first MAX_SCANNED_CHARS are scanned; call it off the event loop.
    """
    detector = _detector()
    pieces = chunks(text[:MAX_SCANNED_CHARS])
    return next((piece for piece in pieces if detector.detect(piece).is_crisis), None)


@functools.lru_cache(maxsize=1)
def _detector():
    import spacy

    from bot.safety.detector import SafetyDetector
    from bot.settings import get_settings

    return SafetyDetector(spacy.load(get_settings().spacy_model_dir))


def neutralise_payload(text: str) -> str:
    """Keep button payloads ("/affirm"); turn other "/intent{...}" text into plain words."""
    match = _PAYLOAD.match(text)
    if match and match.group("intent") in BUTTON_INTENTS and not match.group("rest").strip():
        return text
    if not text.startswith("/"):
        return text
    return _LEADING_SLASHES.sub("", text).strip() or "?"
