"""The safety component's verdict and the intent the dialogue then sees.

The trained ranking is written by hand here, so each case pins one rule of how the
two layers combine; the spaCy pipeline (rule layer) is the real one.
"""

from __future__ import annotations

import pytest
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.safety.component import SAFETY, SafetyClassifier


@pytest.fixture(scope="module")
def component() -> SafetyClassifier:
    return SafetyClassifier({**SafetyClassifier.get_default_config(), "model_threshold": 0.65})


def _parse(component, nlp, text: str, ranking: list[tuple[str, float]]) -> Message:
    ranked = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message = Message(data={TEXT: text, INTENT: ranked[0], INTENT_RANKING_KEY: ranked})
    component.process([message], SpacyModel(model=nlp, model_name="cpp_en"))
    return message


def test_a_sure_crisis_pick_is_a_crisis(component, nlp):
    message = _parse(
        component, nlp, "everything feels heavy today", [("self_harm", 0.9), ("greet", 0.1)]
    )
    assert message.get(INTENT) == {"name": "self_harm", "confidence": 1.0}
    assert message.get(SAFETY)["category"] == "self_harm"
    assert message.get(SAFETY)["source"] == "model"


def test_an_unsure_crisis_pick_gives_way_to_a_clear_next_intent(component, nlp):
    message = _parse(
        component,
        nlp,
        "she spits up after every feed",
        [("medical_emergency", 0.55), ("medical_question", 0.52), ("greet", 0.01)],
    )
    assert message.get(INTENT)["name"] == "medical_question"
    assert message.get(SAFETY)["category"] is None
    assert message.get(SAFETY)["model_confidence"] == pytest.approx(0.55)
    assert all(r["name"] != "medical_emergency" for r in message.get(INTENT_RANKING_KEY))


def test_an_unsure_crisis_pick_with_no_clear_alternative_is_a_fallback(component, nlp):
    # Rasa's FallbackClassifier has already put nlu_fallback first (top pick under 0.5).
    message = _parse(
        component,
        nlp,
        "it has been a strange week",
        [("nlu_fallback", 0.5), ("domestic_violence", 0.45), ("faq", 0.3)],
    )
    assert message.get(INTENT)["name"] == "nlu_fallback"
    assert message.get(SAFETY)["category"] is None


def test_the_rules_catch_what_the_model_is_unsure_of(component, nlp):
    message = _parse(
        component,
        nlp,
        "i want to kill myself tonight",
        [("self_harm", 0.3), ("caregiver_stress", 0.25)],
    )
    assert message.get(INTENT) == {"name": "self_harm", "confidence": 1.0}
    assert message.get(SAFETY)["source"] == "rules"


def test_ordinary_picks_are_left_alone(component, nlp):
    message = _parse(component, nlp, "how much does it cost", [("faq", 0.97), ("greet", 0.01)])
    assert message.get(INTENT) == {"name": "faq", "confidence": 0.97}
    assert message.get(SAFETY)["category"] is None
