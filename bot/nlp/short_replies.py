"""A short yes or no to the bot's offer, read from its words.

Why: the classifier learns from whole sentences, and a two-word reply sits between
labels ("ok yea" read as "no" at 0.51; "nah thats it for now, ill tell her. thx!" read
as nothing). A reply made only of yes-words is a yes; one that opens with a no and asks
or requests nothing else is a no. Anything else is left to the classifier.
"""

from __future__ import annotations

import re

# Every word of a yes: at least one of YES_CORE, the rest what people put around it.
# ("ok" alone, or "ok thank you", may close a conversation: the classifier decides.)
YES_CORE = frozenset(
    {"ya", "yah", "yea", "yeah", "yeh", "ye", "yep", "yup", "yes", "yess", "yesss", "yse",
     "yas", "sure", "absolutely", "definitely", "please", "pls", "plz", "si", "sí",
     # in a few first languages: Haitian Creole, French, Tagalog ("opo"), German
     "wi", "oui", "opo", "ja"}
)  # fmt: skip
YES_AROUND = frozenset(
    {"ok", "okay", "okk", "k", "kk", "alright", "sounds", "good", "great", "perfect", "that",
     "would", "be", "nice", "cool", "fine", "lets", "let's", "do", "it", "go", "ahead", "of",
     "course", "oh", "um", "well", "then", "and", "so", "thing", "i", "guess", "po", "merci"}
)  # fmt: skip
MAX_YES_WORDS = 6
_NO_START = re.compile(
    # "Ok thank you. Not now, I need to talk with my husband first"
    r"^\W*(?:(?:ok|okay|oh)?\W*(?:(?:thank you|thanks|thx|ty)(?: for (?:the )?\w+)?)?[\s.,!]+)?"
    r"(no+|nah+|nope|naw|nop|non|nein|hindi po|not now|not right now|not really|maybe later|"
    r"i'?m good|im ok|i'?m ok|all good|"
    # "I'll talk to my husband first" to an offer (dev set bc32, 2026-12-07)
    r"(?:i'?ll|i will|i need to|i have to|i gotta|let me)\s+(?:talk|speak|check|ask)\s+"
    r"(?:to\s+|with\s+)?(?:my|our|her|his|the)\s+\w+(?:\s+first)?(?=\s*[.!]*\s*$))\b",
    re.IGNORECASE,
)
# The opening word of an answer to the bot's own yes-or-no question ("cancel it?"):
# "yes cancel it" is a yes even though the classifier reads it as asking to cancel.
_YES_OPENING = re.compile(
    r"^\W*(y|ya|yah|yas|yea|yeah|yeh|yep|yup|yes+|yess|sure|ok|okay|k|please|do it|go ahead|"
    r"correct|right|si|sí|wi|oui|opo|confirm(ed)?)\b",
    re.IGNORECASE,
)
_NO_OPENING = re.compile(
    r"^\W*(n|no+|nah|nope|non|nein|hindi|not now|don'?t|do not|keep( it)?|never ?mind|wait|"
    r"leave it)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-záéíóúñ']+", re.IGNORECASE)
# A reply made only of a thumb ("👍", "👎🏽"): what a phone's quick reactions send.
_TONE = r"[\U0001F3FB-\U0001F3FF\uFE0F]?"  # a skin tone or emoji presentation mark
_THUMB_UP = re.compile(rf"^\s*(?:(?:\U0001F44D|\U0001F44C|\u2705){_TONE}\s*)+$")
_THUMB_DOWN = re.compile(rf"^\s*(?:(?:\U0001F44E|\u274C){_TONE}\s*)+$")


def _only_words(text: str, core: frozenset[str], around: frozenset[str], most: int) -> bool:
    """A short message, no question, with a ``core`` word and the rest ``around`` it."""
    words = [w.lower() for w in _WORD.findall(text)]
    return (
        bool(words)
        and len(words) <= most
        and "?" not in text
        and any(w in core for w in words)
        and all(w in core or w in around for w in words)
    )


def short_reply(
    text: str, label: str, confidence: float, context_labels: frozenset[str]
) -> str | None:
    """ "affirm", "deny" or None (the classifier's reading stands).

    ``label`` and ``confidence`` are the classifier's reading; a no followed by a request
    of its own ("no, how much does it cost") keeps it, unless that reading is one of
    ``context_labels`` (thanks, goodbye: what surrounds a no) or unsure.
    """
    if _THUMB_UP.match(text):
        return "affirm"
    if _THUMB_DOWN.match(text):
        return "deny"
    if _only_words(text, YES_CORE, YES_AROUND, MAX_YES_WORDS):
        return "affirm"
    unsure = label in context_labels or confidence < 0.5
    if _NO_START.match(text) and "?" not in text and unsure:
        return "deny"
    return None


def yes_or_no(intent: str | None, text: str) -> str | None:
    """ "yes", "no" or None for an answer to the bot's yes-or-no question, typed or tapped.

    The intent decides first; the opening words catch what the classifier reads as
    something else ("yes cancel it" reads as asking to cancel).
    """
    if intent == "affirm" or text.strip() == "/affirm":
        return "yes"
    if intent == "deny" or text.strip() == "/deny":
        return "no"
    if _NO_OPENING.match(text):
        return "no"
    if _YES_OPENING.match(text):
        return "yes"
    return None


# A thank-you and nothing else ("ok. thank you for that, really" fell back, dev set
# bc36, 2026-12-07): every word a thanks word or what people put around it.
THANKS_CORE = frozenset(
    {"thank", "thanks", "thankyou", "thanx", "thx", "ty", "tysm", "appreciate", "appreciated",
     "gracias", "merci", "obrigada", "obrigado"}
)  # fmt: skip
THANKS_AROUND = frozenset(
    {"ok", "okay", "oh", "you", "so", "much", "very", "really", "for", "that", "this", "the",
     "it", "all", "info", "information", "help", "answer", "answers", "i", "a", "lot", "again",
     "muchas", "great", "good", "cool", "nice", "of", "your", "time", "truly", "just", "u",
     "ya", "yall", "guys"}
)  # fmt: skip
MAX_THANKS_WORDS = 10


# A thank-you, then leaving: "Thanks. Going to go check on him." (dev set bc33).
_SIGN_OFF = re.compile(
    r"^(?:(?:i'?m|im|i am)\s+)?(?:going to|gonna|gotta|have to|need to|got to)\s+go\b"
    r"|^(?:bye|goodbye|goodnight|good night|talk (?:to you )?(?:later|soon)|ttyl|see you|"
    r"take care|have a good|respectfully|sincerely|regards|kind regards|best|blessings|"
    r"warmly|cheers|god bless)\b",
    re.IGNORECASE,
)


def thanks_only(text: str) -> str | None:
    """ "thank" for a message that only thanks (and perhaps says goodbye), else None."""
    parts = re.split(r"(?<=[.!])\s+", text.strip(), maxsplit=1)
    if len(parts) == 2 and _SIGN_OFF.match(parts[1]) and "?" not in text:
        text = parts[0]
    return "thank" if _only_words(text, THANKS_CORE, THANKS_AROUND, MAX_THANKS_WORDS) else None
