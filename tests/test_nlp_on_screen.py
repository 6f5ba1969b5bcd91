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


def test_a_good_time_at_the_callback_question_is_its_answer():
    """Read as stress, 'weekdays between 12 and 1, that's my lunch break' was answered
    with the stress reply and the question asked again, forever."""
    when = asked("handoff_form", "handoff_time")
    assert answer_on_screen("weekdays between 12 and 1, that's my lunch break", when) == "inform"
    assert answer_on_screen("tues after 4 or thurs anytime", when) == "inform"
    assert answer_on_screen("can you call after 5?", when) is None
    assert answer_on_screen("my son keeps hitting me", when) is None


def test_a_day_at_the_list_of_times_is_a_pick():
    """'The Wednesday appointment would be perfect' at the list of new times was read as
    a booking, and the booking questions began again in the middle of a move."""
    times = asked("manage_booking_form", "slot_pick")
    assert answer_on_screen("The Wednesday appointment would be perfect. Thank you.", times) == (
        "choose_slot"
    )
    assert answer_on_screen("none of these work, anything on friday", times) is None
    assert answer_on_screen("do you have anything on friday?", times) is None


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


def test_a_number_without_its_area_code_is_still_the_answer():
    """'my home phone is 555-0142' is an answer to check, not a request for a person."""
    assert (
        answer_on_screen("my home phone is 555-0142", asked("booking_form", "contact")) == "inform"
    )


@pytest.mark.parametrize(
    ("text", "label", "call"),
    [
        ("can someone call me about my daughters intake next week? best time 4-6pm",
         "book_appointment", True),
        ("can someone call me to set up a first visit", "book_appointment", False),
        ("i want to book an appointment, call me at 312 555 0147", "book_appointment", False),
        ("can someone call me about the cost", "faq/cost", False),
    ],
)  # fmt: skip
def test_a_call_asked_for_with_no_word_of_booking_is_a_request_for_a_person(text, label, call):
    from bot.nlp.relabel import asks_for_a_call_not_a_booking

    assert asks_for_a_call_not_a_booking(text, label) is call


@pytest.mark.parametrize(
    ("text", "wants"),
    [
        # dev set bc26 (2026-12-07): the robot answer alone, and the request lost
        ("Are you a robot? I prefer to talk with a real person please. I am Samira.", True),
        ("are you a real person?", False),
        ("is this a bot", False),
    ],
)  # fmt: skip
def test_are_you_a_bot_with_a_wish_for_a_person_is_a_request_for_a_person(text, wants):
    from bot.nlp.relabel import asks_for_a_person_beside_are_you_a_bot

    assert asks_for_a_person_beside_are_you_a_bot(text, "bot_challenge") is wants
    assert asks_for_a_person_beside_are_you_a_bot(text, "faq/cost") is False


@pytest.mark.parametrize(
    ("text", "label", "move"),
    [
        ("I regret that I need to move my son's first appointment. The reference is WG-XNSK95",
         "cancel_booking", True),
        ("can we push it back a week", "cancel_booking", True),
        ("please cancel it, we're moving out of state", "cancel_booking", False),
        ("i need to move my appointment", "reschedule_booking", False),
    ],
)  # fmt: skip
def test_a_move_read_as_a_cancellation_is_a_move(text, label, move):
    # written for this test (2026-12-06, #22): the appointment was cancelled, not moved
    from bot.nlp.relabel import asks_to_move_not_cancel

    assert asks_to_move_not_cancel(text, label) is move


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # written for these tests (2026-12-06, #22)
        ("On second thought, please change it to 8:15 pm. Nine is too early for us.",
         "set_reminder"),
        ("make it weekdays only", "set_reminder"),
        ("stop them at the weekend", None),
        ("every night is too much. can u just turn the reminders off", None),
        ("what time is it for?", None),
        ("thanks!", None),
    ],
)  # fmt: skip
def test_a_time_right_after_a_reminder_was_set_changes_it(text, intent):
    after = {ASKED_KEY: {"form": None, "slot": None, "after": "action_save_reminder"}}
    assert answer_on_screen(text, after) == intent
    assert answer_on_screen(text, {}) is None


def test_a_call_asked_beside_a_question_is_a_second_ask():
    from bot.nlp.reading_rules import call_asked_beside

    text = "do you have someone who speaks vietnamese? can someone call me tomorrow"
    label, _, start, end = call_asked_beside(text, "faq/languages")
    assert label == "request_person" and text[start:end] == "someone call"
    assert call_asked_beside("do you have someone who speaks vietnamese?", "faq/languages") is None
    assert call_asked_beside("can someone call me", "request_person") is None


def test_a_name_introduced_at_the_name_question_is_its_answer():
    # "Sam here (Alexis is reading over my shoulder)" was read as stress, in a loop (#22)
    name = asked("booking_form", "caregiver_name")
    assert answer_on_screen("Sam here (my wife is reading along)", name) == "inform"
    assert answer_on_screen("i'm Dana, his mom", name) == "inform"
    for word in ("Stop", "Cancel", "Person", "what do you need my name for?"):
        assert answer_on_screen(word, name) is None


@pytest.mark.parametrize(
    "text", ["whichever one is the earliest", "the 2nd one pls", "ill take the last one"]
)
def test_a_pick_by_position_or_earliest_at_the_list_is_a_pick(text):
    """'whichever one is the earliest' was read as a question about the first visit,
    answered, and the list shown again, three times (dev set bc26, 2026-12-07)."""
    assert answer_on_screen(text, asked("slot_choice_form", "slot_pick")) == "choose_slot"
    assert answer_on_screen(text, {}) is None


def test_a_question_or_none_at_the_list_is_not_a_pick_by_position():
    times = asked("slot_choice_form", "slot_pick")
    assert answer_on_screen("is the first one in person?", times) is None
    assert answer_on_screen("none of those, the first week of january instead", times) is None


def test_a_hesitant_time_with_a_question_mark_is_the_answer():
    """'hmm not sure, maybe afternoons? depends on my shift' was read as a booking request
    and 'that's what we're setting up now' said five times (dev set bc27, 2026-12-07)."""
    times = asked("booking_form", "time_preference")
    assert (
        answer_on_screen("hmm not sure, maybe afternoons? depends on my shift", times) == "inform"
    )
    assert answer_on_screen("do you have evenings?", times) is None
    assert answer_on_screen("mornings. do you have saturdays?", times) is None
