"""Who the caregiver is, for their journal and reminders: keyed identities, never raw ids."""

from __future__ import annotations

from dataclasses import dataclass

from rasa_sdk import Tracker

from actions.booking_common import in_thread, sms_phone
from bot.reflection.owners import owner_keys

# Channels that can receive a message the caregiver did not just ask for.
PUSH_CHANNELS = {"socketio", "callback", "twilio", "sms"}


@dataclass(frozen=True)
class Identity:
    channel: str
    primary: str  # where new entries and reminders are stored
    keys: list[str]  # every key of this caregiver (linked by a booking), primary first


async def caregiver_identity(tracker: Tracker) -> Identity:
    channel = tracker.get_latest_input_channel() or "rest"
    phone = await in_thread(sms_phone, tracker)  # a database lookup for SMS conversations
    keys = await in_thread(owner_keys, channel, tracker.sender_id, phone)
    return Identity(channel=channel, primary=keys[0], keys=keys)
