"""Many messages for one conversation at once, alternating between two Rasa instances.

Both instances share the PostgreSQL tracker store and the Redis lock store; the lock
must serialise the turns across processes, so the stored conversation reads as whole
turns (each message, then its own replies) with every message exactly once.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import httpx
import pytest

from bot.channels.rest import conversation_id
from tests.prod.checks import order_problems
from tests.prod.stored import duplicate_rows, read_events, split_turns
from tests.prod.traffic import QUESTIONS, send

pytestmark = pytest.mark.prod

MESSAGES = 20
TIE = 0.25  # seconds


async def test_concurrent_messages_one_conversation_two_instances(stack, tracker_url):
    assert len(stack.instance_urls) >= 2
    sender = f"concurrent-{uuid.uuid4().hex[:8]}"
    texts = QUESTIONS[:MESSAGES]
    async with httpx.AsyncClient() as client:
        outcomes = await asyncio.gather(
            *(
                send(client, stack.instance_urls[i % 2], sender, text)
                for i, text in enumerate(texts)
            )
        )

    # A healthy stack answers every message, whichever instance took it.
    failed = [o.describe() for o in outcomes if not (o.replied and o.texts)]
    assert not failed, "messages not answered:\n" + "\n".join(failed)

    events = read_events(tracker_url, conversation_id(sender))
    assert not duplicate_rows(events), "events stored twice"
    head, turns = split_turns(events)
    assert not [e for e in head if e["event"] == "bot"], "bot spoke before any message"

    # Nothing lost, nothing twice: each message is stored exactly once.
    stored = Counter(turn.user_text for turn in turns)
    assert stored == Counter(texts), f"stored user messages differ: {stored - Counter(texts)}"

    # In order: after each message come exactly the replies its caller received, and the
    # bot is listening again before the next message (no interleaved turns).
    replies = {o.text: list(o.texts) for o in outcomes}
    for n, turn in enumerate(turns):
        assert turn.bot_texts == replies[turn.user_text], (
            f"turn {n} ({turn.user_text!r}) stored other replies than were sent back"
        )
        assert turn.finished, f"turn {n} ({turn.user_text!r}) does not end with action_listen"
    assert not order_problems(tracker_url, sender, outcomes, TIE)
