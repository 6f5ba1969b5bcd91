"""A guided "behavior has meaning" reflection: one skippable question at a time, a warm
reflect-back in the caregiver's own words, then their choice to save and to share.

The bot never judges, diagnoses or advises here; the summary only mirrors what the
caregiver wrote (bot.reflection.summary).
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.booking_common import in_thread, report_error
from actions.reflection_common import caregiver_identity
from bot.nlp.ages import age_in_months
from bot.nlp.loader import get_nlp
from bot.reflection.journal import save_entry
from bot.reflection.language import feelings
from bot.reflection.prompts import age_band_for, choose_prompt, load_prompts, theme_for
from bot.reflection.summary import reflect_back

STEPS = {
    "refl_what_happened": "what_happened",
    "refl_before": "before",
    "refl_child_feeling": "child_feeling",
    "refl_my_feeling": "my_feeling",
    "refl_next_time": "next_time",
}
SKIPPED = "skipped"
MAX_STEP_CHARS = 1000
SKIP = re.compile(
    r"^\s*(skip( (it|this|that|this one))?|pass|next( question)?|no|nope|nothing|n/?a|"
    r"not sure|i don'?t know|idk|move on|i'?d rather (not|skip))\W*$",
    re.I,
)
STARTERS = {"behavior_question", "start_reflection", "caregiver_stress", "share_moment"}
# Readings that end the reflection when short ("stop", "no thanks"), never for a story.
STOP_READINGS = {"stop_form", "deny", "goodbye"}
MIN_STORY_WORDS = 8
RESET = [*STEPS, "refl_save", "refl_share", "refl_prompt_id", "refl_summary"]


def answers_from(tracker: Tracker) -> dict[str, str | None]:
    """The five answers by step name; a skipped step is None."""
    values = {}
    for slot, step in STEPS.items():
        value = tracker.get_slot(slot)
        values[step] = None if value in (None, SKIPPED) else str(value)
    return values


def _starting_message(tracker: Tracker) -> dict | None:
    """The caregiver message that led here ("my 3 year old bites, why?"), if any."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
        if intent in STARTERS:
            return event
    return None


def _child_months(tracker: Tracker, start: dict | None) -> float | None:
    months = tracker.get_slot("child_age_months")
    if months is not None:
        return float(months)
    for entity in ((start or {}).get("parse_data") or {}).get("entities", []):
        if entity.get("entity") == "CHILD_AGE":
            return age_in_months(str(entity.get("value", "")))
    return None


class ValidateReflectionForm(FormValidationAction):
    """Each step accepts anything the caregiver writes; "skip" (and the like) skips it."""

    def name(self) -> str:
        return "validate_reflection_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if tracker.get_slot("refl_save") is False:
            return [s for s in domain_slots if s != "refl_share"]  # nothing kept to share
        return domain_slots

    def _step(self, slot: str, value: Any) -> dict[str, Any]:
        text = str(value or "").strip()
        if not text or SKIP.match(text):
            return {slot: SKIPPED}
        return {slot: text[:MAX_STEP_CHARS]}

    def _told(self, slot: str, tracker: Tracker) -> dict[str, Any]:
        """A story of several words is the answer, even if it reads as "stop" or "no"
        ("...I did not know what to say and I changed the subject")."""
        if tracker.get_slot("requested_slot") != slot:
            return {}
        text = str(tracker.latest_message.get("text") or "").strip()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent in STOP_READINGS and len(text.split()) >= MIN_STORY_WORDS:
            return {slot: text}
        return {}

    def extract_refl_what_happened(self, _d: Any, tracker: Tracker, _x: Any) -> dict[str, Any]:
        return self._told("refl_what_happened", tracker)

    def extract_refl_before(self, _d: Any, tracker: Tracker, _x: Any) -> dict[str, Any]:
        return self._told("refl_before", tracker)

    def extract_refl_child_feeling(self, _d: Any, tracker: Tracker, _x: Any) -> dict[str, Any]:
        return self._told("refl_child_feeling", tracker)

    def extract_refl_my_feeling(self, _d: Any, tracker: Tracker, _x: Any) -> dict[str, Any]:
        return self._told("refl_my_feeling", tracker)

    def extract_refl_next_time(self, _d: Any, tracker: Tracker, _x: Any) -> dict[str, Any]:
        return self._told("refl_next_time", tracker)

    def validate_refl_what_happened(self, value: Any, *_: Any) -> dict[str, Any]:
        return self._step("refl_what_happened", value)

    def validate_refl_before(self, value: Any, *_: Any) -> dict[str, Any]:
        return self._step("refl_before", value)

    def validate_refl_child_feeling(self, value: Any, *_: Any) -> dict[str, Any]:
        return self._step("refl_child_feeling", value)

    def validate_refl_my_feeling(self, value: Any, *_: Any) -> dict[str, Any]:
        return self._step("refl_my_feeling", value)

    def validate_refl_next_time(self, value: Any, *_: Any) -> dict[str, Any]:
        return self._step("refl_next_time", value)


class ActionAskReflWhatHappened(Action):
    """Opens the reflection with a prompt that fits the child's age and the behaviour."""

    def name(self) -> str:
        return "action_ask_refl_what_happened"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        start = _starting_message(tracker)
        text = (start or {}).get("text") or ""
        theme = theme_for(text, get_nlp()) if text else None
        prompt = choose_prompt(age_band_for(_child_months(tracker, start)), theme)
        dispatcher.utter_message(
            text=(
                "Let's take a few minutes together. I'll ask five short questions; you can "
                'say "skip" to any of them, or "stop" at any time.\n\n'
                f"{prompt.text}\n\nTo start: what happened?"
            )
        )
        return [SlotSet("refl_prompt_id", prompt.id)]


class ActionAskReflSave(Action):
    """Mirrors the caregiver's own words back, then asks whether to keep this reflection."""

    def name(self) -> str:
        return "action_ask_refl_save"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        summary = reflect_back(answers_from(tracker), get_nlp())
        dispatcher.utter_message(
            text=f"{summary}\n\nWould you like to save this reflection to your journal?",
            buttons=[
                {"title": "Yes, save it", "payload": "/affirm"},
                {"title": "No, thanks", "payload": "/deny"},
            ],
        )
        return [SlotSet("refl_summary", summary)]


class ActionFinishReflection(Action):
    """Saves the reflection if the caregiver chose to (and marks it shared if they did)."""

    def name(self) -> str:
        return "action_finish_reflection"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        reset = [SlotSet(slot, None) for slot in RESET]
        if not tracker.get_slot("refl_save"):
            dispatcher.utter_message(
                text=(
                    "That's fine, nothing was saved. Thank you for taking this time for you "
                    "and your child."
                )
            )
            return reset
        shared = bool(tracker.get_slot("refl_share"))
        answers = answers_from(tracker)
        prompt = {p.id: p for p in load_prompts()}.get(tracker.get_slot("refl_prompt_id") or "")
        identity = await caregiver_identity(tracker)
        try:
            await in_thread(
                save_entry,
                identity.primary,
                tracker.sender_id,
                answers=answers,
                summary=tracker.get_slot("refl_summary"),
                feelings=feelings(answers.get("my_feeling") or "", get_nlp()),
                shared=shared,
                channel=identity.channel,
                prompt_id=prompt.id if prompt else None,
                age_band=prompt.age_band if prompt else None,
                theme=prompt.theme if prompt else None,
            )
        except Exception as exc:  # the caregiver hears it kindly; the log has no content
            report_error(dispatcher, tracker, exc, "saving a reflection", "utter_reflection_error")
            return reset
        shared_text = (
            " and shared it with your clinician, so you can talk about it at your next session"
            if shared
            else ". Only you can see it here; your clinician sees it only if you share it"
        )
        dispatcher.utter_message(
            text=(
                f'I\'ve saved it to your journal{shared_text}. Say "show my reflections" to '
                'read it again, or "remind me on Mondays at 7pm" for gentle reminders.'
            )
        )
        return reset
