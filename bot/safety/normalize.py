"""Rewrite text-speak and misspellings before the safety patterns run.

People in distress type fast: "kms", "wanna die", "sucidal", "hes not breathin".
The patterns are written for plain words, so this step maps known short forms to
them and corrects a misspelled word (SymSpell) when the typed word is not itself an
English word (so "filling" never turns into "killing").
"""

from __future__ import annotations

import re
from collections.abc import Container
from functools import lru_cache
from importlib.resources import files

from symspellpy import SymSpell, Verbosity

# Whole-word rewrites, applied in order on lower-cased text.
SHORT_FORMS: list[tuple[str, str]] = [
    (r"\bkms\b", "kill myself"),
    # "unalive" with no one named after it means the writer ("gonna unalive 2nite").
    (
        r"\bunalive\b(?! (myself|me|him|her|them|you|my|his|the|that|this|someone|somebody)\b)",
        "kill myself",
    ),
    (r"\bunalive\b", "kill"),
    (r"\b(2|to)ni(te|ght)\b", "tonight"),
    (r"\bnite\b", "night"),
    (r"\b(2day|2dy)\b", "today"),
    (r"\b(2mor+o?w?|tmr+w?|tomor+ow)\b", "tomorrow"),
    (r"\b(son|daughter|brother|sister|mother|father)[- ]in[- ]law\b", "inlaw"),
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
    (r"\bw/o\b", "without"),
    (r"\bbet+er of\b", "better off"),
    (r"\bw/", "with "),
    (
        r"\bw(?= (?:life|living|it|this|that|him|her|them|me|my|the|everything)\b)",
        "with",
    ),  # "done w life"
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
    (r"\benu(f|ff)\b", "enough"),  # "got enuf to not wake up"
    (r"\bag(n|ain)\b", "again"),
    (r"\bbc\b", "because"),
    (r"\bcuz\b", "because"),
    (r"\blil\b", "little"),
    # Voice-to-text splits "therapy" ("the rapy"); the speller would make it "rape".
    (r"\b(the ?)?rap+y\b", "therapy"),
    (r"\bthe rapies\b", "therapies"),
]
# Words of a family's life that the speller would turn into danger or away from the past
# ("nicu" -> "nice" hid "in the NICU at birth").
KEEP = frozenset({"nicu", "picu", "cpp", "ekg", "eeg", "epipen", "keppra", "inhaler",
                  "nebulizer", "daycare", "preschool", "onesie", "tylenol", "motrin"})  # fmt: skip
DICTIONARY = "frequency_dictionary_en_82_765.txt"  # shipped inside the symspellpy package
_COMPILED = [(re.compile(pattern), repl) for pattern, repl in SHORT_FORMS]


def _collapse_repeats(text: str) -> str:
    """ "pleeeease" -> "pleease"; keeps doubled letters that spelling needs."""
    return re.sub(r"(\w)\1{2,}", r"\1\1", text)


class Speller:
    """Corrects words that are not English, preferring the words the patterns use.

    SymSpell (with its bundled English word frequencies) proposes the nearest real
    words; when one of them is a pattern word ("cuting" -> "cutting", "husbend" ->
    "husband") it wins over a more frequent one ("citing"), so a typo can never hide
    a disclosure. Known words are never changed ("filling" stays "filling").
    """

    def __init__(self, vocabulary: Container[str], keywords: Container[str]) -> None:
        self._vocabulary = vocabulary
        self._keywords = keywords
        self._symspell = _symspell()

    def is_word(self, word: str) -> bool:
        return word in self._vocabulary or word in dictionary_words()

    def correct(self, word: str) -> str:
        """The word a misspelled word was meant to be, or the word unchanged."""
        if (
            len(word) < 4
            or not word.isalpha()
            or self.is_word(word)
            or word in self._keywords
            or word in KEEP
        ):
            return word
        if word.endswith("in") and self.is_word(word + "g"):  # "hurtin" -> "hurting"
            return word + "g"
        limit = 1 if len(word) < 6 else 2
        suggestions = self._symspell.lookup(word, Verbosity.ALL, max_edit_distance=limit)
        if not suggestions:
            return word
        nearest = min(s.distance for s in suggestions)
        keywords = [s for s in suggestions if s.term in self._keywords]
        if keywords:
            best = min(keywords, key=lambda s: (s.distance, s.term[0] != word[0], -s.count))
            # A pattern word one edit further than a common word still wins for longer
            # words ("dauter" -> "daughter", not "darter"), where chance matches are rare.
            if best.distance <= nearest or (best.distance == nearest + 1 and len(word) >= 6):
                return best.term
        return max((s for s in suggestions if s.distance == nearest), key=lambda s: s.count).term


@lru_cache(maxsize=1)
def _symspell() -> SymSpell:
    """Built once per process (about 4 s): the bundled 82k-word English dictionary."""
    speller = SymSpell(max_dictionary_edit_distance=2)
    speller.load_dictionary(str(files("symspellpy") / DICTIONARY), term_index=0, count_index=1)
    return speller


@lru_cache(maxsize=1)
def dictionary_words() -> frozenset[str]:
    return frozenset(_symspell().words)


def normalize(text: str, speller: Speller | None = None) -> str:
    """Lower-case, expand short forms and (with a speller) fix misspelled words."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = _collapse_repeats(text)
    for pattern, repl in _COMPILED:
        text = pattern.sub(repl, text)
    if speller is None:
        return text
    return re.sub(r"[a-z]+", lambda m: speller.correct(m.group(0)), text)
