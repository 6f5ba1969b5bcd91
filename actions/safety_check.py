"""The gentle check: answer what was asked, name the help, ask once if anyone is in danger.

The safety layer gives a message the intent ``safety_check`` when a danger it found is
ambiguous (hypothetical, about past danger, about telling a therapist), or
``safety_concern`` when only the encoder reads it as close to danger; the intent it
would have had is in ``safety.answered``. A "yes" to the question runs the full protocol for the
check's category (``action_safety_confirmed``); "no" or "we're safe" gets warmth
(data/rules/safety.yml). Each check is logged for staff as a flag of tier "check"
(no alert).
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.safety import flag_and_alert
from bot.booking.known_facts import asks_for_person
from bot.nlp.booking_words import wishes_to_book
from bot.safety import CATEGORIES

CHECK_SLOT = "safety_check_category"
# The answer to what was asked, for intents whose answer needs no form.
ANSWERS = {
    "behavior_question": "utter_behavior_meaning_brief",
    "medical_question": "utter_medical_refusal",
    "caregiver_stress": "utter_caregiver_stress_brief",
}
DEFAULT_CATEGORY = "self_harm"  # the line with 988 and 911 fits any worry


def answer_response(message: dict) -> str | None:
    """The response that answers the question the check interrupted, if there is one."""
    answered = (message.get("safety") or {}).get("answered")
    if answered == "faq":
        selector = (message.get("response_selector") or {}).get("faq") or {}
        key = (selector.get("response") or {}).get("intent_response_key")
        return f"utter_{key}" if key else None
    return ANSWERS.get(answered or "")


def check_response(message: dict, category: str) -> str:
    """The category's line when the rules or the n-gram model named a danger; the general
    line (911 and 988) when only the encoder read the message as close to danger: a
    father telling that his baby cries for grandma was given the child abuse hotline
    (dev set bc23, 2026-12-07), and the encoder's category is a guess."""
    return (
        "utter_safety_check_general" if encoder_alone(message) else f"utter_safety_check_{category}"
    )


def encoder_alone(message: dict) -> bool:
    """Only the encoder read the message as close to danger (no rule, no n-gram model)."""
    return (message.get("intent") or {}).get("name") == "safety_concern"


def told_safe_before(tracker: Tracker) -> bool:
    """An earlier gentle check in this conversation was answered "we're safe"."""
    events = list(tracker.events)
    for i, event in enumerate(events):
        if event.get("event") == "action" and event.get("name") == "action_safety_check":
            reply = next((e for e in events[i + 1 :] if e.get("event") == "user"), None)
            intent = ((reply or {}).get("parse_data") or {}).get("intent") or {}
            if intent.get("name") in ("i_am_safe", "deny"):
                return True
    return False


class ActionSafetyCheck(Action):
    def name(self) -> str:
        return "action_safety_check"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        message = tracker.latest_message
        safety = message.get("safety") or {}
        category = safety.get("check_category")
        if category not in CATEGORIES:
            category = DEFAULT_CATEGORY
        answer = answer_response(message)
        if answer:
            dispatcher.utter_message(response=answer)
        if encoder_alone(message) and told_safe_before(tracker):
            # Asked once already and told "we're safe": the encoder's vague concern does
            # not ask again (a stepmother asked twice in three messages, dev set bc23);
            # what was asked is answered and the request it made goes on.
            start = STARTS.get(str(safety.get("answered")))
            if start:
                return [FollowupAction(start)]
            if not answer:
                dispatcher.utter_message(response="utter_ask_how_help")
            return []
        dispatcher.utter_message(response=check_response(message, category))
        await flag_and_alert(
            tracker.sender_id,
            [category],
            list(safety.get("evidence") or []),
            safety.get("source") or "check",
            tier="check",
        )
        return [SlotSet(CHECK_SLOT, category)]


class ActionSafetyConfirmed(Action):
    """'Yes, someone is in danger' after the check: the full protocol of its category."""

    def name(self) -> str:
        return "action_safety_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        category = tracker.get_slot(CHECK_SLOT)
        if category not in CATEGORIES:
            dispatcher.utter_message(response="utter_crisis_general")
            return [SlotSet(CHECK_SLOT, None)]
        dispatcher.utter_message(response=f"utter_crisis_{category}")
        await flag_and_alert(
            tracker.sender_id, [category], ["said yes: someone is in danger right now"], "check"
        )
        return [SlotSet(CHECK_SLOT, None)]


RESUMABLE = {
    "booking_form", "slot_choice_form", "manage_booking_form", "reschedule_form",
    "handoff_form", "reflection_form", "reminder_form",
}  # fmt: skip


def _before_check(tracker: Tracker) -> tuple[list[dict], int] | None:
    """The events before the latest gentle check, and the index of the message it
    answered (None when there was no check, or no message before it)."""
    events = list(tracker.events)
    checks = [i for i, e in enumerate(events) if e.get("name") == "action_safety_check"]
    if not checks:
        return None
    before = events[: checks[-1]]
    users = [i for i, e in enumerate(before) if e.get("event") == "user"]
    return (before, users[-1]) if users else None


def form_before_check(tracker: Tracker) -> str | None:
    """The form the latest gentle check closed ("is anyone in danger?" in the middle of
    the booking questions), or None when the check came outside a form."""
    found = _before_check(tracker)
    if found is None:
        return None
    before, user = found
    closed = any(e.get("name") == "action_deactivate_loop" for e in before[user:])
    if not closed:
        return None  # the check came outside a form
    for event in reversed(before[:user]):
        if event.get("event") == "active_loop":
            name = event.get("name")
            return str(name) if name in RESUMABLE else None
    return None


# Questions whose answer is the caregiver's own story: an answer the check broke in on
# is kept as the answer when the questions go on.
STORY_SLOTS = {
    "concern", "handoff_about", "refl_what_happened", "refl_before", "refl_child_feeling",
    "refl_my_feeling", "refl_next_time",
}  # fmt: skip


def asked_before_check(tracker: Tracker) -> tuple[str, str] | None:
    """(slot, text): the question on screen when the latest check broke in, and the
    answer it broke in on (None when no question was on screen)."""
    found = _before_check(tracker)
    if found is None:
        return None
    before, user = found
    asked = None
    for event in before[:user]:
        if event.get("event") == "slot" and event.get("name") == "requested_slot":
            asked = event.get("value")
    text = str(before[user].get("text") or "").strip()
    return (str(asked), text) if asked else None


def story_before_check(tracker: Tracker) -> tuple[str, str] | None:
    """(slot, text) when the latest check broke in on the answer to a story question."""
    asked = asked_before_check(tracker)
    return asked if asked and asked[0] in STORY_SLOTS and asked[1] else None


# A request the check broke in on before it started ("need to book a first visit for my
# son, since the fire he hits other kids"), and the form or action that serves it.
STARTS = {
    "book_appointment": "booking_form",
    "request_person": "handoff_form",
    "start_reflection": "reflection_form",
    "set_reminder": "reminder_form",
    "stop_reminders": "action_stop_reminders",
    "ask_reminders": "action_show_reminders",
    "cancel_booking": "action_start_manage_booking",
    "reschedule_booking": "action_start_manage_booking",
}


def request_before_check(tracker: Tracker) -> str | None:
    """The form for the request the latest gentle check answered instead, if any."""
    for event in reversed(list(tracker.events)):
        if event.get("event") == "user" and (event.get("parse_data") or {}).get("safety"):
            answered = ((event.get("parse_data") or {}).get("safety") or {}).get("answered")
            if (event.get("parse_data") or {}).get("intent", {}).get("name") in (
                "safety_check",
                "safety_concern",
            ):
                # A question answered, with the wish to book said beside it ("...we'd
                # like to get him an appointment. Best number for me is ...", dev set
                # bc26, 2026-12-07): the booking starts once the caregiver is safe.
                text = str(event.get("text") or "")
                if (start := STARTS.get(str(answered))) is not None:
                    return start
                if wishes_to_book(text):
                    return "booking_form"
                # "...honestly I'd rather talk to someone on the phone than type all this,
                # my number is..." (read as nothing, dev set bc29, 2026-12-07): the
                # request for a person starts once the caregiver is safe.
                return "handoff_form" if asks_for_person(text) else None
    return None


class ActionResumeForm(Action):
    """After "no, we're safe" (or the caregiver's next answer or fact instead), the
    questions go on where the check broke in, or the request it broke in on (a booking,
    a person, a reflection) starts."""

    def name(self) -> str:
        return "action_resume_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        carried_on = carried_on_after_check(tracker)
        form = form_before_check(tracker)
        if form is not None:
            told = story_before_check(tracker)  # kept as the answer: never asked twice
            kept = [SlotSet(*told)] if told else []
            if not carried_on:
                dispatcher.utter_message(text="Let's pick up where we left off.")
                return [*kept, FollowupAction(form)]
            # The caregiver went on answering the questions instead ("text me at 415
            # 555 0143" after the check broke in at the contact question, found in the
            # browser 2026-12-07): that message is the answer to the question on screen.
            asked = asked_before_check(tracker)
            again = [SlotSet("requested_slot", asked[0])] if asked and not told else []
            return [*kept, *again, FollowupAction(form)]
        form = request_before_check(tracker)
        if form is None and carried_on:
            dispatcher.utter_message(response="utter_context_noted")
        return [] if form is None else [FollowupAction(form)]  # its first question says what


def carried_on_after_check(tracker: Tracker) -> bool:
    """The reply to "is anyone in danger right now?" was neither yes nor no but the
    caregiver's next words (an answer, a fact): read as "no" and handled as such."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return intent not in ("i_am_safe", "deny", "affirm")
