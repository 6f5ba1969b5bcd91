"""Context around a safety rule's match: is it negated, past, figurative, a child's own
behaviour, or about someone other than who the rule is for?

The detector (bot/safety/detector.py) finds the matches; these checks say why a match
is set aside, so a toddler's biting or "I'd die of embarrassment" never raises a flag.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from bot.nlp.ages import NUMBER_WORDS
from bot.safety.context_words import (
    ADULT_STATES,
    ADULT_WORDS,
    CHILD_CONTEXT,
    CHILD_WORDS,
    CHOKE_FORMS,
    CHOKED_OBJECTS,
    CLAUSE_BREAKS,
    COLOURS,
    COMPANION,
    CONDITION_FOLLOWERS,
    DETERMINERS,
    EXASPERATION,
    FIGURATIVE_FOLLOWERS,
    GROUPS_OF_CHILDREN,
    HARM_VERBS,
    HEDGES,
    IDIOMS,
    JOKING,
    NEGATION_CLOSERS,
    NEGATION_LOOKBACK,
    NEGATIONS,
    NOT_IN_TROUBLE,
    OBJECT_FOLLOWERS,
    PAST,
    PEER_PLACE,
    PEERS,
    PLURAL_CHILDREN,
    RECENT,
    RECENT_AFTER,
    RECENT_BEFORE,
    SEIZURE_WORDS,
    SENTENCE_BREAKS,
    SERIOUS,
    SUBJECTS,
)
from bot.safety.lexicon import Rule
from bot.safety.word_classes import CLASSES


def _count(token) -> int | None:
    """The number a token says ("30", "thirty"), or None."""
    word = token.lower_
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def reason_to_set_aside(rule: Rule, span: Span, doc: Doc) -> str | None:
    sentence = _sentence(span, doc)
    if rule.negatable and _negated(span, doc):
        return "negated"
    near = doc[max(span.start - RECENT_BEFORE, 0) : span.end + RECENT_AFTER].text
    if PAST.search(sentence.text) and not (RECENT.search(near) or _present(span)):
        return "past"
    if JOKING.search(sentence.text) and not rule.self_only and not SERIOUS.search(doc.text):
        return "figure_of_speech"
    if rule.category == "self_harm" and not rule.self_only and EXASPERATION.search(sentence.text):
        return "figure_of_speech"
    if rule.min_count and not any((_count(t) or 0) >= rule.min_count for t in span if t.like_num):
        return "too_few"
    if IDIOMS.search(doc[span.start : span.end + 4].text):
        return "figure_of_speech"
    if rule.category == "harm_to_child" and _figurative_kill(span, doc):
        return "figure_of_speech"
    if rule.category == "medical_emergency" and _hedged(span, doc):
        return "hedged"
    if rule.category == "medical_emergency" and _not_in_trouble(span, doc):
        return "negated"  # "didn't stop breathing", "no trouble breathing"
    if rule.category == "medical_emergency" and _a_condition(span, doc):
        return "a_condition"  # "his seizure log", "keppra for his seizures"
    if rule.category == "medical_emergency" and _a_thing_of_that_colour(span, doc):
        return "a_thing"  # "the papers are in the blue folder"
    if rule.category == "harm_to_child" and _waking_someone(span, doc):
        return "waking_someone"  # "she won't wake up, i'm shaking her"
    if rule.category == "self_harm" and _a_threat_repeated(span, doc):
        return "a_threat"  # "he said i'll wish i was dead": the violence rules answer it
    if rule.category == "medical_emergency" and _choking_someone(span, doc):
        return "an_act_of_violence"  # "he is choking me": the violence rules answer it
    victim_is_child = any(t.lower_ in CLASSES["CHILD_OBJ"] for t in span)
    around = doc[span.start : span.end + 2]
    if victim_is_child and any(t.lower_ in PEERS for t in around):
        return "child_is_the_doer"  # "hits other kids", "hits her baby brother"
    if _among_peers(span, doc):
        return "child_is_the_doer"
    if _possessive_end(span, doc):
        return "not_a_person"  # "throws her plate"
    if _the_childs_visit(span, doc):
        return "not_a_person"  # "can we push back my daughters appt"
    if any(t.lemma_ == "kick" for t in span) and doc[span.end : span.end + 1].text == "out":
        return "figure_of_speech"  # "they might kick him out"
    if any(t.lemma_ == "push" for t in span) and doc[span.end : span.end + 1].text == "away":
        return "figure_of_speech"  # "he keeps pushing me away": shutting someone out
    # Object "me": the caregiver can't be the doer, so look past "i" ("says i hate you
    # and kicks me"); but who took the pills or won't wake up may be the caregiver.
    who_matters = rule.self_only or rule.not_self
    doer = _doer(
        span, doc, skip_self=not victim_is_child and not who_matters, subject_only=who_matters
    )
    if victim_is_child and rule.category == "harm_to_child" and doer == "pronoun":
        doer = "adult"  # "he hits them": the doer of harm to the children is not one of them
    elif doer == "pronoun":
        doer = _resolve_pronoun(span.start, doc, sentence)
    if rule.agent in ("not_child", "person") and doer == "child":
        return "child_is_the_doer"
    if rule.agent == "person" and doer is None:
        return "no_person"
    if rule.not_mine and any(
        t.lower_ == "my" and not _person_kind(doc[t.i + 1]) for t in span[:-1]
    ):
        return "the_caregiver"
    if rule.self_only and doer not in ("self", None):
        return "not_the_caregiver"
    if rule.not_self and doer == "self":
        return "the_caregiver"
    return None


def _sentence(span: Span, doc: Doc) -> Span:
    start = span.start
    while start > 0 and doc[start - 1].text not in SENTENCE_BREAKS:
        start -= 1
    end = span.end
    while end < len(doc) and doc[end].text not in SENTENCE_BREAKS:
        end += 1
    return doc[start:end]


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
        if word in NEGATION_CLOSERS and i < span.start - 1:
            return False  # "can't do this anymore, gonna kill myself": that "not" is done
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


def _present(span: Span) -> bool:
    """'my wife hits me': an act told in the present tense is not past context."""
    return any(
        t.lemma_ in HARM_VERBS and t.lower_ in (t.lemma_ + "s", t.lemma_ + "es") for t in span[:-1]
    )


def _figurative_kill(span: Span, doc: Doc) -> bool:
    """'I'll kill him if he wakes the baby again' is exasperation, not a threat."""
    if not any(t.lemma_ == "kill" for t in span):
        return False
    following = doc[span.end : span.end + 2]
    return any(t.lower_ in FIGURATIVE_FOLLOWERS for t in following)


def _doer(span: Span, doc: Doc, skip_self: bool = False, subject_only: bool = False) -> str | None:
    """Who does the act: 'self', 'child', 'adult', 'pronoun', or None when nobody is named."""
    i = span.start - 1
    while i >= 0 and doc[i].text not in SENTENCE_BREAKS:
        kind = _person_kind(doc[i])
        if doc[i].lower_ in ("he", "she", "hes", "shes") and _age_follows(doc[i]):
            return "child"  # "he's 3 and has been hitting me": the doer is that child
        if kind == "self" and doc[i].lower_ == "me" and subject_only:
            kind = None  # "my kid biting me until it bleeds": "me" is not the doer
        if kind and not (skip_self and kind == "self"):
            return kind
        i -= 1
    return None


def _among_peers(span: Span, doc: Doc) -> bool:
    """Harm to a group of children where children play together, with no adult as the
    doer in the same clause (GROUPS_OF_CHILDREN)."""
    if span[-1].lower_ not in GROUPS_OF_CHILDREN:
        return False
    if not PEER_PLACE.match(doc[span.end : span.end + 4].text):
        return False
    i = span.start - 1
    while i >= 0 and doc[i].text not in CLAUSE_BREAKS | SENTENCE_BREAKS:
        if _person_kind(doc[i]) == "adult":
            return False
        i -= 1
    return True


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


# What a child has on the calendar: "push back my daughters appt" moves a visit (dev set
# bc35, 2026-12-07: it got the child-abuse reply).
_VISIT_WORDS = frozenset(
    {"appt", "appts", "app", "apt", "appointment", "appointments", "session", "sessions", "visit",
     "visits", "intake", "therapy", "consult", "consultation", "slot", "time"}
)  # fmt: skip


def _the_childs_visit(span: Span, doc: Doc) -> bool:
    """The match ends in the child, whose appointment follows ("my son's session")."""
    if span[-1].lower_.rstrip("s") not in {w.rstrip("s") for w in CLASSES["CHILD_OBJ"]}:
        return False
    after = [t.lower_ for t in doc[span.end : span.end + 3]]
    if after and after[0] in ("'s", "’s", "s"):
        after = after[1:]
    return bool(after) and after[0] in _VISIT_WORDS


def doer_resolved(span: Span, doc: Doc) -> str | None:
    """Who does the act, a pronoun resolved to the person it stands for."""
    if any(t.lower_ in ADULT_STATES for t in doc[span.end : span.end + 2]):
        return "adult"  # "he's passed out drunk": whoever "he" is, a grown-up
    doer = _doer(span, doc)
    if doer == "pronoun":
        return _resolve_pronoun(span.start, doc, _sentence(span, doc))
    return doer


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


def _choking_someone(span: Span, doc: Doc) -> bool:
    """'choking me', 'choking it around the neck': someone choking someone (or the
    dog), not a child choking on something."""
    if span[-1].lower_ not in CHOKE_FORMS:
        return False
    nxt = doc[span.end].lower_ if span.end < len(doc) else ""
    return nxt in CHOKED_OBJECTS


def _a_condition(span: Span, doc: Doc) -> bool:
    """A seizure word that names the child's condition ("his seizure meds", "for her
    seizures"), not a seizure happening now."""
    if not any(t.lower_ in SEIZURE_WORDS for t in span):
        return False
    nxt = doc[span.end].lower_ if span.end < len(doc) else ""
    before = [t.lower_ for t in doc[max(span.start - 4, 0) : span.start]]
    return nxt in CONDITION_FOLLOWERS or "for" in before or "absence" in before


def _a_thing_of_that_colour(span: Span, doc: Doc) -> bool:
    """'in the blue folder': a colour after a determiner names a thing, not a child's lips."""
    colour = span[-1]
    return colour.lower_ in COLOURS and colour.i > 0 and doc[colour.i - 1].lower_ in DETERMINERS


def _waking_someone(span: Span, doc: Doc) -> bool:
    """'she won't wake up, i'm shaking her': shaking to wake someone is the emergency."""
    if not any(t.lemma_ == "shake" for t in span):
        return False
    return any(t.lemma_ in ("wake", "respond", "breathe") for t in _sentence(span, doc))


def _a_threat_repeated(span: Span, doc: Doc) -> bool:
    """'i'll wish i was dead' is what someone threatened, not the writer's wish."""
    return span[0].lemma_ == "wish" and span.start > 0 and doc[span.start - 1].lemma_ == "will"


def _hedged(span: Span, doc: Doc) -> bool:
    """'almost passed out' is not unconscious."""
    before = doc[max(span.start - 2, 0) : span.start]
    return any(t.lower_ in HEDGES for t in before)


def _person_kind(token: Token) -> str | None:
    word = token.lower_
    if word in ("i", "me"):
        return "self"
    if word in CHILD_WORDS or re.fullmatch(r"\d+(yo|y/o|mo)", word):
        return "child"
    if word in ADULT_WORDS:
        return "adult"
    if word in ("he", "she", "they"):
        return "pronoun"
    return None


# Between "he"/"she" and an age: "he's 3", "she is only 2", "he just turned 4".
_BEFORE_AN_AGE = {"'s", "s", "is", "was", "just", "only", "turned", "turns", "about", "almost"}
# After a number, what makes it no age: "he's 3 hours late", "she's 2 drinks in".
_NOT_AN_AGE = {"am", "pm", "hours", "hrs", "hour", "minutes", "mins", "times", "days", "weeks",
               "drinks", "beers", "shots", "feet", "ft", "o'clock", "oclock", "%"}  # fmt: skip
MAX_CHILD_AGE = 6


def _age_follows(token: Token) -> bool:
    """Whether a child's age follows the pronoun: then "he" is the child."""
    doc = token.doc
    for nxt in doc[token.i + 1 : token.i + 4]:
        if nxt.lower_ in _BEFORE_AN_AGE:
            continue
        years = _count(nxt)
        after = doc[nxt.i + 1].lower_ if nxt.i + 1 < len(doc) else ""
        return years is not None and 0 < years <= MAX_CHILD_AGE and after not in _NOT_AN_AGE
    return False


_MALE = frozenset(
    {"dad", "daddy", "father", "papa", "husband", "boyfriend", "bf", "brother", "uncle",
     "grandpa", "grandfather", "son", "boy", "man", "guy", "stepdad", "stepfather", "ex-husband"}
)  # fmt: skip
_FEMALE = frozenset(
    {"mom", "mommy", "mother", "mama", "mum", "wife", "girlfriend", "gf", "sister", "aunt",
     "grandma", "grandmother", "daughter", "girl", "woman", "stepmom", "stepmother", "ex-wife"}
)  # fmt: skip
# Whom a pronoun cannot stand for: "she" is not the dad named before it.
_OTHER_SEX = {"she": _MALE, "shes": _MALE, "her": _MALE, "he": _FEMALE, "hes": _FEMALE,
              "him": _FEMALE, "his": _FEMALE}  # fmt: skip


def _resolve_pronoun(index: int, doc: Doc, sentence: Span) -> str:
    """'he' is the nearest single person named before it; if nobody is named, a child
    when the sentence is about a child's day, otherwise an adult."""
    # The pronoun itself: at ``index`` or just before the act ("she hits me").
    said = next(
        (doc[k].lower_ for k in range(index, max(index - 4, -1), -1)
         if doc[k].lower_ in _OTHER_SEX or doc[k].lower_ == "they"),
        doc[index].lower_,
    )  # fmt: skip
    plural_ok = said == "they"
    other_sex = _OTHER_SEX.get(said, frozenset())
    for j in range(index - 1, -1, -1):
        if not plural_ok and doc[j].lower_ in PLURAL_CHILDREN:
            continue
        if doc[j].lower_ in other_sex:
            continue  # "my daughter Mia is 2 and since her dad moved out she hits me"
        kind = _person_kind(doc[j])
        if kind == "child" and any(t.lower_ in COMPANION for t in doc[max(j - 2, 0) : j]):
            continue  # "hiding in the bathroom with the baby, he's throwing things"
        if kind in ("child", "adult"):
            return kind
    if any(t.lower_ in CHILD_CONTEXT for t in sentence):
        return "child"
    return "adult"
