"""The FAQ follow-up actions, run directly with Rasa SDK objects."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import ActionFaqFollowup, describe_age


def _tracker(entities=(), slots=None) -> Tracker:
    return Tracker(
        sender_id="t",
        slots=slots or {},
        latest_message={"text": "x", "intent": {"name": "faq"}, "entities": list(entities)},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="utter_faq",
    )


def _age(value: str) -> dict:
    return {"entity": "CHILD_AGE", "value": value, "start": 0, "end": len(value)}


async def _run_age_check(entities) -> list[dict]:
    dispatcher = CollectingDispatcher()
    events = await ActionFaqFollowup().run(dispatcher, _tracker(entities), {})
    assert events == []
    return dispatcher.messages


async def test_child_older_than_the_clinic_serves_gets_a_kind_explanation():
    messages = await _run_age_check([_age("8 year old")])
    assert [m["response"] for m in messages] == ["utter_age_outside_range"]
    assert messages[0]["age"] == "8 years old"


@pytest.mark.parametrize("value", ["3 year old", "18 months", "toddler", "5 years old"])
async def test_child_in_range_gets_no_extra_message(value):
    assert await _run_age_check([_age(value)]) == []


async def test_no_age_mentioned_is_silent():
    assert await _run_age_check([]) == []


def test_describe_age():
    assert describe_age(18) == "18 months old"
    assert describe_age(96) == "8 years old"


async def test_a_question_that_also_asks_for_a_person_with_a_number_starts_the_request():
    from rasa_sdk.events import FollowupAction

    tracker = _tracker()
    tracker.latest_message["text"] = (
        "Hello. I need speak with somebody in spanish about my son therapy. "
        "My name Rosa, number 312 619 0042, morning is good"
    )
    assert await ActionFaqFollowup().run(CollectingDispatcher(), tracker, {}) == [
        FollowupAction("handoff_form")
    ]
    tracker.latest_message["text"] = "do you have therapists who speak spanish?"
    assert await ActionFaqFollowup().run(CollectingDispatcher(), tracker, {}) == []


def _also(value: str) -> dict:
    return {"entity": "also_asked", "value": value, "start": 0, "end": 1}


@pytest.mark.parametrize(
    ("act", "form"),
    [("set_reminder", "reminder_form"), ("request_person", "handoff_form"),
     ("start_reflection", "reflection_form"),
     ("reschedule_booking", "action_start_manage_booking"),
     ("cancel_booking", "action_start_manage_booking")],
)  # fmt: skip
async def test_a_request_asked_beside_a_question_is_carried_out_after_the_answer(act, form):
    """'set me a reminder for 8pm, and does CPP cost anything?': answered, then the form
    for the request starts (issue #22, two things at once)."""
    from rasa_sdk.events import FollowupAction

    dispatcher = CollectingDispatcher()
    tracker = _tracker([_also(act)])
    tracker.latest_message["text"] = "how long are sessions? also can someone call me"
    events = await ActionFaqFollowup().run(dispatcher, tracker, {})
    assert events == [FollowupAction(form)]
    said = [m.get("response") for m in dispatcher.messages]
    assert said == (["utter_contact_person"] if act == "request_person" else [])


async def test_a_second_faq_question_starts_no_form():
    dispatcher = CollectingDispatcher()
    assert await ActionFaqFollowup().run(dispatcher, _tracker([_also("faq/cost")]), {}) == []


async def test_a_person_read_beside_a_question_needs_words_that_ask_for_one():
    """'my caseworker told me to reach out... can I just sign him up?' asks no one to call."""
    tracker = _tracker([_also("request_person")])
    tracker.latest_message["text"] = "my caseworker told me to reach out. do we need a referral?"
    assert await ActionFaqFollowup().run(CollectingDispatcher(), tracker, {}) == []
