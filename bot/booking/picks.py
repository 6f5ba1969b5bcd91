"""Which of the offered times a caregiver picked, read from what they typed.

By position ("2", "the second one", "the last one"), by what a label shows ("the tuesday
one", "10am works", "with Ana"), or by "earliest" / "any is fine". Plain functions over
text and the offered labels; actions/booking_slots.py applies them to the form.
"""

from __future__ import annotations

import re
from typing import Any

from bot.nlp.days import DAY_PATTERN, day_number

ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2,
            # Spanish, as families mix it in ("la primera", "el segundo")
            "primera": 0, "primero": 0, "segunda": 1, "segundo": 1, "tercera": 2,
            "tercero": 2, "ultima": -1, "última": -1, "ultimo": -1, "último": -1}  # fmt: skip
NUMBER_WORDS = {"one": 0, "two": 1, "three": 2}  # after ordinals: "the third one"


def picked_index(text: str, offered: list[dict[str, Any]]) -> int | None:
    """Which offered time the caregiver chose: '2', 'the second one', 'the last one', or
    by what the label shows: 'the tuesday one', '10am works', 'Ana', 'earliest'."""
    lowered = text.lower()
    by_label = _picked_by_label(lowered, offered)
    if by_label is not None:
        return by_label
    digit = re.search(r"\b([1-9])\b(?!\s*(?::|am\b|pm\b|o'?clock))", lowered)
    if digit and int(digit.group(1)) <= len(offered):
        return int(digit.group(1)) - 1
    if re.search(r"\blast\b", lowered) and offered:
        return len(offered) - 1
    if (
        re.search(
            r"\b(earliest|soonest|first available|asap|any( of (them|those|these))?( one)? "
            r"(is|are|works?)|either|whichever|does ?n'?t matter)\b",
            lowered,
        )
        and offered
    ):
        return 0
    for words in (ORDINALS, NUMBER_WORDS):
        for word, index in words.items():
            if re.search(rf"\b{word}\b", lowered) and index < len(offered) and offered:
                return index % len(offered)  # -1: the last
    return None


_CLOCK = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?=\W|$)")
_LABEL_TIME = re.compile(r"(\d{1,2}):(\d{2})\s*(AM|PM)")
_NAME_WORDS = re.compile(r"[A-Z][a-z]+")


def _picked_by_label(lowered: str, offered: list[dict[str, Any]]) -> int | None:
    """The only offered time (or the first of those) whose label matches a weekday,
    a clock time or a clinician's name in the text; None when nothing narrows it."""
    candidates = list(range(len(offered)))
    narrowed = False
    days = {day_number(m) for m in re.findall(rf"\b{DAY_PATTERN}\b", lowered)}
    if days:
        keep = [i for i in candidates if _label_day(offered[i]) in days]
        if keep:
            candidates, narrowed = keep, True
    wanted = [_minutes(m) for m in _CLOCK.finditer(lowered) if m.group(2) or m.group(3)]
    if wanted:
        keep = [i for i in candidates if _label_minutes(offered[i]) in wanted]
        if keep:
            candidates, narrowed = keep, True
    names = [i for i in candidates if _names_in(offered[i]) & set(re.findall(r"[a-z]+", lowered))]
    if names:
        candidates, narrowed = names, True
    return candidates[0] if narrowed else None


def _label(offer: dict[str, Any]) -> str:
    return str(offer.get("label") or "")


def _label_day(offer: dict[str, Any]) -> int | None:
    found = re.search(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b", _label(offer))
    return day_number(found.group(1)) if found else None


def _label_minutes(offer: dict[str, Any]) -> int | None:
    found = _LABEL_TIME.search(_label(offer))
    if not found:
        return None
    hour = int(found.group(1)) % 12 + (12 if found.group(3) == "PM" else 0)
    return hour * 60 + int(found.group(2))


def _minutes(match: re.Match[str]) -> int:
    """'10am' -> 600, '2:30' -> 870 (1 to 7 without am/pm is afternoon, as clinics mean)."""
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3) or ""
    if half.startswith("p") or (not half and 1 <= hour <= 7):
        hour = hour % 12 + 12
    elif half.startswith("a"):
        hour = hour % 12
    return hour * 60 + minute


def _names_in(offer: dict[str, Any]) -> set[str]:
    """The clinician's names in a label ('Ana Ruiz, LCSW — ...' -> {'ana', 'ruiz'})."""
    person = _label(offer).split("—")[0].split(",")[0]
    return {w.lower() for w in _NAME_WORDS.findall(person)}
