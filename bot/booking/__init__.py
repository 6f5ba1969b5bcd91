"""Booking a first consultation: clinic data for the booking form (issue #4).

Pure helpers (contact, preferences, references) and repositories over the
project database (availability, bookings, handoffs, seed). Repositories open
one session per operation and return frozen dataclasses, never ORM rows, so
Rasa actions and the CLI can hold the results after the session is gone.
"""
