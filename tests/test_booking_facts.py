"""The booking questions use what was said before, take corrections, and "are you sure?"
comes before a cancel (actions/booking_facts.py, actions/manage_booking.py)."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_form import ValidateBookingForm
from actions.manage_booking import (
    ActionAskConfirmManage,
    ActionStartManageBooking,
    ValidateManageBookingForm,
)
from bot.nlp.short_replies import yes_or_no

DOMAIN = {
    "forms": {
        "booking_form": {
            "required_slots": [
                "caregiver_name", "relationship", "child_age", "concern", "contact",
                "time_preference",
            ]
        }
    }
}  # fmt: skip


def form_tracker(said: list[str], slots: dict | None = None, requested: str | None = None,
                 intent: str = "", extracted: dict | None = None) -> Tracker:  # fmt: skip
    """A conversation where the caregiver said ``said`` (the last is the latest message)."""
    events: list[dict] = [{"event": "session_started"}]
    for text in said:
        events += [{"event": "action", "name": "action_listen"},
                   {"event": "user", "text": text, "input_channel": "rest"}]  # fmt: skip
    events += [SlotSet(k, v) for k, v in (extracted or {}).items()]
    return Tracker(
        sender_id="conv-facts",
        slots={"requested_slot": requested, **(slots or {})},
        latest_message={"text": said[-1], "intent": {"name": intent}, "entities": []},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": "booking_form"} if requested else {},
        latest_action_name="action_listen",
    )


def set_slots(events: list) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def test_facts_said_before_the_booking_are_used_and_said_back():
    form = ValidateBookingForm()
    said = [
        "Morning. My name is Ruth and I look after my grandson full time, he is four years old.",
        "I would like to make an appointment please",
    ]
    d = CollectingDispatcher()
    events = await form.run(d, form_tracker(said), DOMAIN)
    slots = set_slots(events)
    assert slots["caregiver_name"] == "Ruth"
    assert slots["relationship"] == "grandparent"
    assert slots["child_age_months"] == 48
    [said] = d.messages
    assert said["response"] == "utter_booking_facts_said_back"
    note = said["said_back"]
    assert "Ruth" in note and "4 years old" in note and "not right" in note


async def test_a_booking_request_said_again_mid_form_answers_the_questions():
    said = [
        "ok yes",
        "i want to book a first visit for my son, hes 2. im his dad, Marco",
    ]
    d = CollectingDispatcher()
    tracker = form_tracker(said, requested="caregiver_name", intent="book_appointment")
    slots = set_slots(await ValidateBookingForm().run(d, tracker, DOMAIN))
    assert slots["caregiver_name"] == "Marco"
    assert slots["relationship"] == "father"
    assert slots["child_age_months"] == 24
    [note] = d.messages
    assert "I'd be glad" not in note["said_back"]  # the questions had begun: no new opening
    assert "Marco" in note["said_back"] and "2 years old" in note["said_back"]


async def test_facts_beside_the_answer_on_screen_answer_their_questions_too():
    said = ["book a visit", "I'm Sam, my daughter (3) has nightmares"]
    tracker = form_tracker(said, requested="caregiver_name", intent="inform")
    slots = set_slots(await ValidateBookingForm().run(CollectingDispatcher(), tracker, DOMAIN))
    assert slots["child_age_months"] == 36  # the name is the answer on screen (its mapping)


async def test_nothing_said_before_asks_as_usual():
    d = CollectingDispatcher()
    events = await ValidateBookingForm().run(d, form_tracker(["book a visit"]), DOMAIN)
    assert set_slots(events).get("child_age") is None and d.messages == []


async def test_a_correction_changes_the_age_not_the_question_on_screen():
    slots = {"caregiver_name": "Dev", "child_age": "3", "child_age_months": 36.0}
    text = "ugh i meant hes 2 not 3, autocorrect. 3 in june"
    tracker = form_tracker(
        ["appointment for my son, hes 3", "Dev", text],
        slots,
        requested="relationship",
        extracted={"relationship": text},
    )
    d = CollectingDispatcher()
    events = await ValidateBookingForm().run(d, tracker, DOMAIN)
    slots = set_slots(events)
    assert slots["child_age_months"] == 24
    assert slots["relationship"] is None  # asked again, not filled with the correction
    assert "2 years old" in d.messages[0]["text"]


@pytest.mark.parametrize(
    ("intent", "text", "answer"),
    [
        ("affirm", "yes", "yes"),
        ("cancel_booking", "yes cancel it", "yes"),
        ("", "yep", "yes"),
        ("", "no keep it", "no"),
        ("deny", "nah", "no"),
        ("", "what time was it again", None),
    ],
)
def test_yes_or_no(intent, text, answer):
    assert yes_or_no(intent, text) == answer


def manage_tracker(slots: dict, text: str = "", intent: str = "") -> Tracker:
    return Tracker(
        sender_id="conv-confirm",
        slots=slots,
        latest_message={"text": text, "intent": {"name": intent}, "entities": []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": "manage_booking_form"},
        latest_action_name="action_listen",
    )


async def test_cancel_asks_are_you_sure_naming_the_appointment(seeded):
    d = CollectingDispatcher()
    state = {"booking_reference": "WG-NOSUCH", "contact": "+13125550147", "manage_action": "cancel"}
    await ActionAskConfirmManage().run(d, manage_tracker(state), {})
    [asked] = d.messages
    assert "cancel it?" in asked["text"]
    assert [b["payload"] for b in asked["buttons"]] == ["/affirm", "/deny"]


def test_a_typed_no_keeps_the_appointment():
    d = CollectingDispatcher()
    form = ValidateManageBookingForm()
    kept = form.validate_confirm_manage("no keep it", d, manage_tracker({}, "no keep it"), {})
    assert kept == {"confirm_manage": "no", "booking_stage": "kept"}
    assert d.messages[0]["response"] == "utter_manage_stopped"
    d = CollectingDispatcher()
    asked = {"requested_slot": "confirm_manage"}
    unclear = form.validate_confirm_manage("hmm", d, manage_tracker(asked, "hmm"), {})
    assert unclear == {"confirm_manage": None}
    assert d.messages[0]["response"] == "utter_invalid_confirm_manage"


async def test_yes_cancel_it_at_are_you_sure_is_the_yes_not_a_restart():
    state = {"manage_action": "cancel", "requested_slot": "confirm_manage",
             "booking_reference": "WG-7K3F9Q"}  # fmt: skip
    events = await ActionStartManageBooking().run(
        CollectingDispatcher(),
        manage_tracker(state, "yes cancel it", "cancel_booking"),
        {},
    )
    assert set_slots(events) == {"confirm_manage": "yes"}


def test_the_second_answer_that_does_not_fit_gets_a_way_out():
    """A number the phone library refuses twice: the way out, not the same re-ask forever."""
    bot_said = {
        "event": "bot",
        "text": "...",
        "metadata": {"utter_action": "utter_invalid_contact"},
    }
    tracker = Tracker(
        sender_id="conv-way-out",
        slots={"requested_slot": "contact"},
        latest_message={"text": "123", "intent": {"name": "inform"}, "entities": []},
        events=[{"event": "active_loop", "name": "booking_form"}, bot_said],
        paused=False,
        followup_action=None,
        active_loop={"name": "booking_form"},
        latest_action_name="action_listen",
    )
    d = CollectingDispatcher()
    assert ValidateBookingForm().validate_contact("123", d, tracker, {}) == {"contact": None}
    assert d.messages[0]["response"] == "utter_way_out_contact"


async def test_what_has_been_going_on_is_carried_and_not_asked_again():
    said = [
        "hi there, my son is 2 and ever since the apartment fire he wakes up screaming "
        "and wont let me out of his sight",
        "can we book a visit",
    ]
    d = CollectingDispatcher()
    events = await ValidateBookingForm().run(d, form_tracker(said), DOMAIN)
    slots = set_slots(events)
    assert slots["concern"].startswith("hi there, my son is 2 and ever since the apartment fire")
    assert slots["child_age_months"] == 24
    assert "what you wrote about what has been going on" in d.messages[0]["said_back"]


async def test_days_and_times_offered_in_passing_are_used():
    said = ["Good evening. I would like to schedule an intake for my daughter, age 2. "
            "I am her father. Available weekday mornings."]  # fmt: skip
    d = CollectingDispatcher()
    slots = set_slots(await ValidateBookingForm().run(d, form_tracker(said), DOMAIN))
    assert slots["time_preference"] == "Available weekday mornings"
    assert 'times that fit "Available weekday mornings"' in d.messages[0]["said_back"]


async def test_an_age_the_nlu_cut_short_is_read_from_the_sentence_without_a_scolding():
    # The age entity read "age 22" (years, out of range) from "age 22 months".
    said = ["Referral: Sofia R., age 22 months, tantrums since deployment. I'm her mom, Ana. "
            "How do I book the first visit?"]  # fmt: skip
    d = CollectingDispatcher()
    tracker = form_tracker(said, extracted={"child_age": "age 22"})
    slots = set_slots(await ValidateBookingForm().run(d, tracker, DOMAIN))
    assert slots["child_age_months"] == 22 and slots["caregiver_name"] == "Ana"
    assert not any((m.get("response") or "").startswith("utter_invalid") for m in d.messages)


async def test_an_age_answer_that_names_another_child_too_takes_the_first():
    text = "Caleb is four. His sister is six, but it is Caleb I am most worried about."
    tracker = form_tracker(["book a visit", text], requested="child_age", intent="faq")
    slots = set_slots(await ValidateBookingForm().run(CollectingDispatcher(), tracker, DOMAIN))
    assert slots["child_age_months"] == 48


async def test_a_story_that_reads_as_a_question_about_cpp_answers_what_has_been_going_on():
    text = ("he was removed from his home in october, he screams when I leave the room and "
            "barely sleeps. caseworker recommended this")  # fmt: skip
    tracker = form_tracker(["book a visit", text], requested="concern", intent="faq")
    slots = set_slots(await ValidateBookingForm().run(CollectingDispatcher(), tracker, DOMAIN))
    assert slots["concern"] == text
    asked = form_tracker(["book a visit", "how long is each session and do you take medicaid?"],
                         requested="concern", intent="faq")  # fmt: skip
    slots = set_slots(await ValidateBookingForm().run(CollectingDispatcher(), asked, DOMAIN))
    assert slots.get("concern") is None  # a question: answered, then asked again


async def test_a_number_with_please_leave_a_message_answers_the_contact_question():
    text = "My home telephone is 312 263-8810. Please leave a message if I do not pick up."
    tracker = form_tracker(["book a visit", text], requested="contact", intent="request_person")
    slots = set_slots(await ValidateBookingForm().run(CollectingDispatcher(), tracker, DOMAIN))
    assert slots["contact"] == "+13122638810"


async def test_the_opening_line_comes_before_the_facts_when_the_name_is_still_to_come():
    said = [
        "I look after my grandson full time, he is four years old.",
        "I would like to make an appointment please",
    ]
    d = CollectingDispatcher()
    events = await ValidateBookingForm().run(d, form_tracker(said), DOMAIN)
    [note] = d.messages
    assert note["said_back"].startswith("I'd be glad to help you book a first visit with one")
    assert note["said_back"].index("I'd be glad") < note["said_back"].index("From what")
    # The name question then asks the name alone (domain.yml: booking_intro_said).
    assert set_slots(events)["booking_intro_said"] is True


def _contact_tracker(text: str, misses: list[str]) -> Tracker:
    said = [{"event": "bot", "text": "...", "metadata": {"utter_action": name}} for name in misses]
    return Tracker(
        sender_id="conv-misses",
        slots={"requested_slot": "contact"},
        latest_message={"text": text, "intent": {"name": "inform"}, "entities": []},
        events=[
            {"event": "active_loop", "name": "booking_form"},
            *said,
            {"event": "user", "text": text},
            {"event": "slot", "name": "contact", "value": text},
        ],
        paused=False,
        followup_action=None,
        active_loop={"name": "booking_form"},
        latest_action_name="action_listen",
    )


def test_a_seven_digit_number_is_read_with_the_clinics_area_code_and_said_back():
    # written for this test (2026-12-06, #22): a local number said without its area code
    d = CollectingDispatcher()
    text = "my home phone is 555-0142"
    assert ValidateBookingForm().validate_contact(text, d, _contact_tracker(text, []), {}) == {
        "contact": "+13125550142"
    }
    assert d.messages[0]["response"] == "utter_contact_area_code_assumed"
    assert d.messages[0]["number"] == "(312) 555-0142"


def test_without_a_local_area_code_a_seven_digit_number_is_asked_for_in_full(monkeypatch):
    import actions.booking_form as booking_form

    profile = booking_form.get_profile().copy(update={"local_area_code": None})
    monkeypatch.setattr(booking_form, "get_profile", lambda: profile)
    d = CollectingDispatcher()
    text = "555 0148"
    assert ValidateBookingForm().validate_contact(text, d, _contact_tracker(text, []), {}) == {
        "contact": None
    }
    assert d.messages[0]["response"] == "utter_contact_needs_area_code"


async def test_the_third_answer_that_does_not_fit_ends_the_questions():
    """After the way out, the same question is not asked a fourth time: the form stops
    and the bot listens (issue #22: 'asked again forever')."""
    misses = ["utter_invalid_contact", "utter_way_out_contact"]
    tracker = _contact_tracker("call me on the landline", misses)
    d = CollectingDispatcher()
    events = await ValidateBookingForm().run(d, tracker, DOMAIN)
    assert d.messages[-1]["response"] == "utter_gave_up_asking"
    kinds = [(e["event"], e.get("name")) for e in events]
    assert ("active_loop", None) in kinds and ("followup", "action_listen") in kinds
    assert set_slots(events)["requested_slot"] is None


async def test_an_answer_that_does_not_fit_twice_still_asks_again():
    tracker = _contact_tracker("call me on the landline", ["utter_invalid_contact"])
    d = CollectingDispatcher()
    events = await ValidateBookingForm().run(d, tracker, DOMAIN)
    assert d.messages[-1]["response"] == "utter_way_out_contact"
    assert not any(e["event"] == "active_loop" for e in events)
