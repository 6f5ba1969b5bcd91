"""Record a safety flag for staff and send the alert, after the crisis reply has gone out."""

from __future__ import annotations

import asyncio
import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.safety import CATEGORIES
from bot.safety.alerts import mask_conversation, send_alert
from bot.safety.flags import record_flag

logger = logging.getLogger(__name__)


class ActionFlagSafety(Action):
    """Store the detection (category, evidence, source) and alert staff.

    The caregiver has already had the crisis reply (a domain response); if the
    database is down the failure is logged loudly, without the message text, and
    the conversation goes on.
    """

    def name(self) -> str:
        return "action_flag_safety"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        message = tracker.latest_message
        safety = message.get("safety") or {}
        category = safety.get("category") or message.get("intent", {}).get("name")
        if category not in CATEGORIES:
            return []
        evidence = list(safety.get("evidence") or [])
        source = safety.get("source") or "model"
        also = [c for c in safety.get("also") or [] if c in CATEGORIES and c != category]
        for other in also:  # one message names every danger shown (the reply, then these)
            dispatcher.utter_message(response=f"utter_crisis_also_{other}")
        flags = []
        try:
            for kind in (category, *also):
                flags.append(
                    await asyncio.to_thread(record_flag, tracker.sender_id, kind, evidence, source)
                )
        except Exception as exc:  # the database is down or misconfigured
            logger.error(
                "SAFETY FLAG NOT STORED (%s) for %s in conversation %s",
                type(exc).__name__,
                category,
                mask_conversation(tracker.sender_id),
            )
            return []
        for flag in flags:
            if not flag.repeated:  # an unread flag of this kind was already alerted
                await send_alert(flag)
        return []
