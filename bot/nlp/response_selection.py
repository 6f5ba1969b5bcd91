"""The ResponseSelector's output shape, written by our own topic classifier.

Why keep Rasa's shape: ``utter_faq`` (Rasa's retrieval action), the tracker's
``full_retrieval_intent_name``, ``rasa test nlu`` and the staff console all read the
chosen FAQ answer from there.
"""

from __future__ import annotations

from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.nlu.constants import INTENT_RESPONSE_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message


def response_selector_output(
    message: Message,
    retrieval_intent: str,
    ranked: list[tuple[str, float]],
    responses: dict[str, list[dict]],
    retrieval_intents: list[str],
) -> None:
    """Sets the chosen answer ("faq/cost") and its ranking on the message."""
    key, confidence = ranked[0]
    utter_action = f"utter_{key}"
    prediction = {
        RESPONSE_SELECTOR_PREDICTION_KEY: {
            RESPONSE_SELECTOR_RESPONSES_KEY: responses.get(utter_action, []),
            PREDICTED_CONFIDENCE_KEY: confidence,
            INTENT_RESPONSE_KEY: key,
            RESPONSE_SELECTOR_UTTER_ACTION_KEY: utter_action,
        },
        RESPONSE_SELECTOR_RANKING_KEY: [
            {PREDICTED_CONFIDENCE_KEY: float(p), INTENT_RESPONSE_KEY: str(k)} for k, p in ranked
        ],
    }
    properties = message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}
    properties[RESPONSE_SELECTOR_RETRIEVAL_INTENTS] = retrieval_intents
    properties[retrieval_intent] = prediction
    message.set(RESPONSE_SELECTOR_PROPERTY_NAME, properties, add_to_output=True)
