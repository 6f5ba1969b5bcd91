"""The child's age, said in a sentence ("he's 3", "my 18 month old", "born in March
2023", "she just had her 3rd birthday"), given as an answer, or corrected ("sorry I
meant he's 2 not 3").

Why: a grandmother who opened with "I look after my granddaughter, she's four" must not
be asked the age again, and a correction in the middle of the booking questions must
change the age, not be read as the answer to the question on screen. Plain functions
over text (no Rasa); unit words and numbers are bot.nlp.ages'.
"""

from __future__ import annotations

import re

from bot.booking.corrections import STRONG_CUE, WEAK_CUE
from bot.nlp.ages import age_in_months, phrase_for, unit_regex
from bot.nlp.birthdays import months_by_date

_NUMBER = (
    r"(?:\d{1,2}(?:\.5|\s*1/2|\s*½)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|eighteen|twenty|thirty)(?:\s+and\s+(?:a\s+)?half|\s+y\s+medi[oa])?"
)
# "2 yrs 6 mos", "2y 4m", "2 años y medio": a unit, and the months beyond it.
_UNIT = (
    rf"(?:\s*-?\s*(?:{unit_regex()}|y/?o|y\.o\.?|m/?o|y(?=\s*\d{{1,2}}\s*m\b))\b"
    r"(?:\s*(?:and\s+)?\d{1,2}\s*(?:months?|mos?|m)\b|\s+(?:and\s+(?:a\s+)?half|y\s+medi[oa])\b)?)"
)
_OLD = r"(?:\s*-?\s*old\b)?"
_CHILD = (
    r"(?:he|she|hes|shes|he's|she's|he’s|she’s|son|daughter|grandson|granddaughter|kid|"
    r"child|baby|babby|bby|boy|girl|toddler|little one|lo|who|grandbaby|nephew|niece|"
    r"dotter|daugther|dauther|doughter|daugter|duaghter|grandaughter|"
    r"stepson|stepdaughter|foster son|foster daughter|"
    r"niña|nina|niño|nino|nena|nene|hija|hijo|"
    r"youngest|oldest|middle one|little(?!\s+(?:one|1)\b)|littlest|eldest|"
    r"bebé|bebe|they're|theyre|they’re|twins|both|lil (?:one|1|man|guy|girl|boy|mama))"
)
_NOT_AN_AGE = (
    r"(?![\d/])(?!\s*(?:am|pm|a\.m|p\.m|:\d|o'?clock|%|times|kids|children|minutes|mins|hours|hrs|"
    r"days|weeks|wks|dollars|bucks|\$|or more|in the|x\b|classroom|class|room|group))"
)
_AGES = [
    # "my 3 year old", "a four-year-old", "our 18mo"
    re.compile(rf"\b(?:my|our|a|an|his|her|their)\s+({_NUMBER}{_UNIT}){_OLD}", re.I),
    # "3 years old", "18 months old"
    re.compile(rf"\b({_NUMBER}{_UNIT})\s*-?\s*old\b", re.I),
    # "he's 3", "my son is 4 years", "she just turned 2", "daughter, 5"
    re.compile(
        rf"\b{_CHILD}\s*(?:is|are|'s|’s|s|,|just turned|turned|will be)?\s+"
        rf"(?:only|just|about|around)?\s*((?:(?:almost|nearly)\s+)?{_NUMBER}{_UNIT}?"
        rf"(?:,?\s+(?:almost|nearly|going on)\s+\d{{1,2}}\b)?){_NOT_AN_AGE}",
        re.I,
    ),
    # "my son Eli, 4", "daughter Mia is 2"
    re.compile(
        rf"\b{_CHILD}\s+[A-Z][a-z]+\s*(?:is|'s|’s|,|just turned|turned)\s*"
        rf"(?:only|just|about|around)?\s*((?:(?:almost|nearly)\s+)?{_NUMBER}{_UNIT}?){_NOT_AN_AGE}",
        re.I,
    ),
    # "son Mateo 3yo": a name, then an age with its unit
    re.compile(rf"\b{_CHILD}\s+[A-Z][a-z]+\s+({_NUMBER}{_UNIT}){_OLD}", re.I),
    # "my foster daughter (3)", "my son (18 months)", "stepmom to Leo (3)"
    re.compile(rf"\b{_CHILD}\s*\(\s*({_NUMBER}{_UNIT}?)\s*\)", re.I),
    re.compile(rf"\b[A-Z][a-z]+\s*\(\s*({_NUMBER}(?i:{_UNIT})?)\s*\)"),
    # "my daughter is a year and a half", "grandbaby is a year old"
    re.compile(
        rf"\b{_CHILD}\s*(?:is|'s|’s)\s+(?:only|just|about|around)?\s*"
        r"(an?\s+(?:year|yr)(?:\s+and\s+a\s+half)?)\b",
        re.I,
    ),
    # "the baby is 6 weeks (old)", "a 10 week old": weeks only beside the child or "old",
    # never "for 3 weeks"
    re.compile(rf"\b{_CHILD}\s*(?:is|'s|’s)\s+(\d{{1,2}}\s*(?:weeks?|wks?))\b", re.I),
    re.compile(r"\b(\d{1,2}\s*(?:weeks?|wks?))\s*-?\s*old\b", re.I),
    # "tiene 2 años", "my daughter tiene 18 meses"
    re.compile(rf"\btiene\s+({_NUMBER}{_UNIT})", re.I),
    # "aged 4", "age 2"
    re.compile(rf"\baged?\s+({_NUMBER}{_UNIT}?)\b", re.I),
    # "who is three years of age"
    re.compile(rf"\b({_NUMBER}{_UNIT})\s+of\s+age\b", re.I),
    # "Caleb is four", "Mia's 2": a capitalised name (not "It", "This"...) and an age
    re.compile(
        r"\b(?!(?:It|That|This|There|What|Which|Who|He|She|They|Time|Session|Today)\b)"
        rf"[A-Z][a-z]+\s*(?:is|'s|’s|just turned|turned)\s+"
        rf"(?i:only|just|about|around)?\s*((?i:(?:(?:almost|nearly)\s+)?{_NUMBER}{_UNIT}?)){_NOT_AN_AGE}"
    ),
]


# Typed by ear: "he is for years old", "she's to years old".
_AGE_HOMOPHONES = {"for": "four", "fore": "four", "to": "two", "too": "two"}
_SOUNDS_LIKE_AGE = re.compile(r"\b(for|fore|to|too)(?=\s+(?:years?|yrs?)\s+old\b)", re.I)


# A birthday just had ("right after his 3rd birthday party") says the age; a birth date
# or a birthday to come is read by bot.nlp.birthdays.
_BIRTHDAY = re.compile(
    r"\b(?:his|her|their|the)\s+(\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth)"
    r"\s+(?:birthday|bday|b-day)",
    re.I,
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
_MINE = re.compile(rf"\bmine\s+(?:is|'s|’s)\s+({_NUMBER}{_UNIT}?){_NOT_AN_AGE}", re.I)


def _age_by_birthday(text: str) -> str | None:
    if (months := months_by_date(text)) is not None:
        return phrase_for(months)
    if match := _BIRTHDAY.search(text) or _MINE.search(text):
        if match.re is _MINE:
            return match.group(1)
        said = match.group(1).lower()
        years = _ORDINALS.get(said) or int(re.sub(r"\D", "", said))
        return "1 year" if years == 1 else f"{years} years"
    return None


# The writer's own age: "I am 78 years old. I am raising my great-granddaughter, Junie,
# who is 3" (dev set bc30, 2026-12-07); "bc im 17" (bc25).
_OWN_AGE = re.compile(
    r"\b(?:i'?m|i am|im)\s+(?:only\s+|just\s+)?\d{1,2}\b(?:\s*(?:years?|yrs?)(?:\s+old)?)?", re.I
)


def age_said(text: str) -> str | None:
    """The child's age as said in a sentence ("he's 3", "my 18 month old"), else None."""
    text = _OWN_AGE.sub(" ", text)
    text = _SOUNDS_LIKE_AGE.sub(lambda m: _AGE_HOMOPHONES[m.group(1).lower()], text)
    if by_birthday := _age_by_birthday(text):
        return by_birthday
    for pattern in _AGES:
        match = pattern.search(text)
        if match:
            return match.group(1).strip()
    return None


# How long ago or how long something lasted: "2 weeks ago", "for 3 months".
_N_UNITS = (
    r"(?:\d{1,2}|a|an|one|two|three|four|five|six)\s+"
    r"(?:days?|weeks?|wks?|months?|mos?|years?|yrs?)"
)
_HOW_LONG = re.compile(
    rf"\b(?:(?:for|since|past|last|over)\s+(?:the\s+)?(?:about\s+|like\s+)?{_N_UNITS}"
    rf"|{_N_UNITS}\s+ago)\b",
    re.I,
)


def age_from_answer(text: str, entity_values: list[str] | None = None) -> float | None:
    """Months from an answer to "How old is your child?": the age said in a sentence
    ("she is 2 years 7 months", "he's 2, almost 3"), a short answer read whole ("4 1/2
    yrs", where the entity is only "1/2 yrs"), the NLU's age entity, else the words."""
    if (said := age_said(text)) is not None and (months := age_in_months(said)) is not None:
        return months
    text = _HOW_LONG.sub(" ", text)  # "we just had a baby 2 weeks ago" says no age
    if len(text.split()) <= SHORT_ANSWER_WORDS and (months := age_in_months(text)) is not None:
        return months
    for value in entity_values or []:
        if (months := age_in_months(value)) is not None:
            return months
    # A longer message: a number in it, never a stage word alone ("we just had a baby"
    # is no age for the child asked about).
    return age_in_months(text) if _A_NUMBER.search(text) else None


SHORT_ANSWER_WORDS = 6
_A_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|half)\b",
    re.I,
)


_PHONE_LIKE = re.compile(r"\+?\d[\d\s().\-]{5,}\d")


def corrected_age(text: str) -> str | None:
    """The new age in a correction: "sorry i meant hes 2 not 3" -> "2"."""
    text = _PHONE_LIKE.sub(" ", text)  # "i meant 312 772 0194" corrects a number, not an age
    # The writer's own age: "wait do i need my moms permission bc im 17" (dev set bc25).
    text = _OWN_AGE.sub(" ", text)
    kept = re.sub(r"\bnot\s+(?:\d{1,2}|[a-z]+)\b(\s*(years?|months?))?", " ", text, flags=re.I)
    cue = STRONG_CUE.search(kept) or WEAK_CUE.search(kept)
    after = kept[cue.end() :] if cue else kept
    for part in (after, kept):
        said = age_said(part)
        if said:
            return said
        # Not a clock time: "like 10 to 12 any weekday", "at 10", "after 3".
        bare = re.search(
            rf"(?<!at )(?<!after )(?<!before )(?<!from )(?<!by )(?<!around )(?<!between )"
            rf"(?<!to )(?<!-)(?<!until )(?<!till )(?<![:\d.])"
            rf"\b({_NUMBER}{_UNIT}|\d{{1,2}}\b){_NOT_AN_AGE}(?!\s*(?:to|-|–|until|till)\s*\d)",
            part,
            re.I,
        )
        if bare:
            return bare.group(1)
    return None
