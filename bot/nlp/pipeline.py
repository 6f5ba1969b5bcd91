"""Build the project's spaCy pipeline in code.

No pretrained spaCy model can be downloaded here, so the pipeline Rasa's
``SpacyNLP`` loads is assembled from parts that ship in pip packages: a blank
English tokenizer, the lookup lemmatizer whose tables come from
``spacy-lookups-data``, and an entity ruler that finds a child's age
("my 3 year old", "18 months", "toddler"). ``build_pipeline`` returns it;
``python -m bot spacy-model`` saves it where ``config.yml`` points.
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

from bot.nlp.ages import MONTH_UNITS, WEEK_UNITS, YEAR_UNITS

CHILD_AGE = "CHILD_AGE"

_UNITS = [*YEAR_UNITS, *MONTH_UNITS, *WEEK_UNITS]
_STAGE_WORDS = [
    "newborn",
    "newborns",
    "infant",
    "infants",
    "baby",
    "babies",
    "toddler",
    "toddlers",
    "preschooler",
    "preschoolers",
    "kindergartner",
    "kindergartener",
]
_NUMBER_WORDS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "twenty-four",
    "thirty",
]


def age_patterns() -> list[dict]:
    """Entity-ruler patterns for a child's age, matched on lower-cased tokens."""
    unit = {"LOWER": {"IN": _UNITS}}
    years = {"LOWER": {"IN": ["year", "years"]}, "OP": "?"}
    dash = {"TEXT": "-", "OP": "?"}
    old = {"LOWER": "old"}
    digits = {"LIKE_NUM": True}
    words = {"LOWER": {"IN": _NUMBER_WORDS}}
    article = {"LOWER": {"IN": ["a", "an", "one"]}}
    half = [{"LOWER": "and"}, {"LOWER": {"IN": ["a", "one"]}}, {"LOWER": "half"}]
    patterns: list[dict] = []
    for num in (digits, words):
        # "3 year old", "3-year-old", "two years old", "18 months old"
        patterns.append({"label": CHILD_AGE, "pattern": [num, dash, unit, dash, old]})
        # "18 months", "2 yrs"  (age without "old")
        patterns.append({"label": CHILD_AGE, "pattern": [num, unit]})
        # "2 and a half", "two years and a half old"
        patterns.append(
            {"label": CHILD_AGE, "pattern": [num, years, *half, years, {"LOWER": "old", "OP": "?"}]}
        )
        # "3 years ago" / "2 months later" are times, not ages: this longer match with
        # another label wins over the CHILD_AGE one, and Rasa keeps only CHILD_AGE.
        after = {"LOWER": {"IN": ["ago", "later", "before", "after", "back"]}}
        patterns.append({"label": "TIME_SPAN", "pattern": [num, unit, after]})
    # "a year old", "an 8 month old": with an article the age needs "old" ("a week" is not an age)
    patterns.append({"label": CHILD_AGE, "pattern": [article, unit, dash, old]})
    # "a year and a half (old)"
    patterns.append(
        {"label": CHILD_AGE, "pattern": [article, years, *half, years, {"LOWER": "old", "OP": "?"}]}
    )
    # Glued forms the tokenizer keeps whole: "3yo", "18mo", "2yrs", "4y/o"
    glued = r"^\d{1,2}(yo|y/o|yr|yrs|y|mo|mos|m|wk|wks)$"
    patterns.append({"label": CHILD_AGE, "pattern": [{"LOWER": {"REGEX": glued}}]})
    patterns.append({"label": CHILD_AGE, "pattern": [digits, {"LOWER": "y/o"}]})
    # "age 4", "aged three" ("she is 4" alone is too ambiguous to tag)
    for num in (digits, words):
        patterns.append({"label": CHILD_AGE, "pattern": [{"LOWER": {"IN": ["age", "aged"]}}, num]})
    # Stage words: "toddler", "newborn", "preschooler"
    patterns.append({"label": CHILD_AGE, "pattern": [{"LOWER": {"IN": _STAGE_WORDS}}]})
    return patterns


def build_pipeline() -> Language:
    """A blank English pipeline with lookup lemmas and the child-age entity ruler."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    nlp.initialize()  # loads the lemma lookup tables from spacy-lookups-data
    ruler.add_patterns(age_patterns())
    nlp.meta["name"] = "cpp_en"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "Blank English + lookup lemmatizer + child-age entity ruler"
    return nlp


def save_pipeline(target: Path) -> Path:
    """Build the pipeline and write it to ``target`` (a directory spacy.load can read)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    build_pipeline().to_disk(target)
    return target
