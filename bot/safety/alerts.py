"""Tell staff about a new safety flag, or a flood of refused messages: always in the log,
and by webhook when configured.

Neither carries the caregiver's words: the log line and the webhook name the flag,
its category and a masked conversation id; staff read the rest in the console.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from datetime import datetime, timezone

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
    return await _post(payload, f"SAFETY FLAG {flag.id}", webhook_url)


async def send_flood_alert(
    channel: str, limit: str, caller: str, webhook_url: str | None = None
) -> bool:
    """Tell staff once that a caller is being refused (bot.channels.rate_limits).

    A flood may hide a real caregiver in trouble behind a stuck client, or be a probe:
    either way a person should know. ``caller`` is already a hash or a conversation id;
    only its masked form leaves this function.
    """
    payload = {
        "type": "flood",
        "channel": channel,
        "limit": limit,
        "caller": mask_conversation(caller),
        "created_at": datetime.now(timezone.utc).isoformat(),
    }
    logger.warning(
        "FLOOD on %s: %s over the %s limit; further messages refused for now",
        channel,
        payload["caller"],
        limit,
    )
    return await _post(payload, "FLOOD alert", webhook_url)


async def _post(payload: dict, what: str, webhook_url: str | None) -> bool:
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
    logger.error("%s could not be delivered to the webhook", what)
    return False
