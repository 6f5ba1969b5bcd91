"""The questions before a first consultation: each answer is checked, and a kind re-ask
follows anything that does not fit (actions/booking_slots.py takes over after)."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.booking_common import in_thread, last_intent, sms_phone
from actions.faq import describe_age
from actions.replies_said import after_violence_reply
from bot.booking.contact import parse_contact
from bot.booking.preferences import parse_preference
from bot.clinic import get_profile
from bot.nlp.ages import age_in_months

MAX_CONCERN_CHARS = 500
SKIPPED = "skipped"  # an optional question the caregiver chose not to answer
SKIP = re.compile(
    r"^\s*(skip|no|nope|pass|nothing|n/?a|rather not|i'?d rather not( say)?)\W*$", re.I
)
NAME_LEAD = re.compile(
    r"^\s*(hi|hello|hey)?[,!\s]*(my name is|my name's|name is|i am|i'm|im|it's|its|this is|"
    r"call me|i go by)\s+",
    re.I,
)
NAME = re.compile(r"^[^\W\d_][^\W\d_'\-]*(?:['\-][^\W\d_]+)*$")
NOT_NAMES = {"yes", "no", "ok", "okay", "hi", "hello", "hey", "mom", "dad", "skip", "why"}
RELATIONSHIPS = [
    (re.compile(r"\b(grand ?(ma|mother|mom|mum|pa|father|dad|parent)|granny|nana|abuel)"),
     "grandparent"),
    (re.compile(r"\bfoster"), "foster parent"),
    (re.compile(r"\bstep ?(mom|mother|mum)"), "stepmother"),
    (re.compile(r"\bstep ?(dad|father)"), "stepfather"),
    (re.compile(r"\b(mom|mother|mum|mama|mommy|madre)\b"), "mother"),
    (re.compile(r"\b(dad|father|papa|daddy|padre)\b"), "father"),
    (re.compile(r"\b(aunt|auntie|tia)\b"), "aunt"),
    (re.compile(r"\b(uncle|tio)\b"), "uncle"),
    (re.compile(r"\b(guardian|kinship|adoptive|adopted)"), "guardian"),
]  # fmt: skip


def clean_name(text: str) -> str | None:
    """'my name is maria' -> 'Maria'; None when no plausible first name is there."""
    words = NAME_LEAD.sub("", text.strip()).strip(" .!,").split()
    if not words or len(words) > 3:
        return None
    first = words[0]
    if not NAME.match(first) or len(first) > 30 or first.lower() in NOT_NAMES:
        return None
    return first[:1].upper() + first[1:]


def optional_answer(value: Any) -> str | None:
    """A free-text answer the caregiver may skip ("skip", "no", "rather not"): None if so."""
    text = str(value or "").strip()
    return None if not text or SKIP.match(text) else text[:MAX_CONCERN_CHARS]


def name_answer(value: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
    """The caregiver's first name from an answer (any form that asks it); None re-asks."""
    name = clean_name(str(value or ""))
    if name is None:
        dispatcher.utter_message(response="utter_invalid_name")
    return {"caregiver_name": name}


def clean_relationship(text: str) -> str | None:
    """A short relationship word ('mom' -> 'mother'); other short answers are kept as typed."""
    lowered = text.lower().strip(" .!")
    for pattern, name in RELATIONSHIPS:
        if pattern.search(lowered):
            return name
    if 2 <= len(lowered) <= 40 and re.fullmatch(r"[^\W\d_][^\W\d_ '\-]*", lowered):
        return lowered
    return None


def months_from(tracker: Tracker, text: str) -> float | None:
    """The child's age in months, from the age entity if the NLU found one, else the text."""
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == "CHILD_AGE":
            months = age_in_months(str(entity.get("value", "")))
            if months is not None:
                return months
    text = text.strip()
    if re.fullmatch(r"\d{1,2}", text):  # a bare "3" is years
        return float(text) * 12
    return age_in_months(text)


class ValidateBookingForm(FormValidationAction):
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
        return name_answer(value, dispatcher)

    def validate_relationship(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        relationship = clean_relationship(str(value or ""))
        if relationship is None:
            dispatcher.utter_message(response="utter_invalid_relationship")
        return {"relationship": relationship}

    def validate_child_age(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        months = months_from(tracker, str(value or ""))
        if months is None or months < 0 or months > 18 * 12:
            dispatcher.utter_message(response="utter_invalid_age")
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
        text = str(value or "").strip()
        if parse_preference(text) is None:
            dispatcher.utter_message(response="utter_invalid_time")
            return {"time_preference": None}
        return {"time_preference": text}


def check_contact(value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> str | None:
    """A phone (E.164) or email from the answer; over SMS, "yes" means the number in use.

    The SMS number lookup is quick and cached (see sms_phone), so this stays synchronous
    for the form validators that call it, and runs only after a "yes".
    """
    if last_intent(tracker) == "affirm" and (own := sms_phone(tracker)):
        return own
    if not str(value or "").strip():
        return None  # not given yet (a flow starting cleared it): asked, never scolded
    contact = parse_contact(str(value or ""))
    if contact is None:
        dispatcher.utter_message(response="utter_invalid_contact")
        return None
    return contact.phone or contact.email


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
            handoff = (tracker.active_loop or {}).get("name") == "handoff_form"
            use = "to get back to you" if handoff else "for your appointment"
            dispatcher.utter_message(
                text=(
                    "What's the best phone number or email for the clinic to reach you about "
                    f"this? We use it only {use}."
                )
            )
        if after_violence_reply(tracker):
            dispatcher.utter_message(response="utter_ask_safe_to_contact")
        return []
