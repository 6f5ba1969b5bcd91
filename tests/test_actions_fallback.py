"""A message not understood gets a question back when it names a booking (actions/fallback.py)."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionNotUnderstood, names_a_booking


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
