"""The safety layer inside Rasa's NLU pipeline.

Runs after the trained classifiers on every message and combines two layers:
the rule layer (bot.safety.detector) and the trained crisis intents. A message
is a crisis if EITHER says so; the rules can never veto the model. On a crisis
the intent becomes the category (confidence 1.0), so the crisis rules answer
it from any point in the conversation. A crisis intent the model ranks first
below ``model_threshold`` (and the rules did not confirm) is not a crisis: it is
replaced by the next intent, or ``nlu_fallback`` when that one is unclear too,
so what the dialogue does always matches the ``safety`` verdict. Every message
gets a ``safety`` entry in its parse data: category, source and evidence, or
the past-context mentions.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.safety import CATEGORIES
from bot.safety.detector import SafetyDetector

SAFETY = "safety"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False, model_from="SpacyNLP"
)
class SafetyClassifier(GraphComponent, IntentClassifier):
    """Marks crisis messages with their category and evidence, from rules or the model."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # A crisis intent the trained classifier ranks first at or above this confidence
        # counts even when the FallbackClassifier would have called the message unclear.
        # Below it the pick is replaced by the next intent, or by "nlu_fallback" when that
        # one is under fallback_threshold (the FallbackClassifier's threshold).
        return {"model_threshold": 0.4, "fallback_threshold": 0.5}

    def __init__(self, config: dict[str, Any]) -> None:
        self._threshold = float(config["model_threshold"])
        self._fallback_threshold = float(config["fallback_threshold"])
        self._detector: SafetyDetector | None = None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyClassifier:
        return cls(config)

    def _detector_for(self, model: SpacyModel) -> SafetyDetector:
        if self._detector is None:
            self._detector = SafetyDetector(model.model)
        return self._detector

    def process(self, messages: list[Message], model: SpacyModel) -> list[Message]:
        detector = self._detector_for(model)
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            found = detector.detect(text)
            model_category, model_confidence = self._model_category(message)
            category = found.category or model_category
            if found.category and model_category:
                source = "both"
            else:
                source = "rules" if found.category else "model" if model_category else None
            info = {
                "category": category,
                "source": source,
                "evidence": found.evidence,
                "past": found.past,
                "model_confidence": model_confidence,
            }
            message.set(SAFETY, info, add_to_output=True)
            if not category and model_confidence:
                self._demote(message)
            if category:
                ranking = [
                    r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != category
                ]
                message.set(INTENT, {"name": category, "confidence": 1.0}, add_to_output=True)
                message.set(
                    INTENT_RANKING_KEY,
                    [{"name": category, "confidence": 1.0}, *ranking],
                    add_to_output=True,
                )
        return messages

    def _demote(self, message: Message) -> None:
        """An unsure crisis pick gives way to the next intent, or to nlu_fallback."""
        ranking = [
            r
            for r in message.get(INTENT_RANKING_KEY) or []
            if r.get("name") not in CATEGORIES and r.get("name") != "nlu_fallback"
        ]
        best = ranking[0] if ranking else None
        if best is None or float(best.get("confidence", 0.0)) < self._fallback_threshold:
            confidence = 1.0 - (best or {}).get("confidence", 0.0)
            best = {"name": "nlu_fallback", "confidence": confidence}
        message.set(INTENT, best, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [best, *ranking], add_to_output=True)

    def _model_category(self, message: Message) -> tuple[str | None, float]:
        # The FallbackClassifier puts "nlu_fallback" first; the trained pick is the next one.
        ranking = [
            r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != "nlu_fallback"
        ]
        if not ranking or ranking[0].get("name") not in CATEGORIES:
            return None, 0.0
        top = ranking[0]
        confidence = float(top.get("confidence", 0.0))
        return (top["name"] if confidence >= self._threshold else None), confidence
