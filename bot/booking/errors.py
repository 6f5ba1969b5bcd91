"""What can go wrong in booking, as exceptions a caller can answer differently."""

from __future__ import annotations


class BookingError(Exception):
    """Base for every booking problem the caller is expected to handle."""


class SlotTaken(BookingError):
    """The slot is no longer open (booked by someone else, removed, or now too soon)."""


class SlotNotFound(BookingError, LookupError):
    """No slot with that id."""


class SlotBooked(BookingError):
    """A booked slot cannot be removed; its booking must be cancelled or moved first."""


class SlotExists(BookingError):
    """The clinician already has a slot starting at that time."""


class UnknownClinician(BookingError, LookupError):
    """No clinician by that name."""


class BookingNotFound(BookingError, LookupError):
    """No booking with that reference and contact (deliberately not saying which is wrong)."""


class BookingNotActive(BookingError):
    """The booking was already cancelled or rescheduled."""


class InvalidBooking(BookingError, ValueError):
    """The booking details are unusable (no valid contact, child outside the age range...)."""
