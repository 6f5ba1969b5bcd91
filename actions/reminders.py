"""Reflection reminders: an explicit opt-in with days and a time, changed or stopped
by asking. The scheduler (python -m bot reminders run) sends them; see bot/reminders."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.booking_common import in_thread, report_error
from actions.reflection_common import PUSH_CHANNELS, Identity, caregiver_identity
from bot.booking.contact import readable_phone
from bot.clinic import get_profile
from bot.db.models import utcnow
from bot.reminders.quiet import quiet_moved
from bot.reminders.repository import (
    ReminderRecord,
    ReminderRefused,
    get_active,
    opt_in,
    stop,
)
from bot.reminders.schedule import Schedule, describe, parse_change, parse_schedule

SMS_CHANNELS = {"sms", "twilio"}
UNCHANGED = "unchanged"  # the request could not be met here; nothing is saved
_ASKS_SMS = re.compile(r"\b(text(ed)?|txt|sms|texting|phone)\b", re.I)
_ASKS_CHAT = re.compile(r"\b(chat|website|web ?site|online)\b", re.I)
_ASKS_EMAIL = re.compile(r"\be-?mail", re.I)


def where(channel: str) -> str:
    """Where a reminder on ``channel`` arrives, said to the caregiver."""
    if channel in SMS_CHANNELS:
        return "by text message to this number"
    return "here in the chat on our website"


def elsewhere_asked(text: str, channel: str) -> str | None:
    """Why a reminder cannot go where the caregiver asks ("text me instead" in the web
    chat), or None when they ask for no other place. Reminders go to the conversation
    they were asked in: moving one needs the caregiver to ask from there."""
    profile = get_profile()
    if _ASKS_EMAIL.search(text):
        return f"I'm sorry, I can't send reminders by email. I can send them {where(channel)}."
    if channel not in SMS_CHANNELS and _ASKS_SMS.search(text):
        number = readable_phone(profile.sms_number or profile.phone)
        return (
            "I can send reminders by text only when we talk by text. To get them on your "
            f"phone, text us at {number} and ask for reminders there (the ones here stay "
            "as they are until you stop them)."
        )
    if channel in SMS_CHANNELS and _ASKS_CHAT.search(text):
        return (
            "I can send reminders in the website chat only when you ask from there: open "
            "the chat on our website and ask for reminders (these texts stay as they are "
            'until you reply "stop reminders").'
        )
    return None


async def _active(identity: Identity) -> ReminderRecord | None:
    for key in identity.keys:
        record = await in_thread(get_active, key)
        if record is not None:
            return record
    return None


def _schedule(text: str, current: ReminderRecord | None) -> Schedule | None:
    """A new reminder's schedule, or a change to the current one (days or time kept)."""
    return parse_change(text, current.schedule) if current else parse_schedule(text)


class ValidateReminderForm(FormValidationAction):
    def name(self) -> str:
        return "validate_reminder_form"

    async def validate_reminder_schedule(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        asked = tracker.get_slot("requested_slot") == "reminder_schedule"
        reason = elsewhere_asked(text, tracker.get_latest_input_channel() or "rest")
        if reason:
            dispatcher.utter_message(text=reason)
            return {"reminder_schedule": UNCHANGED}
        try:
            current = await _active(await caregiver_identity(tracker))
        except Exception:
            current = None  # saving reports a database problem kindly
        schedule = _schedule(text, current)
        if schedule is None:
            if asked:
                dispatcher.utter_message(response="utter_invalid_reminder_schedule")
            return {"reminder_schedule": None}
        moved = quiet_moved(schedule)
        if moved:  # the closest allowed time, said plainly, instead of asking again
            dispatcher.utter_message(text=moved[1])
            return {"reminder_schedule": describe(moved[0])}
        return {"reminder_schedule": text}


class ActionSaveReminder(Action):
    """Stores the opt-in (one reminder per caregiver: a new request changes the old)."""

    def name(self) -> str:
        return "action_save_reminder"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        reset = [SlotSet("reminder_schedule", None)]
        text = str(tracker.get_slot("reminder_schedule") or "")
        if text == UNCHANGED:
            return reset
        identity = await caregiver_identity(tracker)
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
            current = await _active(identity)
            schedule = _schedule(text, current)
            if schedule is None:  # the form guarantees one; this is only a guard
                dispatcher.utter_message(response="utter_invalid_reminder_schedule")
                return reset
            await in_thread(
                opt_in,
                identity.primary,
                tracker.sender_id,
                identity.channel,
                schedule,
                utcnow(),
                tz=profile.tz,
            )
        except ReminderRefused as exc:  # opted out of this channel (quiet hours: the form)
            dispatcher.utter_message(text=str(exc))
            return reset
        except Exception as exc:
            report_error(dispatcher, tracker, exc, "saving a reminder", "utter_reflection_error")
            return reset
        done = "Done, I've changed your reminder." if current else "Done."
        dispatcher.utter_message(
            text=(
                f"{done} I'll send you a gentle reminder to reflect {describe(schedule)} "
                f"({profile.short_name} time), {where(identity.channel)}. To change it, just "
                'tell me new days or a time; to end it, say "stop reminders".'
            )
        )
        return reset


class ActionShowReminders(Action):
    """Which reminder is on, when, and where it arrives; or an offer to set one."""

    def name(self) -> str:
        return "action_show_reminders"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            record = await _active(await caregiver_identity(tracker))
        except Exception as exc:
            report_error(dispatcher, tracker, exc, "listing reminders", "utter_reflection_error")
            return []
        if record is None:
            dispatcher.utter_message(response="utter_no_reminders")
            return []
        dispatcher.utter_message(
            text=(
                f"You have one reminder to reflect: {describe(record.schedule)} "
                f"({get_profile().short_name} time), {where(record.channel)}. To change it, "
                'tell me new days or a time; to end it, say "stop reminders".'
            )
        )
        return []


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
