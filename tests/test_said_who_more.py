"""Who is writing, said in passing: more of the ways the dev set bc22/bc23 (2026-12-07)
showed, in our own words."""

from __future__ import annotations

import pytest

from bot.booking.said_who import name_said, relationship_said


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("book for my daughter, her name is Mia and my name is Rosa", "Rosa"),
        ("Bonjou. Good evening", None),
        ("Salaam. Hello", None),
        ("sorry, this is long. my son won't sleep", None),
        ("ugh this is crazy. can we come in", None),
    ],
)
def test_a_greeting_a_childs_name_or_a_remark_is_no_caregivers_name(text, name):
    assert name_said(text) == name


@pytest.mark.parametrize(
    ("text", "relationship"),
    [
        ("can I make appointment for my grand son, he is 2", "grandparent"),
        ("Hello, I'm Dee, a foster mom of two", "foster parent"),
        ("I am his great-aunt and I have guardianship", "aunt"),
        ("an intake for my great-niece, for whom I am legal guardian", "guardian"),
        ("I am tired of all this", None),
    ],
)
def test_more_ways_of_saying_who_one_is(text, relationship):
    assert relationship_said(text) == relationship


def test_a_letter_signed_yours_faithfully_names_its_writer():
    letter = "Dear Sir or Madam,\n\nI write about my grandson.\n\nYours faithfully,\nEdith Moss"
    assert name_said(letter) == "Edith"
