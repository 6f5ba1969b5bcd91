"""An answer to the question on screen, said beside another question, is kept."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_kept import ActionKeepAnswerOnScreen


def _run(requested: str | None, text: str, form: str = "booking_form") -> list:
    tracker = Tracker(
        sender_id="kept",
        slots={"requested_slot": requested},
        latest_message={"text": text, "intent": {"name": "faq"}, "entities": []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": form},
        latest_action_name="utter_faq",
    )
    return asyncio.run(ActionKeepAnswerOnScreen().run(CollectingDispatcher(), tracker, {}))


def test_days_and_times_beside_a_question_fill_the_time_question():
    text = "tuesday or thursday after 4? and can my mom come too"
    assert _run("time_preference", text) == [SlotSet("time_preference", text)]


def test_a_number_beside_a_question_fills_the_contact_question():
    events = _run("contact", "it's 617-555-0148, do you text reminders?")
    assert events == [SlotSet("contact", "+16175550148")]


@pytest.mark.parametrize(
    ("requested", "text"),
    [("time_preference", "how much does it cost?"), ("contact", "is it free?"),
     ("concern", "tuesday after 4? and is it free")],
)  # fmt: skip
def test_nothing_is_filled_without_an_answer_to_the_question_on_screen(requested, text):
    assert _run(requested, text) == []


def test_a_question_asked_while_a_person_is_asked_for_is_what_the_call_is_about():
    # dev_bc1617 (2026-12-07): asked again after the caregiver had said it
    text = "I'm not her legal guardian and I don't know what papers I need to bring her in"
    assert _run("caregiver_name", text, "handoff_form") == [SlotSet("handoff_about", text)]
    assert _run("caregiver_name", "is it free?", "handoff_form") == []
    # the number on screen is kept as well, not instead
    both = "it's 617-555-0148, and do you text reminders before each of the sessions?"
    assert _run("contact", both, "handoff_form") == [
        SlotSet("contact", "+16175550148"),
        SlotSet("handoff_about", " ".join(both.split())),
    ]
