"""The rule layer of safety detection: spaCy Matcher patterns plus context checks.

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
from spacy.tokens import Doc, Span

from bot.nlp.ngram_classifier import lemma_string
from bot.safety.lexicon import CLASSES, RULES, Rule, pattern_words
from bot.safety.normalize import Speller, dictionary_words, normalize

NEGATIONS = {"not", "never", "no", "nothing", "none", "neither", "nor", "nobody"}
NEGATION_LOOKBACK = 6
# Words that place an unnamed "he"/"she" in a young child's day ("he throws his shoes at me
# every time i say no more screens").
CHILD_CONTEXT = {"screens", "screen", "tablet", "ipad", "bedtime", "nap", "naps", "tantrum",
                 "tantrums", "meltdown", "meltdowns", "diaper", "potty", "daycare", "preschool",
                 "toys", "toy", "snack", "candy", "bath", "timeout", "cartoons", "crib",
                 "playground", "sippy", "stroller", "shoes", "carseat", "seat", "highchair",
                 "pacifier", "binky"}  # fmt: skip
PLURAL_CHILDREN = {"kids", "children", "twins", "babies", "boys", "girls"}
RECENT_BEFORE, RECENT_AFTER = 6, 3  # tokens around a match in which "still", "tonight"... count
# "*N" gaps stop at these: "she kicked when i left her" is two clauses, not "kicked ... her".
CLAUSE_BREAKS = {",", ";", "but", "though", "although", "because", "so", "-", "—", "and",
                 "when", "while"}  # fmt: skip
SUBJECTS = {"i", "he", "she", "we", "they", "you"}
SENTENCE_BREAKS = {".", "!", "?", "\n", "\n\n"}
PAST = re.compile(
    r"\b(\d+|a|an|one|two|three|four|five|six|seven|several|few|couple|many) (of )?"
    r"(years?|months?)( \w+)? ago\b|\blast (year|summer|winter|spring|fall|autumn)\b"
    r"|\bused to\b|\bwhen (he|she|i|we|they|my \w+) (was|were|lived)\b|\bas an? (baby|newborn|"
    r"toddler|infant)\b|\bin the past\b|\bback then\b|\byears ago\b|\bbefore (we|i|she|he) "
    r"(left|moved|got)\b|\bwe left\b|\b(we|i) (are|am|feel) safe now\b|\bno longer\b|\bpassed "
    r"away\b|\bdied\b|\bin the nicu\b|\bat birth\b|\bsince (he|she) was\b|\bwhen (he|she) was "
    r"(born|little|a baby)\b|\bbefore (he|she) (came|was)\b|\b(removed|placed) (from|with)\b"
    r"|\bthe past\b|\bhistory of\b|\bhas been sober\b|\bnow (we are|we're|i am|i'm) safe\b"
    r"|\b(was|were) (\w+ )?(abused|molested|hurt|beaten|hit|neglected|removed|exposed|assaulted)\b"
    r"|\b(saw|witnessed)\b|\b(prison|jail)\b|\bfoster care\b|\b(came|went) into care\b"
    r"|\bgrew up\b|\bback in (january|february|march|april|may|june|july|august|september|"
    r"october|november|december|the day)\b"
    r"|\b(escaped|got away from|left (him|her|my \w+|last \w+|"
    r"in (?!it\b|them\b|the\b|there\b)\w+))\b"
    r"|\ba long time ago\b|\bas a (teen|teenager|kid|child|girl|boy)\b|\bgrowing up\b"
    r"|\bwhen i was (young|little|younger|a kid|a teen|a teenager|a child|pregnant)\b"
    r"|\b(convicted|arrested|charged|sentenced)\b"
    r"|(?<!not )\b(are|am|is|feel|we're|i'm) (all )?safe( now)?\b|\bsince (that|the) night\b"
    r"|\bhave not seen (him|her|them) since\b"
    r"|\b\w+teen (years?|months?) ago\b|\b(back )?in (19|20)\d\d\b"
)
RECENT = re.compile(
    r"\b(right now|tonight|today|this (morning|afternoon|evening|week|weekend)|yesterday|"
    r"last night|still|again|keeps?|every (day|night)|everyday|always|currently|lately|"
    r"all the time|at the moment|anymore|just now|just (found|saw|noticed|caught|walked in))\b"
)
# Idioms that share a rule's words: "driving me up the wall", "won't let me out of her sight",
# "I wanted to die of embarrassment".
IDIOMS = re.compile(
    r"\b(up (the|a) wall|out of (her|his|their|my|our) sight|die (of|from) (embarrassment|"
    r"laughing|laughter|shame|boredom|cuteness)|death of me)\b"
)
JOKING = re.compile(r"\b(lol|lmao|lmfao|haha\w*|jk)\b|(?<!not )\b(kidding|joking)\b|😂|🤣|😅")
PEERS = {"other", "another", "classmate", "classmates", "sibling", "siblings", "sister",
         "brother", "cousin", "friend", "friends", "peers"}  # fmt: skip
# Harm to "kids" at a place where children play together is a child's behaviour ("he's
# hitting kids at daycare", "started biting kids at school") unless an adult in the same
# clause does it ("the aide hits kids at daycare").
GROUPS_OF_CHILDREN = {"kids", "children", "boys", "girls", "toddlers", "babies"}
PEER_PLACE = re.compile(
    r"^(at|in|on|from|during) (the )?(school|daycare|day care|preschool|pre ?k|pre school|"
    r"kindergarten|park|playground|camp|church|class|recess|bus)\b"
)
HEDGES = {"almost", "nearly"}
NOT_IN_TROUBLE = {"stop", "stopped", "trouble", "problem", "problems", "difficulty", "hard",
                  "struggling"}  # fmt: skip
CHOKE_FORMS = {"choking", "chokeing", "chocking"}
CHOKED_OBJECTS = {"me", "us", "him", "her", "them", "it", "my", "the", "mommy", "mom"}
HARM_VERBS = set(CLASSES["HARM"]) | {"threaten", "touch"}
COMPANION = {"with", "w"}  # a child named after "with" is with the writer, not the doer
# Which reply comes first when several dangers show; the others are named after it
# (``also``). A caregiver's own suicidal thoughts come first even beside a child's
# emergency: the self-harm reply names 911 too, and the medical line follows.
URGENCY = ("self_harm", "medical_emergency", "harm_to_child", "domestic_violence")
# Words that can follow a pronoun object ("hit her hard"), unlike a possessed thing ("her plate").
OBJECT_FOLLOWERS = {"hard", "again", "so", "really", "too", "with", "when", "in", "on", "every",
                    "all", "until", "because", "while", "if", "at", "badly", "around", "up",
                    "down", "right", "now", "tonight", "today", "yesterday", "last", "for",
                    "till", "or", "a", "the"}  # fmt: skip
CHILD_VICTIM = re.compile(r"\bi am (1[0-7]|[5-9])\b|\bi am a (kid|child|minor)\b")
FIGURATIVE_FOLLOWERS = {"if", "when", "for"}


NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
                "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100}  # fmt: skip


def _count(token) -> int | None:
    """The number a token says ("30", "thirty"), or None."""
    word = token.lower_
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


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
        self._child = set(CLASSES["CHILD"])
        self._adult = set(CLASSES["ADULT"])

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
            why = self._reason_to_set_aside(rule, span, doc)
            if why is None:
                yields = rule.secondary or (
                    rule.adult_yields and self._doer_resolved(span, doc) == "adult"
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
            found -= secondary  # a weapon beside another danger belongs to that one
        if found:
            # With several categories the most urgent wins (a child not breathing first).
            result.category = next(c for c in URGENCY if c in found)
            if result.category == "domestic_violence" and CHILD_VICTIM.search(doc.text):
                result.category = "harm_to_child"  # "i'm 11 and my mom hits me"
            result.also = [c for c in URGENCY if c in found and c != result.category]
        return result

    # --- context checks -------------------------------------------------------------
    def _reason_to_set_aside(self, rule: Rule, span: Span, doc: Doc) -> str | None:
        sentence = self._sentence(span, doc)
        if rule.negatable and self._negated(span, doc):
            return "negated"
        near = doc[max(span.start - RECENT_BEFORE, 0) : span.end + RECENT_AFTER].text
        if PAST.search(sentence.text) and not (RECENT.search(near) or self._present(span)):
            return "past"
        if JOKING.search(sentence.text) and not rule.self_only:
            return "figure_of_speech"
        if rule.min_count and not any(
            (_count(t) or 0) >= rule.min_count for t in span if t.like_num
        ):
            return "too_few"
        if IDIOMS.search(doc[span.start : span.end + 4].text):
            return "figure_of_speech"
        if rule.category == "harm_to_child" and self._figurative_kill(span, doc):
            return "figure_of_speech"
        if rule.category == "medical_emergency" and self._hedged(span, doc):
            return "hedged"
        if rule.category == "medical_emergency" and self._not_in_trouble(span, doc):
            return "negated"  # "didn't stop breathing", "no trouble breathing"
        if rule.category == "medical_emergency" and self._choking_someone(span, doc):
            return "an_act_of_violence"  # "he is choking me": the violence rules answer it
        victim_is_child = any(t.lower_ in CLASSES["CHILD_OBJ"] for t in span)
        around = doc[span.start : span.end + 2]
        if victim_is_child and any(t.lower_ in PEERS for t in around):
            return "child_is_the_doer"  # "hits other kids", "hits her baby brother"
        if self._among_peers(span, doc):
            return "child_is_the_doer"
        if self._possessive_end(span, doc):
            return "not_a_person"  # "throws her plate"
        if any(t.lemma_ == "kick" for t in span) and doc[span.end : span.end + 1].text == "out":
            return "figure_of_speech"  # "they might kick him out"
        if any(t.lemma_ == "push" for t in span) and doc[span.end : span.end + 1].text == "away":
            return "figure_of_speech"  # "he keeps pushing me away": shutting someone out
        # Object "me": the caregiver can't be the doer, so look past "i" ("says i hate you
        # and kicks me"); but who took the pills or won't wake up may be the caregiver.
        who_matters = rule.self_only or rule.not_self
        doer = self._doer(
            span, doc, skip_self=not victim_is_child and not who_matters, subject_only=who_matters
        )
        if victim_is_child and rule.category == "harm_to_child" and doer == "pronoun":
            doer = "adult"  # "he hits them": the doer of harm to the children is not one of them
        elif doer == "pronoun":
            doer = self._resolve_pronoun(span.start, doc, sentence)
        if rule.agent in ("not_child", "person") and doer == "child":
            return "child_is_the_doer"
        if rule.agent == "person" and doer is None:
            return "no_person"
        if rule.not_mine and any(
            t.lower_ == "my" and not self._person_kind(doc[t.i + 1]) for t in span[:-1]
        ):
            return "the_caregiver"
        if rule.self_only and doer not in ("self", None):
            return "not_the_caregiver"
        if rule.not_self and doer == "self":
            return "the_caregiver"
        return None

    @staticmethod
    def _sentence(span: Span, doc: Doc) -> Span:
        start = span.start
        while start > 0 and doc[start - 1].text not in SENTENCE_BREAKS:
            start -= 1
        end = span.end
        while end < len(doc) and doc[end].text not in SENTENCE_BREAKS:
            end += 1
        return doc[start:end]

    @staticmethod
    def _negated(span: Span, doc: Doc) -> bool:
        def negates(i: int) -> bool:
            # "the bleeding won't stop" / "can't stop shaking": the "not" makes it worse.
            following = doc[i + 1].lemma_ if i + 1 < len(doc) else ""
            return doc[i].lower_ in NEGATIONS and following != "stop"

        if any(negates(t.i) for t in span):
            return True
        for i in range(span.start - 1, max(span.start - NEGATION_LOOKBACK - 1, -1), -1):
            word = doc[i].lower_
            if word in CLAUSE_BREAKS or word in SENTENCE_BREAKS:
                return False
            if word in SUBJECTS and i < span.start - 1:
                # "not sleeping i keep thinking about ...": a new subject starts a new clause,
                # unless it directly precedes the match ("never i ...") which doesn't occur.
                return False
            following = doc[i + 1].lower_ if i + 1 < len(doc) else ""
            # "no one / nobody is hurting him" negates; "no one would care if i ..." does not.
            someone_else = (word == "no" and following == "one") or word == "nobody"
            if negates(i) and not (someone_else and i < span.start - 3):
                return True
        return False

    @staticmethod
    def _present(span: Span) -> bool:
        """'my wife hits me': an act told in the present tense is not past context."""
        return any(
            t.lemma_ in HARM_VERBS and t.lower_ in (t.lemma_ + "s", t.lemma_ + "es")
            for t in span[:-1]
        )

    @staticmethod
    def _figurative_kill(span: Span, doc: Doc) -> bool:
        """'I'll kill him if he wakes the baby again' is exasperation, not a threat."""
        if not any(t.lemma_ == "kill" for t in span):
            return False
        following = doc[span.end : span.end + 2]
        return any(t.lower_ in FIGURATIVE_FOLLOWERS for t in following)

    def _doer(
        self, span: Span, doc: Doc, skip_self: bool = False, subject_only: bool = False
    ) -> str | None:
        """Who does the act: 'self', 'child', 'adult', 'pronoun', or None when nobody is named."""
        i = span.start - 1
        while i >= 0 and doc[i].text not in SENTENCE_BREAKS:
            kind = self._person_kind(doc[i])
            if kind == "self" and doc[i].lower_ == "me" and subject_only:
                kind = None  # "my kid biting me until it bleeds": "me" is not the doer
            if kind and not (skip_self and kind == "self"):
                return kind
            i -= 1
        return None

    def _among_peers(self, span: Span, doc: Doc) -> bool:
        """Harm to a group of children where children play together, with no adult as the
        doer in the same clause (GROUPS_OF_CHILDREN)."""
        if span[-1].lower_ not in GROUPS_OF_CHILDREN:
            return False
        if not PEER_PLACE.match(doc[span.end : span.end + 4].text):
            return False
        i = span.start - 1
        while i >= 0 and doc[i].text not in CLAUSE_BREAKS | SENTENCE_BREAKS:
            if self._person_kind(doc[i]) == "adult":
                return False
            i -= 1
        return True

    @staticmethod
    def _possessive_end(span: Span, doc: Doc) -> bool:
        """The match ends in 'her'/'his'/'their' followed by a thing, not a person."""
        if span[-1].lower_ not in ("her", "his", "their") or span.end >= len(doc):
            return False
        nxt = doc[span.end].lower_
        return not (
            nxt in OBJECT_FOLLOWERS
            or nxt in CLAUSE_BREAKS
            or nxt in SENTENCE_BREAKS
            or nxt in CLASSES["CHILD_OBJ"]
            or nxt in CLASSES["ADULT"]
        )

    def _doer_resolved(self, span: Span, doc: Doc) -> str | None:
        """Who does the act, a pronoun resolved to the person it stands for."""
        doer = self._doer(span, doc)
        if doer == "pronoun":
            return self._resolve_pronoun(span.start, doc, self._sentence(span, doc))
        return doer

    @staticmethod
    def _not_in_trouble(span: Span, doc: Doc) -> bool:
        """'didn't stop breathing', 'no trouble breathing': a negation before the word that
        makes breathing a danger (these rules are not negatable: 'not breathing' is one)."""
        if not any(t.lemma_ in ("breathe", "breathing") for t in span):
            return False  # "the bleeding won't stop" is the danger itself
        words = [t.lower_ for t in doc[max(span.start - 2, 0) : span.end]]
        for i, word in enumerate(words[:-1]):
            after = words[i + 1 : i + 3]  # "not stop", "no trouble", "didn't have trouble"
            if word in NEGATIONS and (
                after[0] in NOT_IN_TROUBLE
                or (after[0] in ("have", "had", "has") and after[1:] and after[1] in NOT_IN_TROUBLE)
            ):
                return True
        return False

    @staticmethod
    def _choking_someone(span: Span, doc: Doc) -> bool:
        """'choking me', 'choking it around the neck': someone choking someone (or the
        dog), not a child choking on something."""
        if span[-1].lower_ not in CHOKE_FORMS:
            return False
        nxt = doc[span.end].lower_ if span.end < len(doc) else ""
        return nxt in CHOKED_OBJECTS

    @staticmethod
    def _hedged(span: Span, doc: Doc) -> bool:
        """'almost passed out' is not unconscious."""
        before = doc[max(span.start - 2, 0) : span.start]
        return any(t.lower_ in HEDGES for t in before)

    def _person_kind(self, token) -> str | None:
        word = token.lower_
        if word in ("i", "me"):
            return "self"
        if word in self._child or re.fullmatch(r"\d+(yo|y/o|mo)", word):
            return "child"
        if word in self._adult:
            return "adult"
        if word in ("he", "she", "they"):
            return "pronoun"
        return None

    def _resolve_pronoun(self, index: int, doc: Doc, sentence: Span) -> str:
        """'he' is the nearest single person named before it; if nobody is named, a child
        when the sentence is about a child's day, otherwise an adult."""
        plural_ok = doc[index].lower_ == "they"
        for j in range(index - 1, -1, -1):
            if not plural_ok and doc[j].lower_ in PLURAL_CHILDREN:
                continue
            kind = self._person_kind(doc[j])
            if kind == "child" and any(t.lower_ in COMPANION for t in doc[max(j - 2, 0) : j]):
                continue  # "hiding in the bathroom with the baby, he's throwing things"
            if kind in ("child", "adult"):
                return kind
        if any(t.lower_ in CHILD_CONTEXT for t in sentence):
            return "child"
        return "adult"
