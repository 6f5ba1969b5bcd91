"""The flag action stores a real flag and survives a database that is down."""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.safety import ActionFlagSafety
from bot.safety.flags import list_flags
from bot.settings import get_settings


def _tracker(sender: str, safety: dict, intent: str) -> Tracker:
    return Tracker(
        sender_id=sender,
        slots={},
        latest_message={"text": "x", "intent": {"name": intent}, "entities": [], "safety": safety},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="utter_crisis_self_harm",
    )


async def test_flag_is_stored_with_evidence_and_source(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    get_settings.cache_clear()
    safety = {"category": "self_harm", "source": "rules", "evidence": ["kill myself"]}
    events = await ActionFlagSafety().run(
        CollectingDispatcher(), _tracker("conv-a", safety, "self_harm"), {}
    )
    get_settings.cache_clear()
    assert events == []
    [flag] = list_flags(conversation_id="conv-a", url=db_url)
    assert (flag.category, flag.evidence, flag.source, flag.status) == (
        "self_harm",
        ["kill myself"],
        "rules",
        "new",
    )


async def test_model_only_detection_is_flagged_from_the_intent(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    get_settings.cache_clear()
    await ActionFlagSafety().run(
        CollectingDispatcher(), _tracker("conv-b", {}, "domestic_violence"), {}
    )
    get_settings.cache_clear()
    [flag] = list_flags(conversation_id="conv-b", url=db_url)
    assert (flag.category, flag.source) == ("domestic_violence", "model")


async def test_database_down_is_logged_without_words_and_does_not_raise(monkeypatch, caplog):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg2://nobody@127.0.0.1:1/none")
    get_settings.cache_clear()
    caplog.set_level(logging.ERROR)
    safety = {"category": "self_harm", "source": "rules", "evidence": ["kill myself"]}
    events = await ActionFlagSafety().run(
        CollectingDispatcher(), _tracker("+15550001111", safety, "self_harm"), {}
    )
    get_settings.cache_clear()
    assert events == []
    assert "SAFETY FLAG NOT STORED" in caplog.text
    assert "kill myself" not in caplog.text and "5550001111" not in caplog.text


async def test_two_dangers_are_both_named_and_both_flagged(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    get_settings.cache_clear()
    safety = {"category": "domestic_violence", "source": "rules", "evidence": ["he hit me"],
              "also": ["harm_to_child"]}  # fmt: skip
    dispatcher = CollectingDispatcher()
    await ActionFlagSafety().run(dispatcher, _tracker("conv-two", safety, "domestic_violence"), {})
    get_settings.cache_clear()
    assert [m["response"] for m in dispatcher.messages] == ["utter_crisis_also_harm_to_child"]
    flags = list_flags(conversation_id="conv-two", url=db_url)
    assert sorted(f.category for f in flags) == ["domestic_violence", "harm_to_child"]


async def test_a_crisis_message_that_asks_for_a_call_goes_on_to_the_request(db_url, monkeypatch):
    """'...he can't find us here. i'd like someone to call me please': the crisis reply,
    then the urgent request for a person, not a lost request (issue #21/#22)."""
    from rasa_sdk.events import FollowupAction

    monkeypatch.setenv("DATABASE_URL", db_url)
    get_settings.cache_clear()
    tracker = _tracker("conv-call", {"category": "domestic_violence"}, "domestic_violence")
    tracker.latest_message["text"] = "he found us again last night. can someone call me please"
    dispatcher = CollectingDispatcher()
    events = await ActionFlagSafety().run(dispatcher, tracker, {})
    get_settings.cache_clear()
    assert events == [FollowupAction("handoff_form")]
    assert [m.get("response") for m in dispatcher.messages] == ["utter_contact_person"]
