"""Quiet hours: no reminder is sent in the clinic's quiet window (clinic.yml), and a
time asked for inside it is moved, said plainly, rather than refused."""

from __future__ import annotations

from bot.reminders.schedule import (
    Schedule,
    clock,
    clock_label,
    closest_outside,
    in_quiet_window,
)


def profile_quiet_hours() -> tuple[str, str]:
    """("20:30", "08:00") from the clinic profile, read when needed (never at import)."""
    from bot.clinic import get_profile

    quiet = get_profile().quiet_hours
    return quiet.start, quiet.end


def _window(start: str, end: str) -> str:
    return (
        f"We don't send reminders between {clock_label(clock(start))} and "
        f"{clock_label(clock(end))}, so evenings and nights stay quiet."
    )


def quiet_refusal_text(start: str, end: str) -> str:
    """Why a stored reminder time was refused (opt_in called with a time inside)."""
    return f"{_window(start, end)} Could you choose a time outside those hours?"


def quiet_moved(
    schedule: Schedule, quiet_hours: tuple[str, str] | None = None
) -> tuple[Schedule, str] | None:
    """A time in quiet hours moved to the closest allowed one, and how to say so.

    Why: asking again for a time outside the window made a caregiver who wants "every
    night at 9" repeat it; the closest time, said plainly, is what they would accept.
    """
    start, end = quiet_hours or profile_quiet_hours()
    if not in_quiet_window(schedule.local_time, start, end):
        return None
    moved = Schedule(schedule.weekdays, closest_outside(schedule.local_time, start, end))
    said = (
        f"{_window(start, end)} I've used {clock_label(moved.local_time)} instead, the "
        "closest time outside them; if another time suits you better, just tell me."
    )
    return moved, said
