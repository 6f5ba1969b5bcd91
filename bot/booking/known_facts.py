"""What a caregiver already told us in their own words: the child's age, their first
name, how they are related to the child, and corrections of these.

Why: a grandmother who opened with "I look after my granddaughter, she's four" must not
be asked her age again, and "sorry I meant he's 2 not 3" in the middle of the booking
questions must change the age, not be read as the answer to the question on screen.
Plain functions over text (no Rasa): actions/booking_facts.py applies them to a form.
"""

from __future__ import annotations

import re

from bot.booking.contact import parse_contact
from bot.booking.preferences import parse_preference

_NUMBER = (
    r"(?:\d{1,2}(?:\.5)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"eighteen|twenty|thirty)(?:\s+and\s+a\s+half)?"
)
_UNIT = r"(?:\s*-?\s*(?:years?|yrs?|yo|y/?o|y\.o\.?|months?|mos?|mths?|m/?o)\b)"
_OLD = r"(?:\s*-?\s*old\b)?"
_CHILD = (
    r"(?:he|she|hes|shes|he's|she's|he’s|she’s|son|daughter|grandson|granddaughter|kid|"
    r"child|baby|boy|girl|toddler|little one|lo|who|niña|nina|niño|nino|nena|nene|hija|hijo|"
    r"bebé|bebe)"
)
_NOT_AN_AGE = (
    r"(?!\s*(?:am|pm|a\.m|p\.m|:\d|o'?clock|%|times|kids|children|minutes|mins|hours|hrs|"
    r"days|weeks|wks|dollars|bucks|\$|or more|in the|x\b))"
)
_AGES = [
    # "my 3 year old", "a four-year-old", "our 18mo"
    re.compile(rf"\b(?:my|our|a|an|his|her|their)\s+({_NUMBER}{_UNIT}){_OLD}", re.I),
    # "3 years old", "18 months old"
    re.compile(rf"\b({_NUMBER}{_UNIT})\s*-?\s*old\b", re.I),
    # "he's 3", "my son is 4 years", "she just turned 2", "daughter, 5"
    re.compile(
        rf"\b{_CHILD}\s*(?:is|'s|’s|s|,|just turned|turned|will be)?\s+"
        rf"(?:only|just|almost|nearly|about|around)?\s*({_NUMBER}{_UNIT}?){_NOT_AN_AGE}",
        re.I,
    ),
    # "my son Eli, 4", "daughter Mia is 2"
    re.compile(
        rf"\b{_CHILD}\s+[A-Z][a-z]+\s*(?:is|'s|’s|,|just turned|turned)\s*"
        rf"(?:only|just|almost|nearly|about|around)?\s*({_NUMBER}{_UNIT}?){_NOT_AN_AGE}",
        re.I,
    ),
    # "aged 4", "age 2"
    re.compile(rf"\baged?\s+({_NUMBER}{_UNIT}?)\b", re.I),
    # "Caleb is four", "Mia's 2": a capitalised name (not "It", "This"...) and an age
    re.compile(
        r"\b(?!(?:It|That|This|There|What|Which|Who|He|She|They|Time|Session|Today)\b)"
        rf"[A-Z][a-z]+\s*(?:is|'s|’s|just turned|turned)\s+"
        rf"(?i:only|just|almost|nearly|about|around)?\s*((?i:{_NUMBER}{_UNIT}?)){_NOT_AN_AGE}"
    ),
]

_NAME_CUES = re.compile(
    r"\b(?:my name is|my name's|my names|my name|name is|name's|call me|i go by|name\s*:)\s*"
    r"([^\W\d_][\w'\-]*)",
    re.I,
)
# "im travis 312 555 0199", "hi im jess, mom of 2": a lower-case name right after "I'm",
# then a number, a comma or the end (so "im tired of it" is no name).
_LOWER_INTRO = re.compile(
    r"(?:^|[.!?,]\s*|\b(?:hi|hello|hey)\s+|\s)(?i:i'?m|i am|im|this is)\s+([a-z][a-z'\-]+)"
    r"(?=\s*(?:[,.!]|$|\(?\d|here\b|and my\b))"
)
# "I'm her mom, Ana." / "grandma here, Ruth": a relationship, then a capitalised name.
_SIGNED = re.compile(
    r"\b(?i:mom|mother|mum|dad|father|grandma|grandmother|grandpa|grandfather|aunt|uncle|"
    r"guardian|parent|here)\s*,\s*([A-Z][a-z'\-]+)\b(?=\s*(?:[.!,]|$))"
)
# "Hi, I'm Ana." / "This is Ruth Okafor": only a capitalised word, and not a word
# that starts a sentence about something else ("I'm Worried", "This is Hard").
_INTRO_CUES = re.compile(
    r"(?:^|[.!?]\s+|,\s*|\(\s*|^(?i:hi|hello|hey|good \w+)\W+)(?i:i'?m|i am|im|this is)\s+"
    r"([A-Z][a-z'\-]+)\b"
)
# "Keisha here, ...", "- Keisha" or "thanks, Keisha" at the end: a signed message.
_SIGN_OFF = re.compile(
    r"(?:^(?:(?i:hi|hello|hey),?\s+)?([A-Z][a-z'\-]+)\s+here\b"
    r"|(?:[-–—~]|(?i:thanks|thank you|thx|ty)[,!.]?)\s*([A-Z][a-z'\-]+)[.!]?\s*$)"
)
# "It's Keisha.", "Keisha, mom of two", "Ms. Johnson here"
_OTHER_INTROS = re.compile(
    r"(?:\b(?i:it'?s|its)\s+([A-Z][a-z'\-]+)\b(?=\s*(?:[,.!]|$|here\b|from\b))"
    r"|^(?:(?i:hi|hello|hey),?\s+)?([A-Z][a-z'\-]+),\s+(?i:(?:a\s+)?(?:mom|dad|mother|father|"
    r"grandma|grandmother|grandpa|grandfather|aunt|uncle|foster|single|step))"
    r"|\b((?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][a-z'\-]+))"
)
_NOT_NAMES = {
    "a", "also", "calling", "concerned", "desperate", "exhausted", "fine", "glad", "going",
    "hard", "having", "here", "interested", "just", "looking", "lost", "mom", "not", "okay",
    "really", "reaching", "scared", "single", "so", "sorry", "still", "struggling", "sure",
    "the", "tired", "trying", "very", "wondering", "worried", "writing", "dad", "his", "her",
    "raising", "new", "ok", "about", "hoping", "confused", "currently", "unsure", "kind",
    "at", "on", "in", "back", "after", "before", "anytime", "any", "when", "whenever",
    "tomorrow", "today", "tonight", "asap", "later", "please", "maybe", "if", "between",
    "around", "by", "only", "from", "first", "mornings", "evenings", "afternoons", "is",
    "im", "i", "me", "we", "you", "it", "this", "that", "grandma", "grandpa", "nana",
    "auntie", "aunt", "uncle", "papa", "mama", "mommy", "daddy", "again", "everyone",
    "guys", "team", "all", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "true", "late", "early",
    "over", "done", "complicated", "christmas", "summer", "winter", "spring", "fall",
}  # fmt: skip

RELATIONSHIPS = [
    (re.compile(r"\b(grand ?(ma|mother|mom|mum|pa|father|dad|parent)|granny|nana|abuel)"),
     "grandparent"),
    (re.compile(r"\bfoster"), "foster parent"),
    (re.compile(r"\bstep ?(mom|mother|mum)"), "stepmother"),
    (re.compile(r"\bstep ?(dad|father)"), "stepfather"),
    (re.compile(r"\b(mom|mother|mum|mama|mamá|mami|mommy|madre)\b"), "mother"),
    (re.compile(r"\b(dad|father|papa|papá|papi|daddy|padre)\b"), "father"),
    (re.compile(r"\b(aunt|auntie|tia)\b"), "aunt"),
    (re.compile(r"\b(uncle|tio)\b"), "uncle"),
    (re.compile(r"\b(guardian|kinship|adoptive|adopted)"), "guardian"),
    (re.compile(r"\b(sister|brother|sibling)\b"), "sibling"),
    (re.compile(r"\b(parents|moms|mums|dads)\b"), "parent"),  # "we're two moms"
]  # fmt: skip
# How a caregiver says who they are in passing: "I'm his mom", "grandma here",
# "looking after my grandson", "my foster daughter".
_RELATION_SAID = [
    re.compile(r"\b(?:i'?m|i am|im|as)\s+(?:his|her|their|the|a|an)\s+((?:\w+\s)?\w+)", re.I),
    re.compile(r"\b((?:\w+\s)?\w+)\s+here\b", re.I),
    re.compile(r"\b(single\s+(?:mom|mum|mother|dad|father))\b", re.I),
    re.compile(
        r"\b((?:step\s?)?(?:mom|mum|mother|dad|father|mama|papa)|grand\w+|aunt|auntie|uncle)"
        r"\s+(?:of|to)\s+(?:a|an|my|his|her|two|three|twins?|\d)",
        re.I,
    ),
    re.compile(
        r"\bmy\s+(?:(?:two|three|four|2|3|4|little|baby|twin)\s+)?"
        r"(grand(?:son|daughter|child|kid|baby)s?|grandchildren|foster\s+\w+|"
        r"step\s?(?:son|daughter|kid|child)s?|nieces?|nephews?)\b",
        re.I,
    ),
    # "my sister's boy", "my daughter's son", "my boyfriend's daughter"
    re.compile(
        r"\bmy\s+((?:sister|brother|daughter|son|partner|boyfriend|girlfriend|husband|wife|"
        r"fianc\w*)['’]?s\s+(?:son|daughter|kids?|child|children|boy|girl|baby|twins))\b",
        re.I,
    ),
    re.compile(r"\b((?:we|i)\s+adopted|our\s+adopted|adoptive)\b", re.I),
    # "im Jess, Eli's mom": the child's name, then who the writer is to them
    re.compile(
        r"\b[A-Z][a-z]+['’]s\s+((?:foster\s+|step\s?)?(?:mom|mum|mommy|mother|dad|daddy|father|"
        r"mama|papa|grandma|grandpa|grandmother|grandfather|nana|aunt|auntie|uncle|"
        r"guardian|big sister|big brother|older sister|older brother))\b"
    ),
    # "I'm mom", "we're her parents", "her dad and I"
    re.compile(r"\b(?:i'?m|i am|im)\s+(mom|mum|mama|dad|papa|grandma|grandpa|nana)\b", re.I),
    re.compile(
        r"\b(?:we'?re|we are)\s+(?:his|her|their|the|two|2)\s+"
        r"((?:foster\s+|grand)?parents|guardians|moms|mums|dads)\b",
        re.I,
    ),
    re.compile(r"\b(?:his|her|their)\s+(?:father|mother|dad|mom)\s+and\s+(i)\b", re.I),
    # "my son", "our daughter", "my 2 kids", "my 3 yr old": the one who writes is a
    # parent (last: the patterns above are more precise; "my daughter's son" is a
    # grandchild).
    re.compile(
        r"\b(?:my|our)\s+(\d{1,2}|one|two|three|four|five)\s*-?\s*(?:yo|y/o|yr|year|month|mo|m/o)"
        r"s?(?:\s*-?\s*old)?\b",
        re.I,
    ),
    re.compile(
        r"\b(?:my|our)\s+(?:(?:two|three|four|2|3|4|little|lil|baby|twin|oldest|youngest|"
        r"middle|\d{1,2}\s*(?:yo|y/o|year old|yr old|month old|mo))\s+)?"
        r"(sons?|daughters?|kids?|child|children|boys?|girls?|baby|twins|toddler|"
        r"little one|lo|babies|newborn|infant)\b"
        r"(?!['’]s\s+(?:sons?|daughters?|kids?|child|boy|girl|baby))",
        re.I,
    ),
]
# What "my stepson", "my niece", "my son" say about the one who writes.
_RELATIVE_OF = [
    (re.compile(r"grand(son|daughter|child|kid|baby)"), "grandparent"),
    (re.compile(r"^(daughter|son)['’]?s\s"), "grandparent"),
    (re.compile(r"^(sister|brother)['’]?s\s"), "aunt or uncle"),
    (re.compile(r"^(partner|boyfriend|girlfriend|husband|wife|fianc\w*)['’]?s\s"),
     "stepparent"),
    (re.compile(r"step\s?(son|daughter|kid|child)"), "stepparent"),
    (re.compile(r"\b(niece|nephew)s?\b"), "aunt or uncle"),
    (re.compile(r"adopt"), "adoptive parent"),
    (re.compile(r"^(sons?|daughters?|kids?|child|children|boys?|girls?|baby|twins|toddler|"
                r"little one|lo|babies|newborn|infant|\d{1,2}|one|two|three|four|five|i)$"),
     "parent"),
    (re.compile(r"^grandparents$"), "grandparent"),
    (re.compile(r"^foster\s+parents$"), "foster parent"),
    (re.compile(r"^(parents|guardians)$"), "parent"),
]  # fmt: skip

# A correction of something said before. Strong cues count in any answer; the weak ones
# ("sorry", "actually") only in a short message, as a story told in answer to "what has
# been going on?" often has them without correcting anything.
_STRONG_CUE = re.compile(
    r"\b(i meant|i mean|meant to (say|type|write|put)|typo|typed (it |that )?wrong|"
    r"correction|not \d{1,2}\b)",
    re.I,
)
_WEAK_CUE = re.compile(r"\b(sorry|oops|actually|wrong|my bad|wait)\b", re.I)
SHORT_MESSAGE = 80


def clean_relationship(text: str) -> str | None:
    """A short relationship word ('mom' -> 'mother'); other short answers are kept as typed."""
    lowered = text.lower().strip(" .!")
    for pattern, name in RELATIONSHIPS:
        if pattern.search(lowered):
            return name
    if 2 <= len(lowered) <= 40 and re.fullmatch(r"[^\W\d_][^\W\d_ '\-]*", lowered):
        return lowered
    return None


def age_said(text: str) -> str | None:
    """The child's age as said in a sentence ("he's 3", "my 18 month old"), else None."""
    for pattern in _AGES:
        match = pattern.search(text)
        if match:
            return match.group(1).strip()
    return None


# "need appt for my son. Tasha. im his mom": a name as a sentence of its own, inside a
# longer message (read only when nothing else names the writer).
_NAME_ALONE = re.compile(r"(?:^|[.!?]\s+)([A-Z][a-z'\-]+)[.!]\s")
_NOT_ALONE = {
    "yes", "no", "ok", "okay", "thanks", "hi", "hello", "hey", "sorry", "please", "help",
    "bye", "sure", "anyway", "again", "also", "great", "perfect", "cool", "fine", "well",
    "yeah", "yep", "nope", "nah", "right", "good", "urgent", "update", "question", "thx",
    "morning", "evening", "afternoon", "hola", "gracias", "wait", "oops", "ugh", "lol",
}  # fmt: skip


def name_said(text: str) -> str | None:
    """A first name the caregiver gave in passing ("my name is Ana", "Hi, I'm Ana.")."""
    return _name_cued(text) or _name_alone(text)


def _name_alone(text: str) -> str | None:
    for match in _NAME_ALONE.finditer(text):
        word = match.group(1)
        if word.lower() not in _NOT_ALONE and word.lower() not in _NOT_NAMES:
            return word
    return None


def _name_cued(text: str) -> str | None:
    cues = (_NAME_CUES, _INTRO_CUES, _LOWER_INTRO, _SIGNED, _SIGN_OFF, _OTHER_INTROS)
    found = [m for pattern in cues for m in pattern.finditer(text)]
    for match in sorted(found, key=lambda m: m.start(m.lastindex or 1)):
        word = match.group(m.lastindex or 1) if (m := match) else ""
        if not word or (_LOWER_INTRO is match.re and re.search(r"(ing|ed|ly)$", word)):
            continue  # "im struggling, ..." / "im exhausted."
        if word.lower() not in _NOT_NAMES and len(word) <= 30:
            return word[:1].upper() + word[1:]
    return None


def relationship_said(text: str) -> str | None:
    """How the caregiver is related to the child, when they said it in passing."""
    for pattern in _RELATION_SAID:
        for match in pattern.finditer(text):
            words = match.group(1).lower()
            for relative, name in _RELATIVE_OF:
                if relative.search(words):
                    return name
            for known, name in RELATIONSHIPS:
                if known.search(words):
                    return name
    return None


_CONCERN_CUE = re.compile(
    r"\b(since|ever since|been|keeps?|won'?t|wont|can'?t|cant|tantrums?|meltdowns?|"
    r"nightmares?|night terrors?|scream\w*|cry\w*|cries|hit\w*|bit(es|ing)?|scared|afraid|"
    r"clingy|withdrawn|quiet|sleep\w*|wak\w+|wet\w*|angry|aggressive|passed|died|death|lost|"
    r"divorce|separat\w+|deployed|hospital|fire|accident|moved|custody|violence|abuse\w*|"
    r"trauma\w*|struggl\w+|hard time|behaviou?r\w*)\b",
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


def concern_said(text: str) -> str | None:
    """A message that tells what has been going on for the child (long enough, and about
    the child's behaviour or a hard time), kept as written for the clinician."""
    if len(text.split()) < MIN_CONCERN_WORDS or not _CONCERN_CUE.search(text):
        return None
    return " ".join(text.split())[:MAX_SAID]


def concern_answer(text: str) -> str | None:
    """The answer to "what has been going on?" even when it reads as a question about
    CPP ("...caseworker recommended this"): a story, not a question."""
    return None if text.rstrip().endswith("?") else concern_said(text)


def topic_said(text: str) -> str | None:
    """A request for a person that already says what it is about ("can someone call me
    about my son's intake"), kept as written for staff."""
    if len(text.split()) < MIN_TOPIC_WORDS or not _TOPIC_CUE.search(text):
        return None
    return " ".join(text.split())[:MAX_SAID]


def contact_said(text: str) -> str | None:
    """A message that gives a phone number or email in passing ("text me at 312 318
    2290"), kept whole: the contact question's check reads the number out of it."""
    return text if parse_contact(text) else None


# A clause that offers times ("Available weekday mornings", "fridays after 3 work best"),
# not one that only mentions a time of day ("he won't sleep at night").
_TIMES_CUE = re.compile(
    r"\b(available|availability|free on|free after|free before|works? (best|for me|for us)|"
    r"best (time|days?)|is best|are best|prefer|can (do|come|make it)|good for (me|us)|"
    r"any ?time works|i'?m off)\b",
    re.I,
)


def times_said(text: str) -> str | None:
    """Days and times offered in passing, as the clause that says them, else None."""
    for clause in re.split(r"(?<=[.!?;])\s+|\n", text):
        if _TIMES_CUE.search(clause) and parse_preference(clause) is not None:
            return clause.strip(" .!")
    return None


# Words that ask for a person, beside anything else ("yes please call me", "I need speak
# with somebody in spanish ... my number is ...").
_PERSON_WORDS = re.compile(
    r"\b(call me|call me back|phone me|someone (call|to call|reach)|(talk|speak) (to|with) "
    r"(a|someone|somebody|a real|a live|one of)|a (real |live )?person|a human)\b",
    re.I,
)


def asks_for_person(text: str) -> bool:
    return bool(_PERSON_WORDS.search(text))


def is_correction(text: str) -> bool:
    """Whether a message reads as correcting something said before."""
    if _STRONG_CUE.search(text):
        return True
    return len(text) <= SHORT_MESSAGE and bool(_WEAK_CUE.search(text))


_PHONE_LIKE = re.compile(r"\+?\d[\d\s().\-]{5,}\d")


def corrected_age(text: str) -> str | None:
    """The new age in a correction: "sorry i meant hes 2 not 3" -> "2"."""
    text = _PHONE_LIKE.sub(" ", text)  # "i meant 312 772 0194" corrects a number, not an age
    kept = re.sub(r"\bnot\s+(?:\d{1,2}|[a-z]+)\b(\s*(years?|months?))?", " ", text, flags=re.I)
    cue = _STRONG_CUE.search(kept) or _WEAK_CUE.search(kept)
    after = kept[cue.end() :] if cue else kept
    for part in (after, kept):
        said = age_said(part)
        if said:
            return said
        bare = re.search(rf"\b({_NUMBER}{_UNIT}|\d{{1,2}}\b){_NOT_AN_AGE}", part, re.I)
        if bare:
            return bare.group(1)
    return None
