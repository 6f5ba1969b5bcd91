"""How a message of several parts is read: which part is the request, and a second ask.

Why apart from the classifier: these are reading rules over label probabilities (the
whole message's and each part's, bot.nlp.segments), measured on the dev sets one by
one; the classifier (bot.nlp.intent_topic) only computes the probabilities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from bot.nlp.booking_words import ASKS_FOR_A_PERSON, STATED_WISH_TO_BOOK
from bot.nlp.segments import gives_only_a_contact, is_question
from bot.safety import CATEGORIES

# Labels that do not make a part of a message its request: what surrounds one ("hi",
# "my son is 4", "he bites"). Crisis labels are left to the safety layer.
NOT_A_REQUEST = frozenset(
    {"greet", "thank", "goodbye", "affirm", "deny", "inform", "share_moment",
     "behavior_question", "caregiver_stress", "out_of_scope", *CATEGORIES}
)  # fmt: skip
YES_NO = frozenset({"affirm", "deny"})
# Readings of a message that tells rather than asks, and the parts that ask for help
# getting in: such a part decides ("...since her mom and I split. can i get her in w
# someone", "...how can i get ahold of someone"). Not a part asking whether CPP fits or
# what to do: the answer to the story covers those (measured on the dev sets: letting
# every question part decide cost behaviour and stress messages more than it gained).
DESCRIPTIONS = frozenset({"behavior_question", "caregiver_stress", "share_moment"})
GETTING_HELP = frozenset({"book_appointment", "request_person", "cancel_booking",
                          "reschedule_booking", "set_reminder", "start_reflection",
                          "faq/contact", "faq/referrals"})  # fmt: skip
# Requests the dialogue carries out after answering an FAQ question asked with them
# (data/rules/booking.yml: book_appointment with an also_asked entity).
ACTS_AFTER_AN_ANSWER = frozenset({"book_appointment"})


@dataclass(frozen=True)
class Reading:
    """What the classifier made of a message: label probabilities, and a second ask."""

    probabilities: np.ndarray  # over `labels`, for the message's request
    also: tuple[str, float, int, int] | None  # label, confidence, start, end in the text


# "how do we start?", "how do we get started", "how do i sign him up": the bot's answer
# is to start, not to explain who may refer a family (dev set bc23: after a story, "how
# do we get started?" got the referral answer and an offer instead of the booking).
_HOW_TO_START = re.compile(
    r"\bhow (?:do|can|would|should) (?:we|i) (?:start|begin|get (?:started|going|him in|her in|"
    r"them in|in|seen)|sign (?:up|him up|her up|them up))\b",
    re.I,
)
# The answers such a question was read as: who refers families, the phases of CPP.
START_TOPICS = ("referrals", "phases")


def asks_how_to_start(text: str, label: str, faq_intent: str) -> bool:
    """A question how to begin, read as one of those answers: a booking instead."""
    topics = {f"{faq_intent}/{topic}" for topic in START_TOPICS}
    return label in topics and bool(_HOW_TO_START.search(text))


def states_a_wish_to_book(text: str, label: str, faq_intent: str) -> bool:
    """A question about CPP read from a message that says plainly it wants to book."""
    return label.startswith(f"{faq_intent}/") and bool(STATED_WISH_TO_BOOK.search(text))


def read_parts(
    labels: np.ndarray,
    whole: np.ndarray,
    per_part: np.ndarray,
    parts: list[str],
    text: str,
    *,
    part_threshold: float,
    also_threshold: float,
    faq_intent: str,
) -> Reading:
    """The request's label probabilities and second ask, from the whole and its parts."""
    requests = [
        (float(p.max()), i, str(labels[p.argmax()]))
        for i, p in enumerate(per_part)
        if labels[p.argmax()] not in NOT_A_REQUEST and not gives_only_a_contact(parts[i])
    ]
    # Context around the question must not decide ("my daughter is 4 and saw a lot
    # of fighting. how often do we come?"): the parts that ask something come
    # first. Unless the whole message's reading is one of their readings, the most
    # confident of them is the message's request.
    asked = [r for r in requests if is_question(parts[r[1]])] or requests
    probabilities = whole
    whole_label = str(labels[whole.argmax()])
    # When the whole agrees with a part, that part says it more surely ("Thank you.
    # I'd like to schedule the first visit. I'm his mother, Dana."): the facts around
    # it only dilute the whole's confidence.
    agreeing = [r for r in asked if r[2] == whole_label]
    # A message of several sentences read as a bare yes or no ("Oh no, that's his court
    # date. Can you cancel WG-KPJCCM?") is read by the question it asks.
    bare_reply = whole_label in YES_NO and any(is_question(p) for p in parts)
    # A story read whole as a description ("she's been hitting and biting since her
    # mom and I split. can i get her in w someone") is read by the request it makes.
    acts = [r for r in asked if r[2] in GETTING_HELP] if whole_label in DESCRIPTIONS else []
    surest_act = max(acts, default=None)
    if surest_act and surest_act[0] >= part_threshold:
        probabilities = per_part[surest_act[1]]
    elif asked:
        confidence, index, _ = max(agreeing or asked)
        surer = confidence > whole.max() or (bare_reply and not agreeing)
        if confidence >= part_threshold and surer:
            probabilities = per_part[index]
    main = str(labels[probabilities.argmax()])
    also = [r for r in requests if r[2] != main and r[0] >= also_threshold]
    if not also:
        return Reading(probabilities, None)
    confidence, index, label = max(also)
    if main.startswith(f"{faq_intent}/") and label in ACTS_AFTER_AN_ANSWER:
        # "I'd like to book. do you take medicaid?": the dialogue can answer a question
        # asked beside a booking and then book, not book and then answer. So the
        # booking is the request and the question the second ask.
        probabilities = per_part[index]
        asked_main = [r for r in requests if r[2] == main]
        main, label = label, main
        confidence, index = (asked_main[0][0], asked_main[0][1]) if asked_main else (0.0, -1)
    if index < 0:
        return Reading(probabilities, (label, confidence, 0, len(text)))
    part = parts[index]
    start = text.find(part)
    return Reading(probabilities, (label, confidence, start, start + len(part)))


def call_asked_beside(text: str, label: str) -> tuple[str, float, int, int] | None:
    """A call asked for beside a question ("I need speak with somebody in spanish...
    My name Rosa, number 312 619 0042"), as a second ask, when nothing else marked one:
    the question is answered, then the request for a person is taken down."""
    match = ASKS_FOR_A_PERSON.search(text) if label.startswith("faq/") else None
    return ("request_person", 1.0, match.start(), match.end()) if match else None
