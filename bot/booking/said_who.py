"""Who is writing, said in passing: the caregiver's first name ("Hi, I'm Ana.", "Keisha
here", "- Dorothy"), and the answer to "what's your first name?".

Why apart from the other facts: names are read by the booking and the person-request
flows alike, and their cues are many. How the writer is related to the child is in
bot.booking.relationship_said.
"""

from __future__ import annotations

import re

# Not "his name is Eli": the child's (dev set bc22, 2026-12-07).
_NAME_CUES = re.compile(
    r"\b(?<!his )(?<!her )(?<!their )(?<!'s )"
    r"(?:my name is|my name's|my names|my name|name is|name's|call me|i go by|name\s*:|"
    r"name(?=\s+(?-i:[A-Z]))|"
    # "Mine is Andrés. Hers is Sofi." to "what's your first name?" (dev set bc25).
    r"^mine is|^mine's|^mines|\bme\s*:)\s*"
    r"([^\W\d_][\w'\-]*)",
    re.I,
)
# Introductions in the caregiver's first language: "Soy Rosa, mama de Sofia", "me llamo
# Ana", "em tên Linh" / "tên Tuấn" (Vietnamese), "Mwen rele Nadège" (Haitian Creole),
# "ako si Joy" (Tagalog), "magacaygu waa Hodan" (Somali), "je m'appelle Rose". "soy" only
# before a capital ("soy la mamá" is no name).
_OTHER_LANGUAGE_CUES = re.compile(
    r"\b(?:(?i:me llamo|mi nombre es|tên(?:\s+(?:là|em là|mình là))?|mwen rele|non mwen se|"
    r"ako po si|ako si|magacaygu waa|magacayga waa|magacaygu|je m'appelle|je m’appelle)"
    r"\s+([^\W\d_][\w'\-]*)"
    r"|(?i:soy)\s+([^\W\d_a-záéíóúñ][\w'\-]*))"
)
# "im travis 312 555 0199", "hi im jess, mom of 2": a lower-case name right after "I'm",
# then a number, a comma or the end (so "im tired of it" is no name).
_LOWER_INTRO = re.compile(
    r"(?:^|[.!?,]\s*|\b(?:hi|hello|hey)\s+|\s)(?i:i'?m|i am|im|this is|it'?s|its)\s+"
    r"([a-z][a-z'\-]+)"
    r"(?=\s*(?:[,.!]|$|\(?\d|here\b|and my\b|[\U0001F300-\U0001FAFF\u2600-\u27BF]))"
)
# "I'm her mom, Ana." / "grandma here, Ruth": a relationship, then a capitalised name.
_SIGNED = re.compile(
    r"\b(?i:mom|mother|mum|dad|father|grandma|grandmother|grandpa|grandfather|aunt|uncle|"
    r"guardian|parent|here|mamá|mama|papá|papa|tía|tia|tío|tio|abuela|abuelo)"
    # "soy la mamá, Rosa"; "im a dad (Tom) with a 20 month old"
    r"(?:\s*,\s*([A-Z][a-z'\-]+)\b(?=\s*(?:[.!,]|$))|\s*\(\s*([A-Z][a-z'\-]+)\s*\))"
)
# "Hi, I'm Ana." / "This is Ruth Okafor": only a capitalised word, and not a word
# that starts a sentence about something else ("I'm Worried", "This is Hard").
_INTRO_CUES = re.compile(
    r"(?:^|[.!?]\s+|,\s*|\(\s*|^(?i:hi|hello|hey|good \w+)\W+)(?i:i'?m|i am|im|this is)\s+"
    # "HELLO THIS IS NANA BEV" (dev set bc32): the family word before the name
    r"(?:(?i:nana|grandma|grandpa|granny|auntie|aunt|uncle|tia|tía|abuela)\s+)?"
    r"([A-Z][a-z'\-]+)\b"
)
# "Keisha here, ...", "- Keisha", "thank you, Dorothy Haines" or "please. Dorothy" at the
# end: a signed message.
_SIGN_OFF = re.compile(
    r"(?:(?:^|[.!?]\s+)(?:(?i:hi|hello|hey|good \w+)[,!]*\s+)?([A-Z][a-z'\-]+)\s+here\b"
    r"|(?:[-–—~]|(?i:thanks|thank you|thx|ty|please|regards|sincerely|blessings|respectfully|"
    r"faithfully|yours truly|"
    r"cordially|warmly|best|kind regards|warm regards|god bless)(?i:\s+(?:so|very) much)?[,!.]?)"
    r"\s*([A-Z][a-z\-]+)(?:\s+[A-Z][a-z\-]+)?"
    # "Thanks so much, Bree 312 302-8817": a number or email may follow the name;
    # "Thanks, Folake (Amara's mum)": who they are, in brackets.
    r"[.!]?(?:\s*,?\s*(?:\+?[\d(][\d()\s.\-]{6,}\d|\S+@\S+))?"
    r"(?:\s*\([^()]{1,40}\))?[.!]?\s*$"
    # "...for my grandson, 3 1/2. -george": a lower-case name signed with a dash
    r"|\s[-–—~]\s?([a-z][a-z\-]{1,20})\s*$)"
)
# "It's Keisha.", "Keisha, mom of two", "Ms. Johnson here"
_OTHER_INTROS = re.compile(
    # "it's Brianna B R I A N N A": the name spelled out after it (voice typing, bc24).
    r"(?:\b(?i:it'?s|its)\s+([A-Z][a-z'\-]+)\b"
    r"(?=\s*(?:[,.!]|$|here\b|from\b|i\s|(?:[A-Za-z]\s+){2,}[A-Za-z]\b))"
    r"|(?:^|[.!]\s+)(?:(?i:hi|hello|hey),?\s+)?(?!(?:I'?m|Im|I)\b)([A-Z][a-z'\-]+)"
    r"(?:\s+[A-Z][a-z'\-]+)?,\s+"
    r"(?i:(?:a\s+)?(?:mom|dad|mother|father|"
    r"grandma|grandmother|grandpa|grandfather|aunt|uncle|foster|single|step|legal|guardian|"
    r"kinship|caregiver|parent|grandparent))"
    # "Ms. Johnson here", never someone else named by their role ("my caseworker Ms.
    # Patel told me to reach out", "Dr. Lee, her pediatrician").
    r"|(?<!caseworker )(?<!worker )(?<!pediatrician )(?<!doctor )(?<!teacher )(?<!therapist )"
    r"(?<!nurse )(?<!lawyer )(?<!judge )(?<!with )(?<!from )(?<!by )(?<!to )"
    r"\b((?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][a-z'\-]+)\b(?!\s*,?\s*(?:her|his|our|my|the)\s+\w+))"
)
# "...can someone from intake call me? Dana, 312-610-3394, best after 7pm": a name as a
# sentence's first word, then a phone number or an email (dev set bc35, 2026-12-07).
_NAME_THEN_CONTACT = re.compile(
    r"(?:^|[.!?:]\s+)([A-Z][a-z'\-]+)(?:\s+[A-Z][a-z'\-]+)?\s*[,:\-–]\s*"
    r"(?=\+?1?[\s(]*\d{3}[\s).\-]*\d{3}|\S+@\S+)"
)
_NOT_NAMES = {
    "email", "e-mail", "phone", "cell", "mobile", "number", "tel", "text", "call", "contact",
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
    "thanks", "thank", "thx", "bye", "regards", "cheers", "blessings", "god", "amen",
    "to", "and", "or", "for", "with", "regarding", "re", "mr", "mrs", "ms", "miss", "dr",
    # "sorry this is long", "this is crazy": how the message is, not who writes it.
    "long", "crazy", "weird", "awkward", "embarrassing", "silly", "stupid", "random",
    "urgent", "important", "difficult", "overwhelming", "serious", "sad", "scary", "big",
    "a lot", "alot", "nuts", "insane", "bonjou", "bonjour", "salaam",
    # "Hello. I am Deaf. I use ASL." (dev set bc24): who they are, not their name.
    "deaf", "blind", "hoh", "disabled", "autistic", "christian", "catholic", "muslim",
    "jewish", "hindu", "buddhist", "black", "latina", "latino", "latinx", "hispanic",
    "asian", "native", "indigenous", "korean", "vietnamese", "mexican", "american",
    "haitian", "somali", "filipino", "filipina", "african", "immigrant", "pregnant",
    "widowed", "divorced", "married", "separated", "unemployed", "retired",
    # "i am mother" (English as a second language): who they are, not their name.
    "mother", "father", "grandmother", "grandfather", "stepmom", "stepdad", "guardian",
    "parent", "foster", "mum", "mami", "mamá", "papá", "tia", "tía", "abuela", "abuelo",
}  # fmt: skip

# "need appt for my son. Tasha. im his mom": a name as a sentence of its own, inside a
# longer message (read only when nothing else names the writer).
_NAME_ALONE = re.compile(
    r"(?:^|(?<!\bDr)(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bSt)[.!?]\s+)([A-Z][a-z'\-]+)(?:[.!]\s|[.!]?\s*$)"
)
_NOT_ALONE = {
    "yes", "no", "ok", "okay", "thanks", "hi", "hello", "hey", "sorry", "please", "help",
    "actually", "honestly", "listen", "look", "basically", "seriously", "hmm", "um", "btw",
    "nevermind", "hold", "cancel", "stop", "quick", "so", "but", "and",
    "bye", "sure", "anyway", "again", "also", "great", "perfect", "cool", "fine", "well",
    "yeah", "yep", "nope", "nah", "right", "good", "urgent", "update", "question", "thx",
    "morning", "evening", "afternoon", "hola", "gracias", "wait", "oops", "ugh", "lol",
    "tomorrow", "today", "tonight", "weekends", "weekdays", "mornings", "evenings", "asap",
    "anytime", "whenever", "either", "both", "none", "maybe", "yes please", "correct",
    "exactly", "true", "agreed", "deal", "awesome", "amazing", "wonderful", "ok thanks",
    # Greetings in the caregiver's first language ("Bonjou. Good morning").
    "bonjou", "bonjour", "bonswa", "salaam", "salam", "namaste", "ciao", "shalom", "buenas",
    "buenos", "ola", "oi", "hallo", "kumusta", "jambo", "habari", "privet", "selam",
    "merhaba", "hej", "aloha", "konnichiwa", "annyeong", "nihao", "marhaba", "sawubona",
}  # fmt: skip


# A pasted note ("This is what the daycare sent home: \"Dear Mr. Walker, ... Ms. Reyes\"")
# names its writer and the people in it, not the caregiver.
_QUOTED = re.compile(r"[\"“][^\"“”]{40,}(?:[\"”]|$)")


def outside_quotes(text: str) -> str:
    """The message without any long quoted passage."""
    return _QUOTED.sub(" ", text)


def _in_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= MIN_SHOUTED_LETTERS and sum(c.isupper() for c in letters) > 0.8 * len(
        letters
    )


# A message typed in capitals ("THIS IS DONNA I NEED AN APPOINTMENT"... "- WALTER") is read
# with each word capitalised, so its name stands out as a name does.
MIN_SHOUTED_LETTERS = 12


def _readable(text: str) -> str:
    text = outside_quotes(text)
    return text.title() if _in_capitals(text) else text


def name_said(text: str) -> str | None:
    """A first name the caregiver gave in passing ("my name is Ana", "Hi, I'm Ana.")."""
    text = _readable(text)
    return _name_cued(text) or _name_alone(text)


def name_introduced(text: str) -> str | None:
    """A first name the caregiver introduces ("Sam here", "I'm Sam", "my name is Sam"),
    never a lone word ("Stop", "Cancel" at the name question are no names)."""
    return _name_cued(_readable(text))


_LEADING_NAME = re.compile(r"^\s*([A-Z][a-z'\-]+)\s*,\s*\S")


def name_leading(text: str) -> str | None:
    """A capitalised first word, then a comma and more, as the answer to "what first name
    should they ask for?" ("Priya, and my email is ... if that's easier than phone" was
    read as a request for a person and the name asked again, dev set bc36, 2026-12-07)."""
    match = _LEADING_NAME.match(text)
    if match is None:
        return None
    word = match.group(1)
    return None if word.lower() in _NOT_NAMES | _NOT_ALONE else word


def _name_alone(text: str) -> str | None:
    for match in _NAME_ALONE.finditer(text):
        word = match.group(1)
        if word.lower() not in _NOT_ALONE and word.lower() not in _NOT_NAMES:
            return word
    return None


def _name_cued(text: str) -> str | None:
    cues = (
        _NAME_CUES, _OTHER_LANGUAGE_CUES, _INTRO_CUES, _LOWER_INTRO, _SIGNED, _SIGN_OFF,
        _OTHER_INTROS, _NAME_THEN_CONTACT,
    )  # fmt: skip
    found = [m for pattern in cues for m in pattern.finditer(text)]
    for match in sorted(found, key=lambda m: m.start(m.lastindex or 1)):
        word = match.group(m.lastindex or 1) if (m := match) else ""
        if not word or (_LOWER_INTRO is match.re and re.search(r"(ing|ed|ly)$", word)):
            continue  # "im struggling, ..." / "im exhausted."
        if word.lower() not in _NOT_NAMES and len(word) <= 30:
            return word[:1].upper() + word[1:]
    return None


# The answer to "What's your first name?": "my name is maria", "Mrs. Whitfield", "Keisha, his mom".
NAME_LEAD = re.compile(
    r"^\s*(hi|hello|hey)?[,!\s]*(my name is|my name's|name is|i am|i'm|im|it's|its|this is|"
    r"call me|i go by|just|only)\s+",
    re.I,
)
# "just Jess is fine", "Jess works", "Jess please" (dev set bc36, 2026-12-07).
NAME_TAIL = re.compile(
    r"\s+(?:is (?:fine|good|ok|okay|great)|works|will do|is what i go by|please|pls|thanks|"
    r"thank you|thx|for now)\b.*$",
    re.I,
)
# A title or a family word before the name: "Mrs. Whitfield", "Grandma Rose", "me, Ana".
TITLE = re.compile(
    r"^\s*(mr|mrs|ms|miss|mx|dr|grandma|grandpa|granny|nana|auntie|aunt|uncle|me)\b\.?\s*",
    re.I,
)
NAME = re.compile(r"^[^\W\d_][^\W\d_'\-]*(?:['\-][^\W\d_]+)*$")
NOT_NAMES = {"yes", "no", "ok", "okay", "hi", "hello", "hey", "mom", "dad", "skip", "why"}


def clean_name(text: str) -> str | None:
    """'my name is maria' -> 'Maria'; None when no plausible first name is there."""
    text = re.sub(r"\([^)]*\)?", " ", text)  # "Dana (my wife is Priya)"
    text = NAME_TAIL.sub("", NAME_LEAD.sub("", text.strip()))
    text = TITLE.sub("", re.split(r"[,;]| - ", text)[0]).strip(" .!,")  # "Keisha, his mom"
    words = text.split()
    if not words or len(words) > 3:
        return None
    first = re.sub(r"^([^\W\d_])\.$", r"\1", words[0])  # "Just T. for now": an initial
    if not NAME.match(first) or len(first) > 30 or first.lower() in NOT_NAMES:
        return None
    return first[:1].upper() + first[1:]
