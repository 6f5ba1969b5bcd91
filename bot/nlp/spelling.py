"""Fix the misspelled words that carry a caregiver's request, before the encoder reads it.

Why: "cn i boook a frist visit for my twns" and "can u cancle the one i jsut made" were
not understood. The n-gram half of the intent model sees misspellings through character
n-grams; the pretrained encoder does not, and it decides most requests. Only words that
are no English word (the 82k-word dictionary bundled with symspellpy) and lie one edit
(two for long words) from a word of this product's requests are changed, so Spanish,
names and ordinary words pass untouched ("cita" has no near request word; "filling"
is an English word). The text the dialogue and the forms read is never changed.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from symspellpy import SymSpell, Verbosity

from bot.safety.normalize import dictionary_words

# Words that carry requests and topics, as caregivers mean to type them.
REQUEST_WORDS = [
    "about", "address", "afternoon", "afternoons", "already", "anything", "anytime",
    "appointment", "appointments", "appt", "apt", "available", "baby", "bedtime",
    "behavior", "behaviour", "biting", "book", "booked", "booking", "brother", "call",
    "cancel", "cancelled", "caseworker", "change", "child", "children", "clingy", "clinic",
    "clinician", "cost", "could", "crying", "custody", "daughter", "daughters", "daycare",
    "does", "doing", "email", "english", "evening", "evenings", "every", "first", "foster",
    "free", "friday", "fridays", "hello", "granddaughter", "grandma", "grandpa", "grandson",
    "happen", "happened", "happens", "help", "hitting", "hours", "human", "husband",
    "insurance", "intake", "interpreter", "journal", "just", "kids", "know", "language",
    "long", "made", "medicaid", "monday", "mondays", "morning", "mornings", "move", "need",
    "night", "nightmares", "nights", "noon", "office", "often", "online", "other",
    "parking", "pay", "pediatrician", "person", "phone", "please", "preschool", "reflect",
    "reflection", "reflections", "remind", "reminder", "reminders", "reschedule",
    "saturday", "saturdays", "schedule", "screaming", "session", "sessions", "should",
    "sister", "sisters", "sleep", "somebody", "someone", "son", "spanish", "speak", "start",
    "stop", "sunday", "sundays", "talk", "tantrums", "teacher", "teachers", "telehealth",
    "text", "thank", "thanks", "therapist", "therapy", "thursday", "thursdays", "today",
    "tomorrow", "tuesday", "tuesdays", "twins", "video", "virtual", "visit", "wait",
    "waitlist", "want", "wednesday", "wednesdays", "week", "weekday", "weekdays", "weekend",
    "weekends", "weekly", "what", "when", "where", "which", "would"
]  # fmt: skip
MIN_LENGTH = 4  # "cn", "u", "ur" are text-speak, not misspellings
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")  # "doesn't" is one word


@lru_cache(maxsize=1)
def _speller() -> SymSpell:
    speller = SymSpell(max_dictionary_edit_distance=2)
    for word in REQUEST_WORDS:
        speller.create_dictionary_entry(word, 1)
    return speller


def _corrected(word: str) -> str:
    lowered = word.lower()
    if (
        "'" in word
        or "’" in word
        or len(lowered) < MIN_LENGTH
        or lowered in dictionary_words()
        or word[:1].isupper()
    ):
        return word  # a real word, a short form, or a name ("Nadège", "Travis")
    limit = 1 if len(lowered) < 8 else 2
    found = _speller().lookup(lowered, Verbosity.CLOSEST, max_edit_distance=limit)
    return found[0].term if len(found) == 1 else word  # one nearest request word, or none


# Short forms of request words that the speller leaves alone (under MIN_LENGTH, or no
# edit away): "Need to cx appt. Ref WG-KYNGHV" was not understood as a cancellation.
SHORT_FORMS = {"cx": "cancel", "canx": "cancel", "cxl": "cancel", "resched": "reschedule",
               "rsvp": "book", "appts": "appointments"}  # fmt: skip
_SHORT_FORM = re.compile(r"\b(" + "|".join(SHORT_FORMS) + r")\b", re.I)
# "i wont to make a apointmint": "wont" is a word ("won't"), but never before "to".
_WONT_TO = re.compile(r"\bwont to\b", re.I)


def correct_request_words(text: str) -> str:
    """``text`` with misspelled request words fixed ("frist" -> "first"); else as typed."""
    text = _SHORT_FORM.sub(lambda m: SHORT_FORMS[m.group(1).lower()], text)
    return _WORD.sub(lambda m: _corrected(m.group(0)), _WONT_TO.sub("want to", text))


def spelling_fingerprint() -> str:
    """Changes with the word list, so a new list retrains what reads corrected text."""
    said = " ".join([*REQUEST_WORDS, _WONT_TO.pattern])
    return hashlib.sha256(said.encode()).hexdigest()[:16]
