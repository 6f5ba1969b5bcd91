"""Readings fixed from the dev conversation set bc35/bc36 (2026-12-07): requests for a
person, names given beside a number, a good time said loosely, a question said twice."""

from __future__ import annotations

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import rasa_context
from bot.booking.known_facts import concern_said, topic_with_what_it_points_to, when_said
from bot.booking.said_who import clean_name, name_leading, name_said
from bot.nlp.booking_words import NO_MACHINE
from bot.nlp.on_screen import answer_on_screen, said_again
from bot.nlp.relabel import relabelled
from bot.safety.asked import ASKED_KEY, asked_in


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("hiii ok so no offense but i dont really like bots lol", True),
        ("I would rather not talk to a machine", True),
        ("i hate chatbots", True),
        ("i dont want to talk to a bot", True),
        ("my son doesnt like robots", False),
        ("he plays with robots all day", False),
        ("i dont like apps", False),
    ],
)
def test_not_wanting_a_machine_is_a_request_for_a_person(text: str, wanted: bool):
    assert bool(NO_MACHINE.search(text)) is wanted
    assert (relabelled(text, "behavior_question", None, "faq") == "request_person") is wanted


def test_a_call_asked_for_beside_a_story_is_a_request_for_a_person():
    text = (
        "hi can sum one call me pleas abot my dauter shes 2 and she dont sleep no more "
        "sinse we moved"
    )
    assert relabelled(text, "behavior_question", None, "faq") == "request_person"
    assert relabelled("he wont talk to anyone at daycare", "behavior_question", None, "faq") is None


@pytest.mark.parametrize(
    "text",
    ["after the kids are down so like 8:30 ish", "lunch hours", "7pm works", "around 6ish"],
)
def test_a_good_time_said_loosely(text: str):
    assert when_said(text) is not None


@pytest.mark.parametrize("text", ["i have 2 kids", "my son is 3", "call me", "hi my name is ana"])
def test_no_time_in_other_words(text: str):
    assert when_said(text) is None


def test_a_name_beside_a_number_or_a_role():
    assert (
        name_said(
            "Hi - nurse on a 10 min break so quick: can someone from intake call me? "
            "Dana, 312-610-3394, best after 7pm."
        )
        == "Dana"
    )
    assert name_said("Need a callback. Marcus Hale, legal guardian of my nephew (4).") == "Marcus"
    assert name_said("Thanks. Email: a@b.com") is None


def test_a_name_first_then_more_at_the_name_question():
    assert name_leading("Priya, and my email is priya@example.com if that's easier") == "Priya"
    assert name_leading("Actually, cancel") is None
    metadata = {ASKED_KEY: {"form": "handoff_form", "slot": "caregiver_name"}}
    assert answer_on_screen("Priya, and my email is priya@example.com", metadata) == "inform"


@pytest.mark.parametrize(("text", "name"), [("just Jess is fine", "Jess"), ("Jess works", "Jess")])
def test_a_name_with_words_around_it(text: str, name: str):
    assert clean_name(text) == name


def test_a_babys_start_and_the_bond_are_a_concern():
    text = (
        "hello, I'd like to make an appointment for my daughter. she was in the NICU for 2 "
        "months and I feel like we never really bonded. she's 6 months now"
    )
    assert concern_said(text) == text


def test_a_call_request_without_a_topic_takes_the_story_before_it():
    story = "hey there. my husband deployed last week and my 2 yr old is having a really rough time"
    asked = "id like to speak to someone there, a real person if possible"
    assert topic_with_what_it_points_to([asked, story]) == story


def test_the_same_words_again_to_the_same_question_are_the_answer():
    tracker = DialogueStateTracker.from_events(
        "c",
        [
            ActiveLoop("handoff_form"),
            SlotSet("requested_slot", "handoff_time"),
            UserUttered("after the kids are down so like 8:30 ish"),
        ],
    )
    again = rasa_context.with_question(
        UserMessage("After the kids are down  so like 8:30 ish", sender_id="c"), tracker
    )
    assert asked_in(again.metadata).repeat
    assert said_again("After the kids are down so like 8:30 ish", again.metadata) == "inform"
    first = rasa_context.with_question(UserMessage("something else", sender_id="c"), tracker)
    assert not asked_in(first.metadata).repeat
    assert said_again("something else", first.metadata) is None


@pytest.mark.parametrize(
    ("text", "months"),
    [
        (
            "can I switch to an afternoon? we just had a baby 2 weeks ago and mornings are a mess",
            None,
        ),
        ("hes 3, we moved here 6 months ago", 36.0),
        ("he has been like this for 3 months, he is 2", 24.0),
        ("a baby", 8.0),
        ("6 weeks", 6 / 4.333),
    ],
)
def test_how_long_ago_is_no_age(text: str, months: float | None):
    from bot.booking.ages_said import age_from_answer

    found = age_from_answer(text)
    assert found == pytest.approx(months, abs=0.1) if months is not None else found is None


def test_we_have_an_appointment_and_anything_earlier_is_a_move():
    text = (
        "Hello. We have appointment next Tuesday for my son Artyom, he is 4. Is there "
        "anything earlier? He has very bad week"
    )
    assert relabelled(text, "book_appointment", None, "faq") == "reschedule_booking"
    wish = "I would like to book a visit, is there anything sooner than next month?"
    assert relabelled(wish, "book_appointment", None, "faq") is None


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ok. thank you for that, really", "thank"),
        ("thanks so much!", "thank"),
        ("thank u", "thank"),
        ("thank you, how much does it cost?", None),
        ("thanks but my son still hits", None),
    ],
)
def test_a_thank_you_alone(text: str, intent: str | None):
    from bot.nlp.short_replies import thanks_only

    assert thanks_only(text) == intent


def test_asking_to_do_a_reflection_after_a_story():
    # dev set bc33, 2026-12-07: read as a booking
    text = (
        "Well, my grandson Caleb had quite a week. Anyway our therapist Ms. Park said I could "
        "do these little reflections on here. Can we do one?"
    )
    assert relabelled(text, "book_appointment", None, "faq") == "start_reflection"
    remind = "can you remind me to do a reflection every sunday"
    assert relabelled(remind, "book_appointment", None, "faq") is None
    assert relabelled("what is a reflection?", "faq/reflection", None, "faq") is None


def test_a_story_with_a_question_at_what_has_been_going_on_is_the_answer():
    # dev set bc33: answered as a question, then asked again, in a loop
    text = (
        "she was in the NICU for a month and since we got home she screams whenever we put "
        "her down and barely sleeps. is that something you see a lot? could it be from the NICU?"
    )
    asked = {"cpp_asked": {"form": "booking_form", "slot": "concern"}}
    assert relabelled(text, "faq/who_for", asked, "faq") == "inform"
    assert relabelled("how much does it cost?", "faq/cost", asked, "faq") is None


def test_a_name_given_as_an_initial():
    assert clean_name("Just T. for now") == "T"


def test_speak_with_person_without_an_article():
    from bot.nlp.reading_rules import call_asked_beside

    text = "My English is not good. I want speak with person from clinic please, maybe Dari?"
    assert call_asked_beside(text, "faq/languages")[0] == "request_person"


def test_a_move_asked_at_do_you_want_to_cancel_it():
    # dev set bc34, 2026-12-07: read as a no, and the appointment was only kept
    asked = {ASKED_KEY: {"form": "manage_booking_form", "slot": "confirm_manage"}}
    text = "wait no actually can i just move it instead? i dont wanna lose her spot"
    assert answer_on_screen(text, asked) == "reschedule_booking"
    assert answer_on_screen("no keep it", asked) == "deny"
    assert answer_on_screen("yes cancel it", asked) == "affirm"


def test_thanks_then_goodbye():
    from bot.nlp.short_replies import thanks_only

    assert thanks_only("Thanks. Going to go check on him.") == "thank"
    assert thanks_only("Thanks. Can you book me in?") is None
