"""Reflection reminders: an explicit opt-in with days and a time, changed or stopped
by asking. The scheduler (python -m bot reminders run) sends them; see bot/reminders."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.booking_common import in_thread, report_error
from actions.reflection_common import PUSH_CHANNELS, caregiver_identity
from bot.clinic import get_profile
from bot.db.models import utcnow
from bot.reminders.repository import ReminderRefused, opt_in, stop
from bot.reminders.schedule import describe, parse_schedule


class ValidateReminderForm(FormValidationAction):
    def name(self) -> str:
        return "validate_reminder_form"

    def validate_reminder_schedule(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if parse_schedule(str(value or "")) is None:
            if tracker.get_slot("requested_slot") == "reminder_schedule":
                dispatcher.utter_message(response="utter_invalid_reminder_schedule")
            return {"reminder_schedule": None}
        return {"reminder_schedule": str(value)}


class ActionSaveReminder(Action):
    """Stores the opt-in (one reminder per caregiver: a new request replaces the old)."""

    def name(self) -> str:
        return "action_save_reminder"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        reset = [SlotSet("reminder_schedule", None)]
        schedule = parse_schedule(str(tracker.get_slot("reminder_schedule") or ""))
        identity = await caregiver_identity(tracker)
        if schedule is None:  # the form guarantees one; this is only a guard
            dispatcher.utter_message(response="utter_invalid_reminder_schedule")
            return reset
        if identity.channel not in PUSH_CHANNELS:
            dispatcher.utter_message(
                text=(
                    "I can send reminders in the website chat or by text message, but not "
                    "here. Please ask again from the chat on our website or by texting us."
                )
            )
            return reset
        profile = get_profile()
        try:
            await in_thread(
                opt_in,
                identity.primary,
                tracker.sender_id,
                identity.channel,
                schedule,
                utcnow(),
                tz=profile.tz,
            )
        except ReminderRefused as exc:  # a time in the clinic's quiet hours, or opted out
            dispatcher.utter_message(text=str(exc))
            return reset
        except Exception as exc:
            report_error(dispatcher, tracker, exc, "saving a reminder", "utter_reflection_error")
            return reset
        dispatcher.utter_message(
            text=(
                f"Done. I'll send you a gentle reminder to reflect {describe(schedule)} "
                f"({profile.short_name} time). To change it, just tell me new days and a time; "
                'to end them, say "stop reminders".'
            )
        )
        return reset


class ActionStopReminders(Action):
    def name(self) -> str:
        return "action_stop_reminders"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            identity = await caregiver_identity(tracker)
            stopped = 0
            for key in identity.keys:
                stopped += await in_thread(stop, key, utcnow())
        except Exception as exc:
            report_error(dispatcher, tracker, exc, "stopping reminders", "utter_reflection_error")
            return []
        if stopped:
            dispatcher.utter_message(
                text="Okay, I've stopped your reminders. You can turn them on again any time."
            )
        else:
            dispatcher.utter_message(text="You don't have any reminders on, so nothing to stop.")
        return []
