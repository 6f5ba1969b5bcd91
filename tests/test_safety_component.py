"""The safety component's verdict and the intent the dialogue then sees.

The crisis model and the check layer are the ones `rasa train` made from the project's
NLU data, and the rule layer is the real spaCy pipeline. DIET's ranking is written by
hand, so each case pins one rule of how the layers combine with what DIET picked.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlp.intent_topic import IntentTopicClassifier
from bot.safety.component import PAST_DANGER, SAFETY, SafetyClassifier

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "cpp.tar.gz"
# A training example the trained layer learns and no rule names (letters "just in case").
MODEL_ONLY = "i wrote letters to each of my kids today just in case"


@pytest.fixture(scope="module")
def spacy_model(nlp) -> SpacyModel:
    return SpacyModel(model=nlp, model_name="cpp_en")


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> tuple[SafetyClassifier, LocalModelStorage, Resource, dict]:
    """The component as `rasa train` left it in the model (`make pytest` trains first).

    Training it again here cost two minutes of every test run (the check layer encodes
    every example); the training code runs in `make train`, and every server test and
    `make eval-safety` use what it made.
    """
    if not MODEL.exists():
        pytest.skip(f"no trained model at {MODEL}: run `make train`")
    storage, metadata = LocalModelStorage.from_model_archive(
        tmp_path_factory.mktemp("storage"), MODEL
    )
    node = next(n for n in metadata.predict_schema.nodes.values() if n.uses is SafetyClassifier)
    config = {**SafetyClassifier.get_default_config(), **node.config}
    component = SafetyClassifier.load(config, storage, node.resource, execution_context=None)
    return component, storage, node.resource, config


@pytest.fixture(scope="module")
def component(trained) -> SafetyClassifier:
    return trained[0]


def _parse(component, spacy_model, text: str, ranking: list[tuple[str, float]]) -> Message:
    ranked = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message = Message(data={TEXT: text, INTENT: ranked[0], INTENT_RANKING_KEY: ranked})
    component.process([message], spacy_model)
    return message


def test_the_trained_layer_catches_what_the_rules_miss(component, spacy_model):
    message = _parse(component, spacy_model, MODEL_ONLY, [("caregiver_stress", 0.6)])
    assert message.get(INTENT) == {"name": "self_harm", "confidence": 1.0}
    assert message.get(SAFETY)["source"] == "model"
    assert message.get(SAFETY)["model_confidence"] >= 0.775
    assert message.get(INTENT_RANKING_KEY)[1] == {"name": "caregiver_stress", "confidence": 0.6}


def test_a_crisis_pick_by_diet_alone_gives_way_to_a_clear_next_intent(component, spacy_model):
    message = _parse(
        component,
        spacy_model,
        "she spits up after every feed, is that normal",
        [("medical_emergency", 0.55), ("medical_question", 0.52), ("greet", 0.01)],
    )
    assert message.get(SAFETY)["category"] is None
    assert message.get(SAFETY)["model_confidence"] < 0.775
    assert message.get(INTENT)["name"] == "medical_question"
    assert all(r["name"] != "medical_emergency" for r in message.get(INTENT_RANKING_KEY))


def test_a_crisis_pick_by_diet_alone_with_no_clear_alternative_is_a_fallback(
    component, spacy_model
):
    # Rasa's FallbackClassifier has already put nlu_fallback first (top pick under 0.5).
    message = _parse(
        component,
        spacy_model,
        "it has been a strange week",
        [("nlu_fallback", 0.5), ("domestic_violence", 0.45), ("faq", 0.3)],
    )
    assert message.get(INTENT)["name"] == "nlu_fallback"
    assert message.get(SAFETY)["category"] is None


def test_the_rules_catch_what_diet_is_unsure_of(component, spacy_model):
    message = _parse(
        component,
        spacy_model,
        "i want to kill myself tonight",
        [("caregiver_stress", 0.3), ("self_harm", 0.25)],
    )
    assert message.get(INTENT) == {"name": "self_harm", "confidence": 1.0}
    assert message.get(SAFETY)["source"] in {"rules", "both"}
    assert message.get(SAFETY)["evidence"]


@pytest.mark.parametrize(
    "text",
    [
        "how much does it cost",
        "this tantrum is killing me",
        "i would never hurt him, i'm just exhausted",
        "my son hits me when he's mad",
    ],
)
def test_ordinary_messages_are_left_alone(component, spacy_model, text):
    message = _parse(component, spacy_model, text, [("faq", 0.97), ("greet", 0.01)])
    assert message.get(INTENT) == {"name": "faq", "confidence": 0.97}
    assert message.get(SAFETY)["category"] is None


def test_past_danger_as_context_is_an_entity_on_the_words_that_matched(component, spacy_model):
    # The dialogue calls the FAQ follow-up (its gentle line) only for this entity.
    text = "My son saw his father hit me last year, can CPP help him?"
    message = _parse(component, spacy_model, text, [("faq", 0.97)])
    assert message.get(SAFETY)["category"] is None
    [entity] = [e for e in message.get(ENTITIES) if e["entity"] == PAST_DANGER]
    assert entity["value"] == "domestic_violence"
    assert text[entity["start"] : entity["end"]] == "hit me"


def test_past_danger_in_words_the_normaliser_rewrote_spans_the_message(component, spacy_model):
    text = "her dad used to chokd me when she was a baby, is cpp for her"  # read as "choke me"
    message = _parse(component, spacy_model, text, [("faq", 0.97)])
    [entity] = [e for e in message.get(ENTITIES) if e["entity"] == PAST_DANGER]
    assert (entity["start"], entity["end"]) == (0, len(text))


@pytest.mark.parametrize(
    "text", ["how much does it cost", "my son hits me when he's mad", "i want to kill myself"]
)
def test_no_past_danger_entity_for_other_messages(component, spacy_model, text):
    message = _parse(component, spacy_model, text, [("faq", 0.97)])
    assert all(e["entity"] != PAST_DANGER for e in message.get(ENTITIES) or [])


def test_the_trained_layer_comes_back_from_the_model_storage(trained, spacy_model):
    component, storage, resource, config = trained
    loaded = SafetyClassifier.load(config, storage, resource, execution_context=None)
    for text in (MODEL_ONLY, "how much does it cost"):
        before = _parse(component, spacy_model, text, [("faq", 0.9)]).get(SAFETY)
        after = _parse(loaded, spacy_model, text, [("faq", 0.9)]).get(SAFETY)
        assert after == before


def test_a_component_without_its_trained_layer_refuses_to_serve(spacy_model):
    untrained = SafetyClassifier(SafetyClassifier.get_default_config())
    with pytest.raises(RuntimeError, match="no trained crisis model"):
        _parse(untrained, spacy_model, "hello", [("greet", 0.9)])


@pytest.mark.parametrize("component_class", [SafetyClassifier, IntentTopicClassifier])
def test_a_change_to_the_training_code_changes_the_fingerprint(
    component_class, monkeypatch, tmp_path
):
    import bot.nlp.ngram_classifier as module

    config = component_class.get_default_config()
    before = component_class.fingerprint_addon(config)
    package = Path(module.__file__).resolve().parents[1]
    for name in component_class.TRAINING_CODE:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes((package / name).read_bytes())
    monkeypatch.setattr(module, "__file__", str(tmp_path / "nlp" / "ngram_classifier.py"))
    assert component_class.fingerprint_addon(config) == before
    (tmp_path / "nlp" / "ngram_classifier.py").write_text("# changed\n")
    assert component_class.fingerprint_addon(config) != before


def test_an_ambiguous_message_gets_the_check_and_keeps_what_it_answers(component, spacy_model):
    # A hypothetical: the rules see an ingestion, the encoder reads it as a check.
    message = _parse(
        component,
        spacy_model,
        "if my kid swallowed a battery would i call poison control or 911 first",
        [("faq", 0.6), ("medical_question", 0.3)],
    )
    safety = message.get(SAFETY)
    if safety["tier"] != "check":  # the trained layers decide; this text is a dev example
        pytest.skip(f"this training reads it as {safety['tier']}")
    assert safety["category"] is None and safety["check_category"] == "medical_emergency"
    assert safety["answered"] == "faq"
    assert message.get(INTENT) == {"name": "safety_check", "confidence": 1.0}


def test_the_encoders_concern_alone_is_a_check_of_its_own_kind(component, spacy_model, monkeypatch):
    from bot.safety.check_model import Concern

    monkeypatch.setattr(
        component._check_model, "concern", lambda text: Concern(0.95, "harm_to_child", False)
    )
    message = _parse(
        component, spacy_model, "she bit a boy who took her truck", [("share_moment", 0.8)]
    )
    assert message.get(INTENT)["name"] == "safety_concern"  # forms take it as their answer
    assert message.get(SAFETY)["answered"] == "share_moment"


def test_a_short_plain_request_is_not_checked_on_the_encoders_concern_alone(
    component, spacy_model, monkeypatch
):
    """'yeah i think i want to book something' was asked "is anyone in danger right
    now?" (dev set bc27, 2026-12-07); a long story with the same request still is."""
    from bot.safety.check_model import Concern

    monkeypatch.setattr(
        component._check_model, "concern", lambda text: Concern(0.93, "self_harm", False)
    )
    short = "yeah i think i want to book something"
    message = _parse(component, spacy_model, short, [("book_appointment", 0.9)])
    assert message.get(INTENT)["name"] == "book_appointment"
    assert message.get(SAFETY)["tier"] is None
    unsure = _parse(component, spacy_model, short, [("book_appointment", 0.5)])
    assert unsure.get(INTENT)["name"] == "safety_concern"
    story = (
        "i need to book something, since his dad left he has not been himself at all and "
        "i do not know what to do with him anymore most nights"
    )
    long = _parse(component, spacy_model, story, [("book_appointment", 0.9)])
    assert long.get(INTENT)["name"] == "safety_concern"


def test_a_check_is_never_the_answer_to_i_am_safe(component, spacy_model, monkeypatch):
    from bot.safety.check_model import Concern

    monkeypatch.setattr(
        component._check_model, "concern", lambda text: Concern(0.99, "self_harm", True)
    )
    message = _parse(component, spacy_model, "no, we are fine", [("i_am_safe", 0.9)])
    assert message.get(INTENT)["name"] == "i_am_safe"
    assert message.get(SAFETY)["tier"] is None


def test_a_danger_the_encoder_reads_as_ambiguous_is_a_check(component, spacy_model, monkeypatch):
    from bot.safety.check_model import Concern

    monkeypatch.setattr(
        component._check_model, "concern", lambda text: Concern(0.95, "self_harm", True)
    )
    message = _parse(component, spacy_model, "i want to kill myself", [("faq", 0.5)])
    safety = message.get(SAFETY)
    if safety["model_confidence"] >= 0.9:  # the n-gram model is sure: the full protocol
        assert message.get(INTENT)["name"] == "self_harm"
    else:
        assert safety["tier"] == "check" and safety["check_category"] == "self_harm"
        assert message.get(INTENT)["name"] == "safety_check"


def test_a_danger_beside_words_that_it_did_not_happen_is_a_check(component, spacy_model):
    text = "the baby got into the bleach under the sink but she didnt swallow any, I checked"
    message = _parse(component, spacy_model, text, [("medical_question", 0.7)])
    safety = message.get(SAFETY)
    assert safety["tier"] == "check" and safety["check_category"] == "medical_emergency"
    assert safety["softened_by"] == ["not_happened"] and safety["answered"] == "medical_question"
    assert message.get(INTENT)["name"] == "safety_check"


def test_a_danger_found_is_checked_even_when_the_words_read_as_i_am_safe(component, spacy_model):
    text = "my husband hit me last night but we are ok and safe now"
    message = _parse(component, spacy_model, text, [("i_am_safe", 0.8)])
    assert message.get(SAFETY)["tier"] == "check"
    assert message.get(INTENT)["name"] == "safety_check"


def _asked(component, spacy_model, text: str, form: str | None, slot: str | None) -> dict:
    """The safety verdict on ``text`` sent in answer to ``slot`` of ``form``."""
    from bot.safety.asked import ASKED_KEY

    ranked = [{"name": "share_moment", "confidence": 0.6}]
    metadata = {ASKED_KEY: {"form": form, "slot": slot}} if form else {}
    message = Message(data={TEXT: text, INTENT: ranked[0], INTENT_RANKING_KEY: ranked,
                            "metadata": metadata})  # fmt: skip
    component.process([message], spacy_model)
    return message.get(SAFETY)


def test_a_partners_violence_read_from_a_bare_he_is_checked_inside_a_story_of_the_child(
    component, spacy_model
):
    text = "he threw his cup at me at dinner and laughed"
    assert _asked(component, spacy_model, text, None, None)["tier"] == "full"
    inside = _asked(component, spacy_model, text, "reflection_form", "refl_what_happened")
    assert inside["tier"] == "check" and inside["check_category"] == "domestic_violence"
    named = "my husband threw his cup at me at dinner and laughed"
    assert _asked(component, spacy_model, named, "reflection_form", "refl_before")["tier"] == "full"


def test_what_only_the_model_saw_is_checked_inside_a_story_and_nowhere_else(component, spacy_model):
    assert _asked(component, spacy_model, MODEL_ONLY, None, None)["tier"] == "full"
    assert _asked(component, spacy_model, MODEL_ONLY, "booking_form", "concern")["tier"] == "check"
    # The booking's other questions are not stories about the child.
    assert _asked(component, spacy_model, MODEL_ONLY, "booking_form", "contact")["tier"] == "full"


def test_the_rules_own_words_stay_the_full_protocol_inside_a_story(component, spacy_model):
    said = _asked(component, spacy_model, "i want to kill myself tonight", "reflection_form",
                  "refl_my_feeling")  # fmt: skip
    assert said["tier"] == "full" and said["category"] == "self_harm"


def test_a_childs_father_named_beside_a_bare_he_is_still_read_as_the_child(component, spacy_model):
    text = "his dad got locked up in the spring and since then he hits me when i leave"
    said = _asked(component, spacy_model, text, "booking_form", "concern")
    assert said["tier"] != "full"


def test_the_encoders_concern_alone_asks_nothing_inside_a_form(component, spacy_model):
    """Inside a story about the child, and at any other question of a form (the rules of
    data/rules/safety.yml never check there): the message keeps its own intent."""
    candidates = [
        "since the babysitter thing happened they dont let me out of sight and bite everyone",
        "can my bf come to the sessions too? hes not her dad",
        "my 4yo has been hitting his sisters since his dad left, screams at daycare every day",
    ]
    vague = [t for t in candidates
             if (s := _asked(component, spacy_model, t, None, None))["tier"] == "check"
             and s["source"] is None]  # fmt: skip
    assert vague, "no candidate gets the encoder-only check any more: pick another"
    for text in vague:
        assert _asked(component, spacy_model, text, "booking_form", "concern")["tier"] is None
        assert _asked(component, spacy_model, text, "booking_form", "contact")["tier"] is None


def _model_says(monkeypatch, component, category: str, confidence: float) -> None:
    monkeypatch.setattr(component._crisis_model, "probability", lambda lemmas: confidence)
    monkeypatch.setattr(component._crisis_model, "category", lambda lemmas: category)


def test_the_model_alone_does_not_overrule_the_rules_reading_of_a_childs_doing(
    component, spacy_model, monkeypatch
):
    _model_says(monkeypatch, component, "domestic_violence", 0.8)
    text = "my 20 month old kicks me in the face at every diaper change, is this a phase"
    message = _parse(component, spacy_model, text, [("behavior_question", 0.7)])
    safety = message.get(SAFETY)
    assert safety["category"] is None and safety["tier"] == "check"
    assert safety["softened_by"] == ["child_is_the_doer"]


def test_a_sure_model_still_stands_over_the_rules_reading(component, spacy_model, monkeypatch):
    _model_says(monkeypatch, component, "domestic_violence", 0.97)
    text = "my 20 month old kicks me in the face at every diaper change, is this a phase"
    message = _parse(component, spacy_model, text, [("behavior_question", 0.7)])
    assert message.get(SAFETY)["tier"] == "full"


def test_a_child_in_danger_comes_before_the_adult_who_passed_out(
    component, spacy_model, monkeypatch
):
    _model_says(monkeypatch, component, "harm_to_child", 0.95)
    text = "the toddler next door is out on the porch in the snow and his mom is passed out"
    message = _parse(component, spacy_model, text, [("out_of_scope", 0.5)])
    safety = message.get(SAFETY)
    assert safety["category"] == "harm_to_child"
    assert safety["also"] == ["medical_emergency"]
    assert message.get(INTENT)["name"] == "harm_to_child"


def test_a_sibling_hurt_by_a_bare_he_is_checked_inside_a_story_of_the_child(component, spacy_model):
    text = "he pinches the baby when i feed her"
    assert _asked(component, spacy_model, text, None, None)["tier"] == "full"
    inside = _asked(component, spacy_model, text, "booking_form", "concern")
    assert inside["tier"] == "check" and inside["check_category"] == "harm_to_child"
    named = "since his sister was born my boyfriend pinches the baby when she cries"
    assert _asked(component, spacy_model, named, "booking_form", "concern")["tier"] == "full"


@pytest.mark.parametrize(
    "text",
    [
        "since his sister was born in may he pinches the baby when i feed her",
        "new baby came in july and since then he hits the baby",
        "we brought the new baby home last month and she kicks the baby",
    ],
)
def test_a_sibling_hurt_by_a_bare_he_told_cold_as_a_childs_story_is_checked(
    component, spacy_model, text
):
    """Sent cold, the full protocol and an alert answered a toddler's jealousy; the
    gentle check still asks whether anyone is in danger."""
    said = _asked(component, spacy_model, text, None, None)
    assert said["tier"] == "check" and said["check_category"] == "harm_to_child"
    assert said["softened_by"] == ["sibling_story"]


def test_a_weapon_with_the_model_leaning_to_self_harm_is_the_caregivers_danger(
    component, spacy_model, monkeypatch
):
    # written for this test (2026-12-06, #21): the rules find only a gun in the house
    _model_says(monkeypatch, component, "self_harm", 0.3)
    text = "picked up a gun today, never owned one before. the kids are at my sisters"
    message = _parse(component, spacy_model, text, [("out_of_scope", 0.5)])
    safety = message.get(SAFETY)
    assert safety["category"] == "self_harm"
    assert safety["also"] == ["domestic_violence"]


def test_a_weapon_with_an_unsure_model_reading_violence_stays_the_rules_reading(
    component, spacy_model, monkeypatch
):
    _model_says(monkeypatch, component, "harm_to_child", 0.5)
    text = "there is a gun in the house and i don't know where he keeps it"
    message = _parse(component, spacy_model, text, [("out_of_scope", 0.5)])
    assert message.get(SAFETY)["category"] == "domestic_violence"


def test_a_few_words_are_too_few_for_the_model_alone(component, spacy_model, monkeypatch):
    """'he's 2', typed to the age question, is no danger however the n-gram model
    scores it; the rules still read a few words ('he hit me')."""
    _model_says(monkeypatch, component, "domestic_violence", 0.8)
    message = _parse(component, spacy_model, "he's 2", [("inform", 0.9)])
    assert message.get(SAFETY)["category"] is None
    message = _parse(component, spacy_model, "he hit me", [("inform", 0.9)])
    assert message.get(SAFETY)["category"] == "domestic_violence"
    _model_says(monkeypatch, component, "self_harm", 0.95)  # sure: it stands
    assert (
        _parse(component, spacy_model, "cant go on", [("inform", 0.9)]).get(SAFETY)["category"]
        == "self_harm"
    )


def test_a_short_message_gets_only_the_check_from_the_model_alone(
    component, spacy_model, monkeypatch
):
    """'just me and the baby at home' scored 0.76 for violence: in a short message the
    n-gram model alone, unsure, asks gently; sure, or beside the rules, it stands."""
    _model_says(monkeypatch, component, "domestic_violence", 0.76)
    safety = _parse(component, spacy_model, "just me and the baby at home", [("inform", 0.9)]).get(
        SAFETY
    )
    assert safety["category"] is None
    assert safety["tier"] == "check"
    assert "model_alone_short" in safety["softened_by"]
    _model_says(monkeypatch, component, "domestic_violence", 0.95)
    sure = _parse(component, spacy_model, "just me and the baby at home", [("inform", 0.9)])
    assert sure.get(SAFETY)["category"] == "domestic_violence"


def test_what_only_the_ngram_model_reads_in_a_plain_answer_on_screen_is_that_answer():
    """'aight the first 1 ill take off' at the list of times got "is anyone in danger?"
    (dev set bc27, 2026-12-07): a short, plain answer to the question on screen is not
    read as danger by the n-gram model alone; the rules still read every message."""
    from bot.safety.component import answers_the_question

    times = {"cpp_asked": {"form": "slot_choice_form", "slot": "slot_pick"}}
    assert answers_the_question("aight the first 1 ill take off", times)
    assert not answers_the_question("aight the first 1 ill take off", {})
    assert not answers_the_question("what happens at the first one?", times)


def _lean(component, monkeypatch, confidence: float, category: str) -> None:
    """The n-gram model's reading, fixed: ``confidence`` for ``category``."""
    monkeypatch.setattr(component._crisis_model, "probability", lambda lemmas: confidence)
    monkeypatch.setattr(component._crisis_model, "category", lambda lemmas: category)


# Long enough that neither the few-words nor the short-message rules apply, with no rule.
CALM_LONG = (
    "her inhaler is not doing much tonight and she is pulling in under her ribs with every "
    "breath she takes"
)


def test_both_learnt_layers_agreeing_give_the_full_protocol(component, spacy_model, monkeypatch):
    """Each layer alone was unsure of indirect danger (dev sets dev_blind5/6, 2026-12-07)."""
    from bot.safety.check_model import Concern

    _lean(component, monkeypatch, 0.63, "medical_emergency")
    monkeypatch.setattr(
        component._check_model, "concern", lambda text: Concern(0.95, "medical_emergency", False)
    )
    message = _parse(component, spacy_model, CALM_LONG, [("nlu_fallback", 0.7)])
    assert message.get(INTENT)["name"] == "medical_emergency"
    assert message.get(SAFETY)["agreed"] is True


@pytest.mark.parametrize(
    ("confidence", "leans_to", "concern"),
    [
        (0.63, "medical_emergency", ("self_harm", False)),  # not the same danger
        (0.63, "medical_emergency", ("medical_emergency", True)),  # the encoder: ambiguous
        (0.5, "medical_emergency", ("medical_emergency", False)),  # the n-gram model: too unsure
    ],
)
def test_layers_that_do_not_agree_give_only_the_check(
    component, spacy_model, monkeypatch, confidence, leans_to, concern
):
    from bot.safety.check_model import Concern

    _lean(component, monkeypatch, confidence, leans_to)
    monkeypatch.setattr(component._check_model, "concern", lambda text: Concern(0.95, *concern))
    message = _parse(component, spacy_model, CALM_LONG, [("nlu_fallback", 0.7)])
    assert message.get(INTENT)["name"] in ("safety_concern", "safety_check")
    assert message.get(SAFETY)["agreed"] is False


def test_agreeing_layers_keep_the_check_after_a_plain_request(component, spacy_model, monkeypatch):
    """A move asked for beside pills saved "to not wake up" lost its check as a reschedule
    request (dev set dev_blind6, 2026-12-07); without the n-gram model's lean it still does."""
    from bot.safety.check_model import Concern

    monkeypatch.setattr(
        component._check_model, "concern", lambda text: Concern(0.95, "self_harm", False)
    )
    text = "can we move thursday to 4:30 please, my husband has a work thing until 4"
    _lean(component, monkeypatch, 0.55, "self_harm")
    kept = _parse(component, spacy_model, text, [("reschedule_booking", 0.9)])
    assert kept.get(INTENT)["name"] == "safety_concern"
    _lean(component, monkeypatch, 0.2, "self_harm")
    dropped = _parse(component, spacy_model, text, [("reschedule_booking", 0.9)])
    assert dropped.get(INTENT)["name"] == "reschedule_booking"


def test_the_n_gram_models_unsure_danger_beside_a_reminder_request_is_a_check(
    component, spacy_model, monkeypatch
):
    """ "...we do it together anyway. stop texting me the reminders pls" got the suicide
    reply on the n-gram model alone at 0.79 (dev set bc36, 2026-12-07)."""
    from bot.safety.check_model import Concern

    _lean(component, monkeypatch, 0.79, "self_harm")
    monkeypatch.setattr(component._check_model, "concern", lambda text: Concern(0.5, "self_harm"))
    text = (
        "actually my wife says she already gets them on her phone and we do it together "
        "anyway. stop texting me the reminders pls"
    )
    message = _parse(component, spacy_model, text, [("stop_reminders", 0.6)])
    assert message.get(SAFETY)["tier"] == "check"
    assert message.get(SAFETY)["softened_by"] == ["asks_about_a_visit"]


def test_the_n_gram_models_unsure_danger_in_an_answer_to_a_plain_question_is_a_check(
    component, spacy_model, monkeypatch
):
    """ "hold on, let me ask my husband which days he can do" at "what days and times
    work?" got the violence-at-home reply (dev set bc33, 2026-12-07)."""
    from bot.safety.asked import ASKED_KEY
    from bot.safety.check_model import Concern

    _lean(component, monkeypatch, 0.8, "domestic_violence")
    monkeypatch.setattr(component._check_model, "concern", lambda text: Concern(0.3, "self_harm"))
    text = "Oh good question, hold on, let me ask my husband which days he can do. Be right back!"
    ranked = [{"name": "inform", "confidence": 0.5}]
    asked = {ASKED_KEY: {"form": "booking_form", "slot": "time_preference"}}
    message = Message(
        data={TEXT: text, INTENT: ranked[0], INTENT_RANKING_KEY: ranked, "metadata": asked}
    )
    component.process([message], spacy_model)
    assert message.get(SAFETY)["tier"] == "check"
    assert message.get(SAFETY)["softened_by"] == ["asked:time_preference"]
