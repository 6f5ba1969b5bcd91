"""Feeling and behaviour words in caregivers' own text, and the reflect-back built from them."""

from __future__ import annotations

import re

import pytest

from bot.reflection.language import behaviours, child_pronoun, feelings, load_lexicon
from bot.reflection.summary import fragment, reflect_back, second_person

ADVICE = re.compile(
    r"\bshould\b|\btry to\b|\bdon'?t\b.*\bagain\b|\bnext time,? (make|give|tell)|\bdisorder"
    r"|\badhd\b|\bautis|\bdiagnos|\bnormal\b|\bwrong\b|\bgood job\b|\bgreat idea\b|[*#_`]",
    re.I,
)


# --- feelings ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I felt so overwhelmed and kind of guilty", ["overwhelmed", "guilty"]),
        ("It was so frustrating", ["frustrated"]),
        ("I was scared and honestly pretty angry", ["scared", "angry"]),
        ("I'm at the end of my rope, totally fed up", ["overwhelmed", "frustrated"]),
        ("I'm at my wit's end", ["overwhelmed"]),
        ("at my wits end with this", ["overwhelmed"]),
        ("I freaked out and then I lost it", ["scared", "angry"]),
        ("I wasn't angry, just tired", ["tired"]),
        ("She's not scared anymore", []),
        ("I didn't feel embarrassed at all", []),
        ("I don't know why I feel so guilty", ["guilty"]),
        ("I've never felt so alone", ["lonely"]),
        ("Honestly I just shut down", ["numb"]),
        ("I tried to calm her down but I was on edge the whole time", ["anxious"]),
        ("I can't cope anymore, I'm exhausted", ["overwhelmed", "exhausted"]),
        ("Worried. Worrying about her all day", ["worried"]),
        ("I was so PROUD of her", ["proud"]),
        ("I felt really bad afterwards", ["bad"]),
        ("I should have stayed calm", []),
        ("we ate dinner and went to the park", []),
        ("", []),
    ],
)
def test_feelings_in_caregiver_words(nlp, text, expected):
    assert feelings(text, nlp) == expected


def test_feelings_keep_first_appearance_order_without_repeats(nlp):
    text = "Sad, then angry, then sad again. Mostly angry at myself."
    assert feelings(text, nlp) == ["sad", "angry"]


def test_curly_apostrophes_are_understood(nlp):
    assert feelings("I wasn’t scared, I was furious", nlp) == ["angry"]


def test_lexicon_maps_every_variant_to_one_canonical_word():
    lexicon = load_lexicon()
    assert {"frustrated", "overwhelmed", "guilty", "proud", "numb", "loving"} <= set(
        lexicon.feelings
    )
    assert "at the end of my rope" in lexicon.feelings["overwhelmed"]
    assert all(variants for variants in lexicon.behaviours.values())


# --- behaviours -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She bit her brother and screamed", ["biting", "screaming"]),
        ("He hits me and kicks the dog", ["hitting", "kicking"]),
        ("he throws himself on the floor and kicks", ["tantrums", "kicking"]),
        ("She clings to me and won't let me leave", ["clinging"]),
        ("he won't eat and won't sleep", ["not eating", "not sleeping"]),
        ("he wets the bed and has nightmares", ["wetting the bed", "having nightmares"]),
        ("she keeps playing crash with her cars", ["playing out what happened"]),
        ("she didn't hit anyone today", []),
        ("we read a book together", []),
    ],
)
def test_behaviours(nlp, text, expected):
    assert behaviours(text, nlp) == expected


# --- pronoun ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["She bit her brother"], "she"),
        (["he threw his cup", "I think he was tired"], "he"),
        (["My daughter screamed", "he (my partner) left"], "she"),
        (["They cried and cried"], "they"),
        (["it was a hard day"], None),
        ([None, "skipped"], None),
    ],
)
def test_child_pronoun(texts, expected):
    assert child_pronoun(texts) == expected


# --- the caregiver's words --------------------------------------------------------------
def test_second_person_turns_first_person_around():
    assert second_person("I'm tired and my son hit me") == "you're tired and your son hit you"
    assert second_person("I was late, we were rushing") == "you were late, you were rushing"


def test_second_person_leaves_quoted_speech_alone():
    assert second_person('she yelled "I hate you" at me') == 'she yelled "I hate you" at you'


def test_second_person_never_puts_should_in_the_bots_mouth():
    assert second_person("I should have waited") == "you wish you had waited"
    assert "should" not in second_person("I should leave earlier and she should nap")
    assert "should" not in second_person('my mom said "you should spank her"')
    assert second_person("We should've waited") == "you wish you had waited"


def test_fragment_trims_at_a_word_boundary_without_end_punctuation():
    text = "She bit her brother at dinner when I took the iPad away and then she cried a lot!"
    piece = fragment(text, limit=60)
    assert len(piece) <= 60
    assert text.lower().replace("i took", "you took").startswith(piece.lower())
    assert not piece.endswith((" and", " when", "!", ".", ","))


def test_fragment_lowers_the_first_letter_but_not_a_name():
    assert fragment("She cried.", {"cry"}) == "she cried"
    assert fragment("Maya cried.", {"cry"}) == "Maya cried"


# --- reflect-back -----------------------------------------------------------------------
def check_reflect_back(text: str) -> None:
    """The shape every reflect-back keeps: short, plain, 2-4 sentences, never advice."""
    assert 0 < len(text) < 600
    assert 2 <= len(re.findall(r"[.!?](\s|$)", text)) <= 4, text
    assert not ADVICE.search(text), text


def test_reflect_back_names_both_feelings_and_quotes_the_caregiver(nlp):
    answers = {
        "what_happened": "She bit her brother at dinner when I took the iPad away.",
        "before": "We were rushing and she hadn't napped",
        "child_feeling": "I think she was tired and jealous",
        "my_feeling": "I felt so overwhelmed and kind of guilty",
        "next_time": "I'll give her a warning before the iPad goes away",
    }
    text = reflect_back(answers, nlp)
    check_reflect_back(text)
    assert "you felt overwhelmed and guilty" in text
    assert "she may have felt tired and jealous" in text
    assert "she bit her brother at dinner when you took the iPad away" in text
    assert "you'll give her a warning" in text


def test_reflect_back_without_feelings_thanks_and_keeps_their_words(nlp):
    answers = {
        "what_happened": "Maya cried at drop-off and wouldn't let go of my leg",
        "before": "New teacher this week",
        "child_feeling": "maybe she missed me",
        "my_feeling": "I just wanted to get to work",
        "next_time": "bring her blanket",
    }
    text = reflect_back(answers, nlp)
    check_reflect_back(text)
    assert "Thank you for taking the time to look at this moment." in text
    assert "Maya cried at drop-off and wouldn't let go of your leg" in text
    assert "bring her blanket" in text
    assert "felt" not in text  # no feeling was named, so none is invented


def test_reflect_back_respects_a_denied_feeling_and_their_should(nlp):
    answers = {
        "what_happened": "I yelled at him when he wouldn't get in the car seat",
        "before": "I was late for work",
        "child_feeling": "scared",
        "my_feeling": "I should have stayed calm. I wasn't angry at him, I was stressed",
        "next_time": "I should leave earlier",
    }
    text = reflect_back(answers, nlp)
    check_reflect_back(text)
    assert "you felt stressed" in text
    assert "he may have felt scared" in text
    assert "angry" not in text and "calm" not in text
    assert "you yelled at him" in text


def test_reflect_back_with_skipped_steps_and_a_multiword_feeling(nlp):
    answers = {
        "what_happened": "My son screamed and threw himself on the floor at the store",
        "before": None,
        "child_feeling": "skipped",
        "my_feeling": "Embarrassed. Honestly at the end of my rope",
        "next_time": "I don't know",
    }
    text = reflect_back(answers, nlp)
    check_reflect_back(text)
    assert "you felt embarrassed and overwhelmed" in text
    assert "your son screamed and threw himself on the floor" in text
    assert "okay not to know" in text


def test_reflect_back_of_a_good_moment(nlp):
    answers = {
        "what_happened": "We built a tower together and she laughed every time it fell",
        "before": "skipped",
        "child_feeling": "happy and proud of herself",
        "my_feeling": "So proud, and calm for once",
        "next_time": "Do it again on Sunday",
    }
    text = reflect_back(answers, nlp)
    check_reflect_back(text)
    assert "you felt proud and calm" in text
    assert "she may have felt happy and proud" in text
    assert "you built a tower together" in text


def test_reflect_back_of_a_baby_moment_with_unknown_pronoun(nlp):
    answers = {
        "what_happened": "The baby cried for an hour and would not settle",
        "before": "skipped",
        "child_feeling": "skipped",
        "my_feeling": "I felt helpless and freaked out",
        "next_time": "skipped",
    }
    text = reflect_back(answers, nlp)
    check_reflect_back(text)
    assert "you felt helpless and scared" in text
    assert "the baby cried for an hour" in text


def test_reflect_back_all_skipped_is_one_kind_line(nlp):
    steps = ("what_happened", "before", "child_feeling", "my_feeling", "next_time")
    for value in (None, "skipped", "  "):
        text = reflect_back(dict.fromkeys(steps, value), nlp)
        assert text and len(text) < 200
        assert not ADVICE.search(text)
    assert reflect_back({}, nlp) == reflect_back(dict.fromkeys(steps), nlp)


def test_reflect_back_stays_short_for_long_answers(nlp):
    long = (
        "So this morning started badly because the alarm did not go off and my partner "
        "had already left and the baby was crying and my daughter refused to put on her "
        "shoes and then she hit me when I picked her up and I was furious and sad. "
    ) * 3
    answers = dict.fromkeys(("what_happened", "before", "child_feeling", "my_feeling"), long)
    answers["next_time"] = long
    text = reflect_back(answers, nlp)
    check_reflect_back(text)
    assert "furious" not in text  # named with the canonical word
    assert "angry" in text
