"""The safety layer inside Rasa's NLU pipeline.

Runs after the intent classifiers on every message and combines two layers: the
rule layer (bot.safety.detector) and the trained crisis model (bot.safety.crisis_model),
which learns from the crisis intents' examples. A message is a crisis if EITHER
says so (the model at ``model_threshold`` or above); the rules can never veto the
model. On a crisis the intent becomes the category (confidence 1.0), so the crisis
rules answer it from any point in the conversation. When neither layer says crisis
but DIET still ranked a crisis intent first, that pick is replaced by the next
intent, or ``nlu_fallback`` when that one is unclear too, so what the dialogue does
always matches the ``safety`` verdict. Every message gets a ``safety`` entry in its
parse data: category, source and evidence, or the past-context mentions. A message
that mentions danger only as past context also gets a ``past_danger`` entity, so the
dialogue rules call the FAQ follow-up (its gentle line about help) only then.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_RANKING_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlp import encoder
from bot.nlp.ngram_classifier import LinearClassifierComponent
from bot.nlp.on_screen import answer_on_screen
from bot.safety import CATEGORIES
from bot.safety.asked import asked_in
from bot.safety.check_model import CheckModel, training_label
from bot.safety.crisis_model import CrisisModel
from bot.safety.detector import SafetyDetector, SafetyResult
from bot.safety.tiers import (
    KEEP_CHECK_CONCERN,
    KEEP_CHECK_CONFIDENCE,
    TierPolicy,
    in_context,
    layers_agree,
    model_names_the_danger,
    tier_for,
    too_few_words,
)

SAFETY = "safety"
# The intents of a message that gets the gentle check: a danger the rules or the n-gram
# model found but the encoder reads as ambiguous (it interrupts a form too), or only the
# encoder's concern (outside forms; inside one the answer goes to the form, since a
# reflection or a booking is where caregivers describe hard moments).
SAFETY_CHECK = "safety_check"
SAFETY_CONCERN = "safety_concern"
# "I'm safe" is never asked "is anyone in danger?"; nor is a plain request about an
# appointment or reminders on the encoder's concern alone ("we're moving in with my mom
# next month, so I need to cancel"): a danger the rules or the n-gram model find in it
# is still checked or answered in full.
NO_CHECK_AFTER = {
    "i_am_safe", "cancel_booking", "reschedule_booking", "set_reminder", "stop_reminders",
    "ask_reminders", "choose_slot",
}  # fmt: skip
# A short, plain request or answer the classifier is sure of is not checked on the
# encoder's concern alone either ("yeah i think i want to book something", "Are you a
# robot? I prefer to talk with a real person please. I am Samira." were asked "is anyone
# in danger?", dev set bc26/bc27, 2026-12-07). Measured on the safety dev sets, no crisis
# reached only by the encoder's concern was this short with one of these intents.
PLAIN_REQUESTS = {
    "book_appointment", "request_person", "faq", "inform", "deny", "affirm", "stop_form",
    "start_reflection", "what_can_you_do", "bot_challenge", "show_reflections", "greet",
    "thank", "goodbye",
}  # fmt: skip
PLAIN_MAX_WORDS, PLAIN_MIN_CONFIDENCE = 16, 0.8
PAST_DANGER = "past_danger"  # entity: danger mentioned as past context (domain.yml)
logger = logging.getLogger(__name__)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True, model_from="SpacyNLP"
)
class SafetyClassifier(LinearClassifierComponent, IntentClassifier):
    """Marks crisis messages with their category and evidence, from rules or the model."""

    # The code that decides what the trained layer learns.
    TRAINING_CODE = ("safety/__init__.py", "safety/component.py", "safety/crisis_model.py",
                     "safety/check_model.py", "safety/detector.py", "safety/context.py",
                     "safety/context_words.py", "safety/word_classes.py",
                     "safety/lexicon.py", "safety/normalize.py", "nlp/ngram_classifier.py",
                     "nlp/ages.py")  # fmt: skip

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str:
        return super().fingerprint_addon(config) + encoder.fingerprint()

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # model_threshold: the crisis model's probability from which a message is a crisis
        # even when the rules are silent (chosen on the dev set, README, Safety).
        # fallback_threshold: the FallbackClassifier's; a demoted crisis pick becomes
        # "nlu_fallback" when the next intent is under it. C: the model's regularisation.
        # check_threshold: the check layer's concern from which an otherwise calm message
        # gets the gentle "is anyone in danger right now?" (chosen on the dev sets).
        # full_confidence: the n-gram probability from which its danger stands even when
        # the encoder reads the message as ambiguous (chosen on the dev sets).
        # agree_confidence, agree_concern: the n-gram model's lean and the encoder's concern
        # from which, naming the same danger, they give it (bot.safety.tiers.layers_agree).
        return {
            "model_threshold": 0.7,
            "fallback_threshold": 0.4,
            "C": 10.0,
            "check_threshold": 0.85,
            "check_C": 10.0,
            "full_confidence": 0.9,
            "agree_confidence": 0.6,
            "agree_concern": 0.9,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage | None = None,
        resource: Resource | None = None,
        crisis_model: CrisisModel | None = None,
        check_model: CheckModel | None = None,
    ) -> None:
        super().__init__(config, model_storage, resource)
        self._policy = TierPolicy(
            full_confidence=float(config["full_confidence"]),
            check_threshold=float(config["check_threshold"]),
            agree_confidence=float(config["agree_confidence"]),
            agree_concern=float(config["agree_concern"]),
        )
        self._check_model = check_model
        self._threshold = float(config["model_threshold"])
        self._fallback_threshold = float(config["fallback_threshold"])
        self._crisis_model = crisis_model
        self._detector: SafetyDetector | None = None

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SafetyClassifier:
        # No silent rules-only mode: a model without its trained layer must not serve.
        with model_storage.read_from(resource) as directory:
            crisis_model = CrisisModel.load(directory)
            check_model = CheckModel.load(directory)
        return cls(config, model_storage, resource, crisis_model, check_model)

    def train(self, training_data: TrainingData, model: SpacyModel) -> Resource:
        """Fits the crisis model on every intent example (crisis intents against the rest)."""
        detector = self._detector_for(model)
        examples = [m for m in training_data.intent_examples if m.get(TEXT) and m.get(INTENT)]
        logger.info("Training the crisis model on %d examples", len(examples))
        self._crisis_model = CrisisModel.fit(
            [detector.lemma_text(m.get(TEXT)) for m in examples],
            [m.get(INTENT) for m in examples],
            c=float(self._config["C"]),
        )
        logger.info("Training the check layer on the encoder's vectors")
        self._check_model = CheckModel.fit(
            [m.get(TEXT) for m in examples],
            [training_label(m.get(INTENT), m.get("metadata")) for m in examples],
            c=float(self._config["check_C"]),
        )
        with self._storage_for_writing() as directory:
            self._crisis_model.save(directory)
            self._check_model.save(directory)
        return self._resource

    def _detector_for(self, model: SpacyModel) -> SafetyDetector:
        if self._detector is None:
            self._detector = SafetyDetector(model.model)
        return self._detector

    def process(self, messages: list[Message], model: SpacyModel) -> list[Message]:
        if self._crisis_model is None:
            raise RuntimeError("the safety component has no trained crisis model")
        if self._check_model is None:
            raise RuntimeError("the safety component has no trained check layer")
        detector = self._detector_for(model)
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            found = detector.detect(text)
            model_confidence = self._crisis_model.probability(found.lemmas)
            model_leans_to = self._crisis_model.category(found.lemmas)
            model_category = model_leans_to if model_confidence >= self._threshold else None
            if model_category and too_few_words(text, found, model_confidence, self._policy):
                model_category = None
            category = found.category or model_category
            also = found.also
            named = model_leans_to if found.category else None
            if found.secondary_only and model_names_the_danger(
                found, named, model_confidence, self._policy
            ):
                # The rules found only a danger that belongs beside another ("the mom
                # is passed out again", a gun in the house); the model names whose
                # danger it is: a toddler left outside in the cold, a parent who
                # "bought a gun today... won't be needing it".
                model_category = named
                category, also = model_category, [found.category, *found.also]
            if found.category and model_category:
                source = "both"
            else:
                source = "rules" if found.category else "model" if model_category else None
            asked = asked_in(message.get("metadata"))
            concern = self._check_model.concern(text)
            policy = self._policy
            if (
                not category
                and not too_few_words(text, found, 0.0, policy)
                and layers_agree(
                    model_leans_to, model_confidence, concern,
                    policy.agree_confidence, policy.agree_concern,
                )
            ):  # fmt: skip
                # Both learnt layers, each unsure alone, name the same danger: the
                # n-gram model's verdict, weighed in context as its own (in_context).
                category = model_category = model_leans_to
                source = "model"
                agreed = True
            else:
                agreed = False
            tier = tier_for(text, category, model_confidence, found.evidence, concern, self._policy)
            if source == "model" and answers_the_question(text, message.get("metadata")):
                # What only the n-gram model read as danger in a short, plain answer to the
                # question on screen ("aight the first 1 ill take off" at the list of times
                # got "is anyone in danger?", dev set bc27, 2026-12-07) is that answer.
                tier, category, source = {**tier, "tier": None}, None, None
            if tier.get("tier") == "full":
                tier = in_context(
                    tier, text, category, source, found, asked, model_confidence, self._policy
                )
            elif tier.get("tier") == "check" and not category and asked.form:
                # The encoder's concern alone inside a form, a story about the child's
                # hard times (what the question asked for) or any other answer (no check
                # there): no check, and the message keeps its own intent ("wait is it
                # free?? i dont have $$ rn 😭" at the contact question is a cost question,
                # dev set bc22). The rules and the n-gram model still answer any danger.
                tier = {**tier, "tier": None}
            if tier.get("tier") == "check":
                category = None  # the gentle check, not the full protocol
            info = {
                "category": category,
                "source": source,
                "evidence": found.evidence,
                "also": also if category and found.category else [],
                "past": found.past,
                "model_confidence": model_confidence,
                "model_category": model_leans_to,
                "agreed": agreed,
                **tier,
            }
            message.set(SAFETY, info, add_to_output=True)
            if not category and found.past:
                entities = [*(message.get(ENTITIES) or []), past_danger_entity(text, found)]
                message.set(ENTITIES, entities, add_to_output=True)
            if not category and self._ranked_first_is_crisis(message):
                self._demote(message)
            if category:
                self._set_intent(message, category)
            elif info["tier"] == "check":
                answered = (message.get(INTENT) or {}).get("name")
                softened = info.get("softened", False)
                kept = layers_agree(
                    model_leans_to, model_confidence, concern, KEEP_CHECK_CONFIDENCE,
                    KEEP_CHECK_CONCERN,
                )  # fmt: skip
                if softened or kept or not (answered in NO_CHECK_AFTER or plain_request(message)):
                    # A danger the rules or the n-gram model found is checked even when
                    # the words also read as "I'm safe" ("she punches me... I didn't
                    # think this happened to men"); the encoder's concern alone is not.
                    info["answered"] = answered
                    self._set_intent(message, SAFETY_CHECK if softened else SAFETY_CONCERN)
                else:
                    info["tier"] = None  # "I'm safe" is never answered with "are you safe?"
        return messages

    @staticmethod
    def _set_intent(message: Message, name: str) -> None:
        """``name`` first with confidence 1.0, so the dialogue rules answer it anywhere."""
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
        message.set(INTENT, {"name": name, "confidence": 1.0}, add_to_output=True)
        message.set(
            INTENT_RANKING_KEY, [{"name": name, "confidence": 1.0}, *ranking], add_to_output=True
        )

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

    @staticmethod
    def _ranked_first_is_crisis(message: Message) -> bool:
        # The FallbackClassifier puts "nlu_fallback" first; the trained pick is the next one.
        ranking = [
            r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != "nlu_fallback"
        ]
        return bool(ranking) and ranking[0].get("name") in CATEGORIES


def answers_the_question(text: str, metadata: Any) -> bool:
    """A short message that plainly answers the question on screen (bot.nlp.on_screen)."""
    return len(text.split()) <= PLAIN_MAX_WORDS and answer_on_screen(text, metadata) is not None


def plain_request(message: Message) -> bool:
    """A short message the classifier is sure is a plain request or answer."""
    intent = message.get(INTENT) or {}
    return (
        intent.get("name") in PLAIN_REQUESTS
        and float(intent.get("confidence") or 0.0) >= PLAIN_MIN_CONFIDENCE
        and len(str(message.get(TEXT) or "").split()) <= PLAIN_MAX_WORDS
    )


def past_danger_entity(text: str, found: SafetyResult) -> dict[str, Any]:
    """The ``past_danger`` entity: the first past-context match, its category as value.

    The rules matched a normalised copy of the text; where the matched words are not
    in the original as typed ("can't" became "can not"), the entity spans the message.
    """
    category = found.past[0]
    words = next(t for c, t, why in found.set_aside if c == category and why == "past")
    start = text.lower().find(words)
    start, end = (start, start + len(words)) if start >= 0 else (0, len(text))
    return {
        ENTITY_ATTRIBUTE_TYPE: PAST_DANGER,
        ENTITY_ATTRIBUTE_VALUE: category,
        ENTITY_ATTRIBUTE_START: start,
        ENTITY_ATTRIBUTE_END: end,
        EXTRACTOR: "SafetyClassifier",
    }
