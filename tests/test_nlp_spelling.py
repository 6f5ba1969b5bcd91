"""Misspelled request words are fixed for the encoder; everything else passes as typed."""

from __future__ import annotations

import pytest

from bot.nlp.spelling import correct_request_words


@pytest.mark.parametrize(
    ("typed", "read"),
    [("hi cn i boook a frist visit for my twns", "hi cn i book a first visit for my twins"),
     ("can u cancle the one i jsut made", "can u cancel the one i just made"),
     ("cn we do the reflecton thing", "cn we do the reflection thing"),
     ("i need an apointment", "i need an appointment"),
     ("helo i wont to make a apointmint", "helo i want to make a appointment"),
     ("Need to cx appt. Ref WG-KYNGHV", "Need to cancel appt. Ref WG-KYNGHV"),
     ("can we resched", "can we reschedule")],
)  # fmt: skip
def test_misspelled_request_words_are_fixed(typed, read):
    assert correct_request_words(typed) == read


@pytest.mark.parametrize(
    "typed",
    ["hola quiero una cita para mi hijo", "Nadège here, filling the form", "my bf",
     "he bookd it", "he wont go to bed"],  # "bookd": book or booked, so left as typed
)  # fmt: skip
def test_spanish_names_real_words_and_ties_pass_as_typed(typed):
    assert correct_request_words(typed) == typed


def test_words_with_an_apostrophe_are_left_as_typed():
    assert correct_request_words("doesn't matter, anytime") == "doesn't matter, anytime"
