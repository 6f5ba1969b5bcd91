"""Follow-ups to FAQ answers that need the clinic profile or the safety layer's notes."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.clinic import get_profile
from bot.nlp.ages import age_in_months


class ActionFaqFollowup(Action):
    """After an FAQ answer: a kind word if the child is outside the clinic's ages, and one
    gentle line about help if the caregiver mentioned danger as something in the past.

    Silent otherwise, so it can follow every FAQ answer.
    """

    def name(self) -> str:
        return "action_faq_followup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        message = tracker.latest_message
        profile = get_profile()
        for entity in message.get("entities", []):
            if entity.get("entity") != "CHILD_AGE":
                continue
            months = age_in_months(str(entity.get("value", "")))
            if months is not None and not profile.is_age_eligible(months):
                dispatcher.utter_message(
                    response="utter_age_outside_range", age=describe_age(months)
                )
                break
        if (message.get("safety") or {}).get("past"):
            dispatcher.utter_message(response="utter_safety_gentle_line")
        return []


def describe_age(months: float) -> str:
    """'4 years old', '18 months old' — how the bot names an age back to a caregiver."""
    if months < 24:
        return f"{round(months)} months old"
    return f"{int(months // 12)} years old"
