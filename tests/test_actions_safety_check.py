"""The gentle check's actions: answer, one line of help, the question; yes is the protocol."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.replies_said import after_violence_reply
from actions.safety_check import ActionSafetyCheck, ActionSafetyConfirmed, answer_response
from bot.safety.flags import list_flags
from bot.settings import get_settings


def _tracker(sender: str, message: dict, slots: dict | None = None, events=None) -> Tracker:
    return Tracker(
        sender_id=sender,
        slots=slots or {},
        latest_message={"text": "x", "entities": [], **message},
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def _faq(topic: str) -> dict:
    return {"faq": {"response": {"intent_response_key": f"faq/{topic}"}}}


def test_the_question_asked_is_answered_first():
    asked = {"safety": {"answered": "faq"}, "response_selector": _faq("privacy")}
    assert answer_response(asked) == "utter_faq/privacy"
    assert answer_response({"safety": {"answered": "medical_question"}}) == (
        "utter_medical_refusal"
    )
    assert answer_response({"safety": {"answered": "greet"}}) is None


async def test_the_check_answers_asks_and_is_logged_without_an_alert(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    get_settings.cache_clear()
    dispatcher = CollectingDispatcher()
    message = {
        "intent": {"name": "safety_check"},
        "safety": {
            "tier": "check",
            "check_category": "medical_emergency",
            "answered": "faq",
            "evidence": ["swallowed a battery"],
            "source": "rules",
        },
        "response_selector": _faq("first_appointment"),
    }
    events = await ActionSafetyCheck().run(dispatcher, _tracker("conv-c1", message), {})
    get_settings.cache_clear()
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_faq/first_appointment",
        "utter_safety_check_medical_emergency",
    ]
    assert events[0]["name"] == "safety_check_category"
    assert events[0]["value"] == "medical_emergency"
    [flag] = list_flags(conversation_id="conv-c1", url=db_url)
    assert (flag.tier, flag.category, flag.status) == ("check", "medical_emergency", "new")


async def test_yes_at_the_check_is_the_full_protocol(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    get_settings.cache_clear()
    dispatcher = CollectingDispatcher()
    tracker = _tracker("conv-c2", {"intent": {"name": "affirm"}},
                       {"safety_check_category": "domestic_violence"})  # fmt: skip
    events = await ActionSafetyConfirmed().run(dispatcher, tracker, {})
    get_settings.cache_clear()
    assert [m["response"] for m in dispatcher.messages] == ["utter_crisis_domestic_violence"]
    assert events[0]["value"] is None
    [flag] = list_flags(conversation_id="conv-c2", url=db_url)
    assert (flag.tier, flag.category, flag.source) == ("full", "domestic_violence", "check")


async def test_yes_without_a_known_check_gets_the_general_crisis_reply():
    dispatcher = CollectingDispatcher()
    await ActionSafetyConfirmed().run(dispatcher, _tracker("conv-c3", {}), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_crisis_general"]


def test_after_the_violence_reply_the_contact_question_asks_if_it_is_safe():
    said = [{"event": "bot", "metadata": {"utter_action": "utter_crisis_domestic_violence"}}]
    assert after_violence_reply(_tracker("conv-c4", {}, events=said))
    other = [{"event": "bot", "metadata": {"utter_action": "utter_crisis_self_harm"}}]
    assert not after_violence_reply(_tracker("conv-c4", {}, events=other))
    asked = [*said, {"event": "bot", "metadata": {"utter_action": "utter_ask_safe_to_contact"}}]
    assert not after_violence_reply(_tracker("conv-c4", {}, events=asked))  # asked once


def test_the_form_a_check_closed_is_resumed_after_no():
    from actions.safety_check import form_before_check

    def tracker(events):
        return _tracker("c", {}, events=events)

    inside = [
        {"event": "active_loop", "name": "booking_form"},
        {"event": "user", "text": "she cries and won't eat since her mom's hospital stay"},
        {"event": "action", "name": "action_deactivate_loop"},
        {"event": "active_loop", "name": None},
        {"event": "action", "name": "action_safety_check"},
        {"event": "user", "text": "no we're safe"},
    ]
    assert form_before_check(tracker(inside)) == "booking_form"
    outside = [
        {"event": "active_loop", "name": "booking_form"},
        {"event": "active_loop", "name": None},
        {"event": "user", "text": "what if he stops breathing"},
        {"event": "action", "name": "action_safety_check"},
    ]
    assert form_before_check(tracker(outside)) is None


def test_a_request_the_check_broke_in_on_starts_after_no():
    from actions.safety_check import request_before_check

    check = {
        "event": "user",
        "text": "need to book a first visit, since the fire he hits other kids",
        "parse_data": {"intent": {"name": "safety_check"},
                       "safety": {"answered": "book_appointment"}},
    }  # fmt: skip
    no = {"event": "user", "text": "no", "parse_data": {"intent": {"name": "deny"}, "safety": {}}}
    events = [check, {"event": "action", "name": "action_safety_check"}, no]
    assert request_before_check(_tracker("c", {}, events=events)) == "booking_form"


async def test_a_story_the_check_broke_in_on_is_kept_as_the_answer():
    from actions.safety_check import ActionResumeForm

    events = [
        {"event": "active_loop", "name": "reflection_form"},
        {"event": "slot", "name": "requested_slot", "value": "refl_what_happened"},
        {"event": "user", "text": "he threw his cup at me at dinner"},
        {"event": "action", "name": "action_deactivate_loop"},
        {"event": "active_loop", "name": None},
        {"event": "action", "name": "action_safety_check"},
        {"event": "user", "text": "no, we're safe"},
    ]
    tracker = _tracker("c", {"intent": {"name": "i_am_safe"}}, events=events)
    got = await ActionResumeForm().run(CollectingDispatcher(), tracker, {})
    assert got[0] == SlotSet("refl_what_happened", "he threw his cup at me at dinner")
    assert got[1] == FollowupAction("reflection_form")


def test_stopping_reminders_the_check_broke_in_on_happens_after_no():
    from actions.safety_check import request_before_check

    check = {
        "event": "user",
        "text": "ok please stop them, the placement is ending next week",
        "parse_data": {"intent": {"name": "safety_concern"},
                       "safety": {"answered": "stop_reminders"}},
    }  # fmt: skip
    events = [check, {"event": "action", "name": "action_safety_check"}]
    tracker = _tracker("c", {}, events=events)
    assert request_before_check(tracker) == "action_stop_reminders"


def test_a_check_from_the_encoder_alone_gives_the_general_line():
    """A story of a child's hard times read by the encoder alone as close to danger gets
    911 and 988, not a hotline for a danger no one named (dev set bc23, #21/#22)."""
    from actions.safety_check import check_response

    alone = {"intent": {"name": "safety_concern"}}
    named = {"intent": {"name": "safety_check"}}
    assert check_response(alone, "harm_to_child") == "utter_safety_check_general"
    assert check_response(named, "harm_to_child") == "utter_safety_check_harm_to_child"


async def test_the_encoders_concern_asks_once_then_the_request_goes_on(db_url, monkeypatch):
    """After "we're safe", a second vague concern (the encoder alone) asks nothing more:
    the question is answered or the booking it asked for starts (dev set bc23, #22)."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    get_settings.cache_clear()
    earlier = [
        {"event": "action", "name": "action_safety_check"},
        {"event": "user", "parse_data": {"intent": {"name": "i_am_safe"}}},
    ]
    message = {"intent": {"name": "safety_concern"},
               "safety": {"tier": "check", "answered": "book_appointment"}}  # fmt: skip
    dispatcher = CollectingDispatcher()
    events = await ActionSafetyCheck().run(
        dispatcher, _tracker("conv-c9", message, events=earlier), {}
    )
    get_settings.cache_clear()
    assert dispatcher.messages == [] and events == [FollowupAction("booking_form")]
    assert list_flags(conversation_id="conv-c9", url=db_url) == []


async def test_the_next_answer_after_a_check_in_a_form_is_taken_as_its_answer():
    """'text me at 415 555 0143' after a check broke in at the contact question was
    thanked as a fact and the booking lost (found in the browser, 2026-12-07): the form
    goes on, with that message read as the answer to the question on screen."""
    from actions.safety_check import ActionResumeForm

    events = [
        {"event": "active_loop", "name": "booking_form"},
        {"event": "slot", "name": "requested_slot", "value": "contact"},
        {"event": "user", "text": "she cries at daycare drop off every day"},
        {"event": "action", "name": "action_deactivate_loop"},
        {"event": "active_loop", "name": None},
        {"event": "action", "name": "action_safety_check"},
        {"event": "user", "text": "text me at 415 555 0143"},
    ]
    tracker = _tracker("c", {}, events=events)
    tracker.latest_message = {"text": "text me at 415 555 0143", "intent": {"name": "inform"}}
    dispatcher = CollectingDispatcher()
    got = await ActionResumeForm().run(dispatcher, tracker, {})
    assert got == [SlotSet("requested_slot", "contact"), FollowupAction("booking_form")]
    assert dispatcher.messages == []  # no "let's pick up": the caregiver never stopped


async def test_a_fact_after_a_check_outside_a_form_is_thanked_and_a_visit_offered():
    from actions.safety_check import ActionResumeForm

    events = [
        {"event": "user", "text": "since the move he is very quiet",
         "parse_data": {"intent": {"name": "safety_concern"},
                        "safety": {"answered": "behavior_question"}}},
        {"event": "action", "name": "action_safety_check"},
        {"event": "user", "text": "my name is Ana, he is 3"},
    ]  # fmt: skip
    tracker = _tracker("c", {}, events=events)
    tracker.latest_message = {"text": "my name is Ana, he is 3", "intent": {"name": "inform"}}
    dispatcher = CollectingDispatcher()
    assert await ActionResumeForm().run(dispatcher, tracker, {}) == []
    assert [m.get("response") for m in dispatcher.messages] == ["utter_context_noted"]


def test_the_wish_to_book_beside_a_question_the_check_answered_starts_after_no():
    """'...we'd like to get him an appointment... Best number for me is 312-219-6647'
    was answered as a contact question, checked, and after "we're safe" nothing (dev set
    bc26, 2026-12-07)."""
    from actions.safety_check import request_before_check

    def checked(text):
        return {"event": "user", "text": text,
                "parse_data": {"intent": {"name": "safety_concern"},
                               "safety": {"answered": "faq"}}}  # fmt: skip

    wish = checked("we'd like to get him an appointment, he's been struggling since the move")
    events = [wish, {"event": "action", "name": "action_safety_check"}]
    assert request_before_check(_tracker("c", {}, events=events)) == "booking_form"
    cost = checked("how much is an appointment? he's been struggling since the move")
    events = [cost, {"event": "action", "name": "action_safety_check"}]
    assert request_before_check(_tracker("c", {}, events=events)) is None
