"""Feelings and behaviours in a caregiver's own words, found on lemmas.

A reflect-back may only name what the caregiver actually said, so these matchers look
for the words listed in ``feelings.yml`` in any inflection ("frustrating" and
"frustrated" both give "frustrated"), and set aside a feeling that is denied
("I wasn't angry", "not scared anymore"). Each feeling is also tied to whoever it
belongs to ("I was angry" vs "she was scared") so the summary doesn't swap them.
"""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

LEXICON_PATH = Path(__file__).with_name("feelings.yml")

# "~" in a pattern: words that soften or strengthen a feeling without changing it.
INTENSIFIERS = ["so", "really", "very", "pretty", "kind", "kinda", "sort", "sorta", "of", "a",
                "bit", "little", "super", "totally", "completely", "just", "too", "quite",
                "extremely", "incredibly", "absolutely", "utterly", "more", "most", "rather",
                "somewhat", "fairly", "also", "even", "still", "all", "that", "honestly",
                "literally", "such", "deeply", "overly", "truly", "total", "complete", "hot",
                "like", "an", "lot", "bloody", "damn", "horribly", "terribly",
                "awfully"]  # fmt: skip
NOT_WORDS = ["not", "n't", "never", "cannot"]  # the "not" of a pattern ("can't cope")
SENTENCE_BREAKS = [".", "!", "?", "\n", "\n\n"]
CLAUSE_BREAKS = {",", ";", ":", "-", "—", "but", "though", "although", "because", "and",
                 "yet", "while", "when", "until", "after", "before", "whereas"}  # fmt: skip
NEGATIONS = {"not", "n't", "never", "no", "nothing", "without", "nor", "cannot"}
NEGATION_LOOKBACK = 5
# After a negation these words undo it: "not only angry", "can't help feeling guilty".
UNNEGATING_NEXT = {"only", "just", "help", "stop"}
# "I've never felt so alone": "never" + a comparison is emphasis, not denial.
NEVER_EMPHASIS = {"so", "such", "more", "this", "that"}
SUBJECTS = {"i", "he", "she", "we", "they", "you", "it"}
SELF_WORDS = {"i", "me", "myself", "we", "us"}
CHILD_WORDS = {"she", "he", "they", "her", "him", "them", "herself", "himself", "themselves",
               "themself", "son", "daughter", "baby", "kid", "child", "toddler", "boy", "girl",
               "grandson", "granddaughter", "infant", "newborn", "preschooler", "stepson",
               "stepdaughter", "lo"}  # fmt: skip
OBJECT_PRONOUNS = {"her", "him", "them"}  # "I scared her": the feeling is hers
# "I think she was sad": a caregiver's guess about the child is not their own feeling.
HEDGE_VERBS = {"think", "guess", "wonder", "imagine", "believe", "suppose", "bet", "know",
               "hope", "say", "thought", "guessed"}  # fmt: skip
SHE = {"she", "her", "hers", "herself"}
HE = {"he", "him", "his", "himself"}
THEY = {"they", "them", "their", "theirs", "themself", "themselves"}
GIRL = {"daughter", "girl", "granddaughter", "stepdaughter", "niece"}
BOY = {"son", "boy", "grandson", "stepson", "nephew"}
NAMED_CHILD_WEIGHT = 3  # "my daughter" says more than one "her" (which may be someone else)

LemmaOf = Callable[[str], str]


@dataclass(frozen=True)
class Lexicon:
    """The curated words: feeling variants by canonical word, behaviours by phrase."""

    feelings: dict[str, tuple[str, ...]]
    behaviours: dict[str, tuple[str, ...]]  # summary phrase -> variants
    ignore: tuple[str, ...]


@dataclass(frozen=True)
class FeelingMention:
    """One feeling in the text and whose it seems to be: "self", "child" or None (unclear)."""

    feeling: str
    who: str | None
    start: int


@dataclass(frozen=True)
class _Matchers:
    feelings: Matcher
    behaviours: Matcher
    ignore: Matcher


_MATCHERS: weakref.WeakKeyDictionary[Language, _Matchers] = weakref.WeakKeyDictionary()


# --- lexicon and pattern notation ------------------------------------------------------
@functools.lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """Read ``feelings.yml`` once; a malformed entry fails loudly at startup."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    feelings = {str(k): _variants(k, v) for k, v in (data.get("feelings") or {}).items()}
    behaviours: dict[str, tuple[str, ...]] = {}
    for key, entry in (data.get("behaviours") or {}).items():
        if not isinstance(entry, dict) or not entry.get("phrase"):
            raise ValueError(f"behaviour {key!r} needs a phrase and variants")
        behaviours[str(entry["phrase"])] = _variants(key, entry.get("variants"))
    return Lexicon(feelings, behaviours, tuple(str(x) for x in data.get("ignore") or ()))


def _variants(key: object, variants: object) -> tuple[str, ...]:
    if not isinstance(variants, list) or not variants:
        raise ValueError(f"lexicon entry {key!r} has no variants")
    return tuple(str(v) for v in variants)


def lemma_lookup(nlp: Language) -> LemmaOf:
    """The pipeline's own lemma table, so patterns and texts lemmatize alike."""
    try:
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    except (KeyError, AttributeError, ValueError):
        return lambda word: word
    return lambda word: table.get(word, word)


def compile_pattern(notation: str, lemma_of: LemmaOf) -> list[dict]:
    """One notation string (see feelings.yml) as a spaCy Matcher pattern on LEMMA."""
    tokens: list[dict] = []
    for part in notation.lower().split():
        if part == "~":
            tokens.append({"LOWER": {"IN": INTENSIFIERS}, "OP": "*"})
            continue
        if re.fullmatch(r"\*\d+", part):
            gap = {"LOWER": {"NOT_IN": SENTENCE_BREAKS}, "OP": "?"}
            tokens.extend(dict(gap) for _ in range(int(part[1:])))
            continue
        optional = part.endswith("?") and len(part) > 1
        words = part.rstrip("?").split("|") if optional else part.split("|")
        token = _token_pattern(words, lemma_of)
        if optional:
            token["OP"] = "?"
        tokens.append(token)
    return tokens


def _token_pattern(words: list[str], lemma_of: LemmaOf) -> dict:
    exact = {w.lstrip("=") for w in words if w.startswith("=")}
    lemmas: set[str] = set()
    for word in (w for w in words if not w.startswith("=")):
        lemmas |= set(NOT_WORDS) if word == "not" else {word, lemma_of(word)}
    if exact and lemmas:
        raise ValueError(f"mix of exact and lemma words in one token: {'|'.join(words)}")
    if exact:
        return {"LOWER": {"IN": sorted(exact)}}
    return {"LEMMA": {"IN": sorted(lemmas)}}


def _matchers(nlp: Language) -> _Matchers:
    """Built once per pipeline object: compiling ~400 patterns per message would be waste."""
    cached = _MATCHERS.get(nlp)
    if cached is not None:
        return cached
    lexicon, lemma_of = load_lexicon(), lemma_lookup(nlp)
    built = _Matchers(Matcher(nlp.vocab), Matcher(nlp.vocab), Matcher(nlp.vocab))
    for feeling, variants in lexicon.feelings.items():
        built.feelings.add(feeling, [compile_pattern(v, lemma_of) for v in variants])
    for phrase, variants in lexicon.behaviours.items():
        built.behaviours.add(phrase, [compile_pattern(v, lemma_of) for v in variants])
    if lexicon.ignore:
        built.ignore.add("IGNORE", [compile_pattern(v, lemma_of) for v in lexicon.ignore])
    _MATCHERS[nlp] = built
    return built


def parse(text: str, nlp: Language) -> Doc:
    """Lower-cased first: the lemma table is keyed on lower-case forms ("Scared" -> "scare")."""
    return nlp(text.replace("’", "'").replace("‘", "'").lower())


def spans(matcher: Matcher, doc: Doc) -> list[Span]:
    """Non-overlapping matches, longest first ("fed up" over "fed"), in text order."""
    return sorted(filter_spans(matcher(doc, as_spans=True)), key=lambda s: s.start)


# --- public helpers --------------------------------------------------------------------
def feelings(text: str, nlp: Language) -> list[str]:
    """Canonical feeling words in the text, first appearance first; denied ones left out."""
    return _unique(m.feeling for m in feeling_mentions(text, nlp))


def feeling_mentions(text: str, nlp: Language) -> list[FeelingMention]:
    """Every feeling said (not denied), with whose it seems to be."""
    if not text or not text.strip():
        return []
    doc = parse(text, nlp)
    matchers = _matchers(nlp)
    ignored = {i for s in matchers.ignore(doc, as_spans=True) for i in range(s.start, s.end)}
    mentions = []
    for span in spans(matchers.feelings, doc):
        if ignored & set(range(span.start, span.end)) or negated(span, doc):
            continue
        mentions.append(FeelingMention(span.label_, _owner(span, doc), span.start))
    return mentions


def behaviours(text: str, nlp: Language) -> list[str]:
    """The child's behaviours the text names, as short phrases ("biting", "screaming")."""
    if not text or not text.strip():
        return []
    doc = parse(text, nlp)
    found = (s for s in spans(_matchers(nlp).behaviours, doc) if not negated(s, doc))
    return _unique(s.label_ for s in found)


def child_pronoun(texts: Iterable[str | None]) -> str | None:
    """'she', 'he' or 'they' for the child, from the caregiver's words; None when unclear."""
    she = he = they = 0
    for text in texts:
        words = re.findall(r"[a-z]+", (text or "").lower())
        for prev, word in zip(["", *words], words, strict=False):
            named = NAMED_CHILD_WEIGHT if prev in ("my", "our") else 1
            she += named if word in GIRL else int(word in SHE)
            he += named if word in BOY else int(word in HE)
            they += int(word in THEY)
    if she != he:
        return "she" if she > he else "he"
    if she == 0 and they:
        return "they"
    return None


# --- context checks --------------------------------------------------------------------
def negated(span: Span, doc: Doc) -> bool:
    """A 'not'/'never'/'no' shortly before, in the same clause: "I wasn't really angry"."""
    for i in range(span.start - 1, max(span.start - NEGATION_LOOKBACK, 0) - 1, -1):
        word = doc[i].lower_
        if word in SENTENCE_BREAKS or word in CLAUSE_BREAKS or word in SUBJECTS:
            return False  # "I don't know why I feel guilty": a new clause has begun
        if word in NEGATIONS or doc[i].lemma_ == "not":
            following = {t.lower_ for t in doc[i + 1 : span.end]}
            if doc[i + 1].lower_ in UNNEGATING_NEXT:
                return False
            return not (word == "never" and following & NEVER_EMPHASIS)
    return False


def _owner(span: Span, doc: Doc) -> str | None:
    """Whose feeling: an object right after ("I scared her"), else the nearest person before."""
    if span.end < len(doc) and doc[span.end].lower_ in OBJECT_PRONOUNS:
        return "child"
    for i in range(span.start - 1, -1, -1):
        word = doc[i].lower_
        if word in SENTENCE_BREAKS:
            break
        if word in SELF_WORDS:
            following = doc[i + 1].lemma_ if i + 1 < span.start else ""
            if following in HEDGE_VERBS:
                continue  # "I think (she was) sad": the guess is about someone else
            return "self"
        if word in CHILD_WORDS:
            return "child"
    return None


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
