"""Demo clinicians and first-consultation times, so the booking flow can be tried at once.

The names are invented. Times fall inside the clinic's weekly hours in its own
time zone, a few per clinician per day, and are the same on every run for the
same dates (seeded by date and name), so a demo is repeatable.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import delete, select

from bot.clinic import WEEKDAYS, ClinicProfile, get_profile
from bot.db import session_scope
from bot.db.models import AvailabilitySlot, Booking, Caregiver, Clinician

# name, credentials, languages, weekdays off (each works four days a week)
DEMO_CLINICIANS = (
    ("Ana Ruiz", "LCSW", ("English", "Spanish"), frozenset({"wed"})),
    ("Marcus Bell", "PhD", ("English",), frozenset({"mon"})),
    ("Priya Natarajan", "LMFT", ("English",), frozenset({"fri"})),
)


@dataclass(frozen=True)
class SeedResult:
    clinicians: int
    slots: int
    skipped: bool  # clinicians existed already and no reset was asked for


def seed_demo(
    now: datetime,
    weeks: int = 3,
    url: str | None = None,
    *,
    reset: bool = False,
    profile: ClinicProfile | None = None,
) -> SeedResult:
    """Add the demo clinicians and their open times for the next ``weeks`` weeks.

    Does nothing if any clinician exists (so running it twice duplicates
    nothing) unless ``reset``, which first deletes every booking, caregiver,
    slot and clinician.
    """
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    profile = profile or get_profile()
    with session_scope(url) as session:
        if reset:
            for table in (Booking, Caregiver, AvailabilitySlot, Clinician):
                session.execute(delete(table))
        elif session.execute(select(Clinician.id).limit(1)).first():
            return SeedResult(clinicians=0, slots=0, skipped=True)
        slots = 0
        for name, credentials, languages, days_off in DEMO_CLINICIANS:
            person = Clinician(
                name=name, credentials=credentials, languages=list(languages), active=True
            )
            session.add(person)
            session.flush()
            for starts_at in _demo_times(name, days_off, now, weeks, profile):
                session.add(
                    AvailabilitySlot(
                        clinician_id=person.id,
                        starts_at=starts_at,
                        ends_at=starts_at + timedelta(minutes=profile.session.minutes),
                        kind="first_consultation",
                        status="open",
                    )
                )
                slots += 1
    return SeedResult(clinicians=len(DEMO_CLINICIANS), slots=slots, skipped=False)


def _demo_times(
    name: str, days_off: frozenset[str], now: datetime, weeks: int, profile: ClinicProfile
) -> Iterator[datetime]:
    """One or two mornings and one or two afternoons on each working day, in UTC."""
    tz = profile.tz
    first_day = now.astimezone(tz).date()
    for offset in range(weeks * 7):
        day = first_day + timedelta(days=offset)
        key = WEEKDAYS[day.weekday()]
        if key not in profile.hours.weekly or key in days_off:
            continue
        starts = _whole_hours(day, *profile.hours.weekly[key], profile.session.minutes)
        mornings = [t for t in starts if t.hour < 12]
        afternoons = [t for t in starts if t.hour >= 13]  # noon to 1 is lunch
        rng = random.Random(f"{name}/{day.isoformat()}")
        picked = rng.sample(mornings, min(len(mornings), rng.choice((1, 2))))
        picked += rng.sample(afternoons, min(len(afternoons), rng.choice((1, 2))))
        for start in sorted(picked):
            local = datetime.combine(day, start, tzinfo=tz)
            if local > now:
                yield local.astimezone(timezone.utc)


def _whole_hours(day: date, opens: str, closes: str, minutes: int) -> list[time]:
    """Whole-hour starts from opening on, for sessions that end by closing time."""
    start = datetime.combine(day, datetime.strptime(opens, "%H:%M").time())
    end = datetime.combine(day, datetime.strptime(closes, "%H:%M").time())
    if start.minute:
        start = start.replace(minute=0) + timedelta(hours=1)
    starts = []
    while start + timedelta(minutes=minutes) <= end:
        starts.append(start.time())
        start += timedelta(hours=1)
    return starts
