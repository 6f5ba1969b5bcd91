"""The reflect-back at the end of a guided reflection, made of the caregiver's own words.

Hearing their words back ("it sounds like you felt overwhelmed, and she may have been
scared") helps a caregiver see the moment from a little distance. So the summary only
mirrors: it names feelings they named, quotes short pieces of what they wrote (turned
to "you"), and acknowledges their idea for next time. It never judges, explains the
child, diagnoses or advises; that is the clinician's work.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Mapping

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language

from bot.reflection.language import child_pronoun, feeling_mentions

STEPS = ("what_happened", "before", "child_feeling", "my_feeling", "next_time")
SKIPPED = {"skipped", "skip"}
MAX_CHARS = 600
MAX_SENTENCES = 4
FRAGMENT_CHARS = 110
MAX_FEELINGS = 3  # per person; a longer list stops sounding like listening

ALL_SKIPPED = (
    "That's okay, some moments are hard to put into words. "
    "Thank you for spending a little time with this one."
)
THANKS = "Thank you for taking the time to look at this moment."
NOT_SURE_NEXT = "It's okay not to know yet what you might try next time."
NOT_SURE = re.compile(
    r"^\W*(i\s*(don'?t|do not)\s*know|dunno|idk|not sure|unsure|no idea|nothing|no)\b\W*"
    r"(yet|really|right now)?\W*$",
    re.I,
)
# Chat openers that carry nothing when quoted back ("ok so basically, we were ...").
LEADING_FILLER = re.compile(
    r"^((ok(ay)?|um+|uh+|erm|well|basically|honestly|yeah|yes|so)\b[\s,.]*)+(?=\w)", re.I
)
# Words a cut fragment must not end on ("she bit her brother while we").
DANGLING = {"and", "or", "but", "so", "the", "a", "an", "to", "of", "with", "because", "when",
            "while", "that", "your", "his", "their", "at", "in", "on", "for", "then", "if",
            "as", "was", "were", "is", "are", "be", "just", "very", "really", "from", "into",
            "by", "about", "after", "before", "until", "my", "this", "had", "have", "would",
            "could", "like", "our", "under", "through", "across", "behind", "between",
            "toward", "towards", "against", "during", "since", "than", "every", "some", "each",
            "which", "who", "where", "its", "not", "did", "didn't", "wouldn't", "couldn't",
            "don't", "won't", "got", "being", "getting"}  # fmt: skip
COMMON_STARTERS = {"yesterday", "today", "tonight", "bedtime", "dinner", "lunch", "breakfast",
                   "daycare", "school", "preschool", "maybe", "probably", "honestly",
                   "we", "she", "he", "they", "it", "my", "our", "the"}  # fmt: skip

# First person to second, longest first; the caregiver's own "should" is kept as theirs
# ("I should have waited" -> "you wish you had waited") so the bot never says "should".
_SWAPS = {
    "i should have": "you wish you had",
    "i should've": "you wish you had",
    "we should've": "you wish you had",
    "should've": "ought to have",
    "i shouldn't have": "you wish you hadn't",
    "we should have": "you wish you had",
    "we shouldn't have": "you wish you hadn't",
    "i should": "you want to",
    "i shouldn't": "you don't want to",
    "we should": "you want to",
    "we shouldn't": "you don't want to",
    "should have": "ought to have",
    "shouldn't have": "ought not to have",
    "shouldn't": "ought not to",
    "should": "ought to",
    "i am": "you are",
    "i'm": "you're",
    "im": "you're",
    "i was": "you were",
    "i wasn't": "you weren't",
    "i've": "you've",
    "ive": "you've",
    "i'll": "you'll",
    "i'd": "you'd",
    "we are": "you are",
    "we're": "you're",
    "we were": "you were",
    "we weren't": "you weren't",
    "we've": "you've",
    "we'll": "you'll",
    "we'd": "you'd",
    "myself": "yourself",
    "ourselves": "yourselves",
    "mine": "yours",
    "ours": "yours",
    "i": "you",
    "me": "you",
    "my": "your",
    "we": "you",
    "us": "you",
    "our": "your",
}
_SWAP_RE = re.compile(
    r"(?<![\w'])("
    + "|".join(re.escape(k) for k in sorted(_SWAPS, key=len, reverse=True))
    + r")(?![\w'])",
    re.I,
)
_SHOULD_RE = re.compile(r"(?<![\w'])(should've|should(n't)?( have)?)(?![\w'])", re.I)
# Quoted speech stays as said: 'she yelled "I hate you"' keeps its "I".
_QUOTED = re.compile(r"(\"[^\"]*\"|“[^”]*”|(?<!\w)'[^']*'(?!\w))")
_KNOWN_WORDS: weakref.WeakKeyDictionary[Language, frozenset[str]] = weakref.WeakKeyDictionary()


def reflect_back(answers: Mapping[str, str | None], nlp: Language) -> str:
    """A 2-4 sentence plain-text reflect-back of the five steps; skipped steps are left out."""
    given = {step: _answer(answers.get(step)) for step in STEPS}
    if not any(given.values()):
        return ALL_SKIPPED
    known = _known_words(nlp)
    pronoun = child_pronoun(text for text in given.values() if text)
    mine, theirs = _feelings_by_owner(given, nlp)
    part = _Parts(known, pronoun)
    sentences = [  # (keep priority: lower is kept first, sentence) in reading order
        (2, part.quote("You described what happened: {}.", given["what_happened"])),
        (6, part.quote("You noticed what came just before: {}.", given["before"])),
        (1, part.feelings(mine, theirs)),
        (5, part.quote("About your side of it, you wrote: {}.", given["my_feeling"], not mine)),
        (4, part.quote(part.their_side, given["child_feeling"], not theirs)),
        (3, part.next_time(given["next_time"])),
        (1 if not (mine or theirs) else 7, THANKS),
    ]
    return _fit([(rank, s) for rank, s in sentences if s])


class _Parts:
    """Sentence builders sharing what they need: the known-words list and the pronoun."""

    def __init__(self, known: frozenset[str], pronoun: str | None) -> None:
        self.known = known
        self.subject = pronoun or "your child"
        possessive = {"she": "her", "he": "his", "they": "their"}.get(pronoun or "", "your child's")
        self.their_side = f"You wondered about {possessive} side: {{}}."

    def quote(self, frame: str, text: str | None, wanted: bool = True) -> str | None:
        text = _said(text)
        if not text or not wanted:
            return None
        piece = fragment(text, self.known)
        return frame.format(piece) if piece else None

    def feelings(self, mine: list[str], theirs: list[str]) -> str | None:
        if mine and theirs:
            return (
                f"It sounds like you felt {join(mine)}, and {self.subject} may have felt "
                f"{join(theirs)}."
            )
        if mine:
            return f"It sounds like you felt {join(mine)}."
        if theirs:
            return f"It sounds like {self.subject} may have felt {join(theirs)}."
        return None

    def next_time(self, text: str | None) -> str | None:
        if not text:
            return None
        if NOT_SURE.match(text):
            return NOT_SURE_NEXT
        return self.quote("You have something in mind to try next time: {}.", text)


def _answer(value: str | None) -> str | None:
    """The answer's text, or None when the step was skipped or left empty."""
    text = " ".join(str(value or "").split())
    if not text or re.sub(r"\W", "", text.lower()) in SKIPPED:
        return None
    return text


def _said(text: str | None) -> str | None:
    """The answer unless it only says "I don't know": that is not worth quoting back."""
    return None if text is None or NOT_SURE.match(text) else text


def _feelings_by_owner(
    given: Mapping[str, str | None], nlp: Language
) -> tuple[list[str], list[str]]:
    """The caregiver's feelings and the child's, from every answer that names any.

    In "how did you feel" a feeling with no clear owner is the caregiver's; in "how might
    your child have felt" it is the child's; elsewhere it must be clearly someone's.
    """
    defaults = {"my_feeling": "self", "child_feeling": "child"}
    mine: list[str] = []
    theirs: list[str] = []
    for step, text in given.items():
        for mention in feeling_mentions(text or "", nlp):
            who = mention.who or defaults.get(step)
            target = mine if who == "self" else theirs if who == "child" else None
            if target is not None and mention.feeling not in target:
                target.append(mention.feeling)
    return mine[:MAX_FEELINGS], theirs[:MAX_FEELINGS]


def _fit(sentences: list[tuple[int, str]]) -> str:
    """Drop the least needed sentences until at most four remain within MAX_CHARS."""
    kept = list(sentences)
    while len(kept) > MAX_SENTENCES or len(" ".join(s for _, s in kept)) > MAX_CHARS:
        if len(kept) == 1:
            return kept[0][1][: MAX_CHARS - 1].rsplit(" ", 1)[0] + "."
        kept.remove(max(kept, key=lambda item: item[0]))
    return " ".join(s for _, s in kept)


# --- the caregiver's words -------------------------------------------------------------
def fragment(text: str, known: Iterable[str] = (), limit: int = FRAGMENT_CHARS) -> str:
    """A short piece of what they wrote, in the second person, ready to sit mid-sentence."""
    text = re.sub(r"[*_`#>|]+", "", " ".join(text.replace("’", "'").split()))
    if sum(c.isupper() for c in text) > 0.6 * max(sum(c.isalpha() for c in text), 1):
        text = text.lower()  # written in capitals: no shouting in the reflect-back
    known = frozenset(known)
    text = LEADING_FILLER.sub("", text) or text
    piece = _trim(second_person(text), limit, known)
    if piece.count('"') % 2:
        piece = piece.replace('"', "")
    return _lower_first(piece, known)


def second_person(text: str) -> str:
    """'I' -> 'you', 'my' -> 'your', 'I'm' -> 'you're' ... outside quoted speech."""
    parts = _QUOTED.split(text)
    for i in range(0, len(parts), 2):  # even parts are outside quotes
        parts[i] = _SWAP_RE.sub(lambda m: _SWAPS[m.group(1).lower()], parts[i])
    for i in range(1, len(parts), 2):  # even a quoted "should" would read as the bot's
        parts[i] = _SHOULD_RE.sub(lambda m: _SWAPS[m.group(1).lower()], parts[i])
    swapped = "".join(parts)
    return re.sub(r"([.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), swapped)


def _trim(text: str, limit: int, known: frozenset[str]) -> str:
    """Whole sentences that fit (joined with ';'), else the first cut at a word boundary."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    if not sentences:
        return ""
    piece = _strip_end(sentences[0], cut=False)
    for sentence in sentences[1:]:
        longer = f"{piece}; {_lower_first(_strip_end(sentence, cut=False), known)}"
        if len(longer) > limit:
            break
        piece = longer
    if len(piece) > limit:
        cut = piece[: limit + 1]
        comma = cut.rfind(", ")
        cut = cut[:comma] if comma > limit * 0.5 else cut.rsplit(" ", 1)[0]
        piece = _strip_end(cut)
    return piece


def _strip_end(text: str, cut: bool = True) -> str:
    """No trailing punctuation; after a cut, no dangling little word ("... while")."""
    words = text.rstrip(" .,;:!?-—…").split()
    while cut and len(words) > 1 and words[-1].lower().strip(".,;:!?") in DANGLING:
        words.pop()
    return " ".join(words).rstrip(" .,;:!?-—…(")


def _lower_first(text: str, known: frozenset[str]) -> str:
    """Lower-case the first letter mid-sentence, unless the first word looks like a name."""
    if not text:
        return text
    first = re.match(r"[A-Za-z']+", text)
    word = first.group(0).lower() if first else ""
    if word in STOP_WORDS or word in COMMON_STARTERS or word in known or not known:
        return text[0].lower() + text[1:]
    return text


def join(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _known_words(nlp: Language) -> frozenset[str]:
    """English words the pipeline's lemma table knows, so 'Bedtime' is lower-cased, 'Maya' not."""
    cached = _KNOWN_WORDS.get(nlp)
    if cached is not None:
        return cached
    try:
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        words = frozenset(str(v) for v in table.values())
    except (KeyError, AttributeError, ValueError):
        words = frozenset()
    _KNOWN_WORDS[nlp] = words
    return words
