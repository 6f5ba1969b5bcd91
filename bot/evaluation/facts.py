"""How well the facts a caregiver tells while booking are read: the child's age, their
first name and their relationship to the child (tests/facts/, `make eval-facts`).

Why: a form that asks again for what was already said is the commonest way a booking
goes wrong in whole conversations; this measures the readers alone, message by message,
the way the booking form uses them (an opening message is read in passing; an answer to
one question is read as that answer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.booking.ages_said import age_from_answer, age_said
from bot.booking.relationship_said import clean_relationship, relationship_said
from bot.booking.said_who import clean_name, name_said
from bot.nlp.ages import age_in_months

# "almost 4" is written as 46 months by the writer and read as 48 here: near enough to
# decide whether the child is in the clinic's range.
AGE_TOLERANCE_MONTHS = 3


@dataclass
class FieldScore:
    """Right, wrong (a different value), missed (none read) and invented (read where none
    was told) for one fact."""

    right: int = 0
    wrong: int = 0
    missed: int = 0
    invented: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def told(self) -> int:
        return self.right + self.wrong + self.missed

    @property
    def rate(self) -> float:
        return self.right / self.told if self.told else 1.0


@lru_cache(maxsize=1)
def _nlp() -> Any:
    import spacy

    from bot.settings import get_settings

    return spacy.load(get_settings().spacy_model_dir)


def age_answer(text: str) -> float | None:
    """The age read from an answer to "How old is your child?", as the booking form's
    validator reads it (with the entities the NLU's entity ruler finds)."""
    entities = [ent.text for ent in _nlp()(text).ents if ent.label_ == "CHILD_AGE"]
    return age_from_answer(text, entities)


def read(message: dict) -> dict[str, Any]:
    """The facts read from one message, by the question it answers."""
    text, context = str(message["text"]), message.get("context", "first")
    said = age_said(text)
    read_age = age_in_months(said) if said else None
    if context == "child_age":
        read_age = age_answer(text)
    name = name_said(text)
    if context == "first_name":
        name = clean_name(text) or name
    relationship = relationship_said(text)
    if context == "relationship":
        relationship = clean_relationship(text) or relationship
    return {"first_name": name, "relationship": relationship, "child_age_months": read_age}


def _same(key: str, expected: Any, got: Any) -> bool:
    if key == "child_age_months":
        return abs(float(expected) - float(got)) <= AGE_TOLERANCE_MONTHS
    if key == "first_name":
        return str(expected).strip().lower() == str(got).strip().lower()
    return True  # a relationship in the caregiver's own words is kept as said


def score(path: Path) -> dict[str, FieldScore]:
    """Per fact, over every message of a set."""
    messages = yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]
    scores = {k: FieldScore() for k in ("child_age_months", "first_name", "relationship")}
    for message in messages:
        got = read(message)
        for key, s in scores.items():
            expected, value = message.get(key), got[key]
            if expected is None:
                s.invented += value is not None
            elif value is None:
                s.missed += 1
                s.misses.append(f"missed: {message['text']!r}")
            elif _same(key, expected, value):
                s.right += 1
            else:
                s.wrong += 1
                s.misses.append(f"{value!r} for {expected!r}: {message['text']!r}")
    return scores
