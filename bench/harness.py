"""Simulated caregivers: C concurrent conversations over the REST channel, timed per turn.

Closed loop, no think time: each of C workers sends a turn, waits for the reply, sends
the next. That is the heaviest load C caregivers can make, so throughput at C is an
upper bound for C real people typing. Conversations are handed out from one queue,
so every level runs the same number of conversations whatever C is.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field

import httpx

from bench.scripts import Script, ScriptFactory, conversation, is_fallback
from bench.stats import Sample, throughput

WEBHOOK = "/webhooks/rest/webhook"


@dataclass
class LevelResult:
    """One concurrency level: every turn's sample and the wall time they took."""

    concurrency: int
    conversations: int
    wall_seconds: float
    samples: list[Sample] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        return throughput(self.samples, self.wall_seconds)


def reply_text(messages: object) -> str:
    """The bot's texts (and button titles) joined, from a REST channel reply."""
    if not isinstance(messages, list):
        return ""
    parts = []
    for message in messages:
        if isinstance(message, dict):
            parts.append(str(message.get("text") or ""))
            parts.extend(str(b.get("title", "")) for b in message.get("buttons") or [])
    return "\n".join(parts)


async def send_turn(
    client: httpx.AsyncClient, base_url: str, sender: str, text: str
) -> tuple[float, bool, str, str]:
    """POST one message; return (seconds, ok, reply text, error)."""
    start = time.perf_counter()
    try:
        resp = await client.post(f"{base_url}{WEBHOOK}", json={"sender": sender, "message": text})
    except httpx.HTTPError as exc:
        return time.perf_counter() - start, False, "", type(exc).__name__
    seconds = time.perf_counter() - start
    if resp.status_code != 200:
        return seconds, False, "", f"HTTP {resp.status_code}"
    try:
        messages = resp.json()
    except ValueError:
        return seconds, False, "", "bad JSON"
    if not messages:
        return seconds, False, "", "empty reply"
    return seconds, True, reply_text(messages), ""


async def run_conversation(
    client: httpx.AsyncClient, base_url: str, script: Script, sender: str
) -> list[Sample]:
    """Play one script; stop at the first failed turn (a real caregiver would not go on)."""
    samples = []
    for turn in script.turns:
        seconds, ok, text, error = await send_turn(client, base_url, sender, turn.text)
        lowered = text.lower()
        on_script = not is_fallback(text) and (
            not turn.expect or any(e.lower() in lowered for e in turn.expect)
        )
        samples.append(Sample(turn.kind, seconds, ok, on_script, error))
        if not ok:
            break
    return samples


async def run_level(
    base_url: str,
    scripts: tuple[ScriptFactory, ...],
    concurrency: int,
    conversations: int,
    *,
    first_index: int = 0,
    timeout: float = 120,
    label: str = "bench",
) -> LevelResult:
    """Run ``conversations`` conversations with ``concurrency`` caregivers at once."""
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(first_index, first_index + conversations):
        queue.put_nowait(n)
    samples: list[Sample] = []
    run_id = uuid.uuid4().hex[:6]

    async def caregiver() -> None:
        async with httpx.AsyncClient(timeout=timeout) as client:
            while True:
                try:
                    n = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                sender = f"{label}-{run_id}-c{concurrency}-{n}"
                samples.extend(
                    await run_conversation(client, base_url, conversation(scripts, n), sender)
                )

    start = time.perf_counter()
    await asyncio.gather(*(caregiver() for _ in range(concurrency)))
    wall = time.perf_counter() - start
    return LevelResult(concurrency, conversations, wall, samples)


async def warm_up(base_url: str, scripts: tuple[ScriptFactory, ...], label: str) -> list[Sample]:
    """One conversation of each script, one after another, not counted in the levels:
    the first call into each action and each code path loads things lazily."""
    async with httpx.AsyncClient(timeout=300) as client:
        samples = []
        for n in range(len(scripts)):
            sender = f"{label}-warmup-{uuid.uuid4().hex[:6]}-{n}"
            samples += await run_conversation(client, base_url, conversation(scripts, n), sender)
        return samples


async def parse_times(
    base_url: str, texts: tuple[str, ...], token: str | None, repeat: int
) -> tuple[list[float], int]:
    """POST /model/parse alone (NLU only, no dialogue, no tracker): the floor of a turn.

    Returns (seconds of each successful call, number of failed calls).
    """
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    seconds, errors = [], 0
    async with httpx.AsyncClient(timeout=60, headers=headers) as client:
        for _ in range(repeat):
            for text in texts:
                start = time.perf_counter()
                try:
                    resp = await client.post(f"{base_url}/model/parse", json={"text": text})
                    ok = resp.status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    seconds.append(time.perf_counter() - start)
                else:
                    errors += 1
    return seconds, errors
