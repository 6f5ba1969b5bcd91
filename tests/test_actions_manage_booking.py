"""Cancelling and moving an appointment: the code and contact, in any order or at once."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.manage_booking import ValidateManageBookingForm
from bot.booking.availability import find_open_slots
from bot.booking.bookings import NewCaregiver, book_slot
from bot.booking.preferences import TimePreference
from bot.booking.reference import reference_in
from bot.db.models import utcnow
from tests.test_actions_booking import responses, tracker


@pytest.mark.parametrize(
    ("text", "reference"),
    [("The code is WG-XUDU38.", "WG-XUDU38"), ("I think it's WG-9WK3TC? that's it", "WG-9WK3TC"),
     ("wg 9wk3tc", "WG-9WK3TC"), ("(WG-7K3F9Q)", "WG-7K3F9Q"), ("cancel 7k3f9q", "WG-7K3F9Q"),
     ("on thursday please", None), ("my number is 312-555-0111", None), ("", None)],
)  # fmt: skip
def test_a_reference_is_read_inside_a_sentence(text, reference):
    assert reference_in(text) == reference


async def test_a_cancel_started_without_a_reference_asks_before_it_scolds():
    # "cancel my appointment" clears the reference and contact; the form must not then
    # answer "that doesn't look like a reference code" for words never given.
    form, d = ValidateManageBookingForm(), CollectingDispatcher()
    assert await form.validate_booking_reference(None, d, tracker(), {}) == {
        "booking_reference": None
    }
    assert await form.validate_contact(None, d, tracker(), {}) == {"contact": None}
    assert d.messages == []


async def test_a_second_answer_that_is_no_reference_offers_the_way_out():
    form = ValidateManageBookingForm()
    first = CollectingDispatcher()
    started = [{"event": "action", "name": "action_start_manage_booking"}]
    result = await form.validate_booking_reference(
        "i dont have it", first, tracker(events=started), {}
    )
    assert result == {"booking_reference": None}
    assert responses(first) == ["utter_invalid_reference"]
    missed = [*started, {"event": "bot", "metadata": {"utter_action": "utter_invalid_reference"}}]
    second = CollectingDispatcher()
    result = await form.validate_booking_reference("no idea", second, tracker(events=missed), {})
    assert result == {"booking_reference": None, "booking_stage": "not_found"}
    assert responses(second) == ["utter_reference_way_out"]


async def test_a_contact_read_before_the_code_is_checked_once_the_code_is_known(seeded):
    # "Move WG-2Z42E6. Contact used: 312-555-0111." fills both at once, contact first.
    free = find_open_slots(TimePreference(), now=utcnow(), limit=1, url=seeded)[0]
    record = book_slot(free.slot_id, NewCaregiver(first_name="Sam", phone="312-555-0111"), 36,
                       None, None, url=seeded)  # fmt: skip
    form, d = ValidateManageBookingForm(), CollectingDispatcher()
    assert await form.validate_contact("312-555-0111", d, tracker(), {}) == {
        "contact": "+13125550111"
    }
    got = await form.validate_booking_reference(
        record.reference, d, tracker({"contact": "+13125550111"}), {}
    )
    # The appointment's first name is known now: a person asked for later won't ask it.
    assert got == {
        "booking_reference": record.reference,
        "booking_stage": "verified",
        "caregiver_name": "Sam",
    }
    assert d.messages == []


async def test_a_move_asked_beside_a_question_starts_moving_after_the_answer():
    """'I need to reschedule ... WG-MCMPVW ... also how long does the program take?':
    the FAQ is answered (intent faq), then the move starts, named, with its reference."""
    from rasa_sdk.events import FollowupAction

    from actions.manage_booking import ActionStartManageBooking

    # written for this test (2026-12-06, #22)
    text = "i need to reschedule my sons appointment WG-MCMPVW, also how long is the program"
    also = [{"entity": "also_asked", "value": "reschedule_booking", "start": 0, "end": 1}]
    events = await ActionStartManageBooking().run(
        CollectingDispatcher(), tracker(text=text, intent="faq", entities=also), {}
    )
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["manage_action"] == "reschedule"
    assert slots["booking_reference"] == "WG-MCMPVW"
    assert FollowupAction("manage_booking_form") in events
    plain = await ActionStartManageBooking().run(
        CollectingDispatcher(), tracker(text="cancel WG-MCMPVW", intent="cancel_booking"), {}
    )
    assert not any(e.get("event") == "followup" for e in plain)  # the rules follow


async def test_a_cancel_that_mentions_booking_again_later_is_a_cancel():
    """'need to cancel... will rebook when i get my new schedule': the move beside the
    cancellation (also_asked) does not turn it into a move."""
    from actions.manage_booking import ActionStartManageBooking

    # written for this test (2026-12-07, #22)
    text = "have to cancel, work changed my shifts. will rebook later"
    also = [{"entity": "also_asked", "value": "reschedule_booking", "start": 0, "end": 1}]
    events = await ActionStartManageBooking().run(
        CollectingDispatcher(), tracker(text=text, intent="cancel_booking", entities=also), {}
    )
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["manage_action"] == "cancel"


async def test_are_you_sure_gives_a_way_out_then_stops_asking():
    """'wi' (Haitian Creole) was asked "yes or no?" six times; an answer that is neither
    now gets the way out the second time and ends the questions the third (#22)."""
    form = ValidateManageBookingForm()
    asked = {"requested_slot": "confirm_manage"}
    said: list[dict] = []
    got = []
    for _ in range(3):
        d = CollectingDispatcher()
        form.validate_confirm_manage("hmm", d, tracker(asked, events=said), {})
        got += responses(d)
        said += [{"event": "bot", "metadata": {"utter_action": r}} for r in responses(d)]
    assert got == [
        "utter_invalid_confirm_manage", "utter_way_out_confirm_manage", "utter_gave_up_asking"
    ]  # fmt: skip


def test_a_move_asked_at_are_you_sure_to_cancel_moves_it_instead():
    """'actually wait. could i move it instead?' at "do you want to cancel it?" got "I
    need a clear yes or no", then "no dont cancel it, i want to move it" stopped
    everything (dev set bc21, 2026-12-07)."""
    form = ValidateManageBookingForm()
    slots = {"requested_slot": "confirm_manage", "manage_action": "cancel"}
    d = CollectingDispatcher()
    said = "actually wait. could i move it instead?"
    got = form.validate_confirm_manage(
        said, d, tracker(slots, text=said, intent="reschedule_booking"), {}
    )
    assert got == {"manage_action": "reschedule", "confirm_manage": "yes"}
    assert "move it instead" in d.messages[0]["text"]


def test_a_cancel_asked_at_are_you_sure_to_move_asks_again_about_cancelling():
    form = ValidateManageBookingForm()
    slots = {"requested_slot": "confirm_manage", "manage_action": "reschedule"}
    d = CollectingDispatcher()
    got = form.validate_confirm_manage(
        "just cancel it", d, tracker(slots, text="just cancel it", intent="cancel_booking"), {}
    )
    assert got == {"manage_action": "cancel", "confirm_manage": None}


async def test_a_code_and_a_contact_in_one_answer_are_both_taken(seeded):
    # "My code is WG-APSF5G and the phone is 312-555-0145" to the code question asked for
    # the contact again (dev set bc34, 2026-12-07).
    free = find_open_slots(TimePreference(), now=utcnow(), limit=1, url=seeded)[0]
    record = book_slot(free.slot_id, NewCaregiver(first_name="Lu", phone="312-555-0145"), 36,
                       None, None, url=seeded)  # fmt: skip
    form, d = ValidateManageBookingForm(), CollectingDispatcher()
    typed = f"My code is {record.reference} and the phone is 312-555-0145"
    got = await form.validate_booking_reference(typed, d, tracker(), {})
    assert got["booking_reference"] == record.reference
    assert got["contact"] == "+13125550145"
    assert got["booking_stage"] == "verified"


async def test_a_move_held_by_a_gentle_check_is_a_move_once_safe():
    # "I need to change the day of my grandsons appointment... I cant drive after they put
    # the drops in" got the check; "we're safe" then cancelled it (dev set bc36, 2026-12-07)
    from actions.manage_booking import ActionStartManageBooking

    checked = {
        "event": "user",
        "text": "I need to change the day of my grandsons appointment",
        "parse_data": {
            "intent": {"name": "safety_check"},
            "safety": {"tier": "check", "answered": "reschedule_booking"},
        },
    }
    events = await ActionStartManageBooking().run(
        CollectingDispatcher(),
        tracker(text="no, we're safe", intent="i_am_safe", events=[checked, {"event": "user"}]),
        {},
    )
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["manage_action"] == "reschedule"
