"""The request for a person: what it asks, and what it leaves out (actions/handoff.py)."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_form import SKIPPED
from actions.handoff import ValidateHandoffForm, when_said

SLOTS = ["caregiver_name", "contact", "handoff_time", "handoff_about"]


def _tracker(said: list[str] = (), intent: str = "inform", asked: str | None = None) -> Tracker:
    events = [{"event": "bot", "text": "...", "metadata": {"utter_action": s}} for s in said]
    return Tracker(
        sender_id="handoff",
        slots={"requested_slot": asked},
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


async def test_when_no_time_fits_what_it_is_about_is_not_asked():
    tracker = _tracker()
    tracker.slots["booking_stage"] = "no_times_fit"
    got = await ValidateHandoffForm().required_slots(SLOTS, CollectingDispatcher(), tracker, {})
    assert got == ["caregiver_name", "contact", "handoff_time"]


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
    result = ValidateHandoffForm().validate_caregiver_name(
        "???", dispatcher, _tracker(asked="caregiver_name"), {}
    )
    assert result == {"caregiver_name": None}
    assert dispatcher.messages[0]["response"] == "utter_invalid_name"


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("call me after 5pm please", "call me after 5pm please"),
        ("I'm Ana. Weekday mornings are best.", "Weekday mornings are best"),
        ("my number is 312 555 0147", None),
        ("Name: Marcus. Best time: 0700-0800 or after 1800.", "Best time: 0700-0800 or after 1800"),
        ("im free after 1800", "im free after 1800"),
    ],
)
def test_when_to_call_said_in_passing(text, when):
    assert when_said(text) == when


async def test_person_answers_in_any_order():
    """Name, number and a good time in one message fill all three; only the rest is asked."""
    text = "this is Ana, you can call me at 312-555-0147 after 5pm"
    tracker = Tracker(
        sender_id="conv-any-order",
        slots={"requested_slot": "caregiver_name"},
        latest_message={"text": text, "intent": {"name": "inform"}, "entities": []},
        events=[
            {"event": "active_loop", "name": "handoff_form"},
            {"event": "user", "text": text},
            {"event": "slot", "name": "caregiver_name", "value": text},
        ],
        paused=False,
        followup_action=None,
        active_loop={"name": "handoff_form"},
        latest_action_name="action_listen",
    )
    domain = {
        "forms": {
            "handoff_form": {
                "required_slots": ["caregiver_name", "contact", "handoff_time", "handoff_about"]
            }
        }
    }
    d = CollectingDispatcher()
    events = await ValidateHandoffForm().run(d, tracker, domain)
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["contact"] == "+13125550147"
    assert "after 5pm" in slots["handoff_time"]
    assert slots["caregiver_name"] == "Ana"
    assert d.messages == []


async def test_a_number_given_earlier_is_not_asked_again():
    """'reach me at 312-555-0147' said before asking for a person fills the contact."""
    earlier = "my name is Ana, you can reach me at 312-555-0147"
    request = "can a real person call me"
    tracker = Tracker(
        sender_id="conv-earlier-number",
        slots={"requested_slot": None},
        latest_message={"text": request, "intent": {"name": "request_person"}, "entities": []},
        events=[
            {"event": "user", "text": earlier},
            {"event": "bot", "text": "..."},
            {"event": "user", "text": request},
            {"event": "active_loop", "name": "handoff_form"},
        ],
        paused=False,
        followup_action=None,
        active_loop={"name": "handoff_form"},
        latest_action_name="handoff_form",
    )
    domain = {
        "forms": {
            "handoff_form": {
                "required_slots": ["caregiver_name", "contact", "handoff_time", "handoff_about"]
            }
        }
    }
    events = await ValidateHandoffForm().run(CollectingDispatcher(), tracker, domain)
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots.get("contact") == "+13125550147"
    assert slots.get("caregiver_name") == "Ana"
