"""The questions before a first consultation: each answer is checked, and a kind re-ask
follows anything that does not fit (actions/booking_slots.py takes over after)."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.booking_common import in_thread, last_intent, sms_phone
from actions.booking_facts import CarriesFacts
from actions.faq import describe_age
from actions.replies_said import after_violence_reply, replies_in_loop
from bot.booking.ages_said import age_from_answer
from bot.booking.contact import (
    missing_area_code,
    parse_contact,
    readable_phone,
    refuses_calls,
    with_area_code,
)
from bot.booking.preferences import parse_preference
from bot.booking.relationship_said import clean_relationship
from bot.booking.said_who import clean_name, name_said
from bot.clinic import get_profile
from bot.nlp.ages import age_in_months

MAX_CONCERN_CHARS = 500
SKIPPED = "skipped"  # an optional question the caregiver chose not to answer
SKIP = re.compile(
    r"^\s*(skip|no|nope|pass|nothing|n/?a|rather not|i'?d rather not( say)?)\W*$", re.I
)


# Each question's "that didn't fit" reply, and the way out said instead from the second
# answer that doesn't fit (call the clinic, a person, another kind of answer).
MISSES = {
    "caregiver_name": ("utter_invalid_name", "utter_way_out_name"),
    "relationship": ("utter_invalid_relationship", "utter_way_out_relationship"),
    "child_age": ("utter_invalid_age", "utter_way_out_age"),
    "contact": ("utter_invalid_contact", "utter_way_out_contact"),
    "time_preference": ("utter_invalid_time", "utter_way_out_time"),
    "confirm_manage": ("utter_invalid_confirm_manage", "utter_way_out_confirm_manage"),
}


# A seven-digit number at the contact question: what is missing is said plainly.
NEEDS_AREA_CODE = "utter_contact_needs_area_code"
AREA_CODE_ASSUMED = "utter_contact_area_code_assumed"
# The third answer to one question that doesn't fit ends the questions (StopsAfterMisses).
GAVE_UP = "utter_gave_up_asking"
MAX_MISSES = 3


def missed(
    slot: str, dispatcher: CollectingDispatcher, tracker: Tracker, response: str | None = None
) -> None:
    """Says kindly that an answer didn't fit (``response`` when it says what is missing);
    the second time, offers a way out too; the third time, stops asking."""
    if tracker.get_slot("requested_slot") != slot:
        return  # said in passing, not asked yet: the question comes, never a scolding
    invalid, way_out = MISSES[slot]
    said = replies_in_loop(tracker)
    before = sum(said.count(name) for name in (invalid, way_out, NEEDS_AREA_CODE))
    if before >= MAX_MISSES - 1:
        dispatcher.utter_message(response=GAVE_UP)
    elif response and not before:
        dispatcher.utter_message(response=response)
    else:
        dispatcher.utter_message(response=way_out if before else invalid)


class StopsAfterMisses:
    """Mixed into a form's validation (before FormValidationAction): after the way out
    was said and a third answer still doesn't fit, the form ends and the bot listens,
    instead of asking the same question forever (a number the phone library refuses)."""

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super().get_validation_events(dispatcher, tracker, domain)  # type: ignore[misc]
        if any(message.get("response") == GAVE_UP for message in dispatcher.messages):
            events += [
                SlotSet("requested_slot", None),
                ActiveLoop(None),
                FollowupAction("action_listen"),
            ]
        return events


def optional_answer(value: Any) -> str | None:
    """A free-text answer the caregiver may skip ("skip", "no", "rather not"): None if so."""
    text = str(value or "").strip()
    return None if not text or SKIP.match(text) else text[:MAX_CONCERN_CHARS]


def name_answer(value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
    """The caregiver's first name from an answer (any form that asks it); None re-asks."""
    name = clean_name(str(value or "")) or name_said(str(value or ""))
    if name is None:
        missed("caregiver_name", dispatcher, tracker)
    return {"caregiver_name": name}


def said_as_a_duration(value: str, text: str) -> bool:
    """Whether an age read in passing is how long something lasted: "her brother was in
    the hospital for 3 weeks" gave "your child is 1 months old" (dev set bc23, #22)."""
    if not value.strip():
        return False
    said = re.escape(value.strip())
    return bool(
        re.search(rf"\b(for|since|after|past|last)\s+(the\s+)?{said}", text, re.I)
        or re.search(rf"{said}\s+(ago|later|before|after|in the|at the|of(?!\s+age))\b", text, re.I)
    )


def months_from(tracker: Tracker, text: str) -> float | None:
    """The child's age in months. Read from this very message when the value came from it
    (bot.booking.ages_said.age_from_answer: "she is 2 years 7 months" is more than its
    entity "2 years"), else from the value (an age carried over or corrected)."""
    said = str(tracker.latest_message.get("text") or "").strip()
    entities = [
        str(e.get("value", ""))
        for e in tracker.latest_message.get("entities", [])
        if e.get("entity") == "CHILD_AGE"
    ]
    text = text.strip()
    if said and (text == said or text in entities):
        return age_from_answer(said, entities)
    return age_in_months(text)  # a bare "3" is years there too


class ValidateBookingForm(StopsAfterMisses, CarriesFacts, FormValidationAction):
    """Checks name, relationship, age (against the clinic profile), concern, contact, times."""

    def name(self) -> str:
        return "validate_booking_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        months = tracker.get_slot("child_age_months")
        if months is not None and not get_profile().is_age_eligible(float(months)):
            return []  # the form ends; action_offer_slots explains and offers a person
        return domain_slots

    def validate_caregiver_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return name_answer(value, dispatcher, tracker)

    def validate_relationship(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        relationship = clean_relationship(str(value or ""))
        if relationship is None:
            missed("relationship", dispatcher, tracker)
        return {"relationship": relationship}

    def validate_child_age(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "child_age" and said_as_a_duration(
            str(value or ""), str(tracker.latest_message.get("text") or "")
        ):
            return {"child_age": None, "child_age_months": None}  # asked, never scolded
        months = months_from(tracker, str(value or ""))
        if months is None or months < 0 or months > 18 * 12:
            missed("child_age", dispatcher, tracker)
            return {"child_age": None, "child_age_months": None}
        if not get_profile().is_age_eligible(months):
            dispatcher.utter_message(response="utter_age_outside_range", age=describe_age(months))
        return {"child_age": str(value), "child_age_months": months}

    def validate_concern(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"concern": optional_answer(value) or SKIPPED}

    def validate_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"contact": check_contact(value, dispatcher, tracker)}

    def validate_time_preference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        kept = quiet_answer("time_preference", value)
        if kept is None:
            missed("time_preference", dispatcher, tracker)
        return {"time_preference": kept}


def quiet_answer(slot: str, value: Any) -> str | None:
    """The slot's value read from an answer, or None, with nothing said.

    Why: the form's validators and the action that keeps an answer given beside another
    question (answer_kept) must read days, times and contacts the same way.
    """
    text = str(value or "").strip()
    if slot == "time_preference":
        return text if parse_preference(text) is not None else None
    if slot == "contact" and (contact := parse_contact(text)) is not None:
        return contact.phone or contact.email
    return None


def check_contact(value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> str | None:
    """A phone (E.164) or email from the answer; over SMS, "yes" means the number in use.

    The SMS number lookup is quick and cached (see sms_phone), so this stays synchronous
    for the form validators that call it, and runs only after a "yes".
    """
    if last_intent(tracker) == "affirm" and (own := sms_phone(tracker)):
        return own
    if not str(value or "").strip():
        return None  # not given yet (a flow starting cleared it): asked, never scolded
    if (contact := quiet_answer("contact", value)) is not None:
        return contact
    local = with_area_code(str(value), get_profile().local_area_code)
    if local is not None:
        # "my home phone is 555-0142" (or "text only, 555-0142"): read with the clinic's
        # area code, and said back.
        dispatcher.utter_message(response=AREA_CODE_ASSUMED, number=readable_phone(local))
        return local
    if refuses_calls(str(value)):
        # "Please do not call me. Text or email only. Is that ok?": yes, and asked again
        # for the number to text or the email, without a miss counted.
        dispatcher.utter_message(text="Of course, a text or an email works too.")
        return None
    missed(
        "contact", dispatcher, tracker, NEEDS_AREA_CODE if missing_area_code(str(value)) else None
    )
    return None


# Each form asks for a contact for its own reason, and says it.
CONTACT_QUESTIONS = defaultdict(
    lambda: (
        "What's the best phone number or email for the clinic to reach you about this? "
        "We use it only for your appointment."
    ),
    handoff_form=(
        "What's the best phone number or email for someone from our team to reach you? "
        "We use it only to get back to you."
    ),
    manage_booking_form=(
        "What phone number or email did you give when you booked? I use it only to find "
        "your appointment."
    ),
)


class ActionAskContact(Action):
    """Asks for a phone or email; over SMS, confirms the number they are texting from."""

    def name(self) -> str:
        return "action_ask_contact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        own = await in_thread(sms_phone, tracker)
        if own:
            dispatcher.utter_message(
                text=(
                    f"Can the clinic reach you at the number you're texting from (ending in "
                    f"{own[-4:]})? Reply YES, or send another phone number or an email."
                ),
                buttons=[{"title": "Yes", "payload": "/affirm"}],
            )
        else:
            dispatcher.utter_message(
                text=CONTACT_QUESTIONS[(tracker.active_loop or {}).get("name")]
            )
        if after_violence_reply(tracker):
            dispatcher.utter_message(response="utter_ask_safe_to_contact")
        return []


UNDERWAY = "utter_booking_underway"


class ActionBookingUnderway(Action):
    """ "I want to book" in the middle of the booking questions: said once that this is
    what we're doing; said again at the same question, it is an answer that didn't fit
    ("hmm not sure, maybe afternoons? depends on my shift" read as a booking request got
    "that's what we're setting up now" five times, dev set bc27, 2026-12-07)."""

    def name(self) -> str:
        return "action_booking_underway"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        slot = tracker.get_slot("requested_slot")
        if UNDERWAY in replies_in_loop(tracker) and slot in MISSES:
            dispatcher.utter_message(response=MISSES[slot][1])  # the way out
        else:
            dispatcher.utter_message(response=UNDERWAY)
        return []
