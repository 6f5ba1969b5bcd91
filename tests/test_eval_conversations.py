"""`make eval-conversations`: whole conversations played through the real servers.

The blind set's figures only are printed (tests/blind/README.md); a dev set
(tests/conversations/) also prints each failed conversation and why. Skipped in the
plain `pytest` run: `make eval-conversations` sets CPP_EVAL_CONVERSATIONS.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.evaluation.conversations import Given, Player, Result, load_set, summary
from tests.servers import ROOT, http
from tests.shared_servers import SMS_PUBLIC_URL
from tests.twilio_fake import inbound, signed

pytestmark = pytest.mark.server

BLIND = sorted((ROOT / "tests" / "blind").glob("conversations_*.yml"))
DEV = sorted((ROOT / "tests" / "conversations").glob("*.yml"))
# Retired blind sets not yet studied, and dev sets that pass and were studied to the end
# (settled): played by `make eval-conversations` only, so `make test` stays inside CI's
# 30 minutes.
RETIRED = sorted((ROOT / "tests" / "conversations" / "retired").glob("*.yml"))
SETTLED = {
    "dev_blind_2026-12-05", "dev_bc45_2026-12-06", "dev_bc89_2026-12-06", "dev_bc67_2026-12-06",
    "dev_bc1011_2026-12-06", "dev_bc1213_2026-12-06", "dev_bc1617_2026-12-06",
    "dev_bc2021_2026-12-07", "dev_bc1819_2026-12-07", "dev_bc2829_2026-12-07",
    "dev_bc32_2026-12-07", "dev_bc2425_2026-12-07", "dev_bc2627_2026-12-07",
    "dev_dh1_2026-12-06", "dev_2026-12-05", "dev_bc1415_2026-12-06", "dev_bc3334_2026-12-07",
    "dev_bc3536_2026-12-07",
}  # fmt: skip
MIN_PASS_RATE = 0.95  # issue #22: a blind conversation set passes at 95% or more
# The dev sets written by helpers (read and debugged against) are not at 95% yet: each
# fails below its floor, its last measured rate less a little, so a regression shows.
FLOORS = {
    "dev_blind_2026-12-05": 0.88,
    "dev_dh1_2026-12-06": 0.88,
    "dev_bc45_2026-12-06": 0.92,
    "dev_bc67_2026-12-06": 0.94,
    "dev_bc89_2026-12-06": 0.92,
    "dev_bc1011_2026-12-06": 0.95,
    "dev_bc1415_2026-12-06": 0.90,
    "dev_bc1213_2026-12-06": 0.93,
    "dev_bc1819_2026-12-07": 0.93,
    "dev_bc1617_2026-12-06": 0.90,
    "dev_bc2223_2026-12-07": 0.85,
    "dev_bc2627_2026-12-07": 0.90,
    "dev_bc2021_2026-12-07": 0.95,
    "dev_bc2425_2026-12-07": 0.93,
    "dev_bc2829_2026-12-07": 0.95,
    "dev_bc32_2026-12-07": 0.95,
    "dev_bc3031_2026-12-07": 0.88,
    "dev_bc3536_2026-12-07": 0.95,
    "dev_bc3334_2026-12-07": 0.95,
}
OUT = ROOT / "results" / "conversations"
PLAYERS = 3  # conversations played at once
GIVEN_LOCK = threading.Lock()
FIGURES: list[str] = []  # one line per set played, printed at the end (tests/conftest.py)
SMS_NUMBERS = itertools.count()  # shared by the sets, so no two conversations share one


class HttpBot:
    """The shared servers' REST channel (web) and SMS webhook (sms), and the tracker API.

    An SMS is acknowledged at once and answered after, so its turn ends when the
    tracker holds the message and the bot is listening again.
    """

    def __init__(self, servers) -> None:
        self.servers = servers
        self.numbers: dict[str, str] = {}  # sender -> the SMS number it texts from
        self.sent: dict[str, int] = {}
        self._lock = threading.Lock()  # the players share these two tables

    def _conversation(self, sender: str) -> str:
        from bot.channels import sms_store
        from bot.channels.rest import conversation_id

        number = self.numbers.get(sender)
        return sms_store.conversation_id(number) if number else conversation_id(sender)

    def send(self, sender: str, channel: str, text: str) -> list[dict]:
        with self._lock:
            self.sent[sender] = self.sent.get(sender, 0) + 1
            if channel == "sms" and sender not in self.numbers:
                # One number per conversation across every set played on these servers:
                # a number reused by the next set would continue an old conversation. Not
                # 312-555-xxxx: the SMS server tests text from those on the same servers
                # (+13125550142 was a dev conversation's, mid-booking, on 2026-12-07).
                self.numbers[sender] = f"+1312557{next(SMS_NUMBERS) % 10_000:04d}"
        if channel != "sms":
            resp = self.servers.say(sender, text, timeout=90)
            resp.raise_for_status()
            return resp.json()
        number = self.numbers[sender]
        fields = inbound(text, f"SM{time.time_ns():032d}", number=number)
        content, headers = signed(SMS_PUBLIC_URL, fields)
        url = f"{self.servers.rasa_url}/webhooks/sms/webhook"
        http().post(url, content=content, headers=headers, timeout=30).raise_for_status()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            events = self.tracker(sender).get("events") or []
            users = sum(e.get("event") == "user" for e in events)
            if users >= self.sent[sender] and events[-1].get("name") == "action_listen":
                break
            time.sleep(0.3)
        else:
            # Never taken in (seen once with three players on the SMS webhook, 2026-12-07,
            # not reproduced alone): the conversation fails at once instead of answering
            # fourteen more questions 90 seconds apart.
            raise TimeoutError(f"the SMS to {sender} was not taken in 90 s")
        return []

    def tracker(self, sender: str) -> dict:
        url = f"{self.servers.rasa_url}/conversations/{self._conversation(sender)}/tracker"
        resp = http().get(url, headers=self.servers.api_headers(), timeout=30)
        resp.raise_for_status()
        return resp.json()


def transcript(events: list[dict]) -> str:
    """A dev conversation as read: each message with its intent, each reply, each slot asked."""
    lines = []
    for e in events:
        if e.get("event") == "user":
            intent = (e.get("parse_data") or {}).get("intent", {}).get("name")
            lines.append(f"> {e.get('text')}    [{intent}]")
        elif e.get("event") == "bot":
            lines.append(f"< {e.get('text')}")
        elif e.get("event") == "slot" and e.get("name") == "requested_slot" and e.get("value"):
            lines.append(f"  (asks {e['value']})")
    return "\n".join(lines) + "\n"


def _given_booking(db: str, n: int) -> Given:
    """An appointment booked before the conversation, with a contact of its own."""
    from bot.booking.availability import find_open_slots
    from bot.booking.bookings import NewCaregiver, book_slot
    from bot.booking.errors import SlotTaken
    from bot.booking.preferences import TimePreference
    from bot.db.models import utcnow

    phone = f"312-555-{100 + n % 800:04d}"
    # A conversation played beside this one may book the first open time meanwhile.
    for slot in find_open_slots(TimePreference(), now=utcnow(), limit=5, url=db):
        try:
            record = book_slot(slot.slot_id, NewCaregiver(first_name="Sam", phone=phone), 36,
                               None, None, url=db)  # fmt: skip
        except SlotTaken:
            continue
        return Given(reference=record.reference, contact=phone)
    raise RuntimeError("no open time left to book before the conversation")


# CPP_EVAL_CONVERSATIONS: "dev" plays the dev sets not yet settled (`make test`), "all"
# every set, blind ones too (`make eval-conversations`); unset, `make pytest` skips them.
PLAY = os.environ.get("CPP_EVAL_CONVERSATIONS", "")


@pytest.mark.skipif(not PLAY, reason="run `make eval-conversations`")
@pytest.mark.parametrize("path", DEV + RETIRED + BLIND, ids=lambda p: p.stem)
def test_conversation_set(shared_servers, path: Path):
    if (path in BLIND + RETIRED or path.stem in SETTLED) and PLAY != "all":
        pytest.skip("played by `make eval-conversations` only")
    blind = path in BLIND
    bot = HttpBot(shared_servers.servers)
    player = Player(bot)
    conversations = load_set(path)
    played = 0
    senders: dict[str, str] = {}

    def play(n: int) -> Result:
        nonlocal played
        conv = conversations[n]
        given = None
        if conv.given == "booking":
            with GIVEN_LOCK:  # two players must not race for the same first open slot
                given = _given_booking(shared_servers.db, n)
        senders[conv.id] = f"eval-{conv.id}-{uuid.uuid4().hex[:6]}"
        try:
            result = player.play(conv, senders[conv.id], given)
        except TimeoutError as exc:
            result = Result(conv, False, str(exc), 0)
        played += 1
        print(f"  {path.stem}: {played} of {len(conversations)} played", end="\r", flush=True)
        return result

    # A few conversations at once: while one waits for the action server, another's
    # message is read (two cores; each conversation's turns stay in order).
    with ThreadPoolExecutor(max_workers=PLAYERS) as pool:
        results = list(pool.map(play, range(len(conversations))))
    report = summary(results)
    out = OUT / path.stem
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(report, indent=2))
    rate, n = report["pass_rate"], report["conversations"]
    print(f"\n{path.name}: {rate:.1%} of {n} conversations reached their goal")
    failed = [r.conversation.id for r in results if not r.reached and not blind]
    listed = f" (failed: {', '.join(failed)})" if failed else ""
    FIGURES.append(f"{path.name}: {rate:.1%} of {n}{listed}")
    print("  by outcome: " + ", ".join(f"{k} {v}" for k, v in report["by_outcome"].items()))
    print("  why not: " + "; ".join(f"{k} ({v})" for k, v in report["why_not"].items()))
    if not blind:
        for r in results:
            if not r.reached:
                print(f"  FAILED {r.conversation.id}: {r.why}")
                # What was said, to debug it: results/conversations/<set>/<id>.txt
                events = bot.tracker(senders[r.conversation.id]).get("events") or []
                (out / f"{r.conversation.id}.txt").write_text(transcript(events))
    assert report["pass_rate"] >= FLOORS.get(path.stem, MIN_PASS_RATE)
