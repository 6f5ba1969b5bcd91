"""Offering open times, booking the chosen one atomically, and confirming it."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.booking_common import in_thread, report_error
from actions.booking_form import SKIPPED
from actions.replies_said import replies_in_loop
from bot.booking.availability import SlotChoice, find_open_slots, nearest_alternatives
from bot.booking.bookings import BookingRecord, NewCaregiver, book_slot, reschedule_booking
from bot.booking.contact import as_contact
from bot.booking.errors import SlotTaken
from bot.booking.preferences import ANY_TIME, parse_preference
from bot.clinic import get_profile
from bot.db.models import utcnow
from bot.nlp.days import DAY_PATTERN, day_number

ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2}
NUMBER_WORDS = {"one": 0, "two": 1, "three": 2}  # after ordinals: "the third one"


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
    """Whether the latest message came after the list of times was shown."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return False
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != "action_listen":
            # The form's own event: it showed the times (action_ask_slot_pick) inside.
            return event.get("name") in ("slot_choice_form", "action_ask_slot_pick")
    return False


def picked_index(text: str, offered: list[dict[str, Any]]) -> int | None:
    """Which offered time the caregiver chose: '2', 'the second one', 'the last one', or
    by what the label shows: 'the tuesday one', '10am works', 'Ana', 'earliest'."""
    lowered = text.lower()
    by_label = _picked_by_label(lowered, offered)
    if by_label is not None:
        return by_label
    digit = re.search(r"\b([1-9])\b(?!\s*(?::|am\b|pm\b|o'?clock))", lowered)
    if digit and int(digit.group(1)) <= len(offered):
        return int(digit.group(1)) - 1
    if re.search(r"\blast\b", lowered) and offered:
        return len(offered) - 1
    if (
        re.search(
            r"\b(earliest|soonest|first available|asap|any( of (them|those|these))?( one)? "
            r"(is|are|works?)|either|whichever|does ?n'?t matter)\b",
            lowered,
        )
        and offered
    ):
        return 0
    for words in (ORDINALS, NUMBER_WORDS):
        for word, index in words.items():
            if re.search(rf"\b{word}\b", lowered) and index < len(offered):
                return index
    return None


_CLOCK = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?=\W|$)")
_LABEL_TIME = re.compile(r"(\d{1,2}):(\d{2})\s*(AM|PM)")
_NAME_WORDS = re.compile(r"[A-Z][a-z]+")


def _picked_by_label(lowered: str, offered: list[dict[str, Any]]) -> int | None:
    """The only offered time (or the first of those) whose label matches a weekday,
    a clock time or a clinician's name in the text; None when nothing narrows it."""
    candidates = list(range(len(offered)))
    narrowed = False
    days = {day_number(m) for m in re.findall(rf"\b{DAY_PATTERN}\b", lowered)}
    if days:
        keep = [i for i in candidates if _label_day(offered[i]) in days]
        if keep:
            candidates, narrowed = keep, True
    wanted = [_minutes(m) for m in _CLOCK.finditer(lowered) if m.group(2) or m.group(3)]
    if wanted:
        keep = [i for i in candidates if _label_minutes(offered[i]) in wanted]
        if keep:
            candidates, narrowed = keep, True
    names = [i for i in candidates if _names_in(offered[i]) & set(re.findall(r"[a-z]+", lowered))]
    if names:
        candidates, narrowed = names, True
    return candidates[0] if narrowed else None


def _label(offer: dict[str, Any]) -> str:
    return str(offer.get("label") or "")


def _label_day(offer: dict[str, Any]) -> int | None:
    found = re.search(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b", _label(offer))
    return day_number(found.group(1)) if found else None


def _label_minutes(offer: dict[str, Any]) -> int | None:
    found = _LABEL_TIME.search(_label(offer))
    if not found:
        return None
    hour = int(found.group(1)) % 12 + (12 if found.group(3) == "PM" else 0)
    return hour * 60 + int(found.group(2))


def _minutes(match: re.Match[str]) -> int:
    """'10am' -> 600, '2:30' -> 870 (1 to 7 without am/pm is afternoon, as clinics mean)."""
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3) or ""
    if half.startswith("p") or (not half and 1 <= hour <= 7):
        hour = hour % 12 + 12
    elif half.startswith("a"):
        hour = hour % 12
    return hour * 60 + minute


def _names_in(offer: dict[str, Any]) -> set[str]:
    """The clinician's names in a label ('Ana Ruiz, LCSW — ...' -> {'ana', 'ruiz'})."""
    person = _label(offer).split("—")[0].split(",")[0]
    return {w.lower() for w in _NAME_WORDS.findall(person)}


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
        dispatcher.utter_message(
            text="No problem. Someone from our team can find a time that suits you."
        )
        return [SlotSet("booking_stage", "no_times_fit")]
