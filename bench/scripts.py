"""Scripted conversations: what simulated caregivers say, turn by turn.

The texts are the real dialogue of tests/test_booking_rest.py, tests/test_reflection_rest.py
and tests/stories, so the benchmark walks the same paths the tests prove work. Each
turn carries a kind (faq, smalltalk, booking, reflection) for per-kind latency, and an
optional text the reply should contain: a reply without it still counts as a reply (not
an error), but is reported as off-script, so a benchmark of the wrong path is visible.

The starter bot's conversations use its own intents (greet, moods, bot challenge,
goodbye): each is one intent answered by fixed responses, the equivalent of our FAQ
turn, so they are all of kind "faq".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

FALLBACK = "say it another way"  # our bot's "didn't understand" reply


@dataclass(frozen=True)
class Turn:
    kind: str
    text: str
    expect: tuple[str, ...] = ()  # any of these (case-insensitive) in the reply; () = any reply


@dataclass(frozen=True)
class Script:
    name: str
    turns: tuple[Turn, ...]


def faq_visit(n: int) -> Script:
    """A caregiver with questions about CPP: greeting, four questions, thanks."""
    return Script(
        "faq",
        (
            Turn("smalltalk", "hi there"),
            Turn("faq", "what is cpp", ("CPP",)),
            Turn("faq", "how many minutes does each session take", ("minute",)),
            Turn("faq", "how much do sessions cost and do you take medicaid", ("Medicaid",)),
            Turn("faq", "do you have therapists who speak spanish", ("Spanish",)),
            Turn("smalltalk", "thanks so much"),
        ),
    )


def faq_visit_2(n: int) -> Script:
    """A second FAQ conversation with other questions, ending with goodbye."""
    return Script(
        "faq2",
        (
            Turn("faq", "is there research showing cpp works"),
            Turn("faq", "what should i expect at our very first appointment"),
            Turn("faq", "do i need a doctor to refer us or can i call myself"),
            Turn("faq", "who can read what i write here"),
            Turn("smalltalk", "ok bye for now"),
        ),
    )


NAMES = ("Maria", "Keisha", "Tom", "Lin", "Sofia", "Dana", "Omar", "Grace")
RELATIONS = ("I'm his mom", "I'm her dad", "I'm his grandma", "I'm her aunt")
AGES = ("he's 3", "she is 2", "he's 4", "she's 5")
PREFERENCES = ("weekday mornings", "any time", "tuesday after 3")


def booking(n: int) -> Script:
    """A whole first-visit booking, varied by ``n`` so caregivers pick different times.

    Two caregivers may still choose the same time: the loser is told at once and
    offered fresh times (counted as a reply, as it is in production).
    """
    return Script(
        "booking",
        (
            Turn("booking", "I'd like to book a first visit", ("first name",)),
            Turn("booking", f"my name is {NAMES[n % len(NAMES)]}", ("related to the child",)),
            Turn("booking", RELATIONS[n % len(RELATIONS)], ("how old",)),
            Turn("booking", AGES[n % len(AGES)], ("what has been going on",)),
            Turn("booking", "he has nightmares since we moved", ("phone number or email",)),
            Turn("booking", f"312-555-01{n % 100:02d}", ("days and times",)),
            Turn("booking", PREFERENCES[n % len(PREFERENCES)], ("1. ",)),
            Turn("booking", str(1 + n % 3), ("You're booked", "someone else booked")),
        ),
    )


def reflection(n: int) -> Script:
    """A behaviour question that becomes a five-step reflection, saved and not shared."""
    return Script(
        "reflection",
        (
            Turn("reflection", "my 3 year old bites other kids at daycare, why?", ("reflect",)),
            Turn("reflection", "yes", ("what happened",)),
            Turn("reflection", "she bit a boy who took her truck", ("just before",)),
            Turn("reflection", "skip", ("feeling",)),
            Turn("reflection", "maybe she was scared he'd keep it", ("what did you feel",)),
            Turn("reflection", "I felt embarrassed and really frustrated", ("next time",)),
            Turn("reflection", "stay closer when she plays with the trucks", ("save",)),
            Turn("reflection", "yes", ("share",)),
            Turn("reflection", "no", ("saved",)),
        ),
    )


def starter_happy(n: int) -> Script:
    return Script(
        "starter_happy",
        (
            Turn("faq", "hello", ("How are you",)),
            Turn("faq", "I am feeling very good", ("carry on",)),
            Turn("faq", "are you a bot?", ("I am a bot",)),
            Turn("faq", "bye", ("Bye",)),
        ),
    )


def starter_sad(n: int) -> Script:
    return Script(
        "starter_sad",
        (
            Turn("faq", "hi", ("How are you",)),
            Turn("faq", "I am sad", ("cheer you up",)),
            Turn("faq", "yes", ("carry on",)),
            Turn("faq", "are you a human?", ("I am a bot",)),
            Turn("faq", "goodbye", ("Bye",)),
        ),
    )


def starter_sad_no(n: int) -> Script:
    return Script(
        "starter_sad_no",
        (
            Turn("faq", "good morning", ("How are you",)),
            Turn("faq", "not good", ("cheer you up",)),
            Turn("faq", "no", ("Bye",)),
        ),
    )


ScriptFactory = Callable[[int], Script]

# Our mix: half FAQ conversations, a quarter bookings, a quarter reflections.
OUR_SCRIPTS: tuple[ScriptFactory, ...] = (faq_visit, booking, faq_visit_2, reflection)
STARTER_SCRIPTS: tuple[ScriptFactory, ...] = (starter_happy, starter_sad, starter_sad_no)

# Texts for /model/parse alone (the NLU floor), the same FAQ turns as above.
OUR_PARSE_TEXTS = tuple(
    t.text for f in (faq_visit, faq_visit_2) for t in f(0).turns if t.kind == "faq"
)
STARTER_PARSE_TEXTS = tuple(t.text for f in STARTER_SCRIPTS for t in f(0).turns)


def conversation(scripts: tuple[ScriptFactory, ...], n: int) -> Script:
    """The ``n``-th conversation of a run: scripts in turn, each varied by ``n``."""
    return scripts[n % len(scripts)](n)


def is_fallback(reply: str) -> bool:
    return FALLBACK in reply.lower()
