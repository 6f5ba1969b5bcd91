"""Rate limits at the channels: messages per conversation and per caller, new chats per caller.

Why: one caller (a script, a stuck client, a hostile probe) must not fill the
conversation store, the flag queue or the staff alerts, nor take the workers from other
families. Counts live in the storage of the ``limits`` library: this process's memory
(the embedded default: each Rasa worker counts apart) or Redis (production: every
worker and instance share them). A refused message is not stored and not read by the
bot; its reply still names the emergency line. When the storage is down the message
goes through: a caregiver is never refused because a counter is missing.

A caller is an address (the connection's, or the last X-Forwarded-For entry behind a
trusted proxy), kept only as a keyed hash (bot.identity), or an SMS number's
conversation. Staff get one alert per caller and hour when a flood is refused.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from bot.identity import owner_key
from bot.settings import get_settings

logger = logging.getLogger(__name__)

ALERT_WINDOW_SECONDS = 3600  # one flood alert (and one SMS reply) per caller per hour
SEEN_WINDOW_SECONDS = 24 * 3600  # a REST sender not seen for a day counts as new again


def limit_reply() -> str:
    """The answer to a refused message: wait, and the emergency line all the same."""
    from bot.clinic import get_profile

    clinic = get_profile()
    return (
        "You're sending messages faster than I can read them, so I didn't take that one "
        f"in. Please wait a minute and try again. If it can't wait, call {clinic.phone}; "
        f"in an emergency, {clinic.crisis.emergency.instruction}."
    )


@dataclass(frozen=True)
class Refusal:
    """A message (or a new conversation) over a limit."""

    limit: str  # "conversation", "caller" or "new_conversations"
    retry_after: int  # seconds until the window has room again
    first: bool  # the caller's first refusal this hour: reply (SMS) and alert once


def caller_address(remote_addr: str, forwarded_for: str | None, trust_proxy: bool) -> str:
    """The address to count: behind a trusted proxy, the entry that proxy appended."""
    if trust_proxy and forwarded_for:
        last = forwarded_for.split(",")[-1].strip()
        if last:
            return last[:64]
    return (remote_addr or "unknown")[:64]


def caller_key(address: str) -> str:
    """A keyed hash of an address: counts never hold an IP address."""
    return owner_key("address", address)[:32]


class ChannelLimits:
    """The three limits, over one storage; every method is blocking (use the async ones)."""

    def __init__(
        self,
        storage: Storage,
        *,
        conversation: str,
        caller: str,
        new_conversations: str,
        prefix: str = "cpp",
    ) -> None:
        self.storage = storage
        self.limiter = MovingWindowRateLimiter(storage)
        self.conversation = parse_many(conversation)
        self.caller = parse_many(caller)
        self.new_conversations = parse_many(new_conversations)
        self.prefix = prefix

    def _over(
        self, kind: str, items: list[RateLimitItem], who: str, alert_as: str
    ) -> Refusal | None:
        for item in items:
            if not self.limiter.hit(item, self.prefix, kind, who):
                reset, _ = self.limiter.get_window_stats(item, self.prefix, kind, who)
                first = self._first_refusal(alert_as)
                return Refusal(kind, max(1, int(reset - time.time())), first)
        return None

    def _first_refusal(self, who: str) -> bool:
        key = f"{self.prefix}/flood/{who}"
        return self.storage.incr(key, ALERT_WINDOW_SECONDS) == 1

    def message(self, caller: str | None, conversation: str) -> Refusal | None:
        """Count one message; a refusal when its conversation or its caller is over."""
        conv = caller_key(f"conversation:{conversation}")
        refusal = self._over("conversation", self.conversation, conv, caller or conv)
        if refusal is None and caller:
            refusal = self._over("caller", self.caller, caller, caller)
        return refusal

    def new_conversation(self, caller: str) -> Refusal | None:
        """Count one new conversation of a caller."""
        return self._over("new_conversations", self.new_conversations, caller, caller)

    def first_seen(self, channel: str, conversation: str) -> bool:
        """True the first time a conversation id is seen within a day (REST senders)."""
        key = f"{self.prefix}/seen/{channel}/{caller_key(conversation)}"
        return self.storage.incr(key, SEEN_WINDOW_SECONDS) == 1


@functools.lru_cache(maxsize=1)
def get_channel_limits() -> ChannelLimits:
    """The process's limits, made on first use (no connection at import)."""
    settings = get_settings()
    return ChannelLimits(
        storage_from_string(settings.rate_limit_storage),
        conversation=settings.rate_limit_conversation,
        caller=settings.rate_limit_caller,
        new_conversations=settings.rate_limit_new_conversations,
        prefix=settings.redis_key_prefix,
    )


async def _counted(
    channel: str, alert_as: str, count: Callable[[], Refusal | None], what: str
) -> Refusal | None:
    """Run ``count`` off the event loop; alert staff on the first refusal of the hour.

    Fails open: if the counts cannot be reached, ``what`` goes through and the error is
    logged (Redis down, a bad setting: never refuse a caregiver for it).
    """
    try:
        refusal = await asyncio.to_thread(count)
    except Exception as exc:
        logger.error("rate limits unavailable, %s let through: %s", what, type(exc).__name__)
        return None
    if refusal is not None and refusal.first:
        from bot.safety.alerts import send_flood_alert

        await send_flood_alert(channel, refusal.limit, alert_as)
    return refusal


async def check_message(
    channel: str, caller: str | None, conversation: str, *, new_if_unseen: bool = False
) -> Refusal | None:
    """Count a message; with ``new_if_unseen`` (REST, whose senders start conversations
    by naming them) a conversation not seen for a day also counts as a new one."""

    def count() -> Refusal | None:
        limits = get_channel_limits()
        if new_if_unseen and caller and limits.first_seen(channel, conversation):
            refusal = limits.new_conversation(caller)
            if refusal is not None:
                return refusal
        return limits.message(caller, conversation)

    return await _counted(channel, caller or conversation, count, "message")


async def check_new_conversation(channel: str, caller: str) -> Refusal | None:
    """Count a new conversation of a caller (a fresh web chat)."""
    return await _counted(
        channel, caller, lambda: get_channel_limits().new_conversation(caller), "conversation"
    )
