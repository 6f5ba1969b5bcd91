"""The sentence featurizer and the intent-and-topic classifier, trained as `rasa train` does.

Trained on a few labels of the project's own data to stay quick: the behaviour under
test (greetings set aside, a second question found, context before a question, the
ResponseSelector's output shape, saving and loading) does not depend on the rest.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlp import encoder
from bot.nlp.intent_topic import ALSO_ASKED, IntentTopicClassifier
from bot.nlp.sentence_featurizer import NAME, SentenceEmbeddingFeaturizer
from bot.nlp.spelling import spelling_fingerprint

ROOT = Path(__file__).resolve().parents[1]
LABELS = {"greet", "book_appointment", "behavior_question", "request_person", "faq"}
TOPICS = {"faq/cost", "faq/session_length", "faq/who_can_come", "faq/location"}


def _featurizer() -> SentenceEmbeddingFeaturizer:
    return SentenceEmbeddingFeaturizer(SentenceEmbeddingFeaturizer.get_default_config(), "f")


def _message(nlp, text: str) -> Message:
    # SpacyNLP hands later components a doc of the lower-cased text.
    message = Message(data={TEXT: text, SPACY_DOCS[TEXT]: nlp(text.lower())})
    _featurizer().process([message])
    return message


@pytest.fixture(scope="module")
def trained(nlp, tmp_path_factory):
    full = load_data(str(ROOT / "data" / "nlu"))
    keep = [
        m
        for m in full.training_examples
        if m.get(INTENT) in LABELS
        and (m.get(INTENT) != "faq" or m.get("intent_response_key") in TOPICS)
    ]
    data = TrainingData(keep, responses=full.responses)
    for message in data.training_examples:
        message.set(SPACY_DOCS[TEXT], nlp(message.get(TEXT).lower()))
    _featurizer().process_training_data(data)
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    resource = Resource("intents")
    classifier = IntentTopicClassifier.create(
        IntentTopicClassifier.get_default_config(), storage, resource, execution_context=None
    )
    classifier.train(data)
    return classifier, storage, resource


def _parse(classifier, nlp, text: str) -> Message:
    message = _message(nlp, text)
    classifier.process([message])
    return message


def _understood(message: Message) -> str:
    intent = message.get(INTENT)["name"]
    if intent != "faq":
        return intent
    return message.get("response_selector")["faq"]["response"]["intent_response_key"]


def test_the_featurizer_encodes_the_request_without_its_greeting(nlp):
    with_greeting = _message(nlp, "Hi there, sorry to bother you. how much does it cost")
    _, sentence = with_greeting.get_dense_features(TEXT, featurizers=[NAME])
    expected = encoder.get_encoder().encode(["how much does it cost"])[0]
    assert np.allclose(sentence.features.reshape(-1), expected)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("how much will this cost us", "faq/cost"),
        ("how long does each session last", "faq/session_length"),
        ("hello", "greet"),
        ("hi, I'd like to book an appointment for my 3 year old", "book_appointment"),
        ("good morning! sorry to bother you, can a real person call me", "request_person"),
    ],
)
def test_requests_are_understood_with_or_without_a_greeting(trained, nlp, text, label):
    assert _understood(_parse(trained[0], nlp, text)) == label


def test_faq_topics_come_in_the_response_selectors_shape(trained, nlp):
    message = _parse(trained[0], nlp, "do you take medicaid")
    assert message.get(INTENT)["name"] == "faq"
    output = message.get("response_selector")
    assert "faq" in output["all_retrieval_intents"]
    response = output["faq"]["response"]
    assert response["utter_action"] == "utter_faq/cost"
    assert response["responses"] and response["responses"][0]["text"]
    ranking = [r["confidence"] for r in output["faq"]["ranking"]]
    assert ranking == sorted(ranking, reverse=True) and sum(ranking) == pytest.approx(1.0)
    intents = [r["name"] for r in message.get(INTENT_RANKING_KEY)]
    assert intents.count("faq") == 1 and not any("/" in name for name in intents)


@pytest.mark.parametrize(
    ("text", "first", "second_words"),
    [
        # Two FAQ questions: the first answered, the second marked with its words.
        ("how long is each session and how much does it cost?", "faq/session_length",
         "how much does it cost?"),
        # A booking with a question is a booking that also asks.
        ("hi, I'd like to book a first visit. do you take medicaid?", "book_appointment",
         "do you take medicaid?"),
    ],
)  # fmt: skip
def test_a_second_question_is_marked_with_its_words(trained, nlp, text, first, second_words):
    message = _parse(trained[0], nlp, text)
    assert _understood(message) == first
    (also,) = [e for e in message.get(ENTITIES) if e["entity"] == ALSO_ASKED]
    assert also["value"] == "faq/cost"
    assert text[also["start"] : also["end"]] == second_words


def test_context_before_the_question_does_not_decide(trained, nlp):
    text = (
        "My daughter is 4 and she has been hitting her little brother since we moved. "
        "How much does it cost?"
    )
    assert _understood(_parse(trained[0], nlp, text)) == "faq/cost"


def test_one_question_has_no_second(trained, nlp):
    message = _parse(trained[0], nlp, "where is your office")
    assert not [e for e in message.get(ENTITIES) or [] if e["entity"] == ALSO_ASKED]


def test_a_loaded_classifier_answers_as_the_trained_one(trained, nlp):
    classifier, storage, resource = trained
    loaded = IntentTopicClassifier.load(
        IntentTopicClassifier.get_default_config(), storage, resource, execution_context=None
    )
    for text in (
        "can grandma come too",
        "hi i want to book",
        "how long is it and what does it cost",
    ):
        again, first = _parse(loaded, nlp, text), _parse(classifier, nlp, text)
        assert again.as_dict(only_output_properties=True) == first.as_dict(
            only_output_properties=True
        )


def test_an_untrained_classifier_refuses(nlp):
    with pytest.raises(RuntimeError, match="not been trained"):
        IntentTopicClassifier(IntentTopicClassifier.get_default_config()).process(
            [_message(nlp, "hi")]
        )


def test_the_fingerprint_follows_the_encoder(monkeypatch):
    config = IntentTopicClassifier.get_default_config()
    before = IntentTopicClassifier.fingerprint_addon(config)
    words = spelling_fingerprint()  # the featurizer reads spell-fixed text too
    assert SentenceEmbeddingFeaturizer.fingerprint_addon({}) == encoder.fingerprint() + words
    monkeypatch.setattr(encoder, "fingerprint", lambda: "another encoder")
    assert IntentTopicClassifier.fingerprint_addon(config) != before
    assert SentenceEmbeddingFeaturizer.fingerprint_addon({}) == "another encoder" + words


def test_the_fast_scores_equal_sklearns(trained, nlp):
    classifier = trained[0]
    texts = ["hi can i book", "how much is it", "he bites", "where are you"]
    messages = [_message(nlp, t) for t in texts]
    vectors = np.vstack([classifier._sentence_vector(m) for m in messages])
    lemmas = [classifier._main_lemmas(m) for m in messages]
    expected = classifier._model.predict_proba(classifier._features(vectors, lemmas))
    assert np.allclose(classifier._probabilities(vectors, lemmas), expected, atol=1e-9)


def test_a_plain_answer_that_agrees_with_an_unsure_pick_is_made_sure(trained, monkeypatch):
    """The reading rules' answer is sure even when the classifier leaned the same way:
    "change it to 8:15 pm" right after a reminder was set was set_reminder at 0.51, and
    the fallback answered it (seen trying the product in a browser, 2026-12-06)."""
    import numpy as np

    import bot.nlp.intent_topic as intent_topic
    from bot.nlp.reading_rules import Reading

    classifier, _, _ = trained
    labels = list(classifier.labels)
    monkeypatch.setattr(intent_topic, "answer_on_screen", lambda text, metadata: "request_person")
    probabilities = np.full(len(labels), 0.49 / (len(labels) - 1))
    probabilities[labels.index("request_person")] = 0.51
    message = Message(data={TEXT: "please change it to 8:15 pm"})
    sure = classifier._plain_answer(message, Reading(probabilities, None))
    assert sure.probabilities[labels.index("request_person")] == 1.0
