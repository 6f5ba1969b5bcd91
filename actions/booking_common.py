"""What every booking action shares: database calls off the event loop, kind errors,
and reading the caregiver's channel."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.booking.contact import normalize_phone
from bot.safety.alerts import mask_conversation

logger = logging.getLogger(__name__)
T = TypeVar("T")


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
    """The caregiver's own number when they write over SMS, in E.164.

    Over our "sms" channel the sender id is a keyed hash of the number, so the number
    comes from the channel's contact table: a quick primary-key lookup, remembered per
    process (a conversation id always stands for the same number). Blocking: async
    callers should run it with ``in_thread``. Over Rasa's stock "twilio" channel
    (not enabled here) the sender id is the number itself.
    """
    channel = tracker.get_latest_input_channel()
    if channel == "twilio":
        return normalize_phone(tracker.sender_id or "")
    if channel != "sms" or not tracker.sender_id:
        return None
    return _sms_contact_phone(tracker.sender_id)


@functools.lru_cache(maxsize=1024)
def _cached_sms_phone(conversation_id: str) -> str | None:
    from bot.channels.sms_store import contact_phone

    phone = contact_phone(conversation_id)
    if phone is None:
        raise LookupError  # not cached: the contact may be stored a moment later
    return normalize_phone(phone)


def _sms_contact_phone(conversation_id: str) -> str | None:
    try:
        return _cached_sms_phone(conversation_id)
    except LookupError:
        return None
    except Exception as exc:  # the database is down: ask for a number instead
        logger.error(
            "sms contact lookup failed (%s) in conversation %s",
            type(exc).__name__,
            mask_conversation(conversation_id),
        )
        return None


def last_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


CHECKS = ("safety_check", "safety_concern")


def answered_before_check(tracker: Tracker) -> str | None:
    """The intent the caregiver's previous message would have had, when a gentle safety
    check answered it instead and this message answers the check ("no, we're safe")."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    if len(users) < 2:
        return None
    parsed = users[-2].get("parse_data") or {}
    if (parsed.get("intent") or {}).get("name") not in CHECKS:
        return None
    return (parsed.get("safety") or {}).get("answered")
