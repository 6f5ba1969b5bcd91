"""Who is writing, said in passing: more of the ways the dev set bc22/bc23 (2026-12-07)
showed, in our own words."""

from __future__ import annotations

import pytest

from bot.booking.relationship_said import relationship_said
from bot.booking.said_who import name_said


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


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("...weekday mornings suit me best. Thanks, Folake (Amara's mum)", "Folake"),
        ("Bonjou. Mwen rele Nadège. I am the aunt for Widlyne", "Nadège"),
        ("Magacaygu waa Hodan, my son is 3", "Hodan"),
        ("Good day po! Ako po si Joy, the tita of Angel", "Joy"),
    ],
)
def test_names_signed_in_brackets_or_given_in_the_first_language(text, name):
    """Dev set bc26 (2026-12-07): each of these was asked its first name again."""
    assert name_said(text) == name


def test_a_bracket_after_thanks_is_no_name():
    assert name_said("ok thanks (sorry for the long message)") is None


def test_a_terse_list_gives_name_and_relationship():
    """'Book first visit. Ana Ruiz, mother, son Mateo 3yo, ...' was asked the first name
    (dev set bc26, 2026-12-07)."""
    text = "Book first visit. Ana Ruiz, mother, son Mateo 3yo, biting at daycare."
    assert name_said(text) == "Ana"
    assert relationship_said(text) == "mother"


@pytest.mark.parametrize(
    ("text", "relationship"),
    [
        ("I'm the tita po of Angel, she's 2", "aunt"),
        ("Good day po! I am Maricel, lola (grandmother) of baby Jiro", "grandparent"),
        ("im his tito", "uncle"),
    ],
)
def test_relationships_in_tagalog_words(text, relationship):
    """Dev set bc26/bc27 (2026-12-07): each was asked how they are related."""
    assert relationship_said(text) == relationship
