"""What every booking action shares: database calls off the event loop, kind errors,
and reading the caregiver's channel."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.booking.contact import normalize_phone
from bot.safety.alerts import mask_conversation

logger = logging.getLogger(__name__)
T = TypeVar("T")

SMS_CHANNELS = {"twilio", "sms"}


async def in_thread(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a blocking repository call in a worker thread so the action server keeps serving."""
    return await asyncio.to_thread(fn, *args, **kwargs)


def report_error(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    exc: BaseException,
    where: str,
    response: str = "utter_booking_error",
) -> None:
    """Tell the caregiver kindly (with the clinic's phone) and log without personal data."""
    logger.error(
        "%s failed (%s) in conversation %s",
        where,
        type(exc).__name__,
        mask_conversation(tracker.sender_id),
    )
    dispatcher.utter_message(response=response)


def sms_phone(tracker: Tracker) -> str | None:
    """The caregiver's own number when they write over SMS (the sender id is the phone)."""
    if tracker.get_latest_input_channel() not in SMS_CHANNELS:
        return None
    return normalize_phone(tracker.sender_id or "")


def last_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")
