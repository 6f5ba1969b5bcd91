"""Rewrite text-speak and misspellings before the safety patterns run.

People in distress type fast: "kms", "wanna die", "sucidal", "hes not breathin".
The patterns are written for plain words, so this step maps known short forms to
them and corrects a misspelled keyword when the typed word is not itself an
English word (so "filling" never turns into "killing").
"""

from __future__ import annotations

import re
from collections.abc import Container

from rapidfuzz.distance import OSA

# Whole-word rewrites, applied in order on lower-cased text.
SHORT_FORMS: list[tuple[str, str]] = [
    (r"\bkms\b", "kill myself"),
    (r"\bunalive\b", "kill"),
    (r"\bunaliving\b", "killing"),
    (r"\bunalived\b", "killed"),
    (r"\bsewer ?slide\b", "suicide"),
    (r"\bs[u*]ic[i*]de\b", "suicide"),
    (r"\bk[i!1*]ll\b", "kill"),
    (r"\bkil\b", "kill"),
    (r"\bw[ae]?nt\b", "want"),
    (r"\bhitz\b", "hits"),
    (r"\bwen\b", "when"),
    (r"\bwrk\b", "work"),
    (r"\bsum1\b", "someone"),
    (r"\bsome1\b", "someone"),
    (r"\bno1\b", "no one"),
    (r"\bwat\b", "what"),
    (r"\bwit\b", "with"),
    (r"\btonite\b", "tonight"),
    (r"\bhom\b", "home"),
    (r"\b(\d{1,2}) ?(yo|y/o|yr old|yrs old)\b", r"\1 year old"),
    (r"\bw/", "with "),
    (r"\bdor\b", "door"),
    (r"\bbeets\b", "beats"),
    (r"\bmy ?self\b", "myself"),
    (r"\bwanna\b", "want to"),
    (r"\bgonna\b", "going to"),
    (r"\bgotta\b", "got to"),
    (r"\bima\b", "i am going to"),
    (r"\bi'?m\b", "i am"),
    (r"\bhes\b", "he is"),
    (r"\bshes\b", "she is"),
    (r"\b(can'?t|cannot)\b", "can not"),
    (r"\bwon'?t\b", "will not"),
    (r"\b(do|does|did|is|was|are|were|would|could|should|has|have|had|ai)n'?t\b", r"\1 not"),
    (r"\bu\b", "you"),
    (r"\bur\b", "your"),
    (r"\brn\b", "right now"),
    (r"\btn\b", "tonight"),
    (r"\bpl[sz]\b", "please"),
    (r"\bbf\b", "boyfriend"),
    (r"\bgf\b", "girlfriend"),
    (r"\bhubby\b", "husband"),
    (r"\bstep ?dad\b", "stepdad"),
    (r"\bdv\b", "domestic violence"),
    (r"\bo\.?d\.?(ed|'d)?\b", "overdose"),
    (r"\bbreathin\b", "breathing"),
    (r"\bded\b", "dead"),
    (r"\bbc\b", "because"),
    (r"\bcuz\b", "because"),
    (r"\blil\b", "little"),
]
_COMPILED = [(re.compile(pattern), repl) for pattern, repl in SHORT_FORMS]

# Words the patterns rely on that people often misspell.
KEYWORDS = (
    "suicide", "suicidal", "myself", "breathing", "breathe", "seizure", "seizing",
    "unconscious", "unresponsive", "overdose", "overdosed", "swallowed", "molested",
    "molesting", "molest", "abused", "abusing", "bleeding", "choking", "choked",
    "threatened", "threatens", "strangled", "strangling", "killing", "hurting",
    "boyfriend", "husband", "daughter", "detergent", "bleach", "medicine", "pills",
    "threatened", "beats", "touching", "touches", "outside", "battery", "scared", "knife",
)  # fmt: skip


def _collapse_repeats(text: str) -> str:
    """ "pleeeease" -> "pleease"; keeps doubled letters that spelling needs."""
    return re.sub(r"(\w)\1{2,}", r"\1\1", text)


def correct_word(word: str, vocabulary: Container[str]) -> str:
    """The keyword a misspelled word was meant to be, or the word unchanged."""
    if len(word) < 5 or not word.isalpha() or word in vocabulary or word in KEYWORDS:
        return word
    if word.endswith("in") and word + "g" in vocabulary:  # "touchin" -> "touching"
        return word + "g"
    limit = 1 if len(word) < 8 else 2
    best, best_distance = word, limit + 1
    for keyword in KEYWORDS:
        if abs(len(keyword) - len(word)) > limit:
            continue
        distance = OSA.distance(word, keyword, score_cutoff=limit)  # a swap counts as one edit
        if distance < best_distance:
            best, best_distance = keyword, distance
    return best


def normalize(text: str, vocabulary: Container[str] = frozenset()) -> str:
    """Lower-case, expand short forms and fix misspelled keywords."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = _collapse_repeats(text)
    for pattern, repl in _COMPILED:
        text = pattern.sub(repl, text)
    return re.sub(r"[a-z]+", lambda m: correct_word(m.group(0), vocabulary), text)
