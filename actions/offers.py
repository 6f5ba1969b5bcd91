"""A "yes" or "no" to what the bot just offered ("Would you like to know how often
families come?", "Want me to help you set up a first visit?").

Why here: the offer is declared once, on the response that makes it (``metadata.offer``
in data/nlu/faq_responses.yml), and this action reads it back from the last thing the
bot said, so no slot has to be set after every answer. A yes with nothing on offer is
answered with "what would you like to know?", never with "I lost the thread".
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.replies_said import replies_said
from bot.booking.known_facts import asks_for_person
from bot.nlp.booking_words import BOOKING_WORDS

BOOK, PERSON, REMINDER = "book", "person", "reminder"
YES, NO = "affirm", "deny"


def offer_of(response: str | None, domain: DomainDict) -> str | None:
    """What the response offers, from its ``metadata.offer`` (None: no offer)."""
    variations: list[dict[str, Any]] = (domain.get("responses") or {}).get(response or "") or []
    offers = {str((v.get("metadata") or {}).get("offer") or "") for v in variations} - {""}
    return offers.pop() if len(offers) == 1 else None


# The gentle safety check and the warmth after it come between an answer and the yes
# to its offer ("...would you like to book?" / "is anyone in danger?" / "no, we're safe"
# / "I'm glad you're safe" / "yes please"): the yes still answers the offer.
INTERLUDE = ("utter_safety_check_", "utter_glad_safe", "utter_caregiver_stress_brief")


def last_offer(tracker: Tracker, domain: DomainDict) -> str | None:
    """The offer of the bot's last reply (only the last: an older offer is stale),
    looking past a safety check that came right after it."""
    said = [r for r in replies_said(tracker) if r]
    while said and said[-1].startswith(INTERLUDE):
        said.pop()
    return offer_of(said[-1], domain) if said else None


class ActionFollowOffer(Action):
    def name(self) -> str:
        return "action_follow_offer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        offer = last_offer(tracker, domain)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        said = str(tracker.latest_message.get("text") or "")
        if intent == YES and BOOKING_WORDS.search(said):
            offer = BOOK  # "yeah ok lets book", whatever the answer offered
        elif intent == YES and asks_for_person(said):
            offer = PERSON  # "yes please call me"
        if intent == NO:
            dispatcher.utter_message(response="utter_no_problem")
            return []
        if offer is None:
            dispatcher.utter_message(response="utter_ask_how_help")
            return []
        if offer == BOOK:
            return [FollowupAction("booking_form")]
        if offer == REMINDER:
            return [FollowupAction("reminder_form")]
        if offer == PERSON:
            dispatcher.utter_message(response="utter_contact_person")
            return [FollowupAction("handoff_form")]
        dispatcher.utter_message(response=f"utter_{offer}")
        return []
