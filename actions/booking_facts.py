"""The booking questions use what the caregiver already said, and take corrections.

At the start of the form, the child's age, the caregiver's first name and how they are
related are read from the conversation so far (bot/booking/known_facts.py); what is
found is filled, checked like an answer, and said back once so a mistake can be
corrected. Later, "sorry I meant 2 not 3" changes the age it corrects instead of being
taken as the answer to the question on screen.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from rasa_sdk.utils import call_potential_coroutine

from actions.booking_common import last_intent
from actions.faq import describe_age
from actions.replies_said import replies_after
from bot.booking.ages_said import age_said, corrected_age
from bot.booking.contact import parse_contact, readable_phone
from bot.booking.corrections import is_correction
from bot.booking.known_facts import concern_answer, concern_said, contact_said, times_said
from bot.booking.relationship_said import relationship_said
from bot.booking.said_who import name_said
from bot.clinic import get_profile

CARRIED = {
    "caregiver_name": name_said,
    "relationship": relationship_said,
    "child_age": age_said,
    "concern": concern_said,
    "contact": contact_said,
    "time_preference": times_said,
}


# Readers precise enough to take the answer to their own question out of a message that
# also reads as something else (a question about ages, "please call me").
ANSWER_READERS = {"child_age": age_said, "contact": contact_said, "concern": concern_answer}
# Intents that leave the question on screen: a message with them is never its answer.
LEAVING = {
    "stop_form", "request_person", "cancel_booking", "reschedule_booking", "self_harm",
    "harm_to_child", "domestic_violence", "medical_emergency", "safety_check", "safety_concern",
}  # fmt: skip


def said_so_far(tracker: Tracker) -> list[str]:
    """The caregiver's messages in this conversation, newest first (commands left out)."""
    texts = []
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            break
        text = str(event.get("text") or "") if event.get("event") == "user" else ""
        if text and not text.startswith("/"):
            texts.append(text)
    return texts


def _starting(tracker: Tracker) -> bool:
    return tracker.get_slot("requested_slot") is None


def _leaving(tracker: Tracker) -> bool:
    return last_intent(tracker) in LEAVING


def _restated(tracker: Tracker) -> bool:
    """The booking request said again, with facts, once the questions have begun."""
    return last_intent(tracker) == "book_appointment" and not _starting(tracker)


def _corrections(tracker: Tracker) -> dict[str, str]:
    """Earlier answers the latest message corrects, as the text to check for each."""
    text = str(tracker.latest_message.get("text") or "")
    requested = tracker.get_slot("requested_slot")
    if _starting(tracker) or not is_correction(text):
        return {}
    fixes: dict[str, str] = {}
    if requested != "child_age" and tracker.get_slot("child_age") is not None:
        age = corrected_age(text)
        if age is not None:
            fixes["child_age"] = age
    if requested != "contact" and tracker.get_slot("contact") and parse_contact(text):
        fixes["contact"] = text
    if requested != "caregiver_name" and tracker.get_slot("caregiver_name"):
        name = name_said(text)
        if name and name != tracker.get_slot("caregiver_name"):
            fixes["caregiver_name"] = name
    return fixes


def _answer_on_screen(slot: str, tracker: Tracker) -> dict[str, Any]:
    """The answer to the question on screen, read like a fact said in passing ("Caleb is
    four. His sister is six"; "My home telephone is 312 263-8810, leave a message"),
    whatever intent the whole message got, unless the message leaves the question."""
    intent = last_intent(tracker)
    # A number at the contact question is the answer even if it reads as "call me".
    leaving = LEAVING - {"request_person"} if slot == "contact" else LEAVING
    if intent in leaving:
        return {}
    found = ANSWER_READERS[slot](str(tracker.latest_message.get("text") or ""))
    return {slot: found} if found else {}


def _said_before(slot: str, tracker: Tracker) -> dict[str, Any]:
    """The newest name, age or relationship said so far; the fullest story of what is
    going on."""
    found = [f for text in said_so_far(tracker) if (f := CARRIED[slot](text))]
    if not found:
        return {}
    return {slot: max(found, key=len) if slot == "concern" else found[0]}


class CarriesFacts:
    """Mixed into the booking form's validation (a rasa_sdk FormValidationAction)."""

    def _carry(self, slot: str, tracker: Tracker) -> dict[str, Any]:
        requested = tracker.get_slot("requested_slot")
        if tracker.get_slot(slot) is None and (
            _restated(tracker) or (requested not in (None, slot) and not _leaving(tracker))
        ):
            # Facts said beside the answer on screen ("I'm Sam, she's 3 in two weeks" to
            # "what's your first name?") answer their questions too; a booking request
            # said again with facts answers the one on screen as well.
            found = CARRIED[slot](str(tracker.latest_message.get("text") or ""))
            return {slot: found} if found else {}
        if requested == slot and slot in ANSWER_READERS:
            return _answer_on_screen(slot, tracker)
        # At the start, a sentence's age wins over the NLU's entity ("age 22" of "age 22
        # months"); other facts are read only while their slot is still empty.
        if _starting(tracker) and (slot == "child_age" or tracker.get_slot(slot) is None):
            return _said_before(slot, tracker)
        return {}

    def extract_caregiver_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._carry("caregiver_name", tracker)

    def extract_relationship(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._carry("relationship", tracker)

    def extract_contact(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._carry("contact", tracker)

    def extract_concern(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._carry("concern", tracker)

    def extract_time_preference(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._carry("time_preference", tracker)

    def extract_child_age(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._carry("child_age", tracker)

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        fixes = _corrections(tracker)
        if not fixes:
            events = await super().get_validation_events(dispatcher, tracker, domain)  # type: ignore[misc]
            if (_starting(tracker) or _restated(tracker)) and not _said_back_before(tracker):
                _say_carried(dispatcher, events, opening=_starting(tracker))
            return events
        values: dict[str, Any] = {}
        for slot, text in fixes.items():
            validate = getattr(self, f"validate_{slot}")
            checked = validate(text, dispatcher, tracker, domain)
            values.update(await call_potential_coroutine(checked))
        requested = tracker.get_slot("requested_slot")
        if requested and requested not in fixes:
            values[requested] = None  # the message was the correction, not this answer
        changed = [slot for slot in fixes if values.get(slot) is not None]
        if changed:
            dispatcher.utter_message(text=f"Thanks, I've changed that: {_describe(values)}.")
        return [SlotSet(slot, value) for slot, value in values.items()]


def _said_back_before(tracker: Tracker) -> bool:
    """The facts were already said back in this booking (the questions resumed after a
    gentle safety check start the form again: they are not repeated)."""
    return SAID_BACK in replies_after(tracker, _booking_stage_set)


def _booking_stage_set(event: dict) -> bool:
    return event.get("event") == "slot" and event.get("name") == "booking_stage"


SAID_BACK = "utter_booking_facts_said_back"
GLAD_TO_HELP = "I'd be glad to help you book a first visit"
INTRO_SAID = "booking_intro_said"  # the name question then asks the name alone (domain.yml)


def _describe(values: dict[str, Any]) -> str:
    """'your child is 2 years old and your name is Ana' for the slots that were set."""
    parts = []
    if values.get("caregiver_name"):
        parts.append(f"your name is {values['caregiver_name']}")
    if values.get("relationship"):
        parts.append(f"you're the child's {values['relationship']}")
    if values.get("child_age_months") is not None:
        parts.append(f"your child is {describe_age(float(values['child_age_months']))}")
    if values.get("contact"):
        parts.append(f"we'll reach you at {readable_phone(values['contact'])}")
    return " and ".join(parts)


def _say_carried(
    dispatcher: CollectingDispatcher, events: list[EventType], opening: bool = True
) -> None:
    """Says back what was taken from earlier messages, once, so it can be corrected
    (without the opening line when the questions had already begun)."""
    values = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    carried = {k: v for k, v in values.items() if k in CARRIED or k == "child_age_months"}
    months = values.get("child_age_months")
    if months is None or not get_profile().is_age_eligible(float(months)):
        carried.pop("child_age_months", None)  # an age outside the range is explained
    name = carried.get("caregiver_name")
    shown = {k: v for k, v in carried.items() if k != "caregiver_name" or not opening}
    facts = _describe(shown)
    # The opening line comes first, also when the name is still to be asked ("I'd be glad
    # to help... From what you've told me..." and then "First, what's your first name?").
    who = f", {name}" if name else " with one of our clinicians"
    greeting = (
        f'{GLAD_TO_HELP}{who}. I\'ll ask a few short questions (you can say "stop" at any time).'
        if opening and (name or shown)
        else None
    )
    if greeting and not name:
        events.append(SlotSet(INTRO_SAID, True))
    lines = [greeting] if greeting else []
    if facts:
        lines.append(f"From what you've told me, {facts}. If that's not right, just tell me.")
    if carried.get("time_preference"):
        lines.append(f'I\'ll look for times that fit "{carried["time_preference"]}".')
    if carried.get("concern"):
        lines.append("I'll pass on to the clinician what you wrote about what has been going on.")
    if lines:
        dispatcher.utter_message(response=SAID_BACK, said_back=" ".join(lines))
