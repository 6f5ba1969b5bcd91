"""Tell staff about a new safety flag: always in the log, and by webhook when configured.

Neither carries the caregiver's words: the log line and the webhook name the flag,
its category and a masked conversation id; staff read the rest in the console.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging

import httpx

from bot.safety.flags import FlagRecord
from bot.settings import get_settings

logger = logging.getLogger("bot.safety.alerts")


def mask_conversation(conversation_id: str) -> str:
    """A short stable token for logs, so an id (maybe a phone number) is never printed."""
    return "c-" + hashlib.sha256(conversation_id.encode()).hexdigest()[:10]


def alert_payload(flag: FlagRecord) -> dict:
    return {
        "flag_id": flag.id,
        "category": flag.category,
        "conversation": mask_conversation(flag.conversation_id),
        "created_at": flag.created_at.isoformat(),
        "source": flag.source,
    }


async def send_alert(flag: FlagRecord, webhook_url: str | None = None) -> bool:
    """Log the flag and POST it to the webhook if one is set; True when every hook succeeded."""
    payload = alert_payload(flag)
    logger.warning(
        "SAFETY FLAG %s: %s in conversation %s", flag.id, flag.category, payload["conversation"]
    )
    url = webhook_url if webhook_url is not None else get_settings().safety_alert_webhook_url
    if not url:
        return True
    async with httpx.AsyncClient(timeout=5.0) as client:
        for attempt in range(3):
            try:
                response = await client.post(url, json=payload)
                if response.status_code < 300:
                    return True
                logger.error("safety alert webhook answered %s", response.status_code)
            except httpx.HTTPError as exc:
                logger.error("safety alert webhook failed: %s", type(exc).__name__)
            await asyncio.sleep(0.5 * (attempt + 1))
    logger.error("SAFETY FLAG %s could not be delivered to the webhook", flag.id)
    return False
