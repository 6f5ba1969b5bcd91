"""Follow-ups to FAQ answers that need the clinic profile or the safety layer's notes."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.booking.known_facts import asks_for_person, contact_said
from bot.clinic import get_profile
from bot.nlp.ages import age_in_months


class ActionFaqFollowup(Action):
    """After an FAQ answer (or before a booking): the answer to a second FAQ question in
    the same message, a kind word if the child is outside the clinic's ages, and one
    gentle line about help if the caregiver mentioned danger as something in the past.

    Silent otherwise, so it can follow every FAQ answer.
    """

    def name(self) -> str:
        return "action_faq_followup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        message = tracker.latest_message
        second = second_faq_answer(message)
        if second:
            dispatcher.utter_message(response=second)
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
        text = str(message.get("text") or "")
        answered_a_question = (message.get("intent") or {}).get("name") == "faq"
        act = second_act(message) if answered_a_question else None
        if act == "request_person" and not asks_for_person(text):
            act = None  # "my caseworker told me to reach out": no one asked to be called
        if act == "request_person" or (asks_for_person(text) and contact_said(text)):
            # "I need speak with somebody in spanish... my number is ...": the question
            # is answered, then the person request it came with is taken down.
            if act == "request_person":
                dispatcher.utter_message(response="utter_contact_person")
            return [FollowupAction("handoff_form")]
        if act:
            # "set me a reminder for 8pm, and does CPP cost anything?": answered, then done.
            return [FollowupAction(SECOND_ACTS[act])]
        return []


# Requests asked beside an FAQ question, carried out after its answer: the form each
# starts (a booking beside a question is read the other way round, bot/nlp/reading_rules).
SECOND_ACTS = {
    "request_person": "handoff_form",
    "set_reminder": "reminder_form",
    "start_reflection": "reflection_form",
    # "I need to reschedule... WG-MCMPVW. also how long does the program take?"
    "reschedule_booking": "action_start_manage_booking",
    "cancel_booking": "action_start_manage_booking",
}


def second_act(message: dict) -> str | None:
    """A request asked beside the question just answered ("...and can someone call me
    tomorrow"), marked like a second question with an ``also_asked`` entity."""
    for entity in message.get("entities", []):
        if entity.get("entity") == "also_asked" and entity.get("value") in SECOND_ACTS:
            return str(entity["value"])
    return None


def second_faq_answer(message: dict) -> str | None:
    """The response for a second FAQ question asked in the same message, if any.

    The classifier marks it with an ``also_asked`` entity (bot/nlp/intent_topic.py);
    only FAQ topics are answered here, never the one already answered.
    """
    answered = ((message.get("response_selector") or {}).get("faq") or {}).get("response") or {}
    for entity in message.get("entities", []):
        value = str(entity.get("value", ""))
        is_faq = entity.get("entity") == "also_asked" and value.startswith("faq/")
        if is_faq and value != answered.get("intent_response_key"):
            return f"utter_{value}"
    return None


def describe_age(months: float) -> str:
    """'4 years old', '18 months old' — how the bot names an age back to a caregiver."""
    if months < 24:
        whole = max(1, round(months))
        return f"{whole} month{'s' if whole != 1 else ''} old"
    return f"{int(months // 12)} years old"
