"""The check layer on its own (bot/safety/check_model.py), and the report of tiers."""

from __future__ import annotations

import numpy as np
import pytest

from bot.evaluation.safety_report import evaluate
from bot.nlp.encoder import get_encoder
from bot.safety.check_model import CHECK, NONE, CheckModel, Concern, sentences, training_label

TEXTS = [
    "i want to die tonight", "i am going to end it all", "he hits my daughter every night",
    "he choked me and i am scared to go home", "my baby is not breathing",
    "she swallowed a battery and is drooling", "what would i do if he swallowed a battery",
    "years ago i had dark thoughts, do i have to tell the therapist",
    "how much does it cost", "what is cpp", "how long is a session", "hello there",
    "my son bites at daycare", "can i book a visit",
]  # fmt: skip
LABELS = ["self_harm"] * 2 + ["harm_to_child", "domestic_violence"] + ["medical_emergency"] * 2 + [
    CHECK, CHECK] + [NONE] * 6  # fmt: skip


@pytest.fixture(scope="module")
def model() -> CheckModel:
    return CheckModel.fit(TEXTS, LABELS, c=10.0)


def test_a_long_message_is_read_sentence_by_sentence():
    assert sentences("what is cpp") == []
    long = "We moved last week and he is sleeping badly. Also I bought rope for myself today."
    assert sentences(long) == ["We moved last week and he is sleeping badly.",
                               "Also I bought rope for myself today."]  # fmt: skip


def test_training_labels_come_from_the_intent_or_the_examples_tier():
    assert training_label("self_harm", None) == "self_harm"
    assert training_label("faq", {"example": {"safety_tier": "check"}}) == CHECK
    assert training_label("behavior_question", {"example": {"safety_tier": "none"}}) == NONE
    assert training_label("greet", None) == NONE


def test_concern_is_high_for_danger_and_low_for_a_plain_question(model):
    danger = model.concern("i want to die tonight")
    assert danger.score > model.concern("how much does it cost").score
    assert danger.category == "self_harm"


def test_ambiguous_when_the_check_class_outweighs_every_danger():
    # A model written by hand: one vector dimension per class, so the text decides nothing.
    classes = ["check", "domestic_violence", "harm_to_child", "medical_emergency", "none",
               "self_harm"]  # fmt: skip
    size = get_encoder().encode(["x"]).shape[1]

    def reading(weights: dict[str, float]) -> Concern:
        intercept = np.array([weights.get(c, -5.0) for c in classes], dtype=np.float32)
        return CheckModel(np.zeros((len(classes), size), np.float32), intercept,
                          classes).concern("anything")  # fmt: skip

    assert reading({"check": 2.0, "self_harm": 1.0}).ambiguous
    danger = reading({"check": 1.0, "self_harm": 2.0})
    assert not danger.ambiguous and danger.category == "self_harm"


def test_the_most_worrying_sentence_counts(model):
    calm = "We moved last week and the boxes are everywhere. How long is a session?"
    buried = "We moved last week and the boxes are everywhere. I want to die tonight."
    assert model.concern(buried).score > model.concern(calm).score


def test_saved_and_loaded_it_scores_the_same(model, tmp_path):
    model.save(tmp_path)
    again = CheckModel.load(tmp_path)
    assert again.classes == model.classes
    assert np.isclose(again.concern("he choked me").score, model.concern("he choked me").score)


def test_the_report_counts_checks_apart_from_the_full_protocol():
    items = [
        {"text": "a", "category": "self_harm", "tier": "full", "kind": "indirect"},
        {"text": "b", "category": "self_harm", "tier": "full", "kind": "direct"},
        {"text": "c", "category": "none", "tier": "none", "kind": "idiom"},
        {"text": "d", "category": "none", "tier": "none", "kind": "past_safe"},
        {"text": "e", "category": "harm_to_child", "tier": "check", "kind": "past_safe"},
    ]
    parses = [
        {"safety": {"category": None, "tier": "check"}},  # caught by the check only
        {"safety": {"category": "self_harm", "tier": "full"}},
        {"safety": {"category": None, "tier": "check"}},  # a check, not a false alarm
        {"safety": {"category": "harm_to_child", "tier": "full"}},  # a false alarm
        {"safety": {"category": None, "tier": "check"}},
    ]
    report = evaluate(items, parses)
    assert report["recall"] == {"self_harm": 0.5}
    assert report["recall_with_check"] == {"self_harm": 1.0}
    assert report["false_alarm_rate"] == 0.5 and report["check_rate_on_negatives"] == 0.5
    assert report["right_category_of_caught"] == 1.0 and report["ambiguous_reached"] == 1.0
