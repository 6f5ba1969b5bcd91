"""Booking data on real databases (SQLite and PostgreSQL): seed, slots, bookings, handoffs."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.booking import reference as references
from bot.booking.availability import (
    LEAD_TIME,
    add_slot,
    find_open_slots,
    list_slots,
    nearest_alternatives,
    remove_slot,
)
from bot.booking.bookings import (
    NewCaregiver,
    book_slot,
    cancel_booking,
    find_booking,
    list_bookings,
    reschedule_booking,
)
from bot.booking.clinicians import list_clinicians
from bot.booking.contact import Contact
from bot.booking.errors import (
    BookingNotActive,
    BookingNotFound,
    InvalidBooking,
    SlotBooked,
    SlotExists,
    SlotNotFound,
    SlotTaken,
    UnknownClinician,
)
from bot.booking.handoffs import create_handoff, expected_contact_text, list_handoffs
from bot.booking.preferences import ANY_TIME, parse_preference
from bot.booking.seed import seed_demo
from bot.clinic import WEEKDAYS
from bot.db import session_scope
from bot.db.models import AvailabilitySlot, Booking, Caregiver
from bot.safety.flags import list_flags, record_flag

NOW = datetime(2026, 11, 30, 14, 0, tzinfo=timezone.utc)  # Monday 8:00 AM in Chicago
JO = NewCaregiver(
    first_name="Jo",
    phone="(312) 555-0142",
    email="Jo@Example.com",
    relationship="mother",
    channel_identities={"rest": "sender-1"},
    consent=True,
)


def _book(url: str, slot_id: int, caregiver: NewCaregiver = JO):
    return book_slot(slot_id, caregiver, 30, "tantrums at bedtime", "conv-1", url=url, now=NOW)


def _slot_status(url: str, slot_id: int) -> str:
    with session_scope(url) as session:
        return session.get(AvailabilitySlot, slot_id).status


def _first_open(url: str, pref=ANY_TIME):
    return find_open_slots(pref, now=NOW, url=url)[0]


def test_times_read_back_timezone_aware_utc(db_url):
    flag = record_flag("conv-1", "self_harm", [], "rules", url=db_url)
    stored = list_flags(url=db_url)[0]
    assert stored.created_at.tzinfo is not None
    assert stored.created_at.utcoffset() == timedelta(0)
    assert stored.created_at == flag.created_at
    seed_demo(NOW, weeks=1, url=db_url)
    slot = list_slots(now=NOW, days=7, url=db_url)[0]
    assert slot.starts_at.tzinfo is not None and slot.starts_at.utcoffset() == timedelta(0)


def test_seed_is_idempotent_and_inside_clinic_hours(db_url, profile):
    now = datetime(2027, 3, 8, 14, 0, tzinfo=timezone.utc)  # three weeks across a clock change
    first = seed_demo(now, weeks=3, url=db_url, profile=profile)
    assert (first.clinicians, first.skipped) == (3, False) and first.slots > 60
    again = seed_demo(now, weeks=3, url=db_url, profile=profile)
    assert again.skipped and again.slots == 0
    slots = list_slots(now=now, days=22, url=db_url)
    assert len(slots) == first.slots

    clinicians = list_clinicians(url=db_url)
    assert len(clinicians) == 3 and all(c.credentials for c in clinicians)
    assert any("Spanish" in c.languages for c in clinicians)
    per_day: dict[tuple[str, object], list[datetime]] = {}
    for slot in slots:
        start, end = slot.starts_at.astimezone(profile.tz), slot.ends_at.astimezone(profile.tz)
        opens, closes = profile.hours.weekly[WEEKDAYS[start.weekday()]]
        assert time.fromisoformat(opens) <= start.time() and end.time() <= time.fromisoformat(
            closes
        ), slot
        assert (end - start) == timedelta(minutes=profile.session.minutes)
        assert slot.kind == "first_consultation" and slot.status == "open"
        per_day.setdefault((slot.clinician_name, start.date()), []).append(start)
    for starts in per_day.values():  # a few a day, mornings and afternoons, never every hour
        assert 2 <= len(starts) <= 4
        assert any(s.hour < 12 for s in starts) and any(s.hour >= 12 for s in starts)

    reset = seed_demo(now, weeks=1, url=db_url, reset=True, profile=profile)
    assert not reset.skipped
    assert len(list_slots(now=now, days=22, url=db_url)) == reset.slots < first.slots


@pytest.mark.parametrize(
    "text",
    ["weekday mornings", "tuesday after 3", "mon or wed", "friday afternoon", "tues/thurs 10-12"],
)
def test_find_open_slots_honours_the_preference(db_url, profile, text):
    seed_demo(NOW, weeks=3, url=db_url)
    pref = parse_preference(text)
    choices = find_open_slots(pref, now=NOW, url=db_url)
    assert 1 <= len(choices) <= 3
    assert choices == sorted(choices, key=lambda c: c.starts_at)
    for choice in choices:
        assert pref.matches(choice.starts_at.astimezone(profile.tz))
        assert choice.starts_at >= NOW + LEAD_TIME


def test_choices_are_varied_and_labelled(db_url, profile):
    seed_demo(NOW, weeks=3, url=db_url)
    choices = find_open_slots(ANY_TIME, now=NOW, url=db_url)
    assert len(choices) == 3
    days = {(c.clinician_name, c.starts_at.astimezone(profile.tz).date()) for c in choices}
    assert len(days) == 3  # no clinician twice on one day
    label = choices[0].label(profile.tz)
    assert label.startswith(f"{choices[0].clinician_name}, {choices[0].clinician_credentials} — ")
    assert label.endswith(("AM", "PM"))
    assert len(find_open_slots(ANY_TIME, now=NOW, limit=5, url=db_url)) == 5


def test_label_is_in_clinic_time(profile):
    from bot.booking.availability import SlotChoice

    choice = SlotChoice(1, "Ana Ruiz", "LCSW", datetime(2026, 12, 1, 16, tzinfo=timezone.utc), NOW)
    assert choice.label(profile.tz) == "Ana Ruiz, LCSW — Tue Dec 1, 10:00 AM"


def test_nothing_fits_then_nearest_alternatives(db_url, profile):
    seed_demo(NOW, weeks=3, url=db_url)
    weekends = parse_preference("weekends")
    assert find_open_slots(weekends, now=NOW, url=db_url) == []
    assert nearest_alternatives(weekends, NOW, url=db_url) == find_open_slots(
        ANY_TIME, now=NOW, url=db_url
    )
    evenings = parse_preference("evenings")
    assert find_open_slots(evenings, now=NOW, url=db_url) == []
    assert len(nearest_alternatives(evenings, NOW, url=db_url)) == 3
    # Saturday mornings: no Saturdays, so mornings on other days come first.
    alternatives = nearest_alternatives(parse_preference("saturday morning"), NOW, url=db_url)
    assert len(alternatives) == 3
    assert all(a.starts_at.astimezone(profile.tz).hour < 12 for a in alternatives)


def test_nothing_offered_inside_the_lead_time(db_url):
    seed_demo(NOW - timedelta(days=1), weeks=1, url=db_url)
    for choice in find_open_slots(ANY_TIME, now=NOW, limit=50, url=db_url):
        assert choice.starts_at >= NOW + LEAD_TIME


def test_a_booked_slot_is_no_longer_offered(db_url):
    seed_demo(NOW, weeks=1, url=db_url)
    choice = _first_open(db_url)
    booking = _book(db_url, choice.slot_id)
    assert booking.status == "confirmed" and booking.reference.startswith("WG-")
    assert booking.starts_at == choice.starts_at and booking.caregiver_first_name == "Jo"
    assert _slot_status(db_url, choice.slot_id) == "booked"
    offered = find_open_slots(ANY_TIME, now=NOW, limit=100, url=db_url)
    assert choice.slot_id not in {c.slot_id for c in offered}
    with pytest.raises(SlotTaken):
        _book(db_url, choice.slot_id, NewCaregiver("Sam", phone="312-555-0143"))
    with session_scope(db_url) as session:
        person = session.execute(select(Caregiver)).scalar_one()
        assert (person.phone, person.email) == ("+13125550142", "jo@example.com")
        assert person.channel_identities == {"rest": "sender-1"}
        assert person.consent and person.consent_at == NOW


@pytest.mark.parametrize(
    ("caregiver", "age"),
    [
        (NewCaregiver("Jo"), 30),  # no way to reach them
        (NewCaregiver("Jo", phone="555-201-3344"), 30),
        (NewCaregiver("Jo", email="jo@"), 30),
        (NewCaregiver("  ", phone="312-555-0142"), 30),
        (NewCaregiver("Jo", phone="312-555-0142"), 6 * 12),  # six years old: outside 0-5
    ],
)
def test_bad_booking_details_are_refused_before_the_slot_is_touched(db_url, caregiver, age):
    seed_demo(NOW, weeks=1, url=db_url)
    choice = _first_open(db_url)
    with pytest.raises(InvalidBooking):
        book_slot(choice.slot_id, caregiver, age, None, "c", url=db_url, now=NOW)
    assert _slot_status(db_url, choice.slot_id) == "open"


def test_a_past_slot_cannot_be_booked(db_url):
    seed_demo(NOW, weeks=1, url=db_url)
    choice = _first_open(db_url)
    with pytest.raises(SlotTaken):
        book_slot(choice.slot_id, JO, 30, None, "c", url=db_url, now=choice.starts_at)


def test_find_and_cancel_need_the_matching_contact(db_url):
    seed_demo(NOW, weeks=1, url=db_url)
    booking = _book(db_url, _first_open(db_url).slot_id)
    ref = booking.reference
    assert find_booking(ref.lower(), "jo@example.com", url=db_url) == booking
    assert find_booking(ref, "you can reach me at 312.555.0142", url=db_url) == booking
    assert find_booking(ref, Contact(email="JO@example.com"), url=db_url) == booking
    assert find_booking(ref, "773-201-3344", url=db_url) is None
    assert find_booking(ref, "someone@example.com", url=db_url) is None
    assert find_booking("WG-2345AB", "jo@example.com", url=db_url) is None
    assert find_booking(ref, "no idea", url=db_url) is None
    with pytest.raises(BookingNotFound):
        cancel_booking(ref, "773-201-3344", url=db_url, now=NOW)
    assert _slot_status(db_url, booking.slot_id) == "booked"

    cancelled = cancel_booking(ref, "312-555-0142", url=db_url, now=NOW)
    assert cancelled.status == "cancelled" and cancelled.cancelled_at == NOW
    assert _slot_status(db_url, booking.slot_id) == "open"
    assert booking.slot_id in {c.slot_id for c in find_open_slots(ANY_TIME, now=NOW, url=db_url)}
    with pytest.raises(BookingNotActive):
        cancel_booking(ref, "312-555-0142", url=db_url, now=NOW)


def test_reschedule_gives_a_new_reference_and_frees_the_old_slot(db_url):
    seed_demo(NOW, weeks=2, url=db_url)
    first, second = find_open_slots(ANY_TIME, now=NOW, limit=2, url=db_url)
    old = _book(db_url, first.slot_id)
    with pytest.raises(BookingNotFound):
        reschedule_booking(old.reference, "773-201-3344", second.slot_id, url=db_url, now=NOW)
    with pytest.raises(InvalidBooking):
        reschedule_booking(old.reference, "jo@example.com", first.slot_id, url=db_url, now=NOW)

    new = reschedule_booking(old.reference, "jo@example.com", second.slot_id, url=db_url, now=NOW)
    assert new.reference != old.reference and new.status == "confirmed"
    assert (new.slot_id, new.starts_at) == (second.slot_id, second.starts_at)
    assert (new.child_age_months, new.conversation_id) == (30, "conv-1")
    assert _slot_status(db_url, first.slot_id) == "open"
    assert _slot_status(db_url, second.slot_id) == "booked"
    assert find_booking(old.reference, "jo@example.com", url=db_url).status == "rescheduled"
    statuses = {b.reference: b.status for b in list_bookings(url=db_url)}
    assert statuses == {old.reference: "rescheduled", new.reference: "confirmed"}
    with pytest.raises(BookingNotActive):
        reschedule_booking(old.reference, "jo@example.com", first.slot_id, url=db_url, now=NOW)


def test_reschedule_to_a_taken_slot_changes_nothing(db_url):
    seed_demo(NOW, weeks=2, url=db_url)
    first, second = find_open_slots(ANY_TIME, now=NOW, limit=2, url=db_url)
    mine = _book(db_url, first.slot_id)
    _book(db_url, second.slot_id, NewCaregiver("Sam", email="sam@example.com"))
    with pytest.raises(SlotTaken):
        reschedule_booking(mine.reference, "jo@example.com", second.slot_id, url=db_url, now=NOW)
    assert find_booking(mine.reference, "jo@example.com", url=db_url).status == "confirmed"
    assert _slot_status(db_url, first.slot_id) == "booked"


def test_list_bookings_filters(db_url):
    seed_demo(NOW, weeks=2, url=db_url)
    first, second = find_open_slots(ANY_TIME, now=NOW, limit=2, url=db_url)
    kept = _book(db_url, first.slot_id)
    gone = _book(db_url, second.slot_id, NewCaregiver("Sam", email="sam@example.com"))
    cancel_booking(gone.reference, "sam@example.com", url=db_url, now=NOW)
    assert [b.reference for b in list_bookings(url=db_url)] == [kept.reference, gone.reference]
    assert [b.reference for b in list_bookings("confirmed", url=db_url)] == [kept.reference]
    later = first.starts_at + timedelta(minutes=1)
    assert [b.reference for b in list_bookings(upcoming_only=True, url=db_url, now=later)] == [
        gone.reference
    ]
    with pytest.raises(ValueError):
        list_bookings("deleted", url=db_url)


def test_reference_collisions_are_retried(db_url, monkeypatch):
    seed_demo(NOW, weeks=1, url=db_url)
    first, second = find_open_slots(ANY_TIME, now=NOW, limit=2, url=db_url)
    taken = _book(db_url, first.slot_id).reference
    codes = iter([taken, taken, "WG-ABCDEF"])
    monkeypatch.setattr(references, "new_reference", lambda prefix=None: next(codes))
    booking = _book(db_url, second.slot_id, NewCaregiver("Sam", email="sam@example.com"))
    assert booking.reference == "WG-ABCDEF"
    with session_scope(db_url) as session:  # the failed tries left nothing behind
        assert session.execute(select(func.count()).select_from(Caregiver)).scalar() == 2


def test_one_confirmed_booking_per_slot_is_enforced_by_the_database(db_url):
    seed_demo(NOW, weeks=1, url=db_url)
    slot_id = _first_open(db_url).slot_id
    booking = _book(db_url, slot_id)
    cancel_booking(booking.reference, "jo@example.com", url=db_url, now=NOW)
    rebooked = _book(db_url, slot_id, NewCaregiver("Sam", email="sam@example.com"))
    assert rebooked.status == "confirmed"  # a cancelled booking does not block the slot
    with pytest.raises(IntegrityError), session_scope(db_url) as session:
        caregiver_id = session.execute(select(Caregiver.id).limit(1)).scalar()
        session.add(
            Booking(
                reference="WG-ZZZZZZ",
                slot_id=slot_id,
                caregiver_id=caregiver_id,
                child_age_months=12,
                status="confirmed",
            )
        )
        session.flush()


def test_staff_add_and_remove_slots(db_url, profile):
    seed_demo(NOW, weeks=1, url=db_url)
    start = datetime(2026, 12, 20, 10, 0, tzinfo=profile.tz)  # a Sunday: no seeded times
    slot = add_slot("ana ruiz", start, minutes=50, url=db_url)
    assert (slot.clinician_name, slot.status, slot.starts_at) == ("Ana Ruiz", "open", start)
    assert slot.ends_at - slot.starts_at == timedelta(minutes=50)
    with pytest.raises(SlotExists):
        add_slot("Ana Ruiz", start + timedelta(minutes=30), url=db_url)
    with pytest.raises(UnknownClinician, match="Marcus Bell"):
        add_slot("Dr Nobody", start, url=db_url)
    with pytest.raises(ValueError):
        add_slot("Ana Ruiz", start, kind="party", url=db_url)
    listed = list_slots(now=NOW, days=30, clinician="Ana Ruiz", url=db_url)
    assert slot.id in {s.id for s in listed}
    assert {s.clinician_name for s in listed} == {"Ana Ruiz"}

    assert remove_slot(slot.id, url=db_url).status == "removed"
    assert slot.id not in {s.id for s in list_slots(now=NOW, days=30, url=db_url)}
    removed = list_slots(now=NOW, days=30, status="removed", url=db_url)
    assert [s.id for s in removed] == [slot.id]
    with pytest.raises(SlotNotFound):
        remove_slot(999_999, url=db_url)
    with pytest.raises(SlotTaken):
        _book(db_url, slot.id)


def test_removing_a_booked_slot_is_refused(db_url):
    seed_demo(NOW, weeks=1, url=db_url)
    choice = _first_open(db_url)
    booking = _book(db_url, choice.slot_id)
    with pytest.raises(SlotBooked, match=booking.reference):
        remove_slot(choice.slot_id, url=db_url)
    assert _slot_status(db_url, choice.slot_id) == "booked"


def test_handoffs_are_stored_and_listed(db_url):
    first = create_handoff(
        "conv-1", "no_times_fit", "text 312-555-0142", "evenings", "rest", url=db_url
    )
    second = create_handoff("conv-2", "asked_for_person", None, None, "twilio", url=db_url)
    third = create_handoff("conv-3", "wants_home_visit", "  ", "", None, url=db_url)
    assert (first.status, first.preferred_time, first.channel) == ("new", "evenings", "rest")
    assert (third.reason, third.preferred_contact, third.preferred_time) == (
        "wants_home_visit",
        None,
        None,
    )
    assert [h.id for h in list_handoffs(url=db_url)] == [third.id, second.id, first.id]
    assert [h.id for h in list_handoffs("new", url=db_url)] == [third.id, second.id, first.id]
    assert list_handoffs("closed", url=db_url) == []
    with pytest.raises(ValueError):
        create_handoff("conv-4", "Because I said so!", None, None, None, url=db_url)


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (datetime(2026, 11, 30, 7, 0), "by the end of today"),  # Monday before opening
        (datetime(2026, 11, 30, 14, 0), "by the end of today"),
        (datetime(2026, 11, 30, 16, 30), "by the end of today"),  # exactly an hour left
        (datetime(2026, 11, 30, 16, 45), "tomorrow morning"),
        (datetime(2026, 11, 30, 22, 0), "tomorrow morning"),
        (datetime(2026, 12, 3, 18, 0), "tomorrow morning"),  # Thursday evening
        (datetime(2026, 12, 4, 17, 0), "on Monday morning"),  # Friday after hours
        (datetime(2026, 12, 5, 10, 0), "on Monday morning"),  # Saturday
        (datetime(2026, 12, 6, 10, 0), "tomorrow morning"),  # Sunday
    ],
)
def test_expected_contact_text(profile, local, expected):
    now = local.replace(tzinfo=profile.tz).astimezone(timezone.utc)
    assert expected_contact_text(now, profile) == expected
