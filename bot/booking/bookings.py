"""Booking, finding, cancelling and moving first consultations, safely under concurrency.

A slot is claimed with one guarded statement (``UPDATE ... SET status='booked'
WHERE id=:id AND status='open'``): of two caregivers picking the same time, the
database lets exactly one update the row and the other gets SlotTaken. The
partial unique index on confirmed bookings per slot is the second guard. The
claim is the first write of its transaction, so on SQLite it waits for the
write lock (busy timeout) instead of failing on a stale snapshot.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from sqlalchemy import select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.booking import reference as references
from bot.booking.availability import when_label
from bot.booking.clinicians import clinician_title
from bot.booking.contact import Contact, as_contact, normalize_email, normalize_phone
from bot.booking.errors import (
    BookingError,
    BookingNotActive,
    BookingNotFound,
    InvalidBooking,
    SlotTaken,
)
from bot.booking.states import BOOKING_STATUSES
from bot.clinic import get_profile
from bot.db import session_scope
from bot.db.models import AvailabilitySlot, Booking, Caregiver, Clinician, utcnow

logger = logging.getLogger(__name__)

REFERENCE_ATTEMPTS = 5  # a clash among ~900 million codes is rare; five in a row is a bug
MAX_CONCERN_CHARS = 2000


@dataclass(frozen=True)
class NewCaregiver:
    """What the booking form collected about the caregiver (phone/email in any format)."""

    first_name: str
    phone: str | None = None
    email: str | None = None
    relationship: str | None = None
    channel_identities: dict[str, str] = field(default_factory=dict)  # {"rest": sender id}
    consent: bool = False


@dataclass(frozen=True)
class BookingRecord:
    """A booking as plain data; no phone or email, so it is safe to show or log by reference."""

    id: int
    reference: str
    status: str
    slot_id: int
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    clinician_name: str
    clinician_credentials: str
    caregiver_first_name: str
    child_age_months: int
    conversation_id: str | None
    created_at: datetime
    cancelled_at: datetime | None

    @property
    def clinician(self) -> str:
        """'Ana Ruiz, LCSW'."""
        return clinician_title(self.clinician_name, self.clinician_credentials)

    def label(self, tz: tzinfo) -> str:
        """'Ana Ruiz, LCSW — Tue Dec 1, 10:00 AM' in the clinic's time zone."""
        return f"{self.clinician} — {when_label(self.starts_at, tz)}"


def _rows():
    return (
        select(Booking, Caregiver, AvailabilitySlot, Clinician)
        .join(Caregiver, Booking.caregiver_id == Caregiver.id)
        .join(AvailabilitySlot, Booking.slot_id == AvailabilitySlot.id)
        .join(Clinician, AvailabilitySlot.clinician_id == Clinician.id)
    )


def _record(
    booking: Booking, person: Caregiver, slot: AvailabilitySlot, clinician: Clinician
) -> BookingRecord:
    return BookingRecord(
        id=booking.id,
        reference=booking.reference,
        status=booking.status,
        slot_id=slot.id,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        clinician_name=clinician.name,
        clinician_credentials=clinician.credentials or "",
        caregiver_first_name=person.first_name,
        child_age_months=booking.child_age_months,
        conversation_id=booking.conversation_id,
        created_at=booking.created_at,
        cancelled_at=booking.cancelled_at,
    )


def _load(session: Session, booking_id: int) -> BookingRecord:
    return _record(*session.execute(_rows().where(Booking.id == booking_id)).one())


def _claim_slot(session: Session, slot_id: int, now: datetime) -> None:
    """Mark the slot booked if, and only if, it is still open and still ahead."""
    claimed = session.execute(
        update(AvailabilitySlot)
        .where(
            AvailabilitySlot.id == slot_id,
            AvailabilitySlot.status == "open",
            AvailabilitySlot.starts_at > now,
        )
        .values(status="booked")
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise SlotTaken(f"slot {slot_id} is no longer open")


def _free_slot(session: Session, slot_id: int) -> None:
    session.execute(
        update(AvailabilitySlot)
        .where(AvailabilitySlot.id == slot_id, AvailabilitySlot.status == "booked")
        .values(status="open")
        .execution_options(synchronize_session=False)
    )


def _new_booking(session: Session, **values) -> Booking:
    booking = Booking(reference=references.new_reference(), status="confirmed", **values)
    session.add(booking)
    session.flush()
    return booking


def _retrying_reference(operation: Callable[[], BookingRecord]) -> BookingRecord:
    """Run ``operation`` (one whole transaction), again if the new reference was taken."""
    for _ in range(REFERENCE_ATTEMPTS):
        try:
            return operation()
        except IntegrityError as exc:
            message = str(exc.orig)
            if "uq_bookings_reference" in message or "bookings.reference" in message:
                continue
            if "uq_bookings_confirmed_slot" in message or "bookings.slot_id" in message:
                raise SlotTaken("the slot already has a confirmed booking") from exc
            raise
    raise BookingError("could not find a free booking reference")


def _checked_caregiver(caregiver: NewCaregiver) -> tuple[str, str | None, str | None]:
    first_name = " ".join(caregiver.first_name.split())
    if not first_name or len(first_name) > 80:
        raise InvalidBooking("a first name (up to 80 characters) is needed")
    phone = normalize_phone(caregiver.phone) if caregiver.phone else None
    if caregiver.phone and phone is None:
        raise InvalidBooking("the phone number is not a valid number")
    email = normalize_email(caregiver.email) if caregiver.email else None
    if caregiver.email and email is None:
        raise InvalidBooking("the email address is not valid")
    if not (phone or email):
        raise InvalidBooking("a phone number or an email address is needed")
    return first_name, phone, email


def book_slot(
    slot_id: int,
    caregiver: NewCaregiver,
    child_age_months: int,
    concern: str | None,
    conversation_id: str | None,
    url: str | None = None,
    *,
    now: datetime | None = None,
) -> BookingRecord:
    """Book a slot for a caregiver in one transaction; SlotTaken if someone got it first."""
    first_name, phone, email = _checked_caregiver(caregiver)
    if not get_profile().is_age_eligible(child_age_months):
        raise InvalidBooking("the child's age is outside the ages the clinic serves")
    concern = (concern or "").strip()[:MAX_CONCERN_CHARS] or None
    now = now or utcnow()

    def operation() -> BookingRecord:
        with session_scope(url) as session:
            _claim_slot(session, slot_id, now)
            person = Caregiver(
                first_name=first_name,
                relationship=(caregiver.relationship or "").strip()[:40] or None,
                phone=phone,
                email=email,
                channel_identities=dict(caregiver.channel_identities),
                consent=caregiver.consent,
                consent_at=now if caregiver.consent else None,
            )
            session.add(person)
            session.flush()
            booking = _new_booking(
                session,
                slot_id=slot_id,
                caregiver_id=person.id,
                child_age_months=int(child_age_months),
                concern_summary=concern,
                conversation_id=(conversation_id or "")[:128] or None,
            )
            return _load(session, booking.id)

    record = _retrying_reference(operation)
    logger.info("booking %s confirmed for slot %s", record.reference, slot_id)
    return record


def _matches(person: Caregiver, contact: Contact) -> bool:
    if contact.phone and person.phone == contact.phone:
        return True
    return bool(contact.email and person.email and person.email.lower() == contact.email)


def _find_row(session: Session, reference: str, contact: str | Contact) -> Row | None:
    """The booking's row if the reference exists and the contact matches, else None.

    Both wrong look the same to the caller, so a reference alone reveals nothing.
    """
    wanted = references.normalize_reference(reference or "")
    who = as_contact(contact)
    if wanted is None or who is None:
        return None
    row = session.execute(_rows().where(Booking.reference == wanted)).first()
    if row is None or not _matches(row[1], who):
        return None
    return row


def find_booking(
    reference: str, contact: str | Contact, url: str | None = None
) -> BookingRecord | None:
    """The booking with this reference (any case) if ``contact`` matches its phone or email."""
    with session_scope(url) as session:
        row = _find_row(session, reference, contact)
        return _record(*row) if row else None


def _active_row(session: Session, reference: str, contact: str | Contact, now: datetime) -> Row:
    row = _find_row(session, reference, contact)
    if row is None:
        raise BookingNotFound("no booking with that reference and contact")
    booking, _person, slot, _clinician = row
    if booking.status != "confirmed":
        raise BookingNotActive(f"booking {booking.reference} is already {booking.status}")
    if slot.starts_at <= now:
        raise BookingNotActive(f"booking {booking.reference} has already started")
    return row


def _close(session: Session, booking: Booking, status: str, now: datetime) -> None:
    """Move a confirmed booking to ``status``; BookingNotActive if another request did first."""
    values = {"status": status, "updated_at": now}
    if status == "cancelled":
        values["cancelled_at"] = now
    closed = session.execute(
        update(Booking)
        .where(Booking.id == booking.id, Booking.status == "confirmed")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if closed.rowcount != 1:
        raise BookingNotActive(f"booking {booking.reference} is no longer confirmed")


def cancel_booking(
    reference: str, contact: str | Contact, url: str | None = None, *, now: datetime | None = None
) -> BookingRecord:
    """Cancel a confirmed booking and open its slot again for someone else."""
    now = now or utcnow()
    with session_scope(url) as session:
        booking, _person, slot, _clinician = _active_row(session, reference, contact, now)
        _close(session, booking, "cancelled", now)
        _free_slot(session, slot.id)
        session.expire_all()
        record = _load(session, booking.id)
    logger.info("booking %s cancelled; slot %s is open again", record.reference, record.slot_id)
    return record


def reschedule_booking(
    reference: str,
    contact: str | Contact,
    new_slot_id: int,
    url: str | None = None,
    *,
    conversation_id: str | None = None,
    now: datetime | None = None,
) -> BookingRecord:
    """Move a booking to another slot, all or nothing, under a new reference.

    The old booking is kept as 'rescheduled' (staff can see what changed) and
    its slot is opened again. SlotTaken if the new slot went meanwhile. The new
    booking keeps the old conversation id unless ``conversation_id`` is given.
    """
    now = now or utcnow()

    def operation() -> BookingRecord:
        with session_scope(url) as session:
            old, _person, slot, _clinician = _active_row(session, reference, contact, now)
            if new_slot_id == slot.id:
                raise InvalidBooking("that is the time already booked")
            _claim_slot(session, new_slot_id, now)
            _close(session, old, "rescheduled", now)
            _free_slot(session, slot.id)
            booking = _new_booking(
                session,
                slot_id=new_slot_id,
                caregiver_id=old.caregiver_id,
                child_age_months=old.child_age_months,
                concern_summary=old.concern_summary,
                conversation_id=(conversation_id or "")[:128] or old.conversation_id,
            )
            return _load(session, booking.id)

    record = _retrying_reference(operation)
    logger.info("booking moved to %s (slot %s)", record.reference, new_slot_id)
    return record


def list_bookings(
    status: str | None = None,
    upcoming_only: bool = False,
    url: str | None = None,
    *,
    now: datetime | None = None,
) -> list[BookingRecord]:
    """Bookings by appointment time, optionally one status or only those still ahead."""
    if status and status not in BOOKING_STATUSES:
        raise ValueError(
            f"unknown booking status {status!r}; use one of {', '.join(BOOKING_STATUSES)}"
        )
    query = _rows().order_by(AvailabilitySlot.starts_at, Booking.id)
    if status:
        query = query.where(Booking.status == status)
    if upcoming_only:
        query = query.where(AvailabilitySlot.starts_at >= (now or utcnow()))
    with session_scope(url) as session:
        return [_record(*row) for row in session.execute(query)]
