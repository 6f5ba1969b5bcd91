"""A message the bot did not understand: a question back when it names a booking.

Why: "ok. how do I sign my grandson up, he is 18 months" fell below the classifier's
threshold (its words split between a booking, referrals and off-topic) and got "I didn't
quite understand". When the message plainly names a booking, asking "Would you like to
set up a first visit?" (an offer: a yes books, actions/offers.py) helps; anything else
gets the usual rephrase prompt, and a second miss offers a person (data/rules).
"""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.offers import BOOKING_WORDS

# Beyond the booking words: "get him in", "get my son seen", "sign my grandson up".
GETTING_IN = re.compile(
    r"\b(get|getting|bring|bringing)\s+(him|her|them|us|my\s+\w+|the\s+\w+|our\s+\w+)"
    r"(\s+\w+)?\s+(in|seen|started)\b|\bsign\s+(\w+\s+){1,2}up\b|\benroll\w*\b|\bintake\b",
    re.IGNORECASE,
)


def names_a_booking(text: str) -> bool:
    return bool(BOOKING_WORDS.search(text) or GETTING_IN.search(text))


class ActionNotUnderstood(Action):
    def name(self) -> str:
        return "action_not_understood"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = str(tracker.latest_message.get("text") or "")
        if not text.startswith("/") and names_a_booking(text):
            dispatcher.utter_message(response="utter_did_you_mean_booking")
        else:
            dispatcher.utter_message(response="utter_fallback")
        return []
