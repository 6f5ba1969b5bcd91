"""The request for a person: what it asks, and what it leaves out (actions/handoff.py)."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_form import SKIPPED
from actions.handoff import ValidateHandoffForm

SLOTS = ["caregiver_name", "contact", "handoff_time", "handoff_about"]


def _tracker(said: list[str] = (), intent: str = "inform") -> Tracker:
    events = [{"event": "bot", "text": "...", "metadata": {"utter_action": s}} for s in said]
    return Tracker(
        sender_id="handoff",
        slots={},
        latest_message={"text": "x", "intent": {"name": intent}, "entities": []},
        events=[
            *events,
            {"event": "user", "text": "x", "parse_data": {"intent": {"name": intent}}},
        ],
        paused=False,
        followup_action=None,
        active_loop={"name": "handoff_form"},
        latest_action_name="action_listen",
    )


async def test_every_question_is_asked_when_asking_for_a_person():
    form = ValidateHandoffForm()
    assert await form.required_slots(SLOTS, CollectingDispatcher(), _tracker(), {}) == SLOTS


async def test_right_after_a_crisis_reply_only_how_and_when():
    form = ValidateHandoffForm()
    tracker = _tracker(["utter_crisis_domestic_violence"])
    assert await form.required_slots(SLOTS, CollectingDispatcher(), tracker, {}) == [
        "contact",
        "handoff_time",
    ]


def test_what_it_is_about_can_be_skipped():
    form = ValidateHandoffForm()
    about = form.validate_handoff_about
    assert about("skip", CollectingDispatcher(), _tracker(), {}) == {"handoff_about": SKIPPED}
    assert about("whatever", CollectingDispatcher(), _tracker(intent="skip_step"), {}) == {
        "handoff_about": SKIPPED
    }
    words = "  my son's   intake  "
    assert about(words, CollectingDispatcher(), _tracker(), {}) == {
        "handoff_about": "my son's intake"
    }


def test_a_name_that_is_not_one_is_asked_again():
    dispatcher = CollectingDispatcher()
    result = ValidateHandoffForm().validate_caregiver_name("???", dispatcher, _tracker(), {})
    assert result == {"caregiver_name": None}
    assert dispatcher.messages[0]["response"] == "utter_invalid_name"
