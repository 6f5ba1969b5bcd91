"""Turn a child-age phrase found by the entity ruler into months.

The booking flow and the "who is CPP for" answer compare a child's age with the
clinic's range, so "2 and a half", "18mo" and "toddler" all need one number.
"""

from __future__ import annotations

import re
from datetime import date

from bot.nlp.birthdays import months_by_date

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
# How caregivers write the units of an age, misspellings on a phone included ("9 monts",
# "18 mnths", "3 yeras": "9 monts" was read as 9 years, dev set bc28, 2026-12-07). The one
# home of these spellings: the entity ruler (bot.nlp.pipeline) and the fact reader
# (bot.booking.ages_said) use them too.
YEAR_UNITS = (
    "year", "years", "yr", "yrs", "y", "yo", "yeras", "yers", "yrs.", "años", "año", "anos",
)  # fmt: skip
MONTH_UNITS = (
    "month", "months", "mo", "mos", "mth", "mths", "mnth", "mnths", "mont", "monts", "monht",
    "monhts", "moth", "moths", "mounth", "mounths", "monthes", "meses", "mes",
)  # fmt: skip
WEEK_UNITS = ("week", "weeks", "wk", "wks", "weks", "wek", "semanas", "semana")


def _unit_pattern(units: tuple[str, ...], *extra: str) -> re.Pattern[str]:
    return re.compile("^(" + "|".join(map(re.escape, (*units, *extra))) + ")$")


_UNIT_MONTHS = [
    (_unit_pattern(WEEK_UNITS), 12 / 52),
    (_unit_pattern(MONTH_UNITS, "m"), 1.0),
    (_unit_pattern(YEAR_UNITS, "y/o"), 12.0),
]


def unit_regex() -> str:
    """The units as one regex alternation, longest first (for the fact reader)."""
    units = sorted((*YEAR_UNITS, *MONTH_UNITS), key=len, reverse=True)
    return "|".join(re.escape(u) for u in units if u != "y")


def _unit_factor(unit: str) -> float | None:
    for pattern, factor in _UNIT_MONTHS:
        if pattern.match(unit):
            return factor
    return None


def phrase_for(months: float) -> str:
    """How an age read from a date is kept and said back: "4 years 11 months", "7 months"."""
    whole = int(months)  # ages are said in whole months and years gone by
    years, rest = divmod(whole, 12)
    if years == 0:
        return f"{max(1, rest)} months"
    if rest == 0:
        return f"{years} years" if years > 1 else "1 year"
    return f"{years} years {rest} months" if years > 1 else f"1 year {rest} months"


# "2 1/2", "3½" -> "2.5"; "y medio" (Spanish) -> "and a half".
_FRACTION = re.compile(r"(\d+)\s*(?:1/2|½)")
_ALMOST = re.compile(
    r"\b(?:almost|nearly|close to|going on|soon to be|casi)\s+(\d+(?:\.\d+)?|[a-z]+)"
    r"(?:\s*([a-z/]+))?"
)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _number(token: str) -> float | None:
    if _NUMBER.fullmatch(token):
        return float(token)
    return float(NUMBER_WORDS[token]) if token in NUMBER_WORDS else None


def age_in_months(phrase: str, today: date | None = None) -> float | None:
    """Months for '3 year old', '18mo', '2 1/2', 'two and a half', '2 yrs 6 mos',
    'almost 4', 'born in March 2024', 'turning 5 next month', 'tiene 3 años', 'toddler';
    else None."""
    text = phrase.lower().replace("-", " ").strip()
    text = _FRACTION.sub(lambda m: f"{m.group(1)}.5", text)
    text = re.sub(r"\by medi[oa]\b", "and a half", text)
    if (by_date := months_by_date(text, today)) is not None:
        return by_date
    if almost := _ALMOST.search(text):
        number, unit = _number(almost.group(1)), _unit_factor(almost.group(2) or "")
        if number is not None:
            # "2, almost 3": the coming age, less a little; "almost 18 months" likewise.
            return number * 12 - 2 if unit in (None, 12.0) else number * unit - 0.5
    tokens = re.findall(r"[a-záéíóúñ/½]+|\d+(?:\.\d+)?", text)
    pairs: list[tuple[float, float | None]] = []
    pending: float | None = None
    for i, token in enumerate(tokens):
        unit = _unit_factor(token)
        if unit is not None and pending is not None:
            pairs.append((pending, unit))
            pending = None
            continue
        number = _number(token)
        article = token in ("a", "an")
        if number is not None and not (article and _unit_factor(_at(tokens, i + 1)) is None):
            if pending is not None:
                pairs.append((pending, None))
            pending = number
    if pending is not None:
        pairs.append((pending, None))
    if not pairs:
        for stage, months in _STAGES.items():
            if re.search(rf"\b{stage}s?\b", text):
                return float(months)
        return None
    number, factor = pairs[0]
    factor = factor or 12.0  # a bare "age 4" means years
    months = number * factor
    if "half" in tokens:
        months += 0.5 * factor
    # "2 yrs 6 mos", "2y 4m", "4 years and 8 months": years, then the months beyond them.
    if len(pairs) > 1 and factor == 12.0 and pairs[1][1] == 1.0 and pairs[1][0] < 12:
        months += pairs[1][0]
    return months


def _at(tokens: list[str], i: int) -> str:
    return tokens[i] if i < len(tokens) else ""
