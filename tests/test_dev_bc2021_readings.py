"""Readings found studying the retired blind conversation set bc20-bc21 (2026-12-07).

Each case is written for this test in the shape of what went wrong; the set's own
messages stay in tests/conversations/dev_bc2021_2026-12-07.yml (never trained on).
"""

from __future__ import annotations

from datetime import time

import pytest

from bot.booking.preferences import parse_preference
from bot.booking.relationship_said import relationship_said
from bot.booking.said_who import name_said
from bot.nlp.booking_words import ASKS_FOR_A_PERSON, STATED_WISH_TO_BOOK
from bot.nlp.on_screen import answer_on_screen
from bot.nlp.relabel import a_story_for_the_question
from bot.reminders.schedule import Schedule, changed_hour, parse_change

CONCERN = {"cpp_asked": {"form": "booking_form", "slot": "concern"}}
REFLECTION = {"cpp_asked": {"form": "reflection_form", "slot": "refl_before"}}


@pytest.mark.parametrize(
    ("text", "label", "metadata", "story"),
    [
        ("things have been tense between the grown ups and he struggles going between our "
         "houses. i'd rather leave it there for now", "stop_form", CONCERN, True),
        ("actually never mind, i will finish this another day", "stop_form", CONCERN, False),
        ("stop", "stop_form", CONCERN, False),
        ("we were setting the table for dinner with grandma", "book_appointment", REFLECTION,
         True),
        ("can i book a visit instead", "book_appointment", REFLECTION, False),
        ("we were setting the table for dinner with grandma", "book_appointment", {}, False),
        ("is it ok to stop here?", "stop_form", CONCERN, False),
    ],
)  # fmt: skip
def test_a_story_at_a_question_about_the_child_is_its_answer(text, label, metadata, story):
    assert a_story_for_the_question(text, label, metadata) is story


@pytest.mark.parametrize(
    ("text", "wish"),
    [
        ("he is three and cries at night, I would like to make an appointment if possible", True),
        ("i want make apointment for my daughter", True),
        ("we need to get him an appt soon", True),
        ("how much is an appointment?", False),
        ("can we bring his dad in?", False),
        ("we want to make sure the session is private", False),
        ("i want to get a feel for what a session is like", False),
    ],
)  # fmt: skip
def test_a_wish_to_book_said_plainly(text, wish):
    assert bool(STATED_WISH_TO_BOOK.search(text)) is wish


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Could a therapist call my wife or me? We have questions", True),
        ("can a clinician please call us", True),
        ("does the therapist call before the visit?", False),
        ("the therapist will call you", False),
    ],
)  # fmt: skip
def test_a_call_asked_of_a_therapist_is_a_call_asked_for(text, person):
    assert bool(ASKS_FOR_A_PERSON.search(text)) is person


def test_a_name_in_lower_case_then_whose_relative():
    assert relationship_said("i'm raj, her dad") == "father"
    assert name_said("i'm raj, her dad") == "Raj"
    assert relationship_said("im tired, his tantrums are a lot") is None


def test_what_fills_a_time_rules_it_out():
    said = parse_preference("any mon or tues, NOT mornings, I have court in the mornings")
    assert said is not None and said.days == frozenset({0, 1})
    assert said.windows == ((720, 1440),)


@pytest.mark.parametrize(
    ("text", "at"),
    [("actually make it 10. 9 is dinner", time(22, 0)), ("10 instead", time(22, 0)),
     ("make it 7", time(19, 0)), ("make it 8am", time(8, 0))],
)  # fmt: skip
def test_a_bare_hour_given_as_a_change_is_the_one_nearer_the_current_time(text, at):
    current = Schedule((0, 1, 2, 3, 4), time(20, 0))
    assert parse_change(text, current) == Schedule((0, 1, 2, 3, 4), at)


def test_a_bare_hour_right_after_a_reminder_reply_changes_the_reminder():
    after = {"cpp_asked": {"after": "action_save_reminder"}}
    assert answer_on_screen("actually make it 10. 9 is dinner", after) == "set_reminder"
    assert changed_hour("make it 30 minutes later") is None
    assert answer_on_screen("make it 10", {}) is None


def test_an_appointments_own_code_with_a_move_is_a_move_whatever_else_it_was_read_as():
    from bot.nlp.relabel import asks_about_their_appointment

    text = "hey its me again. need to move the appt for Leo, no wait, for Ana. ref is WG-84R7R4"
    assert asks_about_their_appointment(text, "faq/cost") == "reschedule_booking"
    assert asks_about_their_appointment(text, "reschedule_booking") is None
    assert asks_about_their_appointment("can i cancel later if I need to?", "faq/cost") is None
