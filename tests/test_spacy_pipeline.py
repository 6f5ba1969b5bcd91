"""The spaCy pipeline built in code loads from its folder, lemmatizes and finds child ages."""

from __future__ import annotations

import pytest

from bot.nlp.ages import age_in_months
from bot.nlp.pipeline import build_pipeline


def test_saved_pipeline_has_expected_components(nlp):
    assert nlp.pipe_names == ["lemmatizer", "entity_ruler"]
    assert nlp.lang == "en"


def test_lookup_lemmas_come_from_spacy_lookups_data(nlp):
    doc = nlp("my son bites and was crying at daycare")
    assert [t.lemma_ for t in doc][2:7] == ["bite", "and", "be", "cry", "at"]


@pytest.mark.parametrize(
    ("text", "span", "months"),
    [
        ("is cpp ok for my 3 year old", "3 year old", 36),
        ("my 3-year-old bites", "3-year-old", 36),
        ("she is two years old", "two years old", 24),
        ("my son is 18 months", "18 months", 18),
        ("our 4yo hits his sister", "4yo", 48),
        ("my toddler screams at bedtime", "toddler", 24),
        ("a year and a half old", "a year and a half old", 18),
        ("my 6 week old cries a lot", "6 week old", 6 * 12 / 52),
        ("my daughter age 4 is scared", "age 4", 48),
        ("she is a year old", "a year old", 12),
        ("2 and a half year old", "2 and a half year old", 30),
    ],
)
def test_finds_child_age(nlp, text, span, months):
    ages = [e for e in nlp(text).ents if e.label_ == "CHILD_AGE"]
    assert [e.text for e in ages] == [span]
    assert age_in_months(span) == pytest.approx(months)


@pytest.mark.parametrize(
    "text",
    [
        "we moved here 3 years ago",
        "i have 2 kids",
        "what does it cost",
        "it was 2 months later",
        "how many times a week would we come",
        "sessions last an hour",
    ],
)
def test_no_child_age_where_there_is_none(nlp, text):
    assert [e.text for e in nlp(text).ents if e.label_ == "CHILD_AGE"] == []


def test_saved_and_freshly_built_pipelines_agree(nlp):
    fresh = build_pipeline()
    text = "my 2 yr old and my newborn"
    assert [(e.text, e.label_) for e in fresh(text).ents] == [
        (e.text, e.label_) for e in nlp(text).ents
    ]
