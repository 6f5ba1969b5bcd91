"""PostgreSQL goes down and comes back while caregivers are talking to the stack.

Rasa wraps every tracker store in a fail-safe that keeps conversations in memory when
the database fails; the project closes that (bot/tracking). Proof: during the outage
every message gets an error status (never a reply from an empty conversation held
only in memory), every message answered 200 is in PostgreSQL afterwards, and once
PostgreSQL is back the same processes answer again with the history intact.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
import pytest

from tests.prod.checks import loss_problems
from tests.prod.postgres_control import accepting, find_control, wait_until
from tests.prod.traffic import INTRO_START, Outcome, converse, send, texts_for

pytestmark = pytest.mark.prod

CONVERSATIONS = 4
BEFORE, AFTER = 2, 2  # turns per conversation before the outage and after it
LOAD_PAUSE = 0.3  # seconds between one background caregiver's messages


async def test_postgres_restart_loses_nothing_and_recovers(stack, tracker_url):
    control = find_control()
    if isinstance(control, str):
        pytest.skip(control)
    run = uuid.uuid4().hex[:8]
    senders = [f"pg-restart-{run}-{n}" for n in range(CONVERSATIONS)]
    texts = {s: texts_for(n, 40) for n, s in enumerate(senders)}
    outcomes: dict[str, list[Outcome]] = {s: [] for s in senders}
    proxy = stack.proxy_url

    async with httpx.AsyncClient() as client:
        # Before: every conversation has a history in PostgreSQL.
        for sender, done in zip(
            senders,
            await asyncio.gather(*(converse(client, proxy, s, texts[s][:BEFORE]) for s in senders)),
            strict=True,
        ):
            outcomes[sender] += done
        before = [o for s in senders for o in outcomes[s]]
        assert all(o.replied for o in before), [o.describe() for o in before if not o.replied]

        # During: caregivers keep talking while PostgreSQL stops and starts again.
        stop_load = asyncio.Event()

        async def keep_talking(sender: str) -> None:
            for text in texts[sender][BEFORE : -AFTER - 1]:
                if stop_load.is_set():
                    return
                outcomes[sender].append(await send(client, proxy, sender, text, timeout=60))
                await asyncio.sleep(LOAD_PAUSE)

        load = asyncio.gather(*(keep_talking(s) for s in senders))
        await asyncio.sleep(1.0)
        try:
            await asyncio.to_thread(control.stop)
        except RuntimeError as exc:
            stop_load.set()
            await load
            if accepting():
                pytest.skip(f"PostgreSQL could not be stopped here: {exc}")
            raise
        down_at = time.monotonic()
        try:
            assert not accepting(), "PostgreSQL still answers after the stop"
            # While it is down, a known conversation (through the proxy) and a brand-new
            # one (on each instance directly) must both get an error status.
            probes = await asyncio.gather(
                *(send(client, proxy, s, texts[s][-1], timeout=60) for s in senders),
                *(
                    send(client, url, f"pg-restart-{run}-new{i}", "what is cpp", timeout=60)
                    for i, url in enumerate(stack.instance_urls)
                ),
            )
        finally:
            await asyncio.to_thread(control.start)
            await asyncio.to_thread(wait_until, True)
        up_at = time.monotonic()
        stop_load.set()
        await load
        for probe in probes:
            if probe.sender in outcomes:
                outcomes[probe.sender].append(probe)
        answered_down = [p.describe() for p in probes if not p.failed_visibly]
        assert not answered_down, "answered while PostgreSQL was down:\n" + "\n".join(answered_down)

        # After: the same processes answer at once (each instance directly, and the
        # conversations through the proxy), from the stored history.
        fresh = await asyncio.gather(
            *(
                send(client, url, f"pg-restart-{run}-after{i}", "what is cpp")
                for i, url in enumerate(stack.instance_urls)
            )
        )
        after = await asyncio.gather(
            *(converse(client, proxy, s, texts[s][-AFTER - 1 : -1]) for s in senders)
        )
    for sender, done in zip(senders, after, strict=True):
        outcomes[sender] += done
    known = [o for done in after for o in done]
    known += [o for s in senders for o in outcomes[s][: -len(after[0])] if o.started > up_at]
    not_answered = [o.describe() for o in [*known, *fresh] if not (o.replied and o.texts)]
    assert not not_answered, "not answered after the restart:\n" + "\n".join(not_answered)
    assert not [o for o in known if any(t.startswith(INTRO_START) for t in o.texts)], (
        "after the restart the bot greeted known caregivers as new: history was not read"
    )

    problems = [p for s in senders for p in loss_problems(tracker_url, s, outcomes[s])]
    for single in [*probes, *fresh]:
        if single.sender not in outcomes:
            problems += loss_problems(tracker_url, single.sender, [single])
    assert not problems, "\n".join(problems)

    during = [o for s in senders for o in outcomes[s][BEFORE:] if o.finished < up_at + 0.5]
    print(
        f"\nPostgreSQL down for {up_at - down_at:.1f}s; messages during the outage: "
        f"{len(during)} ({sum(o.replied for o in during)} answered and stored, "
        f"{sum(o.failed_visibly for o in during)} error status)"
    )
