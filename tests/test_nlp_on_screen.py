"""A plain answer to the question on screen is read as that answer (bot/nlp/on_screen.py)."""

from __future__ import annotations

import pytest

from bot.nlp.on_screen import answer_on_screen
from bot.safety.asked import ASKED_KEY


def asked(form: str, slot: str) -> dict:
    return {ASKED_KEY: {"form": form, "slot": slot}}


def test_a_reference_at_the_reference_question_is_its_answer():
    code = asked("manage_booking_form", "booking_reference")
    assert answer_on_screen("The reference number is WG-YJAR5G", code) == "inform"
    assert answer_on_screen("what is a referral", code) is None


@pytest.mark.parametrize(
    "text", ["this number", "same one", "use this number please", "yes this number is fine",
             "the one im texting from", "this #"],
)  # fmt: skip
def test_this_number_at_the_contact_question_is_yes(text):
    assert answer_on_screen(text, asked("booking_form", "contact")) == "affirm"


def test_the_same_words_elsewhere_are_left_to_the_classifier():
    assert answer_on_screen("The reference number is WG-YJAR5G", {}) is None
    assert answer_on_screen("this number", {}) is None
    assert answer_on_screen("what is your phone number", asked("booking_form", "contact")) is None


@pytest.mark.parametrize(
    "text", ["oh sorry i meant wednesday not monday", "actually make that thursday instead",
             "wait, mornings not afternoons"],
)  # fmt: skip
def test_a_corrected_day_or_time_at_the_list_of_times_is_a_new_pick(text):
    assert answer_on_screen(text, asked("slot_choice_form", "slot_pick")) == "choose_slot"


def test_none_of_these_at_the_list_of_times_stays_with_the_classifier():
    times = asked("slot_choice_form", "slot_pick")
    assert answer_on_screen("no, none of these work", times) is None
    assert answer_on_screen("sorry none of those work for me", times) is None
    assert answer_on_screen("oh sorry i meant wednesday not monday", {}) is None


def test_days_and_times_at_the_time_question_are_its_answer():
    times = asked("booking_form", "time_preference")
    assert answer_on_screen("Any weekday afternoon. I'm retired, so quite flexible.", times) == (
        "inform"
    )
    assert answer_on_screen("how long is a session", times) is None
    assert answer_on_screen("do you have anything saturday morning?", times) is None


def test_a_number_with_a_note_at_the_contact_question_is_its_answer():
    contact = asked("handoff_form", "contact")
    assert answer_on_screen("617-555-0148 but text first, i never pick up", contact) == "inform"
    # With a question beside it, the classifier answers it (the number is kept after).
    assert answer_on_screen("617-555-0148. do you do evenings?", contact) is None
