"""Many caregivers picking the same time at once: exactly one gets it (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from sqlalchemy import func, select

from bot.booking.availability import add_slot
from bot.booking.bookings import NewCaregiver, book_slot, cancel_booking
from bot.booking.errors import BookingNotActive, SlotTaken
from bot.db import session_scope
from bot.db.models import AvailabilitySlot, Booking, Caregiver, Clinician

NOW = datetime(2026, 11, 30, 14, 0, tzinfo=timezone.utc)
ATTEMPTS = 24


def _one_slot(url: str) -> int:
    with session_scope(url) as session:
        session.add(Clinician(name="Ana Ruiz", credentials="LCSW", languages=["English"]))
    return add_slot("Ana Ruiz", datetime(2026, 12, 1, 16, 0, tzinfo=timezone.utc), url=url).id


def _race(count: int, attempt) -> list[str]:
    """Run ``attempt(i)`` in ``count`` threads released together; what each one got."""
    barrier = threading.Barrier(count)

    def run(i: int) -> str:
        barrier.wait()
        return attempt(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_only_one_of_many_concurrent_bookings_gets_the_slot(db_url):
    slot_id = _one_slot(db_url)

    def attempt(i: int) -> str:
        caregiver = NewCaregiver(f"Caregiver{i}", phone=f"312-555-{100 + i:04d}", consent=True)
        try:
            book_slot(slot_id, caregiver, 24, None, f"conv-{i}", url=db_url, now=NOW)
        except SlotTaken:
            return "taken"
        return "booked"

    results = _race(ATTEMPTS, attempt)
    assert results.count("booked") == 1
    assert results.count("taken") == ATTEMPTS - 1
    with session_scope(db_url) as session:
        confirmed = select(func.count()).where(
            Booking.slot_id == slot_id, Booking.status == "confirmed"
        )
        assert session.execute(confirmed).scalar() == 1
        # The losers' caregiver rows went with their rolled-back transactions.
        assert session.execute(select(func.count()).select_from(Caregiver)).scalar() == 1
        assert session.get(AvailabilitySlot, slot_id).status == "booked"


def test_only_one_of_many_concurrent_cancels_succeeds(db_url):
    slot_id = _one_slot(db_url)
    booking = book_slot(
        slot_id, NewCaregiver("Jo", email="jo@example.com"), 24, None, "c", url=db_url, now=NOW
    )

    def attempt(_i: int) -> str:
        try:
            cancel_booking(booking.reference, "jo@example.com", url=db_url, now=NOW)
        except BookingNotActive:
            return "refused"
        return "cancelled"

    results = _race(10, attempt)
    assert results.count("cancelled") == 1 and results.count("refused") == 9
    with session_scope(db_url) as session:
        assert session.get(AvailabilitySlot, slot_id).status == "open"
