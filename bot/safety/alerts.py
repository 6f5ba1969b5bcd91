"""Tell staff about a new safety flag, or a flood of refused messages: always in the log,
and by webhook when configured.

Neither carries the caregiver's words: the log line and the webhook name the flag,
its category and a masked conversation id; staff read the rest in the console.

Noise must not bury a real flag: every flag is logged at once, but the webhook (a
pager, a chat channel) gets at most DIGEST_AFTER alerts a minute and one per
conversation every PER_CONVERSATION_SECONDS; the rest wait and go out together as one
digest at the end of the minute (``{"type": "digest", "count": n, "flags": [...]}``).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import deque
from datetime import datetime, timezone

import httpx

from bot.safety.flags import FlagRecord
from bot.settings import get_settings
from bot.tls import tls_context

logger = logging.getLogger("bot.safety.alerts")

DIGEST_AFTER = 3  # webhook alerts a minute sent one by one; more wait for the digest
DIGEST_WINDOW = 60.0  # seconds
PER_CONVERSATION_SECONDS = 600.0  # one alert per conversation this often; more: digest


class _Digest:
    """Alerts held back in this process, and when the webhook was last used."""

    def __init__(self) -> None:
        self.sent: deque[float] = deque()
        self.by_conversation: dict[str, float] = {}
        self.pending: list[dict] = []
        self.flush_task: asyncio.Task | None = None

    def hold_back(self, conversation: str, now: float) -> bool:
        """True when this alert should wait for the digest; else it is counted as sent."""
        while self.sent and now - self.sent[0] > DIGEST_WINDOW:
            self.sent.popleft()
        last = self.by_conversation.get(conversation)
        if len(self.sent) >= DIGEST_AFTER or (
            last is not None and now - last < PER_CONVERSATION_SECONDS
        ):
            return True
        self.sent.append(now)
        self.by_conversation[conversation] = now
        return False


_digest = _Digest()


def reset_digest() -> None:
    """Forget held-back alerts and counts (tests; a fresh process starts this way)."""
    global _digest
    task = _digest.flush_task
    if task is not None and not task.done() and not task.get_loop().is_closed():
        task.cancel()
    _digest = _Digest()


async def flush_digest(webhook_url: str | None = None) -> bool:
    """Send the held-back alerts now as one digest (also what the timer does)."""
    pending, _digest.pending = _digest.pending, []
    _digest.flush_task = None
    if not pending:
        return True
    payload = {
        "type": "digest",
        "count": len(pending),
        "categories": sorted({p["category"] for p in pending}),
        "flags": pending,
        "created_at": datetime.now(timezone.utc).isoformat(),
    }
    logger.warning("SAFETY DIGEST: %d flags held back and sent together", len(pending))
    return await _post(payload, f"SAFETY DIGEST of {len(pending)}", webhook_url)


async def _flush_later(webhook_url: str | None) -> None:
    await asyncio.sleep(DIGEST_WINDOW)
    await flush_digest(webhook_url)


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
    if _digest.hold_back(payload["conversation"], time.monotonic()):
        _digest.pending.append(payload)
        if _digest.flush_task is None:
            _digest.flush_task = asyncio.create_task(_flush_later(webhook_url))
        return True
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
    async with httpx.AsyncClient(timeout=5.0, verify=tls_context()) as client:
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
