"""Hand the question on screen to Rasa's NLU pipeline with each message.

Rasa's NLU components see only the message, never the conversation, yet what a message
means can depend on what the bot just asked (bot.safety.asked). Before Rasa parses a
message of a conversation whose form is active, this adds the form and the slot it
asks for to a copy of the message's metadata (the stored message is not changed); with
no form, the bot's last action when the next message may change what it did (a reminder
just set: "make it 8:15 pm").
Installed by ``bot.prod.rasa_run`` with the other patches; re-check on any Rasa upgrade
(``MessageProcessor.parse_message`` in rasa/core/processor.py).
"""

from __future__ import annotations

import copy
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.safety.asked import ASKED_KEY, FOLLOWED_REPLIES

_original_parse = MessageProcessor.parse_message


def with_question(message: UserMessage, tracker: DialogueStateTracker | None) -> UserMessage:
    """The message, with the active form and its requested slot in a copy's metadata
    (or, with no form, the bot's last action when it is one of FOLLOWED_REPLIES)."""
    if tracker is None:
        return message
    form = tracker.active_loop_name
    if form:
        asked = {"form": form, "slot": tracker.get_slot(REQUESTED_SLOT)}
        if repeats_previous(message, tracker):
            asked["repeat"] = True
    elif (after := last_action(tracker)) in FOLLOWED_REPLIES:
        asked = {"form": None, "slot": None, "after": after}
    else:
        return message
    message = copy.copy(message)
    message.metadata = {**(message.metadata or {}), ASKED_KEY: asked}
    return message


def repeats_previous(message: UserMessage, tracker: DialogueStateTracker) -> bool:
    """Whether the caregiver's previous message was this very text (case and spaces
    aside): said again to the same question, it is their answer to it."""
    previous = next((e for e in reversed(tracker.events) if isinstance(e, UserUttered)), None)
    if previous is None or not previous.text or not message.text:
        return False
    return " ".join(previous.text.lower().split()) == " ".join(message.text.lower().split())


def last_action(tracker: DialogueStateTracker) -> str | None:
    """The bot's last action other than listening, in this session."""
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            return None
        if isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN_NAME:
            return event.action_name
    return None


async def _parse_with_question(
    self: MessageProcessor,
    message: UserMessage,
    tracker: DialogueStateTracker | None = None,
    only_output_properties: bool = True,
) -> dict[str, Any]:
    return await _original_parse(
        self, with_question(message, tracker), tracker, only_output_properties
    )


def install() -> None:
    """Idempotent; before Rasa handles a message."""
    MessageProcessor.parse_message = _parse_with_question


def installed() -> bool:
    return MessageProcessor.parse_message is _parse_with_question
