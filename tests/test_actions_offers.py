"""A yes or no to the offer that ended the bot's last answer (actions/offers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.offers import ActionFollowOffer, offer_of

ROOT = Path(__file__).resolve().parents[1]
RESPONSES = yaml.safe_load((ROOT / "data" / "nlu" / "faq_responses.yml").read_text())["responses"]
DOMAIN = {"responses": RESPONSES}


def _tracker(intent: str, said: list[str]) -> Tracker:
    events = [{"event": "bot", "text": "...", "metadata": {"utter_action": s}} for s in said]
    return Tracker(
        sender_id="offers",
        slots={},
        latest_message={"text": "x", "intent": {"name": intent}, "entities": []},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


async def _run(intent: str, said: list[str]) -> tuple[list[str], list]:
    dispatcher = CollectingDispatcher()
    events = await ActionFollowOffer().run(dispatcher, _tracker(intent, said), DOMAIN)
    return [m.get("response") for m in dispatcher.messages], events


def test_every_answer_that_offers_something_says_what():
    for name, variations in RESPONSES.items():
        text = variations[0]["text"]
        asks = "Would you like" in text or "Want me to" in text
        assert (offer_of(name, DOMAIN) is not None) == asks, name
        offer = offer_of(name, DOMAIN)
        assert offer in (None, "book", "person") or f"utter_{offer}" in RESPONSES, name


async def test_yes_to_a_topic_gives_that_answer():
    said, _ = await _run("affirm", ["utter_faq/program_length"])
    assert said == ["utter_faq/phases"]


async def test_yes_to_a_first_visit_starts_the_booking():
    said, events = await _run("affirm", ["utter_faq/first_appointment"])
    assert said == [] and events == [FollowupAction("booking_form")]


async def test_no_moves_on_kindly():
    said, events = await _run("deny", ["utter_faq/session_length"])
    assert said == ["utter_no_problem"] and events == []


NOTHING_ON_OFFER = [[], ["utter_greet"], ["utter_faq/session_length", "utter_greet"]]


@pytest.mark.parametrize("said", NOTHING_ON_OFFER)
async def test_yes_with_nothing_on_offer_asks_what_they_would_like(said):
    replies, _ = await _run("affirm", said)
    assert replies == ["utter_ask_how_help"]


async def test_no_with_nothing_on_offer_is_still_a_kind_no():
    said, _ = await _run("deny", ["utter_greet"])
    assert said == ["utter_no_problem"]


async def test_yes_to_a_reminder_offer_starts_the_reminder_questions():
    domain = {
        "responses": {"utter_no_reminders": [{"text": "...", "metadata": {"offer": "reminder"}}]}
    }
    dispatcher = CollectingDispatcher()
    tracker = _tracker("affirm", ["utter_no_reminders"])
    events = await ActionFollowOffer().run(dispatcher, tracker, domain)
    assert dispatcher.messages == [] and events == [FollowupAction("reminder_form")]


async def test_who_for_offers_a_first_visit():
    """ "Would CPP help her?" is answered with who CPP is for, then an offer to book."""
    said, events = await _run("affirm", ["utter_faq/who_for"])
    assert said == [] and events == [FollowupAction("booking_form")]


async def test_yes_after_a_safety_check_between_still_follows_the_answers_offer():
    # "would CPP help him?" got who_for (offers a visit) and a gentle check; "no, we're
    # safe" got warmth; "yes please" is the yes to the visit.
    said = ["utter_faq/who_for", "utter_safety_check_harm_to_child", "utter_glad_safe"]
    _, events = await _run("affirm", said)
    assert events == [FollowupAction("booking_form")]


async def test_yes_with_booking_words_books_whatever_the_answer_offered():
    dispatcher = CollectingDispatcher()
    tracker = _tracker("affirm", ["utter_faq/session_length"])
    tracker.latest_message["text"] = "yeah ok lets book"
    assert await ActionFollowOffer().run(dispatcher, tracker, DOMAIN) == [
        FollowupAction("booking_form")
    ]


async def test_yes_please_call_me_asks_for_a_person():
    dispatcher = CollectingDispatcher()
    tracker = _tracker("affirm", ["utter_faq/languages"])
    tracker.latest_message["text"] = "yes please call me"
    events = await ActionFollowOffer().run(dispatcher, tracker, DOMAIN)
    assert events == [FollowupAction("handoff_form")]
