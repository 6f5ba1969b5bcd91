"""Picking one of the offered times, and what "none of these" leads to."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_slots import OTHER_TIMES, ActionBookingResult, ValidateSlotChoiceForm
from bot.booking.picks import picked_index
from tests.booking_trackers import responses, tracker

OFFERED = [
    {"id": 1, "label": "Ana Ruiz, LCSW — Tue Dec 8, 9:00 AM"},
    {"id": 2, "label": "Marcus Bell, PhD — Thu Dec 10, 2:00 PM"},
    {"id": 3, "label": "Priya Natarajan, LMFT — Fri Dec 11, 10:30 AM"},
]


@pytest.mark.parametrize(
    ("text", "index"),
    [("the tuesday one", 0), ("2pm works", 1), ("thursday please", 1), ("with marcus", 1),
     ("10:30 is good", 2), ("earliest", 0), ("friday at 10:30", 2), ("9am", 0),
     ("none of these work", None), ("saturday", None)],
)  # fmt: skip
def test_picking_a_time_by_what_its_label_shows(text, index):
    assert picked_index(text, OFFERED) == index


async def test_the_first_none_of_these_looks_for_other_times_the_second_asks_a_person():
    from rasa_sdk.events import FollowupAction, SlotSet

    first = await ActionBookingResult().run(
        CollectingDispatcher(), tracker(text="none of those work"), {}
    )
    assert first[-1] == FollowupAction("booking_form")  # asks for days and times again
    assert SlotSet("time_preference", None) in first
    wish = "none of those work srry, do u have anything fridays?"
    named = await ActionBookingResult().run(CollectingDispatcher(), tracker(text=wish), {})
    assert named[-1] == FollowupAction("action_offer_slots")
    assert SlotSet("time_preference", wish) in named
    looked = [{"event": "bot", "metadata": {"utter_action": OTHER_TIMES}}]
    d = CollectingDispatcher()
    second = await ActionBookingResult().run(d, tracker(text="none", events=looked), {})
    assert second == [SlotSet("booking_stage", "no_times_fit")]
    assert "Someone from our team" in d.messages[0]["text"]


async def test_a_move_looks_again_with_new_days_or_asks_for_them():
    from rasa_sdk.events import FollowupAction, SlotSet

    moving = {"manage_action": "reschedule"}
    wish = "NONE OF THOSE WILL DO. IS THERE ANYTHING ON A FRIDAY"  # dev_bc1617, 2026-12-07
    named = await ActionBookingResult().run(CollectingDispatcher(), tracker(moving, text=wish), {})
    assert named[-1] == FollowupAction("action_offer_slots")
    assert SlotSet("time_preference", wish) in named
    plain = await ActionBookingResult().run(
        CollectingDispatcher(), tracker(moving, text="none of those"), {}
    )
    assert plain[-1] == FollowupAction("reschedule_form")  # asks for days and times again
    assert SlotSet("time_preference", None) in plain
    looked = [{"event": "bot", "metadata": {"utter_action": OTHER_TIMES}}]
    second = await ActionBookingResult().run(
        CollectingDispatcher(), tracker(moving, text="none", events=looked), {}
    )
    assert second == [SlotSet("booking_stage", "no_times_fit")]  # then a person finds one


async def test_fresh_times_listed_for_a_none_are_not_checked_against_that_none():
    # "none of those, anything saturdays?" got fresh times: that message picked nothing.
    offered = [{"event": "action", "name": "action_offer_slots"}]
    slots = {"offered_slots": [{"id": 1, "label": "Ana Ruiz, LCSW — Sat Dec 12, 9:00 AM"}]}
    d = CollectingDispatcher()
    got = await ValidateSlotChoiceForm().validate_slot_pick(
        "none of those, anything saturdays?", d, tracker(slots, events=offered), {}
    )
    assert got == {"slot_pick": None} and d.messages == []


async def test_asking_twice_for_times_there_are_none_of_is_none_of_these(monkeypatch):
    import actions.booking_slots as booking_slots

    async def nothing_else(tracker, wanted=None):
        return [], False

    monkeypatch.setattr(booking_slots, "_times_for", nothing_else)
    offered = {"offered_slots": [{"id": 1, "label": "Ana Ruiz, LCSW — Mon Dec 7, 9:00 AM"}]}
    form = ValidateSlotChoiceForm()
    d = CollectingDispatcher()
    first = await form.validate_slot_pick("saturday", d, tracker(offered, "saturday"), {})
    assert first == {"slot_pick": None} and responses(d) == ["utter_no_other_times"]
    said = [{"event": "bot", "metadata": {"utter_action": "utter_no_other_times"}}]
    d = CollectingDispatcher()
    again = await form.validate_slot_pick(
        "saturday", d, tracker(offered, "saturday", events=said), {}
    )
    assert again == {"slot_pick": "none"} and d.messages == []  # then other days, or a person
