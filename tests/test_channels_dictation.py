"""Dictated punctuation ("period", "comma", "question mark") is written as marks."""

from __future__ import annotations

import pytest

from bot.channels.dictation import spoken_punctuation
from bot.channels.guard import check_text


@pytest.mark.parametrize(
    ("said", "written"),
    [
        ("how do we start period", "how do we start."),
        ("she is 4 comma we are free mornings", "she is 4, we are free mornings"),
        ("anything next week question mark", "anything next week?"),
        ("work came up period I need to move it", "work came up. I need to move it"),
        ("yes exclamation point", "yes!"),
        (
            "can I make a point meant for the see pee pee therapy",
            "can I make appointment for the CPP therapy",
        ),
        # "period" as a noun stays
        ("is there a waiting period", "is there a waiting period"),
        ("I am on my period so tired", "I am on my period so tired"),
        ("the first period of the program", "the first period of the program"),
    ],
)
def test_spoken_marks_are_written(said, written):
    assert spoken_punctuation(said) == written


def test_every_channel_gets_the_written_marks():
    assert check_text("can we come in question mark").text == "can we come in?"
    assert check_text("new paragraph").reply is not None  # nothing left: the empty reply
