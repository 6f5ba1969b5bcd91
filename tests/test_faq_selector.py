"""The FAQ answer picker, trained as `rasa train` trains it, on the project's data."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from bot.nlp.faq_selector import FaqSelector

ROOT = Path(__file__).resolve().parents[1]


def _with_doc(nlp, text: str) -> Message:
    # SpacyNLP hands later components a doc of the lower-cased text.
    return Message(data={TEXT: text, SPACY_DOCS[TEXT]: nlp(text.lower())})


@pytest.fixture(scope="module")
def trained(nlp, tmp_path_factory) -> tuple[FaqSelector, LocalModelStorage, Resource]:
    data = load_data(str(ROOT / "data" / "nlu"))
    for message in data.training_examples:
        message.set(SPACY_DOCS[TEXT], nlp(message.get(TEXT).lower()))
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    resource = Resource("faq")
    selector = FaqSelector.create(
        FaqSelector.get_default_config(), storage, resource, execution_context=None
    )
    selector.train(data)
    return selector, storage, resource


def _pick(selector: FaqSelector, nlp, text: str) -> dict:
    message = _with_doc(nlp, text)
    selector.process([message])
    return message.get("response_selector")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("how much will this cost us", "faq/cost"),
        ("how long does each session last", "faq/session_length"),
        ("can grandma come to the sessions too", "faq/who_can_come"),
    ],
)
def test_a_question_gets_its_topic_in_the_response_selectors_shape(trained, nlp, text, key):
    output = _pick(trained[0], nlp, text)
    assert "faq" in output["all_retrieval_intents"]
    response = output["faq"]["response"]
    assert response["intent_response_key"] == key
    assert response["utter_action"] == f"utter_{key}"
    assert response["responses"] and response["responses"][0]["text"]
    ranking = output["faq"]["ranking"]
    assert ranking[0]["intent_response_key"] == key
    assert ranking[0]["confidence"] == response["confidence"]
    assert [r["confidence"] for r in ranking] == sorted(
        (r["confidence"] for r in ranking), reverse=True
    )


def test_the_trained_selector_comes_back_from_the_model_storage(trained, nlp):
    selector, storage, resource = trained
    loaded = FaqSelector.load(
        FaqSelector.get_default_config(), storage, resource, execution_context=None
    )
    for text in ("what is cpp", "who are the clinicians", "is it private"):
        assert _pick(loaded, nlp, text) == _pick(selector, nlp, text)


def test_the_same_data_trains_the_same_answers(trained, nlp, tmp_path):
    data = load_data(str(ROOT / "data" / "nlu"))
    for message in data.training_examples:
        message.set(SPACY_DOCS[TEXT], nlp(message.get(TEXT).lower()))
    again = FaqSelector.create(
        FaqSelector.get_default_config(), LocalModelStorage(tmp_path), Resource("faq"), None
    )
    again.train(data)
    for text in ("what will the first visit be like", "do you speak spanish"):
        assert _pick(again, nlp, text) == _pick(trained[0], nlp, text)


def test_an_untrained_selector_refuses_to_answer(nlp):
    with pytest.raises(RuntimeError, match="not been trained"):
        FaqSelector(FaqSelector.get_default_config()).process([_with_doc(nlp, "hi")])
