"""Readings found studying the retired blind conversation set bc24-bc25 (2026-12-07).

Each case is written for this test in the shape of what went wrong; the set's own
messages stay in tests/conversations/dev_bc2425_2026-12-07.yml (never trained on).
"""

from __future__ import annotations

import pytest

from bot.booking.ages_said import age_said, corrected_age
from bot.booking.relationship_said import relationship_said
from bot.booking.said_who import name_introduced, name_said
from bot.nlp.booking_words import ASKS_FOR_A_PERSON, names_a_booking
from bot.nlp.on_screen import answer_on_screen
from bot.nlp.relabel import (
    a_booking_not_a_call,
    a_booking_not_a_pick,
    a_story_for_the_question,
    asks_to_see_reminders,
)

CALL_TOPIC = {"cpp_asked": {"form": "handoff_form", "slot": "handoff_about"}}
REFLECTION = {"cpp_asked": {"form": "reflection_form", "slot": "refl_child_feeling"}}
AFTER_REMINDER = {"cpp_asked": {"after": "action_save_reminder"}}


@pytest.mark.parametrize(
    ("text", "name"),
    [("Mine is Tomás. Hers is Lu.", "Tomás"), ("it's Kiara K I A R A", "Kiara"),
     ("Hi\n- booking please\n- kid: son, 2\n- me: Omar, his dad", "Omar"),
     ("Hello. I am Deaf. I sign.", None), ("Mine is fine, thanks", None)],
)  # fmt: skip
def test_names_given_the_way_caregivers_give_them(text, name):
    assert name_said(text) == name


def test_a_spelled_name_and_a_labelled_line_say_who_writes():
    assert name_introduced("it's Kiara K I A R A") == "Kiara"
    assert relationship_said("- me: Omar, his dad") == "father"


def test_little_one_is_no_age_and_the_writers_own_age_corrects_nothing():
    assert age_said("writing for our little one, our son Eli, who is four.") == "four"
    assert corrected_age("wait do i need my dads ok bc im 16") is None
    assert corrected_age("sorry i meant hes 2 not 3") == "2"


def test_a_negated_call_is_no_call_and_cita_is_a_booking():
    assert not ASKS_FOR_A_PERSON.search("please do not call me, write to me instead")
    assert not ASKS_FOR_A_PERSON.search("pls dont call me")
    assert ASKS_FOR_A_PERSON.search("yes please call me")
    assert names_a_booking("Ok perfecto, let's make la cita")


@pytest.mark.parametrize(
    ("text", "label", "metadata", "book"),
    [("k book one. son 3. im his mom", "choose_slot", {}, True),
     ("the tuesday one", "choose_slot", {}, False),
     ("book the 2nd", "choose_slot", {"cpp_asked": {"slot": "slot_pick"}}, False)],
)  # fmt: skip
def test_a_booking_read_as_a_pick_with_no_list_on_screen(text, label, metadata, book):
    assert a_booking_not_a_pick(text, label, metadata) is book


def test_a_wish_to_book_with_a_call_refused_is_a_booking():
    text = "I would like to make an appointment for her. Please do not call me, email me."
    assert a_booking_not_a_call(text, "request_person")
    assert not a_booking_not_a_call("I want to book, can someone call me", "request_person")


def test_a_wish_for_help_is_what_a_call_is_about_and_a_guess_is_a_reflections_answer():
    text = "idk what im doing n i wanna know if yall can help us"
    assert a_story_for_the_question(text, "what_can_you_do", CALL_TOPIC)
    assert not a_story_for_the_question(text, "what_can_you_do", {})
    guess = "Maybe checking if I'd really be there for him? Or he was just tired."
    assert a_story_for_the_question(guess, "book_appointment", REFLECTION)


def test_reminders_seen_or_stopped_right_after_one_was_set():
    assert asks_to_see_reminders("Thanks. Please show my reminders, I want to check.",
                                 "set_reminder")  # fmt: skip
    assert not asks_to_see_reminders("remind me mondays at 6pm", "set_reminder")
    said = answer_on_screen("actually no. stop those. too many pings at work", AFTER_REMINDER)
    assert said == "stop_reminders"
    assert answer_on_screen("stop those", {}) is None


def test_no_calls_at_the_contact_question_is_a_way_to_be_reached():
    from bot.booking.contact import refuses_calls

    contact = {"cpp_asked": {"form": "booking_form", "slot": "contact"}}
    said = "Please don't call me. Text or email only. Is that ok?"
    assert refuses_calls(said) and answer_on_screen(said, contact) == "inform"
    assert not refuses_calls("call me anytime after 5")


def test_the_contact_question_says_a_text_is_fine_and_asks_again_without_scolding():
    from rasa_sdk.executor import CollectingDispatcher

    from actions.booking_form import check_contact
    from tests.booking_trackers import tracker

    d = CollectingDispatcher()
    said = "please dont call me, text only"
    assert check_contact(said, d, tracker({"requested_slot": "contact"}, text=said)) is None
    assert [m.get("text") for m in d.messages] == ["Of course, a text or an email works too."]


def test_a_time_said_to_be_fine_in_a_long_story_is_kept():
    from bot.booking.known_facts import times_said

    text = "I'd like an appointment for him, write to me at a@b.com, any weekday afternoon is fine"
    assert times_said(text) is not None
    assert times_said("the first visit is fine") is None


@pytest.mark.parametrize(
    ("text", "label", "metadata", "intent"),
    [("k book one. son 3. im his mom", "choose_slot", {}, "book_appointment"),
     ("Thanks. Please show my reminders.", "set_reminder", {}, "ask_reminders"),
     ("can someone call me about my sons intake", "book_appointment", {}, "request_person"),
     ("can we push it back a week", "cancel_booking", {}, "reschedule_booking"),
     ("what does it cost", "faq/cost", {}, None)],
)  # fmt: skip
def test_relabelled_names_the_intent_the_words_say(text, label, metadata, intent):
    from bot.nlp.relabel import relabelled

    assert relabelled(text, label, metadata, "faq") == intent


def test_a_local_number_beside_text_only_is_kept_with_the_area_code():
    # Review 2026-12-07: "text only, 555 0142" was asked again because the refused call
    # was read before the number beside it.
    from rasa_sdk.executor import CollectingDispatcher

    from actions.booking_form import check_contact
    from tests.booking_trackers import tracker

    d = CollectingDispatcher()
    said = "text only pls, 555 0142"
    value = check_contact(said, d, tracker({"requested_slot": "contact"}, text=said))
    assert value is not None and value.endswith("5550142")
    assert "Of course" not in " ".join(str(m.get("text")) for m in d.messages)
