"""Taking phone numbers, emails and names out of text before it leaves the console.

Exports may go to people who should see what families asked, not who they are. The
rules lean towards over-redacting: a digit run that might be a number goes, and a
name is anything introduced as one ("my name is Dana", "my son Leo").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import phonenumbers

PHONE, EMAIL, NAME = "[phone]", "[email]", "[name]"
REGION = "US"

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Seven or more digits with the separators people type; an ISO date is left alone.
_DIGITS = re.compile(r"\+?\(?\d[\d\s().-]{5,}\d")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_POSSESSIVE = re.compile(r"['’]s$")
_WORD = r"[A-Za-z][A-Za-z'’-]*"
_CAPITAL = r"[A-Z][A-Za-z'’-]*"
_RELATIVES = (
    "son|daughter|child|kid|boy|girl|baby|toddler|grandson|granddaughter|"
    "husband|wife|partner|nephew|niece"
)
# (pattern, whether the name must be capitalised)
_INTRODUCTIONS = (
    (re.compile(rf"\bmy name is ({_WORD}(?: {_CAPITAL})?)", re.IGNORECASE), False),
    (re.compile(rf"\bname'?s ({_CAPITAL}(?: {_CAPITAL})?)"), True),
    (re.compile(rf"\b(?:I'm|I’m|I am|im) ({_CAPITAL}(?: {_CAPITAL})?)"), True),
    (re.compile(rf"\b[Tt]his is ({_CAPITAL}(?: {_CAPITAL})?)"), True),
    (re.compile(rf"\b(?:named|called) ({_CAPITAL}(?: {_CAPITAL})?)"), True),
    (re.compile(rf"\b[Mm]y (?:{_RELATIVES}),? ({_CAPITAL}(?: {_CAPITAL})?)"), True),
)
# Words that follow "I'm" / "this is" / "my son" but are not names.
_COMMON = """
    a about afraid again also always am an and angry anxious as ashamed at away back bad
    being best better busy but by calling can can't concerned confused could crying
    dad daddy desperate did do doing done down drained during easy either even every
    exhausted feeling fine for frustrated from getting glad going gone good grateful
    great had happy has hard have having he her here hers him his home hopeful how i
    if in into is it just kind lately like little lonely looking lost mad mama mom mommy
    more mother father much my new nervous never no not now of off ok okay on one only
    or our out over overwhelmed please pretty quite ready really sad same scared she
    should since single so sorry still stressed stuck such sure that the their them then
    there these they this tired to today told too trying two up upset us very was we
    well were what when where which who why will with worried would writing yes yet you
    your monday tuesday wednesday thursday friday saturday sunday
    """
COMMON_WORDS = frozenset(_COMMON.split())


def _is_name(word: str, capitalised: bool) -> bool:
    if word.lower() in COMMON_WORDS:
        return False
    return word[:1].isupper() or not capitalised


def names_in(text: str) -> set[str]:
    """Names the text introduces ("my name is Dana" -> {"Dana"}), to redact elsewhere too."""
    found: set[str] = set()
    for pattern, capitalised in _INTRODUCTIONS:
        for match in pattern.finditer(text or ""):
            words = [_POSSESSIVE.sub("", w) for w in match.group(1).split()]
            if not _is_name(words[0], capitalised):
                continue
            if len(words) == 2 and not _is_name(words[1], capitalised):
                words = words[:1]
            found.add(" ".join(words))
    return found


def _phones(text: str) -> str:
    matcher = phonenumbers.PhoneNumberMatcher(text, REGION, leniency=phonenumbers.Leniency.POSSIBLE)
    spans = [(m.start, m.end) for m in matcher]
    for start, end in reversed(spans):
        text = text[:start] + PHONE + text[end:]

    def digits(match: re.Match[str]) -> str:
        raw = match.group(0)
        if _ISO_DATE.fullmatch(raw.strip()) or sum(c.isdigit() for c in raw) < 7:
            return raw
        return PHONE

    return _DIGITS.sub(digits, text)


def _names(text: str, names: Iterable[str]) -> str:
    # Whole names first, then each part, longest first so "Dana Kim" is one [name].
    parts: set[str] = set()
    for name in names:
        name = (name or "").strip()
        if len(name) >= 2:
            parts.add(name)
            parts.update(p for p in name.split() if len(p) >= 2 and p.lower() not in COMMON_WORDS)
    for part in sorted(parts, key=len, reverse=True):
        text = re.sub(rf"(?<![\w\[]){re.escape(part)}(?![\w\]])", NAME, text, flags=re.IGNORECASE)
    return text


def redact(text: str, names: Iterable[str] = ()) -> str:
    """``text`` with phone numbers, emails and names replaced by [phone], [email], [name].

    ``names`` are known names (a booking's first name, a name slot); names the text
    itself introduces are added to them.
    """
    if not text:
        return text
    result = _EMAIL.sub(EMAIL, text)
    result = _phones(result)
    return _names(result, {*names, *names_in(result)})
