"""The caregiver's journal: "show my reflections" and "delete my reflections"."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.booking_common import in_thread, report_error
from actions.reflection_common import caregiver_identity
from bot.clinic import get_profile
from bot.reflection.journal import EntryRecord, delete_entries, list_entries

SHOWN = 5
SUMMARY_CHARS = 160


def describe_entry(entry: EntryRecord, number: int) -> str:
    """'1. Mon Nov 23: It sounds like you felt ... (shared with your clinician)'."""
    when = entry.created_at.astimezone(get_profile().tz) if entry.created_at else None
    day = f"{when:%a %b} {when.day}" if when else "earlier"
    summary = (entry.summary or "A reflection").strip()
    if len(summary) > SUMMARY_CHARS:
        summary = summary[:SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"
    shared = " (shared with your clinician)" if entry.shared else ""
    return f"{number}. {day}: {summary}{shared}"


class ActionShowReflections(Action):
    def name(self) -> str:
        return "action_show_reflections"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            identity = await caregiver_identity(tracker)
            entries = await in_thread(list_entries, identity.keys, SHOWN)
        except Exception as exc:
            report_error(dispatcher, tracker, exc, "listing reflections", "utter_reflection_error")
            return []
        if not entries:
            dispatcher.utter_message(
                text=(
                    "You haven't saved any reflections here yet. Say \"give me something to "
                    'reflect on" whenever you have a few minutes.'
                )
            )
            return []
        lines = [describe_entry(entry, i) for i, entry in enumerate(entries, start=1)]
        dispatcher.utter_message(
            text="Your most recent reflections:\n"
            + "\n".join(lines)
            + '\n\nSay "delete my reflections" to remove them.'
        )
        return []


class ActionDeleteReflections(Action):
    """Runs only after the caregiver confirmed (data/rules/reflection.yml)."""

    def name(self) -> str:
        return "action_delete_reflections"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            identity = await caregiver_identity(tracker)
            removed = await in_thread(delete_entries, identity.keys)
        except Exception as exc:
            report_error(dispatcher, tracker, exc, "deleting reflections", "utter_reflection_error")
            return []
        if removed:
            noun = "reflection" if removed == 1 else "reflections"
            dispatcher.utter_message(text=f"Done: I deleted {removed} saved {noun}.")
        else:
            dispatcher.utter_message(text="There were no saved reflections to delete.")
        return []
