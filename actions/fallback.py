"""A message the bot did not understand: a question back when it names a booking.

Why: "ok. how do I sign my grandson up, he is 18 months" fell below the classifier's
threshold (its words split between a booking, referrals and off-topic) and got "I didn't
quite understand". When the message plainly names a booking, asking "Would you like to
set up a first visit?" (an offer: a yes books, actions/offers.py) helps; anything else
gets the usual rephrase prompt, and a second miss offers a person (data/rules). A short
greeting or apology before the point ("hey its 4am just got off work") is no miss: the
bot says it is listening.
"""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.nlp.booking_words import names_a_booking

# "hey its 4am just got off work", "Hi, I'm so sorry to do this, I know it's short
# notice": a greeting or an apology before the point, with the point still to come.
PREAMBLE = re.compile(
    r"^\W*(hi+|hey+|hello|hiya|hola|good (morning|afternoon|evening)|(i'?m |im )?(so )?sorry"
    r"|ok(ay)? so|um+)\b",
    re.IGNORECASE,
)
MAX_PREAMBLE_WORDS = 25
# A story about a child ("My grandson lives with me now. His mother died in March. He has
# not been himself."): not a miss but what CPP is for, so it is thanked and a first
# visit offered (dev set bc23, 2026-12-07).
CHILD = re.compile(
    r"\b(son|daughter|grand ?(son|daughter|child|baby)|baby|kid|kids|child|toddler|niece|"
    r"nephew|little (one|boy|girl)|my (boy|girl)|stepson|stepdaughter|foster (son|daughter|"
    r"child)|hijo|hija|bunso)\b",
    re.IGNORECASE,
)
MIN_STORY_WORDS = 12


def tells_a_story(text: str) -> bool:
    """Several sentences' worth about a child, asking nothing."""
    return len(text.split()) >= MIN_STORY_WORDS and "?" not in text and bool(CHILD.search(text))


def is_preamble(text: str) -> bool:
    """A short greeting or apology with no question in it: the point comes next."""
    return (
        bool(PREAMBLE.match(text)) and "?" not in text and len(text.split()) <= MAX_PREAMBLE_WORDS
    )


class ActionNotUnderstood(Action):
    def name(self) -> str:
        return "action_not_understood"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = str(tracker.latest_message.get("text") or "")
        if not text.startswith("/") and names_a_booking(text):
            dispatcher.utter_message(response="utter_did_you_mean_booking")
        elif not text.startswith("/") and tells_a_story(text):
            dispatcher.utter_message(response="utter_story_heard")
        elif is_preamble(text):
            dispatcher.utter_message(response="utter_go_ahead")
        else:
            dispatcher.utter_message(response="utter_fallback")
        return []


class ActionDialogueFallback(Action):
    """Rasa's own fallback, when no rule fits the conversation: never a dead end.

    Why: "no." or "yes" with nothing on offer, and "hey there. quick question before
    anything", got "Sorry, I lost the thread there". A no is taken kindly, a yes or a
    greeting before the point is asked to go on; anything else still gets the lost
    thread (with the safety line). As Rasa's own does, the message is then forgotten
    (UserUtteranceReverted), so the next rule reads the conversation as before it.
    """

    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = str(tracker.latest_message.get("text") or "")
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "deny":
            dispatcher.utter_message(response="utter_no_problem")
        elif intent == "affirm" or is_preamble(text):
            dispatcher.utter_message(response="utter_go_ahead")
        else:
            dispatcher.utter_message(response="utter_default")
        return [UserUtteranceReverted()]
