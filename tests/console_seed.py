"""Realistic conversations for the console's tests, stored the way Rasa stores them.

The tracker rows are written by Rasa's own ``SQLTrackerStore`` from Rasa events, and
the project rows by the project's own repositories, so the console is tested against
exactly what a running bot leaves behind. Used by the console's unit and browser tests.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bot.booking.availability import list_slots
from bot.booking.bookings import NewCaregiver, book_slot
from bot.booking.handoffs import create_handoff
from bot.booking.seed import seed_demo
from bot.channels import sms_store
from bot.db import session_scope
from bot.db.models import HandoffRequest, SafetyFlag
from bot.identity import owner_key
from bot.reflection.journal import save_entry
from bot.safety.flags import record_flag

_NAMESPACE = uuid.UUID("6f0c1d52-6c1e-4c55-9a43-2f9d5c1e7a10")

SCRIPT_TEXT = (
    "<script>alert(1)</script> my name is Dana, please call me at (617) 555-0134 "
    "or write to dana.k@example.com"
)
CRISIS_TEXT = "I can't do this anymore, I want to end it all"
CRISIS_EVIDENCE = "want to end it all"


def web_id(name: str) -> str:
    """A website conversation id, stable per name (the widget makes random ones)."""
    return uuid.uuid5(_NAMESPACE, name).hex


def tracker_store(tracker_url: str):
    """Rasa's own SQL tracker store for a SQLAlchemy URL (it creates ``events``)."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    parsed = make_url(tracker_url)
    if parsed.get_backend_name() == "sqlite":
        return SQLTrackerStore(Domain.empty(), dialect="sqlite", db=parsed.database)
    return SQLTrackerStore(Domain.empty(), dialect=parsed.get_backend_name(), host=tracker_url)


class _Conversation:
    """Builds one conversation's Rasa events with explicit, increasing timestamps."""

    def __init__(self, sender_id: str, channel: str, start: datetime) -> None:
        from rasa.shared.core.events import ActionExecuted, SessionStarted

        self.sender_id, self.channel, self.at = sender_id, channel, start
        self.events: list[Any] = [
            ActionExecuted("action_session_start", timestamp=self._tick(0)),
            SessionStarted(timestamp=self._tick(0.1)),
            ActionExecuted("action_listen", timestamp=self._tick(0.1)),
        ]

    def _tick(self, seconds: float) -> float:
        self.at += timedelta(seconds=seconds)
        return self.at.timestamp()

    def user(
        self,
        text: str,
        intent: str,
        confidence: float,
        entities: list[dict[str, Any]] | None = None,
        **parse_extra: Any,
    ) -> _Conversation:
        from rasa.shared.core.events import UserUttered

        parse = {
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "entities": entities or [],
            "intent_ranking": [{"name": intent, "confidence": confidence}],
            **parse_extra,
        }
        retrieval = parse.get("response_selector", {}).get(intent, {}).get("response", {})
        if retrieval.get("intent_response_key"):  # as Rasa's processor adds it
            parse["intent"]["full_retrieval_intent_name"] = retrieval["intent_response_key"]
        self.events.append(
            UserUttered(
                text,
                intent=parse["intent"],
                entities=parse["entities"],
                parse_data=parse,
                timestamp=self._tick(20),
                input_channel=self.channel,
            )
        )
        return self

    def action(self, name: str, confidence: float = 1.0) -> _Conversation:
        from rasa.shared.core.events import ActionExecuted

        self.events.append(
            ActionExecuted(
                name, policy="RulePolicy", confidence=confidence, timestamp=self._tick(1)
            )
        )
        return self

    def bot(self, text: str, buttons: list[dict[str, str]] | None = None) -> _Conversation:
        from rasa.shared.core.events import BotUttered

        data = {"buttons": buttons} if buttons else {}
        self.events.append(BotUttered(text, data=data, timestamp=self._tick(1)))
        return self

    def slot(self, name: str, value: Any) -> _Conversation:
        from rasa.shared.core.events import SlotSet

        self.events.append(SlotSet(name, value, timestamp=self._tick(0.5)))
        return self

    def listen(self) -> _Conversation:
        return self.action("action_listen")

    def tracker(self):
        from rasa.shared.core.trackers import DialogueStateTracker

        return DialogueStateTracker.from_events(self.sender_id, self.events)


def _faq(key: str, confidence: float) -> dict[str, Any]:
    return {
        "response_selector": {
            "all_retrieval_intents": ["faq"],
            "faq": {
                "response": {
                    "responses": [{"text": "..."}],
                    "confidence": confidence,
                    "intent_response_key": key,
                    "utter_action": f"utter_{key}",
                },
                "ranking": [],
            },
        }
    }


def _conversations(now: datetime, ids: dict[str, str]) -> list[_Conversation]:
    crisis = _Conversation(ids["crisis"], "socketio", now - timedelta(hours=2))
    crisis.user("hi", "greet", 0.98).action("utter_greet").bot("Hi! How can I help?").listen()
    crisis.user(
        CRISIS_TEXT,
        "self_harm",
        1.0,
        safety={"category": "self_harm", "source": "rules", "evidence": [CRISIS_EVIDENCE]},
    )
    crisis.action("action_flag_safety").bot("I'm really glad you told me. You matter.")
    crisis.action("utter_crisis_self_harm").bot("Please call or text 988 now.").listen()

    handoff = _Conversation(ids["handoff"], "rest", now - timedelta(days=1))
    handoff.user("can I talk to a real person?", "request_person", 0.95)
    handoff.action("handoff_form").slot("requested_slot", "handoff_time")
    handoff.bot("When is a good time to reach you?").listen()
    handoff.user("afternoons are best", "inform", 0.81).slot("handoff_time", "afternoons")
    handoff.action("action_create_handoff").bot("Thanks, someone will call you.").listen()

    booking = _Conversation(ids["booking"], "socketio", now - timedelta(days=2))
    booking.user("I'd like to book a first appointment", "book_appointment", 0.93)
    booking.action("booking_form").bot("What's your first name?").listen()
    booking.user("Maria", "inform", 0.7).slot("caregiver_name", "Maria")
    booking.bot("How old is your child?").listen()
    age = {"entity": "CHILD_AGE", "value": "3 years", "start": 0, "end": 7}
    booking.user("3 years old", "inform", 0.88, entities=[age]).slot("child_age", 36)
    booking.action("action_booking_result").bot("You're booked. Your reference is on its way.")

    reflection = _Conversation(ids["reflection"], "socketio", now - timedelta(days=3))
    reflection.user("can we do a reflection", "start_reflection", 0.97)
    reflection.action("reflection_form").bot("What happened before?").listen()
    reflection.user("he threw his cup at dinner", "inform", 0.6)
    reflection.action("action_finish_reflection").bot("Thank you for sharing that moment.")
    reflection.bot("Share it with your clinician?", [{"title": "Yes", "payload": "/affirm"}])
    reflection.listen().user("/affirm", "affirm", 1.0).action("action_finish_reflection")

    fallback = _Conversation(ids["fallback"], "rest", now - timedelta(days=4))
    fallback.user("blorp qwerty zzz", "nlu_fallback", 0.5)
    fallback.action("action_default_fallback").bot("Sorry, I didn't get that.").listen()

    sms = _Conversation(ids["sms"], "sms", now - timedelta(days=5))
    sms.user("what is cpp", "faq", 0.88, **_faq("faq/what_is_cpp", 0.91))
    sms.action("utter_faq").bot("Child-Parent Psychotherapy helps young children...").listen()

    socketio = _Conversation(ids["socketio"], "socketio", now - timedelta(days=6))
    socketio.user("why does my toddler bite other kids", "behavior_question", 0.91)
    socketio.action("utter_behavior_meaning").bot("Biting is common at this age...").listen()
    socketio.user("how much does it cost", "faq", 0.84, **_faq("faq/fees", 0.86))
    socketio.action("utter_faq").bot("The first consultation is free.").listen()

    old = _Conversation(ids["old"], "rest", now - timedelta(days=400))
    old.user("hello", "greet", 0.99).action("utter_greet").bot("Hi! How can I help?").listen()
    old.user("what are your hours", "faq", 0.9, **_faq("faq/hours", 0.9))
    old.action("utter_faq").bot("We're open weekdays 9 to 5.").listen()

    script = _Conversation(ids["script"], "socketio", now - timedelta(minutes=30))
    script.user(SCRIPT_TEXT, "caregiver_stress", 0.7).slot("caregiver_name", "Dana")
    script.action("utter_caregiver_stress").bot("That sounds hard, Dana.").listen()
    return [crisis, handoff, booking, reflection, fallback, sms, socketio, old, script]


def _project_rows(now: datetime, ids: dict[str, str], url: str) -> dict[str, Any]:
    flag = record_flag(ids["crisis"], "self_harm", [CRISIS_EVIDENCE], "rules", url=url)
    handoff = create_handoff(
        ids["handoff"], "asked_for_person", "phone on file", "afternoons", "rest", url=url
    )
    seed_demo(now, weeks=1, url=url)
    slot = list_slots(now=now + timedelta(days=1), days=7, status="open", url=url)[0]
    booking = book_slot(
        slot.id,
        NewCaregiver(first_name="Maria", phone="+16175550134", relationship="mother", consent=True),
        36,
        "biting at daycare",
        ids["booking"],
        url,
        now=now,
    )
    entry = save_entry(
        owner_key("web", ids["reflection"]),
        ids["reflection"],
        answers={"what_happened": "he threw his cup at dinner"},
        summary="A hard dinner; you stayed calm.",
        feelings=["frustrated"],
        shared=True,
        channel="socketio",
        now=now - timedelta(days=3),
        url=url,
    )
    sms_store.remember_contact(ids["sms"], "+16175550199", url=url)
    sms_store.claim_inbound("SM" + "0" * 32, ids["sms"], url=url)
    # The old conversation has project rows too, so a purge has something to remove.
    old_handoff = create_handoff(ids["old"], "no_times_fit", None, None, "rest", url=url)
    with session_scope(url) as session:
        # Flags and requests carry the time of the conversation they came from.
        session.get(SafetyFlag, flag.id).created_at = now - timedelta(hours=2, seconds=-20)
        session.get(HandoffRequest, handoff.id).created_at = now - timedelta(days=1, seconds=-30)
        row = session.get(HandoffRequest, old_handoff.id)
        row.status, row.created_at = "closed", now - timedelta(days=400)
    save_entry(
        owner_key("rest", ids["old"]),
        ids["old"],
        answers={"what_happened": "bedtime"},
        summary=None,
        now=now - timedelta(days=400),
        url=url,
    )
    return {
        "flag_id": flag.id,
        "handoff_id": handoff.id,
        "booking_id": booking.id,
        "booking_reference": booking.reference,
        "reflection_id": entry.id,
        "old_handoff_id": old_handoff.id,
    }


def seed_conversations(tracker_url: str, url: str, now: datetime) -> dict[str, Any]:
    """Store nine conversations in Rasa's tracker store and their rows in the project DB.

    Keys of the result: conversation ids under "crisis" (a new self_harm SafetyFlag),
    "handoff", "booking", "reflection" (shared), "fallback" (nlu_fallback), "sms",
    "socketio", "old" (400 days ago, for purge) and "script" (``<script>``, a phone
    number, an email and "my name is Dana"); plus "flag_id", "handoff_id", "booking_id",
    "booking_reference", "reflection_id" and "old_handoff_id". ``url`` must be migrated.
    """
    ids = {
        name: web_id(name)
        for name in ("crisis", "handoff", "booking", "reflection", "fallback", "socketio")
    }
    ids["sms"] = sms_store.conversation_id("+16175550199")
    ids["old"] = web_id("old")
    ids["script"] = web_id("script")
    store = tracker_store(tracker_url)

    async def save_all() -> None:
        for conversation in _conversations(now, ids):
            await store.save(conversation.tracker())

    try:
        asyncio.run(save_all())
    finally:
        store.engine.dispose()
    return {**ids, **_project_rows(now, ids, url)}


@dataclass(frozen=True)
class Seeded:
    url: str  # project database
    tracker_url: str  # Rasa's tracker store
    ids: dict[str, Any]  # what seed_conversations returned
    now: datetime


def tracker_url_for(db_url: str, tmp_path: Path) -> str:
    """A tracker store beside the test's project DB: its own SQLite file, or the same
    PostgreSQL database (Rasa's ``events`` table next to the project's tables)."""
    if make_url(db_url).get_backend_name() == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    return db_url


@contextmanager
def seeded_store(
    db_url: str, tmp_path: Path, now: datetime, tracker_url: str | None = None
) -> Iterator[Seeded]:
    """Seed both stores with a fixed identity key (no key file written), then restore.
    The tracker store is ``tracker_url``, or by default ``tracker_url_for`` the DB."""
    from bot.identity import reset_key_cache
    from bot.settings import get_settings

    previous = os.environ.get("IDENTITY_HASH_KEY")
    os.environ["IDENTITY_HASH_KEY"] = "console-test-key"
    get_settings.cache_clear()
    reset_key_cache()
    try:
        tracker_url = tracker_url or tracker_url_for(db_url, tmp_path)
        yield Seeded(db_url, tracker_url, seed_conversations(tracker_url, db_url, now), now)
    finally:
        if previous is None:
            os.environ.pop("IDENTITY_HASH_KEY", None)
        else:
            os.environ["IDENTITY_HASH_KEY"] = previous
        get_settings.cache_clear()
        reset_key_cache()
