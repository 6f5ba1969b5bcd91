"""Which answer a danger gets: the full protocol, the gentle check, or nothing.

Why apart from the component (bot.safety.component): these are the decisions measured
on the dev sets one by one (which layer may name a danger alone, what softens it to a
check, whose danger a weapon is), while the component runs the layers and writes the
verdict into the parse data. Plain functions over the layers' outputs, no Rasa.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.nlp.booking_words import ASKS_ABOUT_REMINDERS, STATED_WISH_TO_BOOK, asks_to_change
from bot.safety.asked import Asked, child_reading, sibling_story
from bot.safety.check_model import Concern
from bot.safety.detector import SafetyResult
from bot.safety.softeners import softeners

# Why the rules set a match aside that says the words meant something else (not "negated":
# "can't do this anymore" is distress, not a denial).
NOT_THAT_DANGER = {"child_is_the_doer", "figure_of_speech", "a_condition", "a_thing",
                   "hedged", "not_a_person", "waking_someone", "a_threat"}  # fmt: skip
# The n-gram model alone, unless sure, does not name a danger in so few words (the rules
# still do: "he hit me", "not breathing").
MAX_WORDS_MODEL_ALONE = 3
# In a short message the n-gram model alone, unless sure, gives the gentle check rather
# than the full protocol: "he lives with me and my boyfriend", "just me and the baby at
# home" and "she's 4 and her dad has her on weekends" scored 0.72-0.90 for a danger
# (words that crisis messages share), while the crises it alone finds are told at length.
MAX_WORDS_MODEL_UNSURE = 12


@dataclass(frozen=True)
class TierPolicy:
    """The component's thresholds (config.yml, chosen on the dev sets)."""

    full_confidence: float  # the n-gram probability from which its danger stands alone
    check_threshold: float  # the encoder's concern from which a message is checked
    agree_confidence: float = 1.0  # with the encoder agreeing, the n-gram model's danger
    agree_concern: float = 1.0  # ... from these two scores (layers_agree)


# The encoder's concern and the n-gram model's lean, agreeing, keep the gentle check
# after a plain request or "I'm safe" (KEEP_CHECK_*; layers_agree): a long message that
# asks to move Thursday and says, in one sentence, that pills are being saved "to not
# wake up" had its check dropped as a reschedule request (dev set dev_blind6,
# 2026-12-07). On the dev safety and NLU sets (5,400 messages): two more dangers
# checked, no hard negative or everyday message more.
KEEP_CHECK_CONFIDENCE = 0.5
KEEP_CHECK_CONCERN = 0.93


def layers_agree(
    leans_to: str | None,
    model_confidence: float,
    concern: Concern,
    confidence: float,
    concern_score: float,
) -> bool:
    """Whether the n-gram model and the encoder, each below its own threshold, name the
    same danger with these scores (and the encoder does not read it as ambiguous).

    Why: each learnt layer alone is unsure of indirect danger ("her inhaler isn't doing
    anything... sucking in under her ribs", "40 of my xanax counted out on the counter
    rn"), and each alone also leans to danger on hard negatives; measured on the dev
    safety sets, they rarely agree on the same category for a calm message.
    """
    return (
        leans_to is not None
        and leans_to == concern.category
        and not concern.ambiguous
        and model_confidence >= confidence
        and concern.score >= concern_score
    )


def too_few_words(
    text: str, found: SafetyResult, model_confidence: float, policy: TierPolicy
) -> bool:
    """Whether the n-gram model's danger, alone and unsure, stands on too few words:
    "he's 2" to the age question scored 0.68 for violence at home."""
    return (
        not found.category
        and len(text.split()) <= MAX_WORDS_MODEL_ALONE
        and model_confidence < policy.full_confidence
    )


def model_names_the_danger(
    found: SafetyResult, named: str | None, model_confidence: float, policy: TierPolicy
) -> bool:
    """Whether the model's category (``named``) should name a danger the rules found
    only secondarily (a weapon, an adult passed out).

    Self-harm at any confidence: a weapon with the model leaning to the caregiver's own
    danger is theirs ("bought a gun today... won't be needing it"; measured on the
    helper-written dev sets, 2026-12-06). A child or violence only when the model is sure.
    """
    if named is None or named == found.category:
        return False
    return named == "self_harm" or (
        named in ("harm_to_child", "domestic_violence")
        and model_confidence >= policy.full_confidence
    )


def tier_for(
    text: str,
    category: str | None,
    model_confidence: float,
    evidence: list[str],
    concern: Concern,
    policy: TierPolicy,
) -> dict[str, Any]:
    """Full protocol, a gentle check, or nothing; and what a check is about.

    A danger found by the rules or the n-gram model is the full protocol, unless words
    beside it soften it (it did not happen, it is over, "what if", a joke:
    bot.safety.softeners), or the encoder reads the message as ambiguous rather than as
    that danger and the n-gram model is not sure either (under ``full_confidence``):
    then it is the check. Without a danger, the encoder's concern over
    ``check_threshold`` is the check.
    """
    if category:
        softened_by = softeners(text, evidence, worst=concern.sentence)
        if softened_by:
            return {"tier": "check", "check_category": category, "softened": True,
                    "softened_by": softened_by, "check_score": concern.score}  # fmt: skip
        if concern.ambiguous and model_confidence < policy.full_confidence:
            return {"tier": "check", "check_category": category,
                    "check_score": concern.score, "softened": True}  # fmt: skip
        return {"tier": "full", "check_score": concern.score}
    if concern.score >= policy.check_threshold:
        return {"tier": "check", "check_category": concern.category,
                "check_score": concern.score}  # fmt: skip
    return {"tier": None, "check_score": concern.score}


def in_context(
    tier: dict[str, Any],
    text: str,
    category: str,
    source: str | None,
    found: SafetyResult,
    asked: Asked,
    model_confidence: float,
    policy: TierPolicy,
) -> dict[str, Any]:
    """A full-protocol danger that its context makes a gentle check, else ``tier``.

    What only the n-gram model saw where the rules read the same danger as past ("before
    I was around"); inside a story about the child, and a child hurting a baby or a
    sibling told cold (bot.safety.asked).
    """
    # The rules read words of the same danger and set them aside as something else
    # ("kicks me" by a toddler, "killing me" in jest, "his seizure meds"): the n-gram
    # model alone, unsure, does not overrule them to the full protocol.
    set_aside = [
        why for cat, _, why in found.set_aside if cat == category and why in NOT_THAT_DANGER
    ]
    if source == "model" and category in found.past:
        why = "past"
    elif source == "model" and set_aside and model_confidence < policy.full_confidence:
        why = set_aside[0]
    elif (
        source == "model"
        and len(text.split()) <= MAX_WORDS_MODEL_UNSURE
        and model_confidence < policy.full_confidence
    ):
        why = "model_alone_short"
    elif (
        source == "model"
        and model_confidence < policy.full_confidence
        and (
            STATED_WISH_TO_BOOK.search(text)
            or asks_to_change(text)
            or ASKS_ABOUT_REMINDERS.search(text)
        )
    ):
        # A story told to book (or to cancel) a visit, which only the n-gram model, unsure,
        # read as danger ("he cry all the night and he hold me very strong... I want to
        # make appointment for him" got the abuse hotline, dev set bc28; "my dad had
        # surgery... flying out with the kids... so pls cancel our appointment", bc32):
        # asked "is anyone in danger right now?" instead. So is one that asks about the
        # reminders ("...we do it together anyway. stop texting me the reminders pls"
        # got the suicide reply, dev set bc36).
        why = "asks_about_a_visit"
    elif (
        source == "model"
        and model_confidence < policy.full_confidence
        and asked.form
        and asked.slot
        and not asked.about_the_child
    ):
        # An answer to a plain question of a form (days and times, a contact, a name),
        # which only the n-gram model, unsure, read as danger: "hold on, let me ask my
        # husband which days he can do, he wants to come too" at "what days and times
        # work?" got the violence-at-home reply and the booking was lost (dev set bc33).
        why = f"asked:{asked.slot}"
    elif child_reading(asked, category, source, text):
        why = f"asked:{asked.slot or asked.form}"
    elif sibling_story(category, source, text):
        why = "sibling_story"
    else:
        return tier
    return {**tier, "tier": "check", "check_category": category, "softened": True,
            "softened_by": [why]}  # fmt: skip
