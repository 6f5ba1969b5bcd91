"""`make eval`'s scoring: what the bot understood, and the figures a set gets."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.evaluation.nlu_eval import BLIND_TARGETS, failures, score, understood_as, wilson_upper
from bot.evaluation.nlu_sets import EvalSet, Example, load_blind, load_rasa_nlu

ROOT = Path(__file__).resolve().parents[1]


def _parse(intent: str, topic: str | None = None, crisis: str | None = None, also=None) -> dict:
    parse = {"intent": {"name": intent}, "entities": [], "safety": {"category": crisis}}
    if topic:
        parse["response_selector"] = {"faq": {"response": {"intent_response_key": topic}}}
    if also:
        parse["entities"].append({"entity": "also_asked", "value": also})
    return parse


def test_what_the_bot_understood():
    assert understood_as(_parse("faq", "faq/cost")) == ("faq/cost", None)
    assert understood_as(_parse("greet")) == ("greet", None)
    assert understood_as(_parse("faq", "faq/cost", crisis="self_harm"))[0] == "self_harm"
    assert understood_as(_parse("faq", "faq/cost", also="faq/location")) == (
        "faq/cost",
        "faq/location",
    )
    assert understood_as({})[0] == "nlu_fallback"


def test_the_figures_of_a_set():
    examples = [
        Example("hi, do u take medicaid", "faq/cost", tags=("greeting",)),
        Example("hey can i book", "book_appointment", tags=("greeting",)),
        Example("will it rain", "out_of_scope"),
        Example("recipe for soup", "out_of_scope"),
        Example("how long and how much", "faq/session_length", also="faq/cost"),
        Example("what is it really", "faq/what_is_cpp", alt=("faq/session_activities",)),
    ]
    parses = [
        _parse("faq", "faq/cost"),
        _parse("greet"),
        _parse("nlu_fallback"),
        _parse("faq", "faq/cost"),
        _parse("faq", "faq/cost", also="faq/session_length"),
        _parse("faq", "faq/session_activities"),
    ]
    figures = score(examples, parses)
    assert figures["understood"] == 3 / 4
    assert figures["out_of_scope_declined"] == 1 / 2
    assert figures["greeting_first"] == 1 / 2
    assert figures["two_questions_both_answered"] == 1.0
    assert figures["missed_to"] == {
        "book_appointment": {"greet": 1},
        "out_of_scope": {"faq/cost": 1},
    }
    problems = failures(EvalSet("x", Path("x.yml"), True, examples), figures)
    assert problems and all("clearly below" in p for p in problems)


def test_every_blind_set_loads_with_known_labels():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    intents = {i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]}
    responses = yaml.safe_load((ROOT / "data" / "nlu" / "faq_responses.yml").read_text())
    topics = {k.removeprefix("utter_") for k in responses["responses"]}
    known = (intents | topics) - {"faq"}
    sets = sorted((ROOT / "tests" / "blind").glob("nlu_*.yml"))
    assert sets
    for path in sets:
        examples = load_blind(path).examples
        assert len(examples) >= 400
        used = {label for e in examples for label in e.accepted} - {"nlu_fallback"}
        assert used <= known, used - known


def test_the_dev_set_loads_in_rasas_format():
    examples = load_rasa_nlu(ROOT / "tests" / "nlu" / "holdout.yml").examples
    assert len(examples) > 100 and all(e.label and e.text for e in examples)


def _figures(understood: float, greeting: float, declined: float = 1.0) -> dict:
    return {
        "messages": 522,
        "understood": understood,
        "greeting_first": greeting,
        "out_of_scope_declined": declined,
        "by_tag": {"greeting": {"n": 62, "recall": greeting}},
        "by_label": {"out_of_scope": {"n": 34, "recall": declined}},
    }


def test_a_blind_set_fails_the_build_only_when_clearly_below_its_target():
    blind = EvalSet("b", Path("b.yml"), True, [])
    # One greeting-first message short (58 of 62) and 94.9% understood: noise.
    assert failures(blind, _figures(0.949, 58 / 62)) == []
    problems = failures(blind, _figures(0.92, 50 / 62, 0.70))
    assert [p.split(":")[1].split()[0] for p in problems] == [
        "understood", "out_of_scope_declined", "greeting_first"
    ]  # fmt: skip
    assert set(BLIND_TARGETS) == {"understood", "out_of_scope_declined", "greeting_first"}
    dev = EvalSet("d", Path("d.yml"), False, [])
    assert failures(dev, {"understood": 0.949}) != []  # a dev set has no interval


def test_the_wilson_upper_bound():
    assert wilson_upper(1.0, 10) == 1.0
    assert 0.95 < wilson_upper(58 / 62, 62) < 0.99
    assert wilson_upper(0.5, 0) == 1.0
