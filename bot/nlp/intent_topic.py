"""One classifier for what a caregiver wants: the intent, and the FAQ topic when it asks one.

Why one flat model: every intent and every "faq/<topic>" is a label of one logistic
regression over the sentence encoder's vector (bot.nlp.sentence_featurizer) and the
lemma n-grams (bot.nlp.ngram_classifier). The encoder knows that "visit" and
"appointment" are close; the n-grams keep exact words ("medicaid") and typos. A
linear model trains in seconds and gives the same answers for the same data; it
replaced DIET and the FAQ selector (README, Understanding caregivers).

Longer messages are also classified part by part (bot.nlp.segments): context before a
question ("my son is 4 and ... how much does it cost") must not decide the answer, and
a second question gets an ``also_asked`` entity so the dialogue can answer it too.

Output: ``intent`` and ``intent_ranking`` over intents (the topics summed into
``faq``), and the ResponseSelector's output shape for the topic, so ``utter_faq``,
``rasa test nlu`` and the staff console read it unchanged.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc

from bot.nlp import encoder
from bot.nlp.linear_scores import LinearScores
from bot.nlp.ngram_classifier import (
    LinearClassifierComponent,
    lemma_string,
    load_pipeline,
    ngram_features,
    save_pipeline,
)
from bot.nlp.on_screen import answer_on_screen, said_again
from bot.nlp.reading_rules import (
    NOT_A_REQUEST,
    Reading,
    asks_how_to_start,
    call_asked_beside,
    read_parts,
    states_a_wish_to_book,
)
from bot.nlp.relabel import relabelled
from bot.nlp.response_selection import response_selector_output
from bot.nlp.segments import segment
from bot.nlp.sentence_featurizer import NAME as FEATURIZER
from bot.nlp.short_replies import short_reply, thanks_only
from bot.nlp.spelling import correct_request_words

VECTORIZER_FILE, MODEL_FILE, META_FILE = "ngrams.skops", "classifier.skops", "meta.json"
ALSO_ASKED = "also_asked"  # entity: a second question's label ("faq/cost"), domain.yml
RANKING_LENGTH = 10
logger = logging.getLogger(__name__)


def safety_only(message: Message) -> bool:
    """Examples written to teach the safety layers (data/nlu/safety/): their intent labels
    came from writers thinking about danger, and with them the classifier read context
    before a question as "who is CPP for" (dev composed set 95.5% -> 94.4%)."""
    example = ((message.get("metadata") or {}).get("example")) or {}
    return bool(example.get("safety_only"))


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True, model_from="SpacyNLP"
)
class IntentTopicClassifier(LinearClassifierComponent, IntentClassifier):
    """Intents and FAQ topics from the encoder's vector and lemma n-grams."""

    TRAINING_CODE = ("nlp/intent_topic.py", "nlp/ngram_classifier.py", "nlp/segments.py",
                     "nlp/sentence_featurizer.py", "nlp/encoder.py", "nlp/spelling.py")  # fmt: skip

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # embedding_weight: how much the encoder's vector counts beside the n-grams.
        # part_threshold: a question part's confidence from which it, not the whole
        # message, is read as the request. also_threshold: a part's confidence from
        # which it is a second question.
        # C: regularisation. All chosen on the dev set (README, Understanding caregivers).
        return {
            "retrieval_intent": "faq",
            "C": 30.0,
            "embedding_weight": 3.0,
            "part_threshold": 0.5,
            "also_threshold": 0.5,
        }

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str:
        return super().fingerprint_addon(config) + encoder.fingerprint()

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage | None = None,
        resource: Resource | None = None,
        vectorizer: Any = None,
        model: LogisticRegression | None = None,
        meta: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(config, model_storage, resource)
        self._vectorizer = vectorizer
        self._model = model
        self._meta = meta or {}
        self._scores = self._scorer() if model is not None else None

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> IntentTopicClassifier:
        with model_storage.read_from(resource) as directory:
            vectorizer = load_pipeline(directory / VECTORIZER_FILE)
            model = load_pipeline(directory / MODEL_FILE)
            meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        return cls(config, model_storage, resource, vectorizer, model, meta)

    # --- training -------------------------------------------------------------------

    def train(self, training_data: TrainingData, model: Any = None) -> Resource:
        examples = [
            m
            for m in training_data.intent_examples
            if m.get(TEXT) and m.get(INTENT) and not safety_only(m)
        ]
        labels = [self._label(m) for m in examples]
        vectors = np.vstack([self._sentence_vector(m) for m in examples])
        lemmas = [self._main_lemmas(m) for m in examples]
        self._vectorizer = ngram_features().fit(lemmas)
        center = vectors.mean(axis=0)
        scale = float(np.linalg.norm(vectors - center, axis=1).mean())
        self._meta = {"center": center.tolist(), "scale": scale}
        features = self._features(vectors, lemmas)
        logger.info("Training the intent and topic classifier on %d examples", len(examples))
        self._model = LogisticRegression(C=float(self._config["C"]), max_iter=5000)
        self._model.fit(features, labels)
        self._scores = self._scorer()
        prefix = f"utter_{self._intent}/"
        self._meta["responses"] = {
            k: v for k, v in training_data.responses.items() if k.startswith(prefix)
        }
        self._meta["retrieval_intents"] = sorted(training_data.retrieval_intents)
        with self._storage_for_writing() as directory:
            save_pipeline(self._vectorizer, directory / VECTORIZER_FILE)
            save_pipeline(self._model, directory / MODEL_FILE)
            (directory / META_FILE).write_text(json.dumps(self._meta), encoding="utf-8")
        return self._resource

    def _label(self, message: Message) -> str:
        key = message.get(INTENT_RESPONSE_KEY)
        return key if message.get(INTENT) == self._intent and key else message.get(INTENT)

    # --- prediction -----------------------------------------------------------------

    def _scorer(self) -> LinearScores:
        return LinearScores(self._model, self._vectorizer, encoder.DIMENSION)

    def process(self, messages: list[Message], model: Any = None) -> list[Message]:
        if self._scores is None:
            raise RuntimeError("the intent classifier has not been trained")
        for message in messages:
            if message.get(TEXT):
                self._annotate(message, self._plain_answer(message, self.read(message)))
        return messages

    def read(self, message: Message) -> Reading:
        """The request's label probabilities, from the whole message and its parts."""
        text = message.get(TEXT)
        segmented = segment(text)
        whole = self._probabilities(
            np.atleast_2d(self._sentence_vector(message)), [self._main_lemmas(message)]
        )[0]
        if len(segmented.parts) < 2:
            return Reading(whole, None)
        doc = self._doc(message)
        part_vectors = encoder.get_encoder().encode(
            [correct_request_words(part) for part in segmented.parts]
        )
        part_lemmas = [_lemmas_of(doc, text, part) for part in segmented.parts]
        per_part = self._probabilities(part_vectors, part_lemmas)
        return read_parts(
            self.labels,
            whole,
            per_part,
            segmented.parts,
            text,
            part_threshold=self._config["part_threshold"],
            also_threshold=self._config["also_threshold"],
            faq_intent=self._intent,
        )

    def _plain_answer(self, message: Message, reading: Reading) -> Reading:
        """A plain yes or no by its words (bot.nlp.short_replies), a plain answer to the
        question on screen (bot.nlp.on_screen), a label the words overrule (a call asked
        for, a move, a story at a question about the child: bot.nlp.relabel), else
        ``reading``."""
        best = int(reading.probabilities.argmax())
        label = str(self.labels[best])
        text, metadata = message.get(TEXT), message.get("metadata")
        # A yes or no first: "yes" to "save it?" then "yes" to "share it?" is said twice,
        # and is a yes both times, not an answer to take as typed.
        said = (
            answer_on_screen(text, metadata)
            or short_reply(text, label, float(reading.probabilities[best]), NOT_A_REQUEST)
            or thanks_only(text)
            or said_again(text, metadata)
        )
        if said is None:
            said = relabelled(message.get(TEXT), label, message.get("metadata"), self._intent)
        if said is None and (started := self._how_to_start(message.get(TEXT), label, reading)):
            return started
        second = reading.also[0] if reading.also else None
        if said is None and (second is None or second.startswith(f"{self._intent}/")):
            # A call asked for beside a question outranks a second question: the person
            # who calls answers it ("Could a therapist call my husband or me? We have
            # some questions about how the intake works..." got two answers and no call,
            # dev set bc21, 2026-12-07).
            also = call_asked_beside(message.get(TEXT), label)
            return Reading(reading.probabilities, also) if also else reading
        if said is None or said not in set(self.labels):
            return reading
        # Also when it agrees with the classifier's own pick: a plain answer is sure ("On
        # second thought, change it to 8:15 pm" was set_reminder at 0.51, then the fallback).
        probabilities = (self.labels == said).astype(float)
        return Reading(probabilities, None)

    def _how_to_start(self, text: str, label: str, reading: Reading) -> Reading | None:
        """ "How do we get started?" is answered by starting the booking: alone, or after
        the question asked before it ("Can we both come? And how do we get started?")."""
        book = (self.labels == "book_appointment").astype(float)
        if reading.also is None and asks_how_to_start(text, label, self._intent):
            return Reading(book, None)
        if reading.also is None and states_a_wish_to_book(text, label, self._intent):
            # The question first, when there is one, then the booking.
            return Reading(book, (label, 1.0, 0, len(text)) if "?" in text else None)
        if reading.also is not None:
            also, _, start, end = reading.also
            if asks_how_to_start(text[start:end], also, self._intent):
                return Reading(book, (label, 1.0, 0, len(text)))  # the question, then booking
        return None

    @property
    def labels(self) -> np.ndarray:
        return self._model.classes_

    def _probabilities(self, vectors: np.ndarray, lemmas: list[str]) -> np.ndarray:
        return self._scores.probabilities(lemmas, self._dense(vectors))

    def _dense(self, vectors: np.ndarray) -> np.ndarray:
        """The encoder's vectors as the model sees them: centred, scaled, weighted."""
        center = np.asarray(self._meta["center"], dtype=np.float32)
        return float(self._config["embedding_weight"]) * (vectors - center) / self._meta["scale"]

    def _features(self, vectors: np.ndarray, lemmas: list[str]) -> sparse.csr_matrix:
        """The training matrix: the same columns `LinearScores` reads back."""
        dense = sparse.csr_matrix(self._dense(vectors))
        return sparse.hstack([dense, self._vectorizer.transform(lemmas)]).tocsr()

    def _annotate(self, message: Message, reading: Reading) -> None:
        faq_prefix = f"{self._intent}/"
        by_intent: dict[str, float] = {}
        topics: dict[str, float] = {}
        for label, p in zip(self.labels, reading.probabilities, strict=True):
            label = str(label)
            if label.startswith(faq_prefix):
                topics[label] = float(p)
                by_intent[self._intent] = by_intent.get(self._intent, 0.0) + float(p)
            else:
                by_intent[label] = float(p)
        ranking = sorted(by_intent.items(), key=lambda pair: -pair[1])[:RANKING_LENGTH]
        intent_ranking = [{INTENT_NAME_KEY: k, PREDICTED_CONFIDENCE_KEY: v} for k, v in ranking]
        message.set(INTENT, intent_ranking[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, intent_ranking, add_to_output=True)
        if topics:
            total = sum(topics.values()) or 1.0
            ranked = sorted(((k, v / total) for k, v in topics.items()), key=lambda kv: -kv[1])
            response_selector_output(
                message, self._intent, ranked[:RANKING_LENGTH], self._meta["responses"],
                self._meta["retrieval_intents"],
            )  # fmt: skip
        if reading.also is not None:
            label, confidence, start, end = reading.also
            entity = {
                ENTITY_ATTRIBUTE_TYPE: ALSO_ASKED,
                ENTITY_ATTRIBUTE_VALUE: label,
                ENTITY_ATTRIBUTE_START: start,
                ENTITY_ATTRIBUTE_END: end,
                EXTRACTOR: type(self).__name__,
                "confidence_entity": confidence,
            }
            message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)

    @property
    def _intent(self) -> str:
        return self._config["retrieval_intent"]

    @staticmethod
    def _doc(message: Message) -> Doc:
        doc = message.get(SPACY_DOCS[TEXT])
        if doc is None:
            raise ValueError("IntentTopicClassifier needs SpacyNLP earlier in the pipeline")
        return doc

    def _main_lemmas(self, message: Message) -> str:
        text = message.get(TEXT)
        segmented = segment(text)
        return _lemmas_of(self._doc(message), text, segmented.main or text)

    @staticmethod
    def _sentence_vector(message: Message) -> np.ndarray:
        features = message.get_dense_features(TEXT, featurizers=[FEATURIZER])
        sentence = features[1] if features else None
        if sentence is None:
            raise ValueError(f"IntentTopicClassifier needs {FEATURIZER} earlier in the pipeline")
        return np.asarray(sentence.features, dtype=np.float32).reshape(-1)


def _lemmas_of(doc: Doc, text: str, part: str) -> str:
    """The lemmas of one part of the message, from the parse of the whole."""
    start = text.find(part)
    if start < 0:
        return lemma_string(doc)
    end = start + len(part)
    span = doc.char_span(start, end, alignment_mode="expand")
    return lemma_string(span if span is not None else doc)
