"""Punctuation spoken into voice typing, written as punctuation before Rasa reads it.

Why: caregivers who dictate (driving, cooking, after surgery) send "how do we start
period" and "she's 4 comma we're free mornings"; the words "period" and "comma" then
become part of the request, the child's name or the times ("how do we start period"
was read as a question about the phases of CPP). Only the spoken marks are changed, and
"period" only where it cannot be a noun ("a trial period", "my period").
"""

from __future__ import annotations

import re

_MARKS = [
    (re.compile(r"\s*\b(?:question mark)\b", re.I), "?"),
    (re.compile(r"\s*\b(?:exclamation (?:point|mark))\b", re.I), "!"),
    (re.compile(r"\s*\b(?:full stop)\b", re.I), "."),
    (re.compile(r"\s+\bcomma\b", re.I), ","),
    (re.compile(r"\s*\b(?:new (?:line|paragraph))\b\s*", re.I), "\n"),
    # What voice typing makes of this product's own words.
    (re.compile(r"\b(?:a point ?meant|appoint meant)\b", re.I), "appointment"),
    (re.compile(r"\b(?:see pee pee|see p p|c p p|sea pee pee)\b", re.I), "CPP"),
]
# Words after which "period" is a noun, not the end of a sentence.
_NOUN_BEFORE = frozenset({
    "a", "the", "my", "her", "his", "our", "their", "your", "this", "that", "any", "each",
    "every", "one", "some", "same", "first", "last", "short", "long", "trial", "waiting",
    "grace", "holiday", "school", "sleep", "nap", "quiet", "adjustment", "time", "free",
    "of", "what", "which",
})  # fmt: skip
_PERIOD = re.compile(r"(?P<before>\w+)\s+period\b(?P<after>[.!?]?)", re.I)


def _period(match: re.Match[str]) -> str:
    before = match.group("before")
    if before.lower() in _NOUN_BEFORE:
        return match.group(0)
    return f"{before}."


def spoken_punctuation(text: str) -> str:
    """``text`` with dictated punctuation words written as marks."""
    for pattern, mark in _MARKS:
        text = pattern.sub(mark, text)
    return _PERIOD.sub(_period, text)
