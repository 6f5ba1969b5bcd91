"""Whole conversations played through the real server, and whether each reached its goal.

Why: single-message figures say nothing about a "yes" to the bot's own offer, a
correction in the middle of a form, or a cancel after a booking. A conversation set
(format: tests/blind/CONVERSATION_WRITER_BRIEF.md) gives the caregiver's side only:
plain turns said in order, ``answer: all`` (answer each question the bot asks from the
conversation's ``answers`` until it stops asking) and ``when_asked`` turns (said instead
of an answer when the bot asks for that key). After each turn the player reads the
tracker (which slot the form asks for) to decide what the caregiver says next, and at
the end judges the outcome from the tracker's events: what was booked, cancelled,
stored, and whether the bot ever fell back to "I didn't understand".

The bot is reached through a small interface (``Bot``), so the same player drives the
servers of `make eval-conversations` and a fake in unit tests.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

# The form slot the bot asks for, as the writers' key in ``answers``.
SLOT_KEYS = {
    "caregiver_name": "first_name",
    "handoff_name": "first_name",
    "relationship": "relationship",
    "child_age": "child_age",
    "concern": "concern",
    "handoff_about": "about",
    "contact": "contact",
    "time_preference": "times",
    "slot_pick": "pick",
    "booking_reference": "reference",
    "handoff_time": "call_time",
    "confirm_manage": "confirm",
    "reminder_schedule": "reminder",
    "refl_what_happened": "reflection",
    "refl_before": "reflection",
    "refl_child_feeling": "reflection",
    "refl_my_feeling": "reflection",
    "refl_next_time": "reflection",
    "refl_save": "save",
    "refl_share": "share",
}
# Yes/no questions a writer need not answer: a caregiver would say this.
DEFAULT_ANSWERS = {"save": "yes", "share": "no", "confirm": "yes"}
# What the caregiver reads when the bot did not follow: the rephrase prompt and the lost
# thread. Not the dialogue fallback's action itself: it takes a bare "no" kindly
# (actions/fallback.py), and only its lost-thread reply is a miss.
FALLBACKS = {"utter_default", "utter_fallback"}
NOT_IN_DANGER = "no, we're safe"  # said to the gentle check in a conversation about no danger
YES_A_VISIT = "yes"  # said to "did you mean a first visit?" by a caregiver who came to book
MAX_ANSWERS = 14  # questions answered in one ``answer: all`` before the player gives up
# Writers were shown "555 201 3344" as an example; no real number has area code 555,
# and the phone library rightly refuses it. Played as a valid test number instead.
FICTIONAL_AREA_CODE = re.compile(r"(?<!\d)\(?555\)?([\s.-]?)(\d{3})([\s.-]?)(\d{4})(?!\d)")


def playable_phone(text: str) -> str:
    """A written 555 area code as 312 (Chicago), keeping how it was typed; an exchange
    no real number has ("555 019 7723": none starts with 0 or 1) starts with 5 instead."""

    def playable(m: re.Match[str]) -> str:
        exchange = m[2] if m[2][0] not in "01" else f"5{m[2][1:]}"
        return f"312{m[1]}{exchange}{m[3]}{m[4]}"

    return FICTIONAL_AREA_CODE.sub(playable, text)


@dataclass(frozen=True)
class Turn:
    say: str | None = None  # a plain turn (or what a when_asked turn says)
    answer_all: bool = False
    when_asked: str | None = None


@dataclass
class Conversation:
    id: str
    channel: str
    turns: list[Turn]
    answers: dict[str, Any]
    outcome: str
    also: list[str] = field(default_factory=list)
    given: str = "none"
    writer: str = ""


def _turn(raw: Any) -> Turn:
    if isinstance(raw, str):
        return Turn(say=raw)
    if raw.get("answer") == "all":
        return Turn(answer_all=True)
    if raw.get("when_asked"):
        return Turn(say=str(raw.get("say", "")), when_asked=str(raw["when_asked"]))
    return Turn(say=str(raw.get("say", "")))


def load_set(path: Path) -> list[Conversation]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Conversation(
            id=str(c["id"]),
            channel=str(c.get("channel", "web")),
            turns=[_turn(t) for t in c.get("turns") or []],
            answers=dict(c.get("answers") or {}),
            outcome=str(c["outcome"]),
            also=[str(a) for a in c.get("also") or []],
            given=str(c.get("given") or "none"),
            writer=str(c.get("writer", "")),
        )
        for c in data["conversations"]
    ]


class Bot(Protocol):
    """What the player needs of the bot: say something, read the tracker."""

    def send(self, sender: str, channel: str, text: str) -> list[dict]: ...

    def tracker(self, sender: str) -> dict: ...


@dataclass
class Given:
    """An appointment booked before the conversation (``given: booking``)."""

    reference: str
    contact: str


@dataclass
class Result:
    conversation: Conversation
    reached: bool
    why: str  # what was missing (empty when reached)
    sent: int  # messages the player sent


def asked_slot(tracker: dict) -> str | None:
    """The slot the active form asks for now (None when no form waits for an answer)."""
    if not (tracker.get("active_loop") or {}).get("name"):
        return None
    return (tracker.get("slots") or {}).get("requested_slot")


class Player:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    def play(self, conv: Conversation, sender: str, given: Given | None = None) -> Result:
        fill = _Filler(conv, given)
        pending = [t for t in conv.turns if t.when_asked]
        sent = 0
        tracker: dict = {}

        def say(text: str) -> None:
            nonlocal sent, tracker
            self.bot.send(sender, conv.channel, fill.text(text, tracker))
            sent += 1
            tracker = self.bot.tracker(sender)
            if conv.outcome != "safety_reply" and _checked(tracker) and text != NOT_IN_DANGER:
                say(NOT_IN_DANGER)  # "is anyone in danger right now?": a caregiver answers
            elif conv.outcome == "booked" and _asked_if_booking(tracker) and text != YES_A_VISIT:
                say(YES_A_VISIT)  # not understood, asked back: the caregiver confirms

        for turn in conv.turns:
            if turn.when_asked:
                continue  # said when the bot asks for its key
            if turn.say is not None:
                say(turn.say)
                continue
            for _ in range(MAX_ANSWERS):
                slot = asked_slot(tracker)
                if slot is None:
                    break
                key = SLOT_KEYS.get(slot, slot)
                switch = next((t for t in pending if t.when_asked == key), None)
                if switch is not None:
                    pending.remove(switch)
                    say(switch.say or "")
                    continue
                answer = fill.answer(key)
                if answer is None:
                    why = f"asked for {key}, which the caregiver has no answer for"
                    return Result(conv, False, why, sent)
                say(answer)
            else:
                return Result(conv, False, "kept asking (more than 14 questions)", sent)
        why = judge(conv, tracker)
        return Result(conv, not why, why, sent)


class _Filler:
    """The caregiver's answers, one reflection answer at a time, placeholders filled."""

    def __init__(self, conv: Conversation, given: Given | None) -> None:
        self.answers = conv.answers
        self.given = given
        self.reflections: Iterator[str] = iter(
            [str(a) for a in conv.answers.get("reflection") or []]
        )

    def answer(self, key: str) -> str | None:
        if key == "reflection":
            return next(self.reflections, "skip")
        value = self.answers.get(key, DEFAULT_ANSWERS.get(key))
        return None if value is None else str(value)

    def text(self, text: str, tracker: dict) -> str:
        slots = tracker.get("slots") or {}
        reference = slots.get("booking_reference") or (self.given.reference if self.given else "")
        contact = self.given.contact if self.given else str(self.answers.get("contact", ""))
        text = text.replace("{reference}", str(reference)).replace("{contact}", contact)
        return playable_phone(text)


def _checked(tracker: dict) -> bool:
    """The bot's last turn was the gentle check ("is anyone in danger right now?")."""
    actions = [
        e.get("name")
        for e in tracker.get("events") or []
        if e.get("event") == "action" and e.get("name") != "action_listen"
    ]
    return bool(actions) and actions[-1] == "action_safety_check"


def _asked_if_booking(tracker: dict) -> bool:
    """The bot's last reply asked back whether a first visit was meant
    (actions/fallback.py), as a person would answer at once."""
    bots = [e for e in tracker.get("events") or [] if e.get("event") == "bot"]
    last = (bots[-1].get("metadata") or {}).get("utter_action") if bots else None
    return last == "utter_did_you_mean_booking"


def _events(tracker: dict) -> tuple[list[str], list[tuple[str, Any]]]:
    """The names of the actions and responses run, and the slots set, in order."""
    names: list[str] = []
    slots: list[tuple[str, Any]] = []
    for event in tracker.get("events") or []:
        kind = event.get("event")
        if kind == "action" and event.get("name") != "action_listen":
            names.append(str(event.get("name")))
        elif kind == "bot":
            names.append(str((event.get("metadata") or {}).get("utter_action") or ""))
        elif kind == "slot":
            slots.append((str(event.get("name")), event.get("value")))
    return names, slots


def _booked_after_verified(stages: list[Any]) -> bool:
    """A booking checked by reference and contact, then booked again (a new time)."""
    return "verified" in stages and "booked" in stages[stages.index("verified") :]


def reached(outcome: str, tracker: dict) -> bool:
    """Whether the tracker shows this outcome."""
    names, slots = _events(tracker)
    stages = [value for name, value in slots if name == "booking_stage"]
    manage = [value for name, value in slots if name == "manage_action"]
    checks = {
        "booked": "booked" in stages,
        "cancelled": "cancelled" in stages,
        "rescheduled": "reschedule" in manage and _booked_after_verified(stages),
        "person_requested": "action_create_handoff" in names,
        "reflection_done": "action_finish_reflection" in names,
        "reminder_set": "action_save_reminder" in names,
        "reminder_changed": names.count("action_save_reminder") >= 1,
        "reminders_stopped": "action_stop_reminders" in names,
        "reminders_listed": "action_show_reminders" in names,
        "safety_reply": any(n.startswith("utter_crisis_") for n in names),
        "answered": not FALLBACKS & set(names),
        "declined": not FALLBACKS & set(names),
    }
    return checks.get(outcome, False)


def judge(conv: Conversation, tracker: dict) -> str:
    """Empty when the conversation reached its outcome (and its ``also``), else why not."""
    missing = [o for o in [conv.outcome, *conv.also] if not reached(o, tracker)]
    names, _ = _events(tracker)
    if missing:
        # Where it stopped, by the name of the bot's last reply (never the words said):
        # a figure a blind set may show.
        last = next((n for n in reversed(names) if n.startswith("utter_")), "")
        return "did not reach " + ", ".join(missing) + (f" (last reply {last})" if last else "")
    if conv.outcome not in ("answered", "declined") and FALLBACKS & set(names):
        return "reached, but the bot fell back to not understanding on the way"
    return ""


def summary(results: list[Result]) -> dict[str, Any]:
    """Pass rate overall and per outcome (figures only: a blind set's turns stay unread)."""
    by_outcome: Counter = Counter()
    passed: Counter = Counter()
    reasons: Counter = Counter()
    for r in results:
        by_outcome[r.conversation.outcome] += 1
        passed[r.conversation.outcome] += r.reached
        if not r.reached:
            reasons[r.why] += 1
    total = len(results)
    return {
        "conversations": total,
        "pass_rate": sum(passed.values()) / total if total else 0.0,
        "by_outcome": {o: f"{passed[o]}/{n}" for o, n in sorted(by_outcome.items())},
        "why_not": dict(reasons.most_common()),
    }
