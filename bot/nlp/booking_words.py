"""Words that name a booking, shared by every reader that needs them.

Why one place: the offers (a "yes" that names a booking), the fallback (a message not
understood that names one gets "would you like to set up a first visit?") and the
reading rules (a call asked for with no word of booking is a request for a person) must
agree on what a booking sounds like, and on what a call asked for sounds like.
"""

from __future__ import annotations

import re

BOOKING_WORDS = re.compile(
    r"\b(book|booking|appointment|appt|apt|sign (me|us|him|her) up|schedule|first visit|citas?)\b",
    re.I,
)
# Beyond the booking words: "get him in", "get my son seen", "sign my grandson up".
GETTING_IN = re.compile(
    r"\b(get|getting|bring|bringing)\s+(him|her|them|us|my\s+\w+|the\s+\w+|our\s+\w+)"
    r"(\s+\w+)?\s+(in|seen|started)\b|\bsign\s+(\w+\s+){1,2}up\b|\benroll\w*\b|\bintake\b",
    re.IGNORECASE,
)

# A person or a call asked for, beside anything else ("yes please call me", "I need speak
# with somebody in spanish ... my number is ...", "can someone call me about the intake").
ASKS_FOR_A_PERSON = re.compile(
    # Not "please do not call me, write to me at..." (dev set bc25, 2026-12-07).
    r"(?<!not )(?<!n't )(?<!dont )(?<!never )"
    r"\b(call me|call me back|give me a call|phone me|ring me|someone (?:to )?(?:call|ring|reach)"
    # "Could a therapist call my husband or me?"
    r"|(?:could|can|would|please|pls|have) (?:a|the|your|one of your) "
    r"(?:therapist|clinician|counselor|counsellor|staff member|social worker)"
    r" (?:\w+ )?(?:call|ring|phone|text|reach) (?:me|us|my \w+ or me)"
    r"|call (?:my \w+ or me|me or my \w+|us)"
    r"|(?:talk|speak) (?:to|with) (?:a|someone|somebody|a real|a live|one of)"
    # "I want speak with person from clinic please" (English as a second language, bc34)
    r"|(?:talk|speak) (?:to|with) (?:real |live )?(?:person|human|staff|people)"
    r"|a (?:real |live )?person|a human)\b",
    re.I,
)

# A wish for a person, not the question whether the bot is one ("are you a real person?").
WANTS_A_PERSON = re.compile(
    r"\b(prefer|rather|want|wanna|need|like to|can i|could i|let me|get me|put me)\b"
    r"[^.?!]{0,40}\b(person|human|someone|somebody|staff|people)\b",
    re.I,
)

# Not wanting to talk to a machine is a request for a person (#22): "no offense but i dont
# really like bots lol" got the behaviour answer (dev set bc35, 2026-12-07).
_MACHINE = r"(?:chat ?bots?|bots?|robots?|machines?|computers?|an? ai|automated \w+)"
NO_MACHINE = re.compile(
    rf"\bi\s+(?:really\s+|just\s+)?(?:do ?n[o'’]?t|dont|never|can'?t|cant)\s+(?:really\s+)?"
    rf"(?:like|trust|do|stand|want to (?:talk|chat|text)(?: to| with)?|"
    rf"wanna (?:talk|chat|text)(?: to| with)?)\s+(?:to\s+|with\s+)?(?:a\s+|the\s+|these\s+|"
    rf"this\s+)?{_MACHINE}\b"
    rf"|\b(?:i hate|not a fan of|sick of|tired of|no more)\s+(?:talking to\s+|texting\s+)?"
    rf"(?:a\s+|the\s+)?{_MACHINE}\b"
    rf"|\brather not (?:talk|chat|text|deal)(?: to| with)?\s+(?:a\s+|the\s+)?{_MACHINE}\b",
    re.I,
)

# A request about the reflection reminders: "stop texting me the reminders pls", "can you
# change my reminder to 9".
ASKS_ABOUT_REMINDERS = re.compile(
    r"\b(?:stop|cancel|turn off|switch off|pause|change|move|set|send|no more)\b[^.?!]{0,30}"
    r"\breminders?\b|\breminders?\b[^.?!]{0,20}\b(?:off|stop|change|instead|anymore)\b",
    re.I,
)


def names_a_booking(text: str) -> bool:
    """Booking words, or getting a child in ("get him seen", "enroll", "intake")."""
    return bool(BOOKING_WORDS.search(text) or GETTING_IN.search(text))


# The wish to book said outright, beside a question or a story ("we'd like to get him an
# appointment", "whether we could come in and see someone"): not "how much is an
# appointment?".
WISH_TO_BOOK = re.compile(
    r"\b(?:like|want|wanna|need|hoping|hope|love|trying|try|could|can)\s+(?:to\s+)?"
    r"(?:book|make|get|set up|schedule|bring|come in|start)\b[^.?!]{0,40}"
    r"\b(?:ap+oi?n+t?m\w*|appt|visit|in|seen|see someone|someone|therapy|cpp|started|session)\b",
    re.I,
)
# The same wish, said so plainly that a question beside it cannot be what the message
# is for ("I would like to make an appointment if you have any" at the end of a long
# story was answered as "who is CPP for?" and nothing booked, dev set bc20): not "can
# we bring his dad in?", a question about who comes.
STATED_WISH_TO_BOOK = re.compile(
    r"\b(?:like|want|wanna|need|needs|hoping|hope|love|trying)\s+(?:to\s+)?"
    r"(?:(?:book|make(?! sure)|schedule|set up)\b[^.?!]{0,30}"
    r"|get\s+(?:\w+\s+)?(?:an?|the|first)\s+)"
    r"\b(?:ap+oi?n+t?m\w*|appt|intake|first visit|visit|session)\b",
    re.I,
)


def wishes_to_book(text: str) -> bool:
    """The wish to book said outright."""
    return bool(WISH_TO_BOOK.search(text))


# The words of moving and cancelling an appointment.
MOVE_WORDS = (
    r"move|moving|push(?:ing)?|resched\w*|cambiar|mover|"
    # "We have appointment next Tuesday... Is there anything earlier?" (dev set bc36)
    r"(?:anything|something|any time|a time|a day|a spot|an opening|one) (?:earlier|sooner)"
)
CANCEL_WORDS = r"cancel\w*|cancelar|cx|call (?:it )?off"
CANCEL_SAID = re.compile(rf"\b(?:{CANCEL_WORDS})\b", re.I)
# Asking to cancel or move, in the first person or politely: not "we cancelled the party".
ASKS_TO_CHANGE = re.compile(
    r"\b(?:(?:i|we)\s+(?:need|want|have|would like|'d like|wanna|gotta|must|got)\s+(?:to\s+)?"
    r"|(?:can|could|may)\s+(?:i|we|you)\s+|please\s+|pls\s+)"
    rf"(?:{CANCEL_WORDS}|{MOVE_WORDS}|change)\b",
    re.I,
)


def asks_to_change(text: str) -> bool:
    """Asks to cancel or move an appointment ("pls cancel our appointment")."""
    return bool(ASKS_TO_CHANGE.search(text))
