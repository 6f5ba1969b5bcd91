"""Cancel or reschedule a booking: the reference code and the contact on file must match."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.booking_common import answered_before_check, in_thread, last_intent, report_error
from actions.booking_form import StopsAfterMisses, check_contact, missed
from actions.replies_said import replies_since
from bot.booking.bookings import cancel_booking, find_booking
from bot.booking.contact import parse_contact
from bot.booking.errors import BookingError
from bot.booking.preferences import ANY_TIME, parse_preference
from bot.booking.reference import normalize_reference, reference_in
from bot.clinic import get_profile
from bot.nlp.short_replies import yes_or_no

INVALID_REFERENCE = "utter_invalid_reference"
MAX_MISSES = 2  # answers that don't fit before the way out is offered instead


class ActionStartManageBooking(Action):
    """Remembers whether the caregiver wants to cancel or move, and starts fresh checks.

    "Yes, cancel it" typed at "are you sure?" reads as asking to cancel again: that is
    the yes, not a new start.
    """

    def name(self) -> str:
        return "action_start_manage_booking"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # The intent, or the request asked beside a question answered first (actions/faq.py).
        asked = {last_intent(tracker)} | {
            e.get("value")
            for e in tracker.latest_message.get("entities") or []
            if e.get("entity") == "also_asked"
        }
        # The request itself decides: "need to cancel... will rebook when i get my new
        # schedule" is a cancellation with a move mentioned beside it.
        main = last_intent(tracker)
        if main not in ("cancel_booking", "reschedule_booking"):
            # Started after a gentle check ("I need to change the day... I cant drive after
            # they put the drops in" got the check; "we're safe" then cancelled the visit
            # instead of moving it, dev set bc36, 2026-12-07): the request the check held.
            main = answered_before_check(tracker) or main
        moving_asked = main == "reschedule_booking" or (
            main != "cancel_booking" and "reschedule_booking" in asked
        )
        wanted = "reschedule" if moving_asked else "cancel"
        if _asking_confirm(tracker) and wanted == tracker.get_slot("manage_action"):
            return [SlotSet("confirm_manage", "yes")]
        text = str(tracker.latest_message.get("text") or "")
        reference = reference_in(text)
        said = parse_contact(text)
        contact = (said.phone or said.email) if said else None
        if reference is None and tracker.get_slot("booking_stage") == "booked":
            # "wait, can I move it?" right after booking: the appointment just made.
            reference = tracker.get_slot("booking_reference")
            contact = contact or tracker.get_slot("contact")
        when = parse_preference(text)
        moving = wanted == "reschedule"
        # Started by the rules after "cancel my appointment", the form follows by rule;
        # started as a second act (after an FAQ answer, or after a gentle check) it must
        # be named, as no rule follows those.
        started_aside = last_intent(tracker) not in ("cancel_booking", "reschedule_booking")
        return [
            *([FollowupAction("manage_booking_form")] if started_aside else []),
            SlotSet("manage_action", wanted),
            SlotSet("booking_reference", reference),
            SlotSet("contact", contact),
            SlotSet("confirm_manage", None),
            SlotSet("booking_stage", None),
            # "move it to a thursday afternoon": the new times are already said.
            SlotSet("time_preference", text if moving and when and when != ANY_TIME else None),
        ]


def _asking_confirm(tracker: Tracker) -> bool:
    return (tracker.active_loop or {}).get("name") == "manage_booking_form" and (
        tracker.get_slot("requested_slot") == "confirm_manage"
    )


async def _looked_up(
    reference: str, contact: str, dispatcher: CollectingDispatcher, tracker: Tracker
) -> dict[str, Any]:
    """The booking stage once both the code and the contact are known."""
    try:
        found = await in_thread(find_booking, reference, contact)
    except Exception as exc:
        report_error(dispatcher, tracker, exc, "finding a booking")
        return {"booking_stage": "not_found"}
    if found is None or found.status != "confirmed":
        dispatcher.utter_message(response="utter_booking_not_found")
        return {"booking_stage": "not_found"}
    if tracker.get_slot("caregiver_name") is None and found.caregiver_first_name:
        # Known from the appointment: a person asked for later (no new time fits) does
        # not ask the caregiver's name again.
        return {"booking_stage": "verified", "caregiver_name": found.caregiver_first_name}
    return {"booking_stage": "verified"}


class ValidateManageBookingForm(StopsAfterMisses, FormValidationAction):
    def name(self) -> str:
        return "validate_manage_booking_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if tracker.get_slot("booking_stage") in ("not_found", "kept", "error"):
            return []
        return domain_slots

    async def validate_booking_reference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not str(value or "").strip():
            return {"booking_reference": None}  # not given yet: asked, never scolded
        typed = str(value or "").strip()
        # The answer itself may be the code with no digit in it ("wg abcdef").
        reference = reference_in(typed) or (
            normalize_reference(typed) if len(typed.split()) <= 2 else None
        )
        if reference is not None:
            contact = tracker.get_slot("contact")
            # "My code is WG-APSF5G and the phone is 312-555-0145" to the code question:
            # the contact too, not asked again (dev set bc34, 2026-12-07).
            said = None if contact else parse_contact(typed)
            given = (said.phone or said.email) if said else None
            if given and tracker.get_slot("booking_stage") != "verified":
                found = await _looked_up(reference, given, dispatcher, tracker)
                return {"booking_reference": reference, "contact": given, **found}
            if contact and tracker.get_slot("booking_stage") != "verified":
                # The contact came first (both in one message): the booking is looked up now.
                return {"booking_reference": reference,
                        **await _looked_up(reference, contact, dispatcher, tracker)}  # fmt: skip
            return {"booking_reference": reference}
        misses = replies_since(tracker, "action_start_manage_booking").count(INVALID_REFERENCE)
        if misses + 1 >= MAX_MISSES:
            # Not asked a third time: the way out (call us, or a person) and the form ends.
            dispatcher.utter_message(response="utter_reference_way_out")
            return {"booking_reference": None, "booking_stage": "not_found"}
        dispatcher.utter_message(response=INVALID_REFERENCE)
        return {"booking_reference": None}

    async def validate_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        contact = check_contact(value, dispatcher, tracker)
        if contact is None:
            return {"contact": None}
        reference = tracker.get_slot("booking_reference")
        if not reference:  # given before the code (both in one message): checked after it
            return {"contact": contact}
        return {"contact": contact, **await _looked_up(reference, contact, dispatcher, tracker)}

    def validate_confirm_manage(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        intent = last_intent(tracker)
        doing = tracker.get_slot("manage_action")
        if intent == "reschedule_booking" and doing == "cancel":
            # "actually wait. could i move it instead?" at "do you want to cancel it?":
            # a move keeps the appointment until a new time is chosen, so no second ask.
            dispatcher.utter_message(
                text="Of course, let's move it instead. It stays booked until you choose "
                "a new time."
            )
            return {"manage_action": "reschedule", "confirm_manage": "yes"}
        if intent == "cancel_booking" and doing == "reschedule":
            # Cancelling instead of moving: "are you sure?" again, now about cancelling.
            return {"manage_action": "cancel", "confirm_manage": None}
        answer = yes_or_no(intent, str(value or ""))
        if answer == "yes":
            return {"confirm_manage": "yes"}
        if answer == "no":  # typed as more than a plain "no" (that one stops the form)
            dispatcher.utter_message(response="utter_manage_stopped")
            return {"confirm_manage": "no", "booking_stage": "kept"}
        if str(value or "").strip():
            missed("confirm_manage", dispatcher, tracker)  # the way out, then the end
        return {"confirm_manage": None}


class ActionAskConfirmManage(Action):
    """ "Are you sure?" with the appointment named, before a cancel or a move."""

    def name(self) -> str:
        return "action_ask_confirm_manage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            found = await in_thread(
                find_booking, tracker.get_slot("booking_reference"), tracker.get_slot("contact")
            )
        except Exception as exc:
            report_error(dispatcher, tracker, exc, "finding a booking")
            return [SlotSet("booking_stage", "error")]
        when = found.label(get_profile().tz) if found else "the appointment"
        if tracker.get_slot("manage_action") == "reschedule":
            text = (
                f"I found your appointment: {when} (clinic time). Shall we look for a new "
                "time? It stays booked until you choose another one."
            )
            yes = "Yes, find a new time"
        else:
            text = f"I found your appointment: {when} (clinic time). Do you want to cancel it?"
            yes = "Yes, cancel it"
        dispatcher.utter_message(
            text=text,
            buttons=[
                {"title": yes, "payload": "/affirm"},
                {"title": "No, keep it", "payload": "/deny"},
            ],
        )
        return []


class ActionManageBookingResult(Action):
    """Cancels at once; for a reschedule, hands over to the questions about new times."""

    def name(self) -> str:
        return "action_manage_booking_result"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        stage = tracker.get_slot("booking_stage")
        if stage != "verified":
            return [SlotSet("booking_stage", stage or "not_found")]  # the rules branch on it
        if tracker.get_slot("manage_action") == "reschedule":
            dispatcher.utter_message(
                text="Thanks, I found your appointment. Let's find a new time."
            )
            return [SlotSet("booking_stage", "verified")]
        try:
            record = await in_thread(
                cancel_booking, tracker.get_slot("booking_reference"), tracker.get_slot("contact")
            )
        except BookingError:
            dispatcher.utter_message(response="utter_booking_not_found")
            return [SlotSet("booking_stage", "not_found")]
        except Exception as exc:
            report_error(dispatcher, tracker, exc, "cancelling")
            return [SlotSet("booking_stage", "error")]
        profile = get_profile()
        dispatcher.utter_message(
            text=f"Your appointment {record.label(profile.tz)} is cancelled, and the time is free "
            f'for another family. If you\'d like a new time, just say "book a visit".'
        )
        return [SlotSet("booking_stage", "cancelled"), SlotSet("manage_action", None)]


class ValidateRescheduleForm(StopsAfterMisses, FormValidationAction):
    def name(self) -> str:
        return "validate_reschedule_form"

    def validate_time_preference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if parse_preference(text) is None:
            missed("time_preference", dispatcher, tracker)
            return {"time_preference": None}
        return {"time_preference": text}
