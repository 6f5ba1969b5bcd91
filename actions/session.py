"""Conversation start: say who the bot is before anything else."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict


class ActionSessionStart(Action):
    """Rasa's session start plus the intro: an automated assistant, what it does, call 911."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        # Carry over what the caregiver told us earlier (Rasa's default does the same
        # when carry_over_slots_to_new_session is set).
        if domain.get("session_config", {}).get("carry_over_slots_to_new_session", True):
            events.extend(_carried_slots(tracker, domain))
        dispatcher.utter_message(response="utter_intro")
        events.append(ActionExecuted("action_listen"))
        return events


def _carried_slots(tracker: Tracker, domain: DomainDict) -> list[SlotSet]:
    slots: dict[str, dict[str, Any]] = domain.get("slots", {})
    # Clinic facts keep their initial values from the domain; only what changed moves.
    carried = []
    for name, spec in slots.items():
        value = tracker.get_slot(name)
        if value is not None and value != spec.get("initial_value"):
            carried.append(SlotSet(name, value))
    return carried
