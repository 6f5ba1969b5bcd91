"""Offering open times, booking the chosen one atomically, and confirming it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.booking_common import in_thread, report_error
from actions.booking_form import SKIPPED
from actions.replies_said import replies_after, replies_in_loop
from bot.booking.availability import SlotChoice, find_open_slots, nearest_alternatives
from bot.booking.bookings import BookingRecord, NewCaregiver, book_slot, reschedule_booking
from bot.booking.contact import as_contact
from bot.booking.errors import SlotTaken
from bot.booking.picks import picked_index
from bot.booking.preferences import ANY_TIME, parse_preference
from bot.clinic import get_profile
from bot.db.models import utcnow


def _offer(choices: list[SlotChoice]) -> list[dict[str, Any]]:
    tz = get_profile().tz
    return [{"id": c.slot_id, "label": c.label(tz)} for c in choices]


async def _times_for(tracker: Tracker, wanted: str | None = None) -> tuple[list[SlotChoice], bool]:
    """Open times that fit the caregiver's preference, or (False) the nearest others."""
    text = wanted if wanted is not None else tracker.get_slot("time_preference") or ""
    pref = parse_preference(text) or ANY_TIME
    now = utcnow()
    fitting = await in_thread(find_open_slots, pref, now=now)
    if fitting:
        return fitting, True
    return await in_thread(nearest_alternatives, pref, now), False


class ActionOfferSlots(Action):
    """After the questions: explain an age outside the clinic's range, or find open times."""

    def name(self) -> str:
        return "action_offer_slots"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        months = tracker.get_slot("child_age_months")
        rescheduling = tracker.get_slot("manage_action") == "reschedule"
        if not rescheduling and (months is None or not get_profile().is_age_eligible(months)):
            dispatcher.utter_message(
                text="Would you like someone from our team to reach out and help you find "
                "the right support?",
                buttons=[
                    {"title": "Yes, please", "payload": "/affirm"},
                    {"title": "No, thanks", "payload": "/deny"},
                ],
            )
            return [SlotSet("booking_stage", "ineligible")]
        try:
            choices, fit = await _times_for(tracker)
        except Exception as exc:
            report_error(dispatcher, tracker, exc, "finding open times")
            return [SlotSet("booking_stage", "error")]
        if not choices:
            dispatcher.utter_message(
                text="I'm sorry, there are no open first-visit times in the next few weeks. "
                "Someone from our team can find a time with you."
            )
            return [SlotSet("booking_stage", "no_times_fit")]
        if not fit:
            dispatcher.utter_message(
                text="I couldn't find an open time that matches exactly. "
                "These are the nearest ones."
            )
        return [
            SlotSet("offered_slots", _offer(choices)),
            SlotSet("slot_pick", None),
            SlotSet("booking_stage", "offered"),
        ]


class ActionAskSlotPick(Action):
    """Shows the offered times as buttons, and numbered in the text for SMS."""

    def name(self) -> str:
        return "action_ask_slot_pick"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        offered = tracker.get_slot("offered_slots") or []
        lines = "\n".join(f"{i}. {o['label']}" for i, o in enumerate(offered, start=1))
        dispatcher.utter_message(
            text=f"Here are times that could work (clinic time):\n{lines}\n"
            'Reply with a number to book it, or say "none of these work".',
            buttons=[
                {"title": o["label"], "payload": str(i)} for i, o in enumerate(offered, start=1)
            ],
        )
        return []


def _answers_the_offer(tracker: Tracker) -> bool:
    """Whether the latest message came after the list of times was shown (and no new
    list was made for it: "none of those, anything saturdays?" got fresh times)."""
    seen_user = False
    for event in reversed(tracker.events):
        if not seen_user and event.get("name") == "action_offer_slots":
            return False
        if event.get("event") == "user":
            if seen_user:
                return False
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != "action_listen":
            # The form's own event: it showed the times (action_ask_slot_pick) inside.
            return event.get("name") in ("slot_choice_form", "action_ask_slot_pick")
    return False


def confirmation(record: BookingRecord) -> str:
    profile = get_profile()
    return (
        f"You're booked. Your reference is {record.reference}.\n"
        f"{record.label(profile.tz)} (clinic time), at {profile.address}.\n"
        "This first visit is for getting to know you and your child: the clinician listens "
        "to what has been happening and asks about your child's history, so together you "
        "can decide how CPP could help. You don't have to share everything at once.\n"
        f'To cancel or change it, message "cancel my appointment" with your reference, '
        f"or call {profile.phone}."
    )


class ValidateSlotChoiceForm(FormValidationAction):
    """Books the chosen time at once; if someone else just took it, offers fresh times."""

    def name(self) -> str:
        return "validate_slot_choice_form"

    async def validate_slot_pick(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        offered = tracker.get_slot("offered_slots") or []
        if not _answers_the_offer(tracker):
            # The form was just opened by the caregiver's previous answer ("mornings are
            # best"): that was not a pick, and the times are listed next.
            return {"slot_pick": None}
        index = picked_index(str(value or ""), offered)
        if index is None and parse_preference(str(value or "")) is not None:
            # "10am works", "thursday?" when no listed time is then: a new preference.
            return await self._offer_again(str(value), offered, dispatcher, tracker)
        if index is None:
            said = replies_in_loop(tracker)
            again = "utter_invalid_slot_pick" in said or "utter_way_out_slot_pick" in said
            dispatcher.utter_message(
                response="utter_way_out_slot_pick" if again else "utter_invalid_slot_pick"
            )
            return {"slot_pick": None}
        try:
            record = await self._book(tracker, int(offered[index]["id"]))
        except SlotTaken:
            dispatcher.utter_message(text="I'm sorry, someone else booked that time a moment ago.")
            try:
                choices, _ = await _times_for(tracker)
            except Exception as exc:
                report_error(dispatcher, tracker, exc, "finding open times")
                return {"slot_pick": "error", "booking_stage": "error"}
            if not choices:
                return {"slot_pick": "none", "booking_stage": "no_times_fit"}
            return {"slot_pick": None, "offered_slots": _offer(choices)}
        except Exception as exc:
            report_error(dispatcher, tracker, exc, "booking")
            return {"slot_pick": "error", "booking_stage": "error"}
        dispatcher.utter_message(text=confirmation(record))
        return {
            "slot_pick": str(index + 1),
            "booking_reference": record.reference,
            "booking_stage": "booked",
            "manage_action": None,
        }

    async def _offer_again(
        self,
        wanted: str,
        offered: list[dict[str, Any]],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> dict[str, Any]:
        """Times for a preference said in answer to the list, instead of "didn't catch"."""
        try:
            choices, fit = await _times_for(tracker, wanted)
        except Exception as exc:
            report_error(dispatcher, tracker, exc, "finding open times")
            return {"slot_pick": "error", "booking_stage": "error"}
        fresh = _offer(choices)
        if not fresh or [o["id"] for o in fresh] == [o["id"] for o in offered]:
            if "utter_no_other_times" in replies_in_loop(tracker):
                # Asked twice for times there are none of: as "none of these work" (other
                # days, or a person who finds a time), never the same list again.
                return {"slot_pick": "none"}
            dispatcher.utter_message(response="utter_no_other_times")
            return {"slot_pick": None}
        dispatcher.utter_message(
            text="Here are the open times closest to that."
            if fit
            else "I don't have an opening then. These are the nearest ones."
        )
        return {"slot_pick": None, "offered_slots": fresh, "time_preference": wanted}

    async def _book(self, tracker: Tracker, slot_id: int) -> BookingRecord:
        contact = tracker.get_slot("contact") or ""
        if tracker.get_slot("manage_action") == "reschedule":
            return await in_thread(
                reschedule_booking,
                tracker.get_slot("booking_reference"),
                contact,
                slot_id,
                conversation_id=tracker.sender_id,
            )
        parsed = as_contact(contact)
        caregiver = NewCaregiver(
            first_name=tracker.get_slot("caregiver_name") or "",
            phone=parsed.phone if parsed else None,
            email=parsed.email if parsed else None,
            relationship=tracker.get_slot("relationship"),
            channel_identities={tracker.get_latest_input_channel() or "rest": tracker.sender_id},
            consent=True,  # they gave the contact so the clinic can reach them about this visit
        )
        concern = tracker.get_slot("concern")
        return await in_thread(
            book_slot,
            slot_id,
            caregiver,
            round(float(tracker.get_slot("child_age_months"))),
            None if concern == SKIPPED else concern,
            tracker.sender_id,
        )


class ActionBookingResult(Action):
    """After the choice: nothing more when booked (the confirmation is out); when no time
    fits, mark it so a person is asked to find one."""

    def name(self) -> str:
        return "action_booking_result"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        stage = tracker.get_slot("booking_stage")
        if stage in ("booked", "error"):
            return [SlotSet("booking_stage", stage)]  # the rules branch on it
        if not _times_asked_again(tracker):
            # The first "none of these work": other days and times, before a person, for
            # a booking and a move alike (a move went straight to a person, though the
            # caregiver had more days to offer: dev set bc36, 2026-12-07).
            text = str(tracker.latest_message.get("text") or "")
            dispatcher.utter_message(response=OTHER_TIMES)
            if parse_preference(text) is not None:  # "none of those, anything fridays?"
                return [SlotSet("time_preference", text), SlotSet("booking_stage", None),
                        FollowupAction("action_offer_slots")]  # fmt: skip
            moving = tracker.get_slot("manage_action") == "reschedule"
            return [SlotSet("time_preference", None), SlotSet("booking_stage", None),
                    FollowupAction("reschedule_form" if moving else "booking_form")]  # fmt: skip
        dispatcher.utter_message(
            text="No problem. Someone from our team can find a time that suits you."
        )
        return [SlotSet("booking_stage", "no_times_fit")]


OTHER_TIMES = "utter_other_times"


def _times_asked_again(tracker: Tracker) -> bool:
    """Whether other times were already looked for in this booking (then: a person)."""
    return OTHER_TIMES in replies_after(tracker, _booked)


def _booked(event: dict) -> bool:
    """An earlier booking's search does not count."""
    return (
        event.get("event") == "slot"
        and event.get("name") == "booking_stage"
        and event.get("value") == "booked"
    )
