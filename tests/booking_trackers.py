"""A form's tracker as the action server sees it, for the booking action tests."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def tracker(slots: dict | None = None, text: str = "", intent: str = "", entities=(),
            channel: str = "rest", sender: str = "conv-1", events=()) -> Tracker:  # fmt: skip
    return Tracker(
        sender_id=sender,
        slots=dict(slots or {}),
        latest_message={"text": text, "intent": {"name": intent}, "entities": list(entities)},
        # As in a real form: the bot asked (the list of times, for slot picks), then listened.
        events=[
            {"event": "action", "name": "slot_choice_form"},
            {"event": "action", "name": "action_listen"},
            {"event": "user", "input_channel": channel},
            *events,
        ],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [m.get("response") or m.get("text") for m in dispatcher.messages]
