"""A request for a person: stored for staff, with when to expect contact from clinic hours."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.booking_common import in_thread, last_intent, report_error
from actions.booking_facts import said_so_far
from actions.booking_form import (
    SKIPPED,
    StopsAfterMisses,
    check_contact,
    name_answer,
    optional_answer,
)
from actions.replies_said import replies_said, violence_reply_given
from bot.booking.handoffs import create_handoff, expected_contact_text
from bot.booking.known_facts import (
    MAX_TIME_CHARS,
    contact_said,
    topic_in_passing,
    topic_said,
    topic_with_what_it_points_to,
    when_said,
)
from bot.booking.said_who import clean_name, name_said
from bot.safety.flags import latest_open_flag


def _unless_skipped(answer: str | None) -> str | None:
    return None if answer == SKIPPED else answer


HANDOFF_SLOTS = frozenset({"caregiver_name", "contact", "handoff_time", "handoff_about"})
# Reasons that say what the call is about, so the topic is not asked.
KNOWN_TOPICS = frozenset({"no_times_fit", "age_outside_range", "booking_error"})


def handoff_reason(tracker: Tracker) -> str:
    """Why a person is needed, so staff can sort requests without reading the chat."""
    stage = tracker.get_slot("booking_stage")
    if stage == "no_times_fit":
        return "no_times_fit"
    if stage == "ineligible":
        return "age_outside_range"
    if stage == "error":
        return "booking_error"
    for name in reversed(replies_said(tracker)):
        if name == "utter_offer_person":
            return "not_understood"
        if name.startswith("utter_crisis_"):
            return "after_crisis_reply"
        if name == "utter_caregiver_stress":
            return "caregiver_stress"
    return "asked_for_person"


class ValidateHandoffForm(StopsAfterMisses, FormValidationAction):
    def name(self) -> str:
        return "validate_handoff_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Right after a crisis reply only how and when to reach them: every question
        more is a delay, and the flag tells staff what it is about."""
        reason = handoff_reason(tracker)
        if reason == "after_crisis_reply":
            return [s for s in domain_slots if s in ("contact", "handoff_time")]
        if reason in KNOWN_TOPICS:
            # "No time fits, someone will find one": what it is about is known already.
            return [s for s in domain_slots if s != "handoff_about"]
        return domain_slots

    def _passing(self, slot: str, tracker: Tracker, read: Any) -> dict[str, Any]:
        """A slot's answer given in passing (in any order), while another is asked.

        Unlike the booking form (actions/booking_facts.py), which reads earlier messages
        only when it starts, a request for a person takes its four answers from any
        message, since caregivers give them in one breath ("Ana, 312 555 0147, after 5").
        """
        asked = tracker.get_slot("requested_slot")
        if tracker.get_slot(slot) is not None or asked == slot:
            return {}
        # Starting: nothing of this form asked yet (another form's question may still be
        # on screen: "can someone call me about this?" typed to the booking questions).
        starting = asked not in HANDOFF_SLOTS
        # At the start, a name, a phone number or email, or a good time said earlier in the
        # conversation ("this is Ana", "you can reach me at 312 555 0147", "can someone
        # call me tomorrow morning" before a safety check) is not asked again; what it is
        # about, from the newest message long enough to say it (the request itself, not
        # the "no, we're safe" typed to a gentle check after it).
        if starting and slot in ("caregiver_name", "contact", "handoff_time"):
            texts = said_so_far(tracker)
        elif starting and slot == "handoff_about":
            found = topic_with_what_it_points_to(said_so_far(tracker))
            return {slot: found} if found else {}
        else:
            texts = [str(tracker.latest_message.get("text") or "")]
        for text in texts:
            found = read(text)
            if found:
                return {slot: found}
        return {}

    def extract_caregiver_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._passing("caregiver_name", tracker, name_said)

    def extract_contact(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._passing("contact", tracker, contact_said)

    def extract_handoff_time(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._passing("handoff_time", tracker, when_said)

    def extract_handoff_about(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        asked = tracker.get_slot("requested_slot")
        if asked in HANDOFF_SLOTS:
            # Later messages answer other questions, unless one says plainly what the call
            # is about ("it's about the bill I got", typed to the name question).
            if asked == "handoff_about" or tracker.get_slot("handoff_about") is not None:
                return {}
            found = topic_in_passing(str(tracker.latest_message.get("text") or ""))
            return {"handoff_about": found} if found else {}
        return self._passing("handoff_about", tracker, topic_said)

    def validate_caregiver_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        others = set(tracker.slots_to_validate()) & {"contact", "handoff_time"}
        text = str(value or "")
        if others and clean_name(text) is None and name_said(text) is None:
            return {"caregiver_name": None}  # it answered other questions: asked, not scolded
        return name_answer(value, dispatcher, tracker)

    def validate_handoff_about(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        about = None if last_intent(tracker) == "skip_step" else optional_answer(value)
        return {"handoff_about": " ".join(about.split()) if about else SKIPPED}

    def validate_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        contact = check_contact(value, dispatcher, tracker)
        words = str(value or "").strip()
        if contact and violence_reply_given(tracker) and words not in (contact, ""):
            # "312-555-0147, text only, no voicemail": staff need the words, not the number.
            contact = f"{contact} (they wrote: {words[:MAX_TIME_CHARS]})"
        return {"contact": contact}

    def validate_handoff_time(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()[:MAX_TIME_CHARS]
        return {"handoff_time": text or "any time"}


class ActionCreateHandoff(Action):
    def name(self) -> str:
        return "action_create_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        reason = handoff_reason(tracker)
        urgent = reason == "after_crisis_reply"  # staff call back first, flag in hand
        try:
            flag = await in_thread(latest_open_flag, tracker.sender_id) if urgent else None
            await in_thread(
                create_handoff,
                tracker.sender_id,
                reason,
                tracker.get_slot("contact"),
                tracker.get_slot("handoff_time"),
                tracker.get_latest_input_channel(),
                urgent=urgent,
                flag_id=flag.id if flag else None,
                first_name=tracker.get_slot("caregiver_name"),
                topic=_unless_skipped(tracker.get_slot("handoff_about")),
            )
        except Exception as exc:
            report_error(dispatcher, tracker, exc, "creating a handoff request")
            return []
        dispatcher.utter_message(
            text=f"Thank you. I've passed this to our team, and someone will contact you "
            f"{expected_contact_text()}. If anyone is in danger before then, please call 911."
        )
        return [SlotSet("handoff_time", None), SlotSet("handoff_about", None),
                SlotSet("booking_stage", None)]  # fmt: skip
