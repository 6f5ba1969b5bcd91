"""The rule layer of safety detection: spaCy Matcher patterns plus context checks
(bot/safety/context.py).

A match counts only when its sentence speaks of the present (not "last year",
"when she was two"), it is not negated ("I would never hurt him"), it is not a
joke or figure of speech, and the doer is not a young child ("my son hits me").
Matches set aside as past context are reported too, so the bot can add one
gentle line about help if the family is not safe now.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.lookups import Table
from spacy.matcher import Matcher
from spacy.tokens import Doc

from bot.nlp.ngram_classifier import lemma_string
from bot.safety.context import doer_resolved, reason_to_set_aside
from bot.safety.context_words import CLAUSE_BREAKS, SENTENCE_BREAKS
from bot.safety.lexicon import RULES, Rule, pattern_words
from bot.safety.normalize import Speller, dictionary_words, normalize
from bot.safety.word_classes import CLASSES

# Which reply comes first when several dangers show; the others are named after it
# (``also``). A caregiver's own suicidal thoughts come first even beside a child's
# emergency: the self-harm reply names 911 too, and the medical line follows.
URGENCY = ("self_harm", "medical_emergency", "harm_to_child", "domestic_violence")
CHILD_VICTIM = re.compile(r"\bi am (1[0-7]|[5-9])\b|\bi am a (kid|child|minor)\b")


class _Vocabulary:
    """'Is this an English word?': a form or lemma in spaCy's lookup table."""

    def __init__(self, table: Table) -> None:
        self._table = table
        self._lemmas = set(table.values())

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and (word in self._table or word in self._lemmas)


@dataclass
class SafetyResult:
    """What the rule layer found in one message."""

    category: str | None = None
    evidence: list[str] = field(default_factory=list)
    also: list[str] = field(default_factory=list)  # other dangers shown, most urgent first
    past: list[str] = field(default_factory=list)  # categories mentioned only as past context
    set_aside: list[tuple[str, str, str]] = field(default_factory=list)  # (category, text, why)
    lemmas: str = ""  # the normalised message as lemmas: what the trained layer reads
    # Every danger found belongs beside another (a weapon; an adult who passed out): the
    # trained layer may name that other one (bot/safety/component.py).
    secondary_only: bool = False

    @property
    def is_crisis(self) -> bool:
        return self.category is not None


class SafetyDetector:
    """Matches the safety rules on a normalised copy of the message."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self._lemmas = self._lemma_table(nlp)
        self.vocabulary = _Vocabulary(self._lemmas)
        self.speller = Speller(self.vocabulary, self._keywords())
        self.matcher = Matcher(nlp.vocab)
        self.rules: dict[str, Rule] = {}
        for index, rule in enumerate(RULES):
            key = f"{rule.category}:{index}"
            self.rules[key] = rule
            self.matcher.add(key, [self._compile(rule.pattern)])

    @staticmethod
    def _lemma_table(nlp: Language) -> Table:
        """spaCy's lookup table (keys are string hashes: use .get/in, not dict())."""
        return nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")

    def _keywords(self) -> frozenset[str]:
        # The pattern words and every inflected form of them ("cutting" for "cut").
        # Function words ("after", "what") are rarely the misspelled word that matters.
        lemmas = pattern_words() - STOP_WORDS
        forms = {w for w in dictionary_words() if self._lemmas.get(w) in lemmas}
        return frozenset(lemmas | forms)

    def _forms(self, words: list[str]) -> list[str]:
        # Match on lemmas: add each word's lemma so "hits", "hitting" and "hit" all match.
        return sorted(set(words) | {self._lemmas.get(w, w) for w in words})

    def _compile(self, notation: str) -> list[dict]:
        tokens: list[dict] = []
        for part in notation.split():
            if re.fullmatch(r"\*\*?\d+", part):
                # "*N" stays inside one clause: "hurt me and my son keeps asking" must not
                # read as "hurt ... my son". "**N" may cross clauses, never sentences.
                within_sentence = part.startswith("**")
                breaks = SENTENCE_BREAKS if within_sentence else CLAUSE_BREAKS | SENTENCE_BREAKS
                gap = {"LOWER": {"NOT_IN": sorted(breaks)}, "OP": "?"}
                tokens.extend(dict(gap) for _ in range(int(part.lstrip("*"))))
                continue
            optional = part.endswith("?") and len(part) > 1
            part = part.rstrip("?") if optional else part
            if part == "#NUM":
                tokens.append({"LIKE_NUM": True})
                continue
            words: list[str] = []
            for alt in part.split("|"):
                words.extend(CLASSES[alt[1:]] if alt.startswith("@") else [alt])
            if part.startswith("="):
                token: dict = {"LOWER": {"IN": [w.lstrip("=") for w in words]}}
            else:
                token = {"LEMMA": {"IN": self._forms(words)}}
            if optional:
                token["OP"] = "?"
            tokens.append(token)
        return tokens

    def _read(self, text: str) -> Doc:
        """The message as both layers read it: lower-cased, short forms expanded, spell-fixed."""
        return self.nlp(normalize(text, self.speller))

    def lemma_text(self, text: str) -> str:
        """The message as the trained layer sees it (``SafetyResult.lemmas`` for training)."""
        return lemma_string(self._read(text))

    def detect(self, text: str) -> SafetyResult:
        doc = self._read(text)
        result = SafetyResult(lemmas=lemma_string(doc))
        found: set[str] = set()
        # Categories found so far only by matches that belong to another danger beside
        # them (a weapon; an adult who passed out): Rule.secondary, Rule.adult_yields.
        secondary: set[str] = set()
        for match_id, start, end in self.matcher(doc):
            rule = self.rules[self.nlp.vocab.strings[match_id]]
            span = doc[start:end]
            why = reason_to_set_aside(rule, span, doc)
            if why is None:
                yields = rule.secondary or (
                    rule.adult_yields and doer_resolved(span, doc) == "adult"
                )
                if rule.category not in found and yields:
                    secondary.add(rule.category)
                elif not yields:
                    secondary.discard(rule.category)
                found.add(rule.category)
                if rule.implies:
                    found.add(rule.implies)
                if span.text not in result.evidence:
                    result.evidence.append(span.text)
            else:
                result.set_aside.append((rule.category, span.text, why))
                if why == "past" and rule.category not in result.past:
                    result.past.append(rule.category)
        if found - secondary:
            found -= secondary  # a secondary match beside another danger belongs to that one
        else:
            result.secondary_only = bool(found)
        if found:
            # With several categories the most urgent wins (a child not breathing first).
            result.category = next(c for c in URGENCY if c in found)
            if result.category == "domestic_violence" and CHILD_VICTIM.search(doc.text):
                result.category = "harm_to_child"  # "i'm 11 and my mom hits me"
            result.also = [c for c in URGENCY if c in found and c != result.category]
        return result
