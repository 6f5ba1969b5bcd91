"""Statuses and kinds, importable without the database (the CLI offers them as choices)."""

from __future__ import annotations

FIRST_CONSULTATION = "first_consultation"
SLOT_KINDS = (FIRST_CONSULTATION, "session")
SLOT_STATUSES = ("open", "booked", "removed")
BOOKING_STATUSES = ("confirmed", "cancelled", "rescheduled")
HANDOFF_STATUSES = ("new", "contacted", "closed")
HANDOFF_REASONS = (
    "asked_for_person",
    "not_understood",
    "no_times_fit",
    "age_outside_range",
    "booking_error",
)
