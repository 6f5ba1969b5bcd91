"""The request for a person: what it asks, and what it leaves out (actions/handoff.py)."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_form import SKIPPED
from actions.handoff import ValidateHandoffForm
from bot.booking.known_facts import when_said

SLOTS = ["caregiver_name", "contact", "handoff_time", "handoff_about"]


HANDOFF_DOMAIN = {"forms": {"handoff_form": {"required_slots": SLOTS}}}


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
    d = CollectingDispatcher()
    events = await ValidateHandoffForm().run(d, tracker, HANDOFF_DOMAIN)
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["contact"] == "+13125550147"
    assert "after 5pm" in slots["handoff_time"]
    assert slots["caregiver_name"] == "Ana"
    assert d.messages == []


async def test_a_number_given_earlier_is_not_asked_again():
    """'reach me at 312-555-0147' said before asking for a person fills the contact."""
    earlier = "my name is Ana, you can reach me at 312-555-0147"
    slots = await _started_with([earlier, "can a real person call me"], "request_person")
    assert slots.get("contact") == "+13125550147"
    assert slots.get("caregiver_name") == "Ana"


async def test_a_time_and_topic_said_before_a_safety_check_are_not_asked_again():
    """The request came with a good time and what it is about, then the gentle check was
    answered with a tap: the form starts after '/i_am_safe' and keeps both."""
    # written for this test (2026-12-06, #22)
    request = (
        "Hi this is Angela I'd like someone to call me back about my twins, they won't "
        "sleep apart from me since the storm. can someone call me tomorrow morning"
    )
    slots = await _started_with([request, "/i_am_safe"], "i_am_safe")
    assert slots.get("caregiver_name") == "Angela"
    assert "tomorrow morning" in slots.get("handoff_time", "")
    assert slots.get("handoff_about", "").startswith("Hi this is Angela")


async def test_a_request_typed_to_another_forms_question_carries_what_it_points_to():
    """'Can someone from your clinic call me about this?' typed to the booking questions
    after a pasted daycare note: the form starts (another form's question on screen) and
    what it is about keeps the note that 'this' points to."""
    # written for this test (2026-12-06, #22)
    note = (
        'The daycare sent this home: "Dear parent, staff noticed that Leo has been very '
        'withdrawn since the move and cries at nap time. We recommend a referral."'
    )
    request = "Can someone from your clinic call me about this? I'd rather talk to a person."
    slots = await _started_with([note, request], "request_person", asked="relationship")
    about = slots.get("handoff_about", "")
    assert about.startswith("Can someone from your clinic call me about this?")
    assert "withdrawn since the move" in about
    assert "caregiver_name" not in slots  # "Dear parent" names nobody


async def test_a_story_in_the_request_says_what_the_call_is_about():
    # written for this test (2026-12-07, #22): no "about" in it, a story all the same
    request = (
        "his dad moved out this weekend and he came back from daycare really off, not "
        "talking. i'd like his therapist or someone to call me before thursday"
    )
    slots = await _started_with([request, "/i_am_safe"], "i_am_safe")
    assert slots.get("handoff_about", "").startswith("his dad moved out")


async def test_what_the_call_is_about_said_at_another_question_is_kept():
    """'it's about the bill I got...' typed to the name question: kept, not asked again;
    a plain answer to another question is not taken as the topic."""
    # written for this test (2026-12-07, #22)
    form = ValidateHandoffForm()
    text = "can i speak to a person. it's about the bill I got, insurance says no claim came"
    tracker = _tracker(asked="caregiver_name")
    tracker.latest_message["text"] = text
    got = form.extract_handoff_about(CollectingDispatcher(), tracker, HANDOFF_DOMAIN)
    assert got == {"handoff_about": text}
    tracker.latest_message["text"] = "you can reach me at 312 555 0147 any time after 5pm"
    assert form.extract_handoff_about(CollectingDispatcher(), tracker, HANDOFF_DOMAIN) == {}


async def _started_with(said: list[str], intent: str, asked: str | None = None) -> dict:
    """The slots the handoff form fills as it starts after ``said`` (the last is the
    latest message, with ``intent``), with ``asked`` the question still on screen."""
    events: list[dict] = []
    for text in said:
        events += [{"event": "user", "text": text}, {"event": "bot", "text": "..."}]
    tracker = Tracker(
        sender_id="conv-handoff-start",
        slots={"requested_slot": asked},
        latest_message={"text": said[-1], "intent": {"name": intent}, "entities": []},
        events=[*events[:-1], {"event": "active_loop", "name": "handoff_form"}],
        paused=False,
        followup_action=None,
        active_loop={"name": "handoff_form"},
        latest_action_name="handoff_form",
    )
    out = await ValidateHandoffForm().run(CollectingDispatcher(), tracker, HANDOFF_DOMAIN)
    return {e["name"]: e["value"] for e in out if e.get("event") == "slot"}


def test_a_range_of_hours_is_a_good_time_to_call():
    from bot.booking.known_facts import when_said

    text = "can someone call me about my daughters intake? best time 4-6pm, i work nights"
    assert when_said(text) == "best time 4-6pm, i work nights"
    assert when_said("she is 2-3 years old") is None
