"""Record a safety flag for staff and send the alert, after the crisis reply has gone out."""

from __future__ import annotations

import asyncio
import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.booking.known_facts import asks_for_person
from bot.safety import CATEGORIES
from bot.safety.alerts import mask_conversation, send_alert
from bot.safety.flags import record_flag

logger = logging.getLogger(__name__)


async def flag_and_alert(
    conversation_id: str,
    categories: list[str],
    evidence: list[str],
    source: str,
    *,
    tier: str = "full",
) -> None:
    """One flag per category (merged into an unread one), an alert for each new full flag.

    The caregiver has already had their reply; if the database is down the failure is
    logged loudly, without the message text, and the conversation goes on.
    """
    flags = []
    try:
        for kind in categories:
            flags.append(
                await asyncio.to_thread(
                    record_flag, conversation_id, kind, evidence, source, tier=tier
                )
            )
    except Exception as exc:  # the database is down or misconfigured
        logger.error(
            "SAFETY %s NOT STORED (%s) for %s in conversation %s",
            "FLAG" if tier == "full" else "CHECK",
            type(exc).__name__,
            ", ".join(categories),
            mask_conversation(conversation_id),
        )
        return
    for flag in flags:
        if tier == "full" and not flag.repeated:  # an unread flag was already alerted
            await send_alert(flag)


class ActionFlagSafety(Action):
    """Store the detection (category, evidence, source) and alert staff."""

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
        also = [c for c in safety.get("also") or [] if c in CATEGORIES and c != category]
        for other in also:  # one message names every danger shown (the reply, then these)
            dispatcher.utter_message(response=f"utter_crisis_also_{other}")
        await flag_and_alert(
            tracker.sender_id,
            [category, *also],
            list(safety.get("evidence") or []),
            safety.get("source") or "model",
        )
        if asks_for_person(str(message.get("text") or "")):
            # "i'd like someone to call me please... he can't find us here": the crisis
            # reply first, then the call asked for, as the urgent request for a person
            # the crisis buttons would start (actions/handoff.py).
            dispatcher.utter_message(response="utter_contact_person")
            return [FollowupAction("handoff_form")]
        return []
