"""What a caregiver already told us in their own words: the child's age, their first
name, how they are related to the child, and corrections of these.

Why: a grandmother who opened with "I look after my granddaughter, she's four" must not
be asked her age again, and "sorry I meant he's 2 not 3" in the middle of the booking
questions must change the age, not be read as the answer to the question on screen.
Plain functions over text (no Rasa): actions/booking_facts.py applies them to a form.
"""

from __future__ import annotations

import re

from bot.booking.contact import missing_area_code, parse_contact
from bot.booking.corrections import STRONG_CUE, WEAK_CUE
from bot.booking.preferences import parse_preference
from bot.nlp.ages import age_in_months, phrase_for, unit_regex
from bot.nlp.birthdays import months_by_date
from bot.nlp.booking_words import ASKS_FOR_A_PERSON

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


def age_from_answer(text: str, entity_values: list[str] | None = None) -> float | None:
    """Months from an answer to "How old is your child?": the age said in a sentence
    ("she is 2 years 7 months", "he's 2, almost 3"), a short answer read whole ("4 1/2
    yrs", where the entity is only "1/2 yrs"), the NLU's age entity, else the words."""
    if (said := age_said(text)) is not None and (months := age_in_months(said)) is not None:
        return months
    if len(text.split()) <= SHORT_ANSWER_WORDS and (months := age_in_months(text)) is not None:
        return months
    for value in entity_values or []:
        if (months := age_in_months(value)) is not None:
            return months
    return age_in_months(text)


SHORT_ANSWER_WORDS = 6


_CONCERN_CUE = re.compile(
    r"\b(since|ever since|been|keeps?|won'?t|wont|can'?t|cant|tantrums?|meltdowns?|"
    r"nightmares?|night terrors?|scream\w*|cry\w*|cries|hit\w*|bit(es|ing)?|scared|afraid|"
    r"clingy|withdrawn|quiet|sleep\w*|wak\w+|wet\w*|angry|aggressive|passed|died|death|lost|"
    r"divorce|separat\w+|deployed|hospital|fire|accident|moved|custody|violence|abuse\w*|"
    r"trauma\w*|struggl\w+|hard time|behaviou?r\w*|"
    # what a child does that worries (flinches, hoards food, pulls out her hair)
    r"flinch\w*|freez\w*|hoard\w*|hid(es|ing)|pull\w* (out )?(her|his) hair|bald|"
    r"eye contact|regress\w*|refus\w+|throw\w*|kick\w*|whenever|anymore|lately|"
    r"jail|prison|rehab|placements?|came into care|worr(y|ied|ies)|"
    # how a child is not themselves (dev set bc23, 2026-12-07)
    r"sad\w*|upset|comfort\w*|rock(s|ing)? (her|him|them)sel(f|ves)|detain\w*|deport\w*|"
    r"immigration|not (been )?(him|her)self|not the same|(do|does)n'?t let|won'?t let|"
    r"no quiere|asks? for (her|his|their) (mom|mommy|dad|daddy|papa|mama))\b",
    re.I,
)
_TOPIC_CUE = re.compile(
    r"\b(about|regarding|re|topic|because|question|questions|ask|intake|insurance|medicaid|bill|cost|"
    r"pay|referral|worried|since)\b",
    re.I,
)
MAX_SAID = 500
MIN_CONCERN_WORDS = 10
MIN_TOPIC_WORDS = 8


def _as_written(text: str) -> str:
    """What was said, kept for the clinician or staff: one line, at most MAX_SAID."""
    return " ".join(text.split())[:MAX_SAID]


def concern_said(text: str) -> str | None:
    """A message that tells what has been going on for the child (long enough, and about
    the child's behaviour or a hard time), kept as written for the clinician."""
    if len(text.split()) < MIN_CONCERN_WORDS or not _CONCERN_CUE.search(text):
        return None
    return _as_written(text)


def concern_answer(text: str) -> str | None:
    """The answer to "what has been going on?" even when it reads as a question about
    CPP ("...caseworker recommended this"): a story, not a question."""
    return None if text.rstrip().endswith("?") else concern_said(text)


def topic_said(text: str) -> str | None:
    """A request for a person that already says what it is about ("can someone call me
    about my son's intake"), kept as written for staff."""
    if len(text.split()) < MIN_TOPIC_WORDS or not (
        _TOPIC_CUE.search(text) or _CONCERN_CUE.search(text)
    ):
        return None  # a story counts ("his dad moved out... call me before thursday")
    return _as_written(text)


# "it's about the bill I got", typed while the form asks for a name or a number.
_SAYS_WHAT_ABOUT = re.compile(
    r"\b(?:it'?s|its|it is|this is|that'?s|thats|the call is|my question is)\s+"
    r"(?:about|regarding|re)\b|\bregarding\b",
    re.I,
)


def topic_in_passing(text: str) -> str | None:
    """What a call is about, said plainly while another question is on screen."""
    return topic_said(text) if _SAYS_WHAT_ABOUT.search(text) else None


def topic_asked(text: str) -> str | None:
    """A question of several words asked while a request for a person is under way ("I
    don't know what papers I need to bring her in"): answered, and what the call is about."""
    if len(text.split()) < MIN_TOPIC_WORDS:
        return None
    return _as_written(text)


# "can someone call me about this?" after a pasted daycare note: "this" is the note.
_POINTS_BACK = re.compile(
    r"\babout (?:this|that|it|the (?:letter|note|email|form|referral|report))\b"
    r"(?!\s+\w+\s+(?:is|was))",
    re.I,
)


def topic_with_what_it_points_to(newest_first: list[str]) -> str | None:
    """What a request for a person is about, from the newest message long enough to say
    it; when it only points back ("about this"), with the earlier message it points to."""
    long_ones = [t for t in newest_first if len(t.split()) >= MIN_TOPIC_WORDS]
    if not long_ones:
        return None
    topic = topic_said(long_ones[0])
    if topic and _POINTS_BACK.search(topic) and len(long_ones) > 1:
        earlier = " ".join(long_ones[1].split())
        return f"{topic} (before it: {earlier})"[:MAX_SAID]
    return topic


def contact_said(text: str) -> str | None:
    """A message that gives a phone number or email in passing ("text me at 312 318
    2290"), kept whole: the contact question's check reads the number out of it (a
    seven-digit one with the clinic's area code, or asks for it)."""
    return text if parse_contact(text) or missing_area_code(text) else None


# A clause that offers times ("Available weekday mornings", "fridays after 3 work best"),
# not one that only mentions a time of day ("he won't sleep at night").
_TIMES_CUE = re.compile(
    r"\b(available|availability|free on|free after|free before|works? (best|for me|for us)|"
    r"best (time|days?)|is best|are best|best for (?:me|us)|prefer|can (do|come|make it)|"
    r"good for (me|us)|"
    r"any ?time works|i'?m off|(?:only|i'?m|im|am|usually|mostly|always) free|"
    r"only (?:on )?(?:mon|tue|wed|thu|fri|sat|sun|week|morning|afternoon|evening|after|before)\w*|"
    r"(?:mornings?|afternoons?|evenings?|weekends?|weekdays?|days|times?|\d(?:am|pm)?) works?|"
    # "anything after 4 would be ideal", "my days off are tues/thurs", "im home after 1"
    r"ideal|days? off (?:are|is)|suits? (?:me|us)|(?:is|are) (?:easiest|easier|better) for|"
    r"(?:i'?m|im|i am) home (?:after|before|by|from|on|mon|tue|wed|thu|fri)|"
    r"anything after|"
    # "We're hoping for evenings since we both work till 5", "i can only do mornings right
    # after my shift" (dev set bc32, 2026-12-07)
    r"(?:can|could) only (?:do|come|make)|(?:hoping|looking|asking) for (?:an? )?"
    r"(?:mornings?|afternoons?|evenings?|weekends?|weekdays?|mon|tue|wed|thu|fri|sat|sun)|"
    # "any weekday afternoon is fine because I am retired" (dev set bc25, 2026-12-07)
    r"(?:morning|afternoon|evening|weekend|weekday|day|time)s? (?:is|are|would be) "
    r"(?:fine|good|ok|okay|great|perfect|best)|"
    # "i cant do anything before 3:45 on weekdays"
    r"(?:can'?t|cannot|can not) (?:do |make )?(?:anything |it )?(?:before|after|until|till))\b",
    re.I,
)


# A sentence of days and times alone, as in a terse request: "Tues/Thurs afternoons."
_ONLY_TIMES = re.compile(
    r"(?:\s|[/&,+-]|\b(?:or|and|only|any|anytime|after|before|at|around|am|pm|\d{1,2}(?::\d\d)?"
    r"(?:am|pm)?|(?:early|late)|(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|s|days)?|"
    r"week ?days?|week ?ends?|mornings?|afternoons?|evenings?|noon)\b)+",
    re.I,
)


def times_said(text: str) -> str | None:
    """Days and times offered in passing, as the clause that says them, else None."""
    # A clause, not the sentence: "i sleep 8am-2pm so only afternoons after 3 work".
    for clause in re.split(r"(?<=[.!?;])\s+|\n|,?\s+(?:so|but|because|bc|since)\s+", text):
        if _TIMES_CUE.search(clause) and parse_preference(clause) is not None:
            return clause.strip(" .!")
    for sentence in re.split(r"(?<=[.!?;])\s+|\n", text):
        words = sentence.strip(" .!;")
        if words and _ONLY_TIMES.fullmatch(words) and parse_preference(words) is not None:
            return words
    return None


MAX_TIME_CHARS = 200
# A good time to call, said in passing: "after 5", "weekday mornings", "any time".
_WHEN = re.compile(
    r"\b((after|before|around|between|by|at|til|till|until|from)\s+\d{1,2}(:\d\d)?\s*(am|pm)?|"
    r"(week ?day|week ?end|mon|tues?|wed(nes)?|thu(rs)?|fri|sat(ur)?|sun)(day)?s?\b.*?"
    r"(morning|afternoon|evening|night)?s?|mornings?|afternoons?|evenings?|any ?time|"
    r"lunch ?time|nap ?time|(after|before|between|from)\s+\d{3,4}|"
    r"\d{1,2}(:\d\d)?\s*(am|pm)?\s*(-|to|til|till)\s*\d{1,2}(:\d\d)?\s*(am|pm)|"
    r"(best|good) time( to (call|reach|text))?\s*[:\-]\s*\w)",
    re.I,
)  # "Best time: 0700-0800 or after 1800" as a form would be filled in


def when_said(text: str) -> str | None:
    """The parts of a message that say when to call ("call me after 5, I'm Ana" ->
    "call me after 5"), or None."""
    parts = [p.strip() for p in re.split(r"[.;!?\n]+", text) if _WHEN.search(p)]
    return "; ".join(parts)[:MAX_TIME_CHARS] if parts else None


def asks_for_person(text: str) -> bool:
    return bool(ASKS_FOR_A_PERSON.search(text))


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
