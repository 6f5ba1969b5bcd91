"""Reflection, journal and reminder actions against a real migrated database."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.journal import ActionDeleteReflections, ActionShowReflections
from actions.reflection import (
    ActionAskReflSave,
    ActionAskReflWhatHappened,
    ActionFinishReflection,
    ValidateReflectionForm,
)
from actions.reminders import ActionSaveReminder, ActionStopReminders, ValidateReminderForm
from bot.booking.availability import list_slots
from bot.booking.bookings import NewCaregiver, book_slot
from bot.booking.seed import seed_demo
from bot.db.models import utcnow
from bot.reflection.journal import list_entries, save_entry
from bot.reflection.owners import owner_keys, primary_key
from bot.reflection.prompts import load_prompts
from bot.reminders.repository import get_active
from bot.settings import get_settings

ANSWERS = {
    "refl_what_happened": "she threw her shoes when we had to leave the park",
    "refl_before": "skipped",
    "refl_child_feeling": "she was sad to go and maybe tired",
    "refl_my_feeling": "I felt overwhelmed and kind of embarrassed",
    "refl_next_time": "give her a warning before we go",
}


def tracker(slots: dict | None = None, text: str = "", intent: str = "", *,
            channel: str = "socketio", sender: str = "web-1", events=(),
            entities=()) -> Tracker:  # fmt: skip
    return Tracker(
        sender_id=sender,
        slots=dict(slots or {}),
        latest_message={"text": text, "intent": {"name": intent}, "entities": list(entities)},
        events=[{"event": "user", "input_channel": channel}, *events],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def user_event(text: str, intent: str, entities=()) -> dict:
    return {
        "event": "user",
        "text": text,
        "input_channel": "socketio",
        "parse_data": {"intent": {"name": intent}, "entities": list(entities)},
    }


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()


def texts(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(m.get("text") or m.get("response") or "" for m in dispatcher.messages)


@pytest.mark.parametrize("answer", ["skip", "Skip this one", "pass", "idk", "no", "", "  "])
def test_every_step_can_be_skipped(answer):
    form = ValidateReflectionForm()
    assert form.validate_refl_before(answer, CollectingDispatcher(), tracker(), {}) == {
        "refl_before": "skipped"
    }


def test_a_real_answer_is_kept_in_the_caregivers_words():
    form = ValidateReflectionForm()
    result = form.validate_refl_my_feeling("I felt   scared, honestly", CollectingDispatcher(),
                                           tracker(), {})  # fmt: skip
    assert result == {"refl_my_feeling": "I felt   scared, honestly"}


async def test_not_saving_means_not_asking_to_share():
    form = ValidateReflectionForm()
    slots = ["refl_what_happened", "refl_save", "refl_share"]
    kept = await form.required_slots(
        slots, CollectingDispatcher(), tracker({"refl_save": False}), {}
    )
    assert kept == ["refl_what_happened", "refl_save"]
    kept = await form.required_slots(
        slots, CollectingDispatcher(), tracker({"refl_save": True}), {}
    )
    assert kept == slots


async def test_the_first_question_uses_a_prompt_for_the_childs_age_and_behaviour():
    start = user_event(
        "my 4 year old hits his sister when she takes his toys",
        "behavior_question",
        [{"entity": "CHILD_AGE", "value": "4 year old"}],
    )
    dispatcher = CollectingDispatcher()
    events = await ActionAskReflWhatHappened().run(dispatcher, tracker(events=[start]), {})
    [prompt_event] = events
    prompt = {p.id: p for p in load_prompts()}[prompt_event["value"]]
    assert (prompt.age_band, prompt.theme) == ("preschool", "biting_hitting")
    assert prompt.text in texts(dispatcher) and "skip" in texts(dispatcher)


async def test_the_summary_mirrors_their_feelings_before_asking_to_save():
    dispatcher = CollectingDispatcher()
    events = await ActionAskReflSave().run(dispatcher, tracker(ANSWERS), {})
    said = texts(dispatcher)
    assert "overwhelmed" in said and "embarrassed" in said and "save" in said
    assert "should" not in said.lower()
    assert events[0]["name"] == "refl_summary" and "overwhelmed" in events[0]["value"]


async def test_finishing_saves_and_shares_only_when_chosen(db):
    slots = {**ANSWERS, "refl_save": True, "refl_share": True, "refl_summary": "It sounds..."}
    dispatcher = CollectingDispatcher()
    events = await ActionFinishReflection().run(dispatcher, tracker(slots, sender="w-9"), {})
    assert "shared it with your clinician" in texts(dispatcher)
    assert all(e["value"] is None for e in events)  # ready for the next reflection
    [entry] = list_entries([primary_key("socketio", "w-9")], url=db)
    assert entry.shared and entry.answers["before"] is None
    assert entry.feelings == ["overwhelmed", "embarrassed"]

    dispatcher = CollectingDispatcher()
    await ActionFinishReflection().run(
        dispatcher, tracker({**ANSWERS, "refl_save": False}, sender="w-10"), {}
    )
    assert "nothing was saved" in texts(dispatcher)
    assert list_entries([primary_key("socketio", "w-10")], url=db) == []


async def test_show_and_delete_only_touch_this_caregivers_entries(db):
    mine, theirs = primary_key("socketio", "me"), primary_key("socketio", "someone-else")
    for key, conversation in ((mine, "me"), (theirs, "someone-else")):
        save_entry(key, conversation, answers={}, summary="It sounds like you felt proud.", url=db)
    dispatcher = CollectingDispatcher()
    await ActionShowReflections().run(dispatcher, tracker(sender="me"), {})
    assert "1. " in texts(dispatcher) and "proud" in texts(dispatcher)
    dispatcher = CollectingDispatcher()
    await ActionDeleteReflections().run(dispatcher, tracker(sender="me"), {})
    assert "deleted 1 saved reflection" in texts(dispatcher)
    assert list_entries([mine], url=db) == [] and len(list_entries([theirs], url=db)) == 1


def test_a_journal_follows_the_caregiver_from_web_to_sms(db):
    """Booked in the web chat with a phone; later texting from that phone sees the entry."""
    seed_demo(utcnow(), url=db)
    slot = list_slots(now=utcnow(), days=21, url=db)[0]
    caregiver = NewCaregiver(
        first_name="Ana", phone="+13125550147", channel_identities={"socketio": "web-7"}
    )
    book_slot(slot.id, caregiver, 30, None, "web-7", url=db)
    save_entry(primary_key("socketio", "web-7"), "web-7", answers={}, summary="x", url=db)
    sms_keys = owner_keys("twilio", "sms-conv", phone="+13125550147", url=db)
    assert len(list_entries(sms_keys, url=db)) == 1
    assert (
        list_entries(owner_keys("twilio", "sms-conv", phone="+13125550000", url=db), url=db) == []
    )


async def test_reminder_schedule_is_checked_kindly(db):
    form, dispatcher = ValidateReminderForm(), CollectingDispatcher()
    asked = tracker({"requested_slot": "reminder_schedule"})
    assert await form.validate_reminder_schedule("whenever", dispatcher, asked, {}) == {
        "reminder_schedule": None
    }
    assert dispatcher.messages[0]["response"] == "utter_invalid_reminder_schedule"
    ok = await form.validate_reminder_schedule("tuesdays at 7pm", CollectingDispatcher(), asked, {})
    assert ok == {"reminder_schedule": "tuesdays at 7pm"}
    quiet = CollectingDispatcher()
    late = await form.validate_reminder_schedule("tuesdays at 11pm", quiet, asked, {})
    assert late == {"reminder_schedule": "Tuesdays at 8:00 PM"}  # the closest allowed time
    assert "stay quiet" in quiet.messages[0]["text"]


async def test_opting_in_changing_and_stopping_reminders(db):
    key = primary_key("socketio", "web-r")
    dispatcher = CollectingDispatcher()
    slots = {"reminder_schedule": "remind me on Mondays and Thursdays at 7pm"}
    await ActionSaveReminder().run(dispatcher, tracker(slots, sender="web-r"), {})
    assert "Mondays and Thursdays at 7:00 PM" in texts(dispatcher)
    first = get_active(key, url=db)
    assert first.weekdays == (0, 3) and first.channel == "socketio"

    await ActionSaveReminder().run(
        CollectingDispatcher(), tracker({"reminder_schedule": "sundays at 6pm"}, sender="web-r"), {}
    )
    changed = get_active(key, url=db)
    assert changed.id == first.id and changed.weekdays == (6,)

    dispatcher = CollectingDispatcher()
    await ActionStopReminders().run(dispatcher, tracker(sender="web-r"), {})
    assert "stopped your reminders" in texts(dispatcher) and get_active(key, url=db) is None
    dispatcher = CollectingDispatcher()
    await ActionStopReminders().run(dispatcher, tracker(sender="web-r"), {})
    assert "don't have any reminders" in texts(dispatcher)


async def test_reminders_in_quiet_hours_are_refused_kindly(db):
    dispatcher = CollectingDispatcher()
    slots = {"reminder_schedule": "every day at 11pm"}
    await ActionSaveReminder().run(dispatcher, tracker(slots, sender="web-q"), {})
    assert get_active(primary_key("socketio", "web-q"), url=db) is None
    assert texts(dispatcher)  # told why, in words a caregiver understands


def test_a_story_that_reads_as_stop_is_the_answer_a_short_stop_is_not():
    form = ValidateReflectionForm()
    story = ("Yesterday he asked whether his mother can see him from heaven. I did not know "
             "what to say and I changed the subject.")  # fmt: skip
    asked = {"requested_slot": "refl_what_happened"}
    got = form.extract_refl_what_happened(None, tracker(asked, story, "stop_form"), None)
    assert got == {"refl_what_happened": story}
    assert form.extract_refl_what_happened(None, tracker(asked, "stop", "stop_form"), None) == {}
    other = tracker({"requested_slot": "refl_before"}, story, "stop_form")
    assert form.extract_refl_what_happened(None, other, None) == {}
