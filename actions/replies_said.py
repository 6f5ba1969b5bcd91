"""What the bot has said in this conversation, read from the tracker's bot events.

Why one home: several actions decide by an earlier reply (the crisis reply before a
request for a person, the violence-at-home reply before a contact question), and each
used to scan the events its own way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rasa_sdk import Tracker

VIOLENCE_REPLIES = frozenset(
    {"utter_crisis_domestic_violence", "utter_crisis_also_domestic_violence"}
)


def _names(events: Iterable[dict]) -> list[str]:
    return [
        name
        for event in events
        if event.get("event") == "bot"
        and (name := (event.get("metadata") or {}).get("utter_action"))
    ]


def replies_said(tracker: Tracker) -> list[str]:
    """The names of the responses the bot gave, oldest first."""
    return _names(tracker.events)


def replies_since(tracker: Tracker, action: str) -> list[str]:
    """The responses the bot gave since ``action`` last ran in this session."""
    return replies_after(
        tracker, lambda event: event.get("event") == "action" and event.get("name") == action
    )


def replies_after(tracker: Tracker, starts: Callable[[dict], bool]) -> list[str]:
    """The responses the bot gave since the last event ``starts`` accepts, within the
    current session (an earlier booking's replies do not count for this one)."""
    names: list[str] = []
    for event in reversed(list(tracker.events)):
        if event.get("event") == "session_started" or starts(event):
            break
        names.extend(_names([event]))
    return names[::-1]


def replies_in_loop(tracker: Tracker) -> list[str]:
    """The responses the bot gave since the active form started (the whole session if none
    is active)."""
    loop = (tracker.active_loop or {}).get("name")
    return replies_after(
        tracker,
        lambda event: (
            bool(loop) and event.get("event") == "active_loop" and event.get("name") == loop
        ),
    )


def last_of(tracker: Tracker, names: Iterable[str]) -> str | None:
    """The latest of these responses the bot gave (None if none of them)."""
    wanted = set(names)
    return next((name for name in reversed(replies_said(tracker)) if name in wanted), None)


def violence_reply_given(tracker: Tracker) -> bool:
    """The bot gave the violence-at-home reply earlier in this conversation."""
    return any(name in VIOLENCE_REPLIES for name in replies_said(tracker))


def after_violence_reply(tracker: Tracker) -> bool:
    """The bot gave the violence-at-home reply and has not yet asked if contact is safe."""
    return last_of(tracker, VIOLENCE_REPLIES | {"utter_ask_safe_to_contact"}) in VIOLENCE_REPLIES
