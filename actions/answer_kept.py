"""An answer to the question on screen, said beside another question, is kept.

Why: "anything late morning, like 10 or 11? can I bring the baby?" at the booking's
time question was answered as a question about who can come, then the time question
was asked again; the caregiver gave the same answer, and the bot looped. Rasa does
not validate a form's slot from a message that interrupted the form, so after the
question is answered this action fills the question on screen with what the message
also held (days and times; a phone number or email); a question asked while a person
is being asked for is also what the call is about.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_form import quiet_answer
from bot.booking.known_facts import topic_asked


class ActionKeepAnswerOnScreen(Action):
    """Fills the form's requested slot from the message that interrupted it."""

    def name(self) -> str:
        return "action_keep_answer_on_screen"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        asked = tracker.get_slot("requested_slot")
        events: list[EventType] = []
        if asked in ("time_preference", "contact"):
            kept = quiet_answer(asked, tracker.latest_message.get("text"))
            if kept is not None:
                events.append(SlotSet(asked, kept))
        if tracker.active_loop_name == "handoff_form" and tracker.get_slot("handoff_about") is None:
            # A question asked while a person is being asked for is what the call is about
            # too ("I don't know what papers I need to bring her in", at the name question).
            topic = topic_asked(str(tracker.latest_message.get("text") or ""))
            if topic is not None:
                events.append(SlotSet("handoff_about", topic))
        return events
