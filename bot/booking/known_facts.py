"""What a caregiver already told us in their own words: what brings them, a contact,
which times suit, what a call is about and when.

Why: a caregiver who opened with "my son has nightmares since the accident, call me on
555..." must not be asked again. Plain functions over text (no Rasa):
actions/booking_facts.py and actions/handoff.py apply them to a form. The child's age is
read by bot.booking.ages_said, the writer's name and relationship by bot.booking.said_who
and bot.booking.relationship_said.
"""

from __future__ import annotations

import re

from bot.booking.contact import missing_area_code, parse_contact
from bot.booking.preferences import parse_preference
from bot.nlp.booking_words import ASKS_FOR_A_PERSON

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
    r"no quiere|asks? for (her|his|their) (mom|mommy|dad|daddy|papa|mama)|"
    # a baby's start and the bond (dev set bc35, 2026-12-07)
    r"nicu|preemie|premature|bond(ed|ing)?|attach\w*|connect(ed|ing|ion)?|postpartum|ppd|"
    r"overwhelm\w*|adjust\w*)\b",
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
    # The request itself may say nothing of a topic ("id like to speak to someone there,
    # a real person if possible" after "my husband deployed last week and my 2 yr old is
    # having a really rough time" was asked what it was about, dev set bc36): the newest
    # of the last few that says one.
    for at, text in enumerate(long_ones[:TOPIC_LOOKBACK]):
        topic = topic_said(text)
        if topic is None:
            continue
        if _POINTS_BACK.search(topic) and len(long_ones) > at + 1:
            earlier = " ".join(long_ones[at + 1].split())
            return f"{topic} (before it: {earlier})"[:MAX_SAID]
        return topic
    return None


TOPIC_LOOKBACK = 3


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
    r"(best|good) time( to (call|reach|text))?\s*[:\-]\s*\w|"
    # "like 8:30 ish", "7pm", "around 6ish", "after the kids are down", "lunch hours"
    # (dev set bc35, 2026-12-07)
    r"\d{1,2}:\d\d|\d{1,2}\s*(am|pm|a\.m\.|p\.m\.)|\d{1,2}\s*-?\s*ish\b|"
    r"(after|once|when|while)\s+(the\s+|my\s+)?(kids?|baby|babies|he|she|they|little ones?)"
    r"\s*(is|are|'?s|'?re)?\s*(down|asleep|in bed|at school|at daycare|napping|sleeping|"
    r"go(es)? (down|to bed|to sleep))|bed ?time|nap ?time|lunch( ?(time|hour|break))?s?)",
    re.I,
)  # "Best time: 0700-0800 or after 1800" as a form would be filled in


def when_said(text: str) -> str | None:
    """The parts of a message that say when to call ("call me after 5, I'm Ana" ->
    "call me after 5"), or None."""
    parts = [p.strip() for p in re.split(r"[.;!?\n]+", text) if _WHEN.search(p)]
    return "; ".join(parts)[:MAX_TIME_CHARS] if parts else None


def asks_for_person(text: str) -> bool:
    return bool(ASKS_FOR_A_PERSON.search(text))
