"""One Rasa instance dies in the middle of a load run through nginx.

Several caregivers talk at once through the proxy; part-way through, instance 1 is
killed. Every message must end visibly (a reply, or an error status the caller can
act on), the conversations must carry on on the surviving instance, and every
answered message must be in the tracker store.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
import pytest

from tests.prod.checks import loss_problems
from tests.prod.traffic import Outcome, send, texts_for

pytestmark = pytest.mark.prod

CONVERSATIONS = 6
STOP_AFTER = 10  # messages answered (or failed) before the instance is killed
AFTER_STOP = 3  # messages each conversation sends once the instance is gone
MAX_MESSAGES = 40  # per conversation, at most (all distinct)
VICTIM = 1


async def test_instance_killed_mid_load_conversations_continue(stack, tracker_url):
    run = uuid.uuid4().hex[:8]
    senders = [f"instance-kill-{run}-{n}" for n in range(CONVERSATIONS)]
    outcomes: dict[str, list[Outcome]] = {s: [] for s in senders}
    finished: list[Outcome] = []
    gone = asyncio.Event()
    gone_at: list[float] = []

    async def caregiver(n: int, sender: str) -> None:
        sent_after = 0
        for text in texts_for(n, MAX_MESSAGES):
            outcome = await send(client, stack.proxy_url, sender, text, timeout=150)
            outcomes[sender].append(outcome)
            finished.append(outcome)
            if gone.is_set() and outcome.started > gone_at[0]:
                sent_after += 1
                if sent_after >= AFTER_STOP:
                    return

    async def killer() -> None:
        while len(finished) < STOP_AFTER:
            await asyncio.sleep(0.05)
        await asyncio.to_thread(stack.stop_instance, VICTIM, kill=True)  # a crash
        gone_at.append(time.monotonic())
        gone.set()

    async with httpx.AsyncClient() as client:
        await asyncio.gather(killer(), *(caregiver(n, s) for n, s in enumerate(senders)))

    everything = [o for s in senders for o in outcomes[s]]
    # Every message ended visibly: a reply with text, or an error status / no response.
    unclear = [o.describe() for o in everything if not o.ended_visibly]
    assert not unclear, "neither a reply nor an error status:\n" + "\n".join(unclear)

    # Conversations continue on the surviving instance.
    after = {s: [o for o in outcomes[s] if o.started > gone_at[0]] for s in senders}
    stalled = [s for s in senders if len(after[s]) < AFTER_STOP or not after[s][-1].replied]
    assert not stalled, "conversations that did not continue after the instance died: " + ", ".join(
        f"{s}: {[o.status for o in after[s]]}" for s in stalled
    )

    # Nothing accepted is lost.
    problems = [p for s in senders for p in loss_problems(tracker_url, s, outcomes[s])]
    assert not problems, "\n".join(problems)

    errors = [o for o in everything if o.failed_visibly]
    slowest = max(o.finished - o.started for o in everything)
    print(
        f"\n{len(everything)} messages, {len(errors)} error status "
        f"({sorted({o.status for o in errors}, key=str)}), slowest {slowest:.1f}s"
    )
