"""A message not understood gets a question back when it names a booking (actions/fallback.py)."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionNotUnderstood
from bot.nlp.booking_words import names_a_booking


def _tracker(text: str) -> Tracker:
    return Tracker(
        sender_id="fallback",
        slots={},
        latest_message={"text": text, "intent": {"name": "nlu_fallback"}, "entities": []},
        events=[{"event": "user", "text": text}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


@pytest.mark.parametrize(
    "text",
    ["ok. how do I sign my grandson up, he is 18 months", "can i get my son seen soon",
     "is this where i book the kid therapy thing", "we want to enroll our twins",
     "I'd like to get her in, evenings only"],
)  # fmt: skip
def test_a_message_naming_a_booking_is_asked_about(text):
    assert names_a_booking(text)


@pytest.mark.parametrize(
    "text", ["asdf qwerty", "my sisters kids are with me now", "what about the weather"]
)
def test_other_messages_are_not(text):
    assert not names_a_booking(text)


async def test_the_question_back_offers_a_visit_else_the_rephrase_prompt():
    d = CollectingDispatcher()
    await ActionNotUnderstood().run(d, _tracker("how do I sign my grandson up"), {})
    assert [m["response"] for m in d.messages] == ["utter_did_you_mean_booking"]
    d = CollectingDispatcher()
    await ActionNotUnderstood().run(d, _tracker("blue banana"), {})
    assert [m["response"] for m in d.messages] == ["utter_fallback"]
    d = CollectingDispatcher()
    await ActionNotUnderstood().run(d, _tracker("/book_appointment"), {})
    assert [m["response"] for m in d.messages] == ["utter_fallback"]


@pytest.mark.parametrize(
    "text", ["hey its 4am just got off work", "Hi, I'm so sorry to do this, I know it's late",
             "good morning, hope your weekend went well"],
)  # fmt: skip
async def test_a_greeting_or_apology_before_the_point_is_told_to_go_ahead(text):
    d = CollectingDispatcher()
    await ActionNotUnderstood().run(d, _tracker(text), {})
    assert [m["response"] for m in d.messages] == ["utter_go_ahead"]


async def test_a_question_not_understood_after_a_greeting_still_gets_the_rephrase_prompt():
    d = CollectingDispatcher()
    await ActionNotUnderstood().run(d, _tracker("hi, what about the zorblax?"), {})
    assert [m["response"] for m in d.messages] == ["utter_fallback"]


def _said(intent: str, text: str) -> Tracker:
    tracker = _tracker(text)
    tracker.latest_message["intent"] = {"name": intent}
    return tracker


@pytest.mark.parametrize(
    ("intent", "text", "response"),
    [("deny", "no.", "utter_no_problem"), ("affirm", "yes", "utter_go_ahead"),
     ("skip_step", "hey there. quick question first", "utter_go_ahead"),
     ("faq", "zorblax", "utter_default")],
)  # fmt: skip
async def test_the_dialogue_fallback_is_never_a_dead_end(intent, text, response):
    from rasa_sdk.events import UserUtteranceReverted

    from actions.fallback import ActionDialogueFallback

    d = CollectingDispatcher()
    events = await ActionDialogueFallback().run(d, _said(intent, text), {})
    assert [m["response"] for m in d.messages] == [response]
    assert events == [UserUtteranceReverted()]


@pytest.mark.parametrize(
    "text",
    [
        # written for this test (2026-12-07, #22)
        "My granddaughter came to live with me in the spring. Her dad is gone and she has "
        "not been the same since, she barely talks.",
        "since the move our son wakes up screaming every night and he will not let me out "
        "of his sight",
    ],
)
async def test_a_story_about_a_child_is_heard_and_a_visit_offered(text):
    dispatcher = CollectingDispatcher()
    await ActionNotUnderstood().run(dispatcher, _tracker(text), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_story_heard"]


async def test_a_short_or_questioning_message_is_no_story():
    for text in ("my son", "what do you do with my son in the room? he is 3 and very shy"):
        dispatcher = CollectingDispatcher()
        await ActionNotUnderstood().run(dispatcher, _tracker(text), {})
        assert [m["response"] for m in dispatcher.messages] != ["utter_story_heard"]
