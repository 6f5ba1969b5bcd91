"""The trained crisis classifier on its own: learning, scoring, and safe persistence."""

from __future__ import annotations

import pytest
import skops.io as sio

from bot.safety.crisis_model import DETECTOR_FILE, CrisisModel

TEXTS = [
    "i want to die", "i will kill myself tonight", "i cut myself again",
    "he is hitting my daughter right now", "he hit my son again with a belt",
    "my partner choked me and i am scared to go home", "he threatens to kill me",
    "my baby is not breathing", "she swallowed pills and won't wake up",
    "how much does it cost", "what is cpp", "how long is a session",
    "my son bites at daycare", "hello there", "thanks so much", "can i book a visit",
    "this tantrum is killing me", "i would never hurt him",
]  # fmt: skip
INTENTS = (
    ["self_harm"] * 3 + ["harm_to_child"] * 2 + ["domestic_violence"] * 2
    + ["medical_emergency"] * 2 + ["faq"] * 3 + ["behavior_question", "greet", "thank",
    "book_appointment", "caregiver_stress", "caregiver_stress"]
)  # fmt: skip


@pytest.fixture(scope="module")
def model() -> CrisisModel:
    return CrisisModel.fit(TEXTS, INTENTS, c=10.0)


def test_crisis_messages_score_higher_than_ordinary_ones(model):
    crisis = model.probability("i want to kill myself")
    category = model.category("i want to kill myself")
    ordinary = model.probability("how much is a session")
    assert crisis > 0.5 > ordinary
    assert category == "self_harm"


def test_the_category_follows_the_words(model):
    assert model.category("he hits me and i am scared to go home") == "domestic_violence"
    assert model.category("she is not breathing") == "medical_emergency"


def test_fitting_needs_both_kinds_of_example():
    with pytest.raises(ValueError, match="crisis and non-crisis"):
        CrisisModel.fit(["hello", "thanks"], ["greet", "thank"], c=10.0)


def test_a_saved_model_scores_the_same_after_loading(model, tmp_path):
    model.save(tmp_path)
    loaded = CrisisModel.load(tmp_path)
    for text in ("i want to die", "what is cpp", "he hit her again"):
        assert loaded.probability(text) == pytest.approx(model.probability(text))
        assert loaded.category(text) == model.category(text)


def test_a_file_holding_untrusted_types_is_refused(model, tmp_path):
    model.save(tmp_path)
    # A file that would run arbitrary code on loading if it were trusted blindly.
    sio.dump({"payload": pytest.approx}, tmp_path / DETECTOR_FILE)
    with pytest.raises(ValueError, match="not trusted"):
        CrisisModel.load(tmp_path)


def test_the_fast_scores_equal_the_pipelines(model):
    texts = ["i want to die", "my son bite me", "what be the cost", "he hit my mom"]
    for text in texts:
        assert model.probability(text) == pytest.approx(
            model.detector.predict_proba([text])[0, 1], abs=1e-9
        )
    crises = ["i want to die", "he hit my mom", "she be not breathe"]
    assert [model.category(t) for t in crises] == list(model.categorizer.predict(crises))
