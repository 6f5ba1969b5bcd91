"""Words beside a danger that make it the gentle check (bot.safety.softeners).

The examples are written here for the tests; none comes from a blind set.
"""

from __future__ import annotations

import pytest

from bot.safety.softeners import softeners


@pytest.mark.parametrize(
    ("text", "evidence", "kind"),
    [
        ("the cat knocked the bleach over but my son didnt touch it, he was in his crib",
         ["knocked the bleach"], "not_happened"),
        ("nobody is hurting her, the marks are from her new shoes", ["hurting her"],
         "not_happened"),
        ("he fell off the bunk bed last spring and hit his head hard. he's 5 now and fine",
         ["hit his head"], "over"),
        ("I was in a bad place after my first was born, thought about ending it. got help "
         "and I'm fine now", ["ending it"], "over"),
        ("what would we do if he ever stopped breathing in his sleep?", ["stopped breathing"],
         "what_if"),
        ("my sister is going to kill me for showing up late again lol", ["kill me"],
         "laughter"),
        ("what happens if my toddler swallows a button battery?", ["swallows a button"],
         "what_if"),
        ("if I told the therapist I'd had thoughts of hurting myself, would she have to "
         "report it?", ["hurting myself"], "what_if"),
        ("the baby didn't stop breathing, the alarm was a false one", ["stop breathing"],
         "not_happened"),
        ("fever of 101, no trouble breathing, she's drinking", ["trouble breathing"],
         "not_happened"),
        ("my partner ate the last pouch of baby food, gonna strangle him",
         ["going to strangle him"], "figure_of_speech"),
        ("my mom is going to kill me, I forgot her birthday card", ["kill me"],
         "figure_of_speech"),
        ("he used up all the diapers and didn't tell me. I could have killed him",
         ["killed him"], "figure_of_speech"),
        ("we don't feel unsafe there anymore since he moved out", [], "over"),
        # written for these tests (2026-12-06, #21)
        ("she had the vitamin jar open but I counted and none are missing", ["jar open"],
         "not_happened"),
        ("I thought she was choking on a grape but she wasn't, she spat it out", ["choking on"],
         "not_happened"),
        ("no one is in danger, I just meant the twins are killing me", ["killing me"],
         "not_happened"),
        ("let's say he got into the dishwasher pods, who do I call first?", ["pods"], "what_if"),
        ("i keep thinking i'd freeze if the baby stopped breathing", ["stopped breathing"],
         "what_if"),
        ("does anyone run infant cpr classes near you, I'd panic if she choked", ["choked"],
         "what_if"),
        ("if my daughter tells you her uncle hit her back home, will you tell the police?",
         ["hit her"], "what_if"),
        ("the drive to your office is going to kill us every week", ["kill us"],
         "figure_of_speech"),
        ("my toddler's killing me with these 5am wakeups", ["killing me"], "figure_of_speech"),
        ("he had surgery on his heart at birth but he's been home and healthy since march",
         [], "over"),
    ],
)  # fmt: skip
def test_softening_words_beside_the_danger(text, evidence, kind):
    assert kind in softeners(text, evidence)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        # present danger: nothing softens it
        ("he swallowed a battery twenty minutes ago and keeps drooling", ["swallowed a battery"]),
        ("she hit me again tonight and took my phone", ["hit me"]),
        ("he started choking me months ago and it is worse every week", ["choking me"]),
        ("I got help from the neighbour because he was beating me", ["beating me"]),
        # a joke two sentences before the danger does not touch it
        ("potty training is going great lol. anyway. I took all my pills an hour ago",
         ["took all my pills"]),
        # laughter without a word said in jest is not a joke about the danger
        ("haha ok. he shoved her down the stairs and she is not moving", ["shoved her down"]),
        # a threat is not a figure of speech: said, feared, tonight, or beside violence
        ("he is going to kill me", ["kill me"]),
        ("he said he is going to kill me if I take the kids", ["kill me"]),
        ("she's going to kill me when she gets home tonight", ["kill me"]),
        ("i'm going to kill him, he keeps hitting my daughter", ["kill him", "hitting my"]),
    ],
)  # fmt: skip
def test_present_danger_is_not_softened(text, evidence):
    assert softeners(text, evidence) == []


def test_without_evidence_a_long_message_is_read_around_its_most_worrying_sentence():
    worst = "Six hours of sleep all week, the twins are teething."
    text = f"Long day again. I'm dead. {worst} See you thursday"
    assert "figure_of_speech" in softeners(text, worst=worst)
    assert softeners(text) == []


def test_without_evidence_only_a_short_message_is_read():
    short = "we almost murdered each other over the last yogurt haha"
    assert softeners(short) == ["laughter"]
    long = "First thing. Second thing here. we almost murdered each other haha"
    assert softeners(long) == []


def test_nobody_left_to_hurt_denies_nothing():
    # dev set dev_blind6, 2026-12-07: choked, then the medicine cabinet, got only the check
    text = "at least then he'd have nobody left to hurt"
    assert "not_happened" not in softeners(text, ["hurt"])
    assert "not_happened" in softeners("nobody hurt him, he just fell", ["hurt"])
