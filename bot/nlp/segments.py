"""Where the request is in a caregiver's message: greetings set aside, parts split.

Caregivers write "hi there, sorry to bother you, do you take medicaid" or two questions
at once. A greeting in front must never hide the request, so it is set aside before
the message is classified (`Segmented.main`), and the parts of a longer message
(sentences, and "and how ..."-style second questions) are classified one by one to
find a second question (`Segmented.parts`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A greeting or pleasantry at the very start: "hi", "hello there", "good morning!",
# "hey, sorry to bother you", "hi again, quick question:". Closed-class words only.
_HELLO = (
    r"(?:hi+|hey+|hello+|helo|hiya|howdy|yo|hola|buenas|buenos dias|greetings|"
    r"good (?:morning|afternoon|evening|day)|morning|afternoon|evening)"
    r"(?: there| again| all| everyone| team| folks| guys| y'?all)?"
)
_PLEASANTRY = (
    r"(?:sorry (?:to|for) (?:bother(?:ing)?|trouble|troubling)(?: you)?(?: all)?|"
    r"hope (?:you(?:'re| are)|ur|you r) (?:well|doing well|good|having a good day)|"
    r"how are (?:you|u)(?: doing)?|quick question|i have a question|question for you|"
    r"thanks? (?:you )?(?:so much )?for (?:your|the) help(?: earlier)?|"
    r"thank (?:you|u)|thanks|thx|ty|ok(?:ay)?|so|um+|uh+|well)"
)
_SEP = r"[\s,.!?:;\-–—~)(]*"
_LEAD = re.compile(rf"^{_SEP}(?:(?:{_HELLO}|{_PLEASANTRY})\b{_SEP})+", re.IGNORECASE)
_GREETING_WORD = re.compile(rf"^{_SEP}{_HELLO}\b", re.IGNORECASE)

# Sentence ends, and a joined second question: "... and how much does it cost".
_SENTENCE_END = re.compile(r"(?<=[.!?;\n])\s+|\n+")
_JOINED_QUESTION = re.compile(
    r",?\s+(?:and|also|plus|oh and|and also|btw|n)\s+"
    r"(?=(?:how|what|whats|what's|when|where|who|why|which|do|does|is|are|can|could|will|"
    r"would|should|did|r|u|wat|wht)\b)",
    re.IGNORECASE,
)
# A request joined to a story by voice-to-text or a run-on: "... and somebody at church
# told me about you all and i would like to get her an appointment", "... but we need to
# cancel it".
_JOINED_REQUEST = re.compile(
    r",?\s+(?:and|so|but|and so|anyway)\s+(?=(?:i|we)(?:'d| would) (?:really )?(?:like|love) to\b|"
    r"(?:i|we) (?:really )?(?:want|need|wanna) (?:to )?(?:book|make|set|get|schedule|cancel|"
    r"move|change|reschedule|talk|speak|sign|start|see|know|ask)\b|"
    r"(?:can|could) (?:i|we|you|u|someone)\b)",
    re.IGNORECASE,
)
_QUESTION_START = re.compile(
    r"^(?:how|what|whats|what's|when|where|who|whose|why|which|do|does|is|are|am|can|could|"
    r"will|would|should|did|may|might|any|anything|wat|wht|r|u|y)\b",
    re.IGNORECASE,
)
# "i have no money, can my kids still come": a question after a comma.
_QUESTION_AFTER_COMMA = re.compile(
    r",\s*(?:so |but |and )?(?:how|what|when|where|who|why|which|do|does|is|are|can|could|"
    r"will|would|should|did)\b",
    re.IGNORECASE,
)
# A request said as a wish, not a question: "i would like to set up a first visit
# please", "we need someone to call us", "pls book us in".
_REQUEST = re.compile(
    r"^(?:so |ok |okay |and |but )?(?:(?:i|we)(?:'d| would) (?:really )?(?:like|love)|"
    r"(?:i|we) (?:really )?(?:want|need|wanna))\b|^(?:i|we)'?d like\b|^(?:please|pls|plz|kindly) |"
    r"\b(?:please|pls|plz)[.!]*$",
    re.IGNORECASE,
)
# A phone number or an email, and the words that make giving one a request for a call.
_CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\+?\d[\d\s().-]{6,}\d")
_CALL_WORDS = re.compile(r"\b(call|calls|text|ring|phone|reach)\b", re.IGNORECASE)
MIN_PART_CHARS = 8  # shorter parts ("ok", "and?") say nothing on their own
MAX_PARTS = 6


@dataclass(frozen=True)
class Segmented:
    """A message with its opening greeting set aside, and its parts."""

    text: str
    main: str  # the text without an opening greeting, or all of it when nothing follows
    main_start: int  # where `main` starts in `text`
    greeting: bool  # the message opens with a greeting word ("hi", "good morning")
    parts: tuple[str, ...]  # sentences and joined questions of `main`, in order


def segment(text: str) -> Segmented:
    """Splits a message the same way for training and for live messages."""
    lead = _LEAD.match(text)
    start = lead.end() if lead else 0
    main = text[start:].strip()
    if len(main) < MIN_PART_CHARS or " " not in main:
        # Nothing worth classifying after it ("thank you so much!"): the whole message.
        start, main = 0, text.strip()
    if main:
        start = text.index(main, start)
    greeting = bool(_GREETING_WORD.match(text))
    return Segmented(text, main, start, greeting, tuple(_parts(main)))


def is_question(part: str) -> bool:
    """A part that asks something ("how much is it", "do you take medicaid?", "i'd like to
    book please"), not context."""
    words = part.strip().lstrip("(\"'").removeprefix("and ").removeprefix("also ")
    return (
        part.rstrip().endswith("?")
        or bool(_QUESTION_START.match(words))
        or bool(_QUESTION_AFTER_COMMA.search(part))
        or bool(_REQUEST.search(words.strip()))
    )


def gives_only_a_contact(part: str) -> bool:
    """A part that only hands over a number or email ("Contact used: 312-555-0111."):
    it asks for nothing, so it is no request for a person beside the one made."""
    if not _CONTACT.search(part) or _CALL_WORDS.search(part):
        return False
    return len(re.findall(r"[^\W\d_]+", _CONTACT.sub(" ", part))) <= 3


def _parts(main: str) -> list[str]:
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(main):
        for clause in _JOINED_REQUEST.split(sentence):
            pieces.extend(_JOINED_QUESTION.split(clause))
    parts = [p.strip(" ,") for p in pieces if len(p.strip(" ,")) >= MIN_PART_CHARS]
    if len(parts) > MAX_PARTS:  # the opening and the end carry the request
        parts = parts[:1] + parts[-(MAX_PARTS - 1) :]
    return parts
