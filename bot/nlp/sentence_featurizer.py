"""A Rasa dense featurizer: the sentence encoder's vector of each message's request.

It gives every message (training examples and live ones) one sentence-level feature,
the encoder's vector of the text with any opening greeting set aside
(bot.nlp.segments), so "hi, do u take medicaid" and "do u take medicaid" look alike to
every classifier after it. It needs no training; the encoder's weights are part of
its fingerprint, so a new encoder retrains what depends on it.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import FEATURIZER_CLASS_ALIAS
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlp import encoder
from bot.nlp.segments import segment
from bot.nlp.spelling import correct_request_words, spelling_fingerprint

NAME = "SentenceEmbeddingFeaturizer"
logger = logging.getLogger(__name__)


def main_texts(messages: list[Message]) -> list[str]:
    """The part of each message that is encoded: the request, greeting set aside, with
    misspelled request words fixed (bot.nlp.spelling)."""
    return [correct_request_words(segment(m.get(TEXT)).main or m.get(TEXT)) for m in messages]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds the encoder's 384-d sentence feature to TEXT (no sequence features)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # The alias names its features, so the classifiers after it can ask for them.
        return {**DenseFeaturizer.get_default_config(), FEATURIZER_CLASS_ALIAS: NAME}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Nothing to check: the encoder has no settings here."""

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str:
        return encoder.fingerprint() + spelling_fingerprint()

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEmbeddingFeaturizer:
        return cls(config, execution_context.node_name)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        messages = [m for m in training_data.training_examples if m.get(TEXT)]
        logger.info("Encoding %d training messages", len(messages))
        vectors = encoder.get_encoder().encode_many(main_texts(messages))
        for message, vector in zip(messages, vectors, strict=True):
            self._add(message, vector)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        with_text = [m for m in messages if m.get(TEXT)]
        if with_text:
            vectors = encoder.get_encoder().encode(main_texts(with_text))
            for message, vector in zip(with_text, vectors, strict=True):
                self._add(message, vector)
        return messages

    def _add(self, message: Message, vector: np.ndarray) -> None:
        self.add_features_to_message(None, vector.reshape(1, -1), TEXT, message)
