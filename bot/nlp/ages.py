"""Turn a child-age phrase found by the entity ruler into months.

The booking flow and the "who is CPP for" answer compare a child's age with the
clinic's range, so "2 and a half", "18mo" and "toddler" all need one number.
"""

from __future__ import annotations

import re

# Number words, shared with the safety detector's counts ("thirty pills").
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "twenty-four": 24,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
}
# Typical ages for stage words, in months (used only when no number is given).
_STAGES = {
    "newborn": 1,
    "infant": 6,
    "baby": 8,
    "babies": 8,
    "toddler": 24,
    "preschooler": 48,
    "kindergartner": 66,
    "kindergartener": 66,
}
_UNIT_MONTHS = [
    (re.compile(r"^(wk|wks|week|weeks)$"), 12 / 52),
    (re.compile(r"^(mo|mos|m|mth|mths|month|months)$"), 1.0),
    (re.compile(r"^(y|yo|y/o|yr|yrs|year|years)$"), 12.0),
]


def _unit_factor(unit: str) -> float | None:
    for pattern, factor in _UNIT_MONTHS:
        if pattern.match(unit):
            return factor
    return None


def age_in_months(phrase: str) -> float | None:
    """Months for phrases like '3 year old', '18mo', 'two and a half', 'toddler'; else None."""
    text = phrase.lower().replace("-", " ").strip()
    for stage, months in _STAGES.items():
        if re.search(rf"\b{stage}s?\b", text):
            return float(months)
    glued = re.fullmatch(r"(\d{1,2})\s*(yo|y/o|yrs?|y|mos?|m|wks?)", text)
    if glued:
        factor = _unit_factor(glued.group(2))
        return float(glued.group(1)) * factor if factor else None
    tokens = re.findall(r"[a-z/]+|\d+(?:\.\d+)?", text)
    number: float | None = None
    factor = 12.0  # a bare "age 4" means years
    for token in tokens:
        if number is None:
            if re.fullmatch(r"\d+(?:\.\d+)?", token):
                number = float(token)
            elif token in NUMBER_WORDS:
                number = float(NUMBER_WORDS[token])
            continue
        unit = _unit_factor(token)
        if unit is not None:
            factor = unit
            break
    if number is None:
        return None
    half = 0.5 if "half" in tokens else 0.0
    return (number + half) * factor
