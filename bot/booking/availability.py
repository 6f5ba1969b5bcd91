"""Open consultation times: the few that fit a caregiver, and staff adding or removing them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from bot.booking.clinicians import clinician_title, get_clinician_row
from bot.booking.errors import SlotBooked, SlotExists, SlotNotFound
from bot.booking.preferences import ANY_TIME, TimePreference
from bot.booking.states import FIRST_CONSULTATION, SLOT_KINDS
from bot.clinic import get_profile
from bot.db import session_scope
from bot.db.models import AvailabilitySlot, Booking, Clinician

# Staff need time to read the intake before a first consultation: never offer sooner.
LEAD_TIME = timedelta(hours=12)


def when_label(moment: datetime, tz: tzinfo) -> str:
    """'Tue Dec 1, 10:00 AM' in the clinic's time zone."""
    local = moment.astimezone(tz)
    hour = local.hour % 12 or 12
    return f"{local:%a %b} {local.day}, {hour}:{local:%M} {'AM' if local.hour < 12 else 'PM'}"


@dataclass(frozen=True)
class SlotChoice:
    """An open time to offer a caregiver."""

    slot_id: int
    clinician_name: str
    clinician_credentials: str
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC

    @property
    def clinician(self) -> str:
        """'Ana Ruiz, LCSW'."""
        return clinician_title(self.clinician_name, self.clinician_credentials)

    def label(self, tz: tzinfo) -> str:
        """'Ana Ruiz, LCSW — Tue Dec 1, 10:00 AM' in the clinic's time zone."""
        return f"{self.clinician} — {when_label(self.starts_at, tz)}"


@dataclass(frozen=True)
class SlotRecord:
    """A slot as staff see it, whatever its status."""

    id: int
    clinician_name: str
    clinician_credentials: str
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    kind: str
    status: str

    @property
    def clinician(self) -> str:
        return clinician_title(self.clinician_name, self.clinician_credentials)

    def label(self, tz: tzinfo) -> str:
        return f"{self.clinician} — {when_label(self.starts_at, tz)}"


def _slots_with_clinician():
    return select(AvailabilitySlot, Clinician).join(
        Clinician, AvailabilitySlot.clinician_id == Clinician.id
    )


def _choice(slot: AvailabilitySlot, clinician: Clinician) -> SlotChoice:
    return SlotChoice(
        slot_id=slot.id,
        clinician_name=clinician.name,
        clinician_credentials=clinician.credentials or "",
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
    )


def _record(slot: AvailabilitySlot, clinician: Clinician) -> SlotRecord:
    return SlotRecord(
        id=slot.id,
        clinician_name=clinician.name,
        clinician_credentials=clinician.credentials or "",
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        kind=slot.kind,
        status=slot.status,
    )


def _open_choices(now: datetime, kind: str, url: str | None) -> list[SlotChoice]:
    """Every open slot of this kind far enough ahead, soonest first."""
    query = (
        _slots_with_clinician()
        .where(
            AvailabilitySlot.status == "open",
            AvailabilitySlot.kind == kind,
            AvailabilitySlot.starts_at >= now + LEAD_TIME,
            Clinician.active.is_(True),
        )
        .order_by(AvailabilitySlot.starts_at, AvailabilitySlot.id)
    )
    with session_scope(url) as session:
        return [_choice(slot, clinician) for slot, clinician in session.execute(query)]


def _varied(choices: Iterable[SlotChoice], tz: tzinfo, limit: int) -> list[SlotChoice]:
    """The soonest ``limit`` choices, at most one per clinician per day while others remain.

    Three times with three people (or on three days) are a real choice; three
    back-to-back hours with one clinician are not.
    """
    choices = list(choices)
    picked: list[SlotChoice] = []
    seen: set[tuple[str, object]] = set()
    for choice in choices:
        key = (choice.clinician_name, choice.starts_at.astimezone(tz).date())
        if key not in seen and len(picked) < limit:
            seen.add(key)
            picked.append(choice)
    for choice in choices:
        if len(picked) >= limit:
            break
        if choice not in picked:
            picked.append(choice)
    return sorted(picked, key=lambda c: (c.starts_at, c.slot_id))


def find_open_slots(
    pref: TimePreference,
    *,
    now: datetime,
    limit: int = 3,
    url: str | None = None,
    tz: tzinfo | None = None,
    kind: str = FIRST_CONSULTATION,
) -> list[SlotChoice]:
    """Up to ``limit`` open times that fit ``pref`` (clinic local time), soonest first."""
    tz = tz or get_profile().tz
    fitting = (c for c in _open_choices(now, kind, url) if pref.matches(c.starts_at.astimezone(tz)))
    return _varied(fitting, tz, limit)


def nearest_alternatives(
    pref: TimePreference,
    now: datetime,
    limit: int = 3,
    url: str | None = None,
    tz: tzinfo | None = None,
    kind: str = FIRST_CONSULTATION,
) -> list[SlotChoice]:
    """Times to offer when nothing fits: the asked-for days at other hours, else the
    asked-for hours on other days, else simply the soonest open times."""
    tz = tz or get_profile().tz
    choices = _open_choices(now, kind, url)
    for relaxed in (
        TimePreference(days=pref.days),
        TimePreference(windows=pref.windows),
        ANY_TIME,
    ):
        fitting = [c for c in choices if relaxed.matches(c.starts_at.astimezone(tz))]
        if fitting:
            return _varied(fitting, tz, limit)
    return []


def add_slot(
    clinician: str,
    starts_at: datetime,
    minutes: int = 60,
    kind: str = FIRST_CONSULTATION,
    url: str | None = None,
) -> SlotRecord:
    """Open a new time for a clinician; refuses one that overlaps a time they already have."""
    if kind not in SLOT_KINDS:
        raise ValueError(f"unknown slot kind {kind!r}; use one of {', '.join(SLOT_KINDS)}")
    if not 5 <= minutes <= 480:
        raise ValueError("a slot lasts between 5 and 480 minutes")
    ends_at = starts_at + timedelta(minutes=minutes)
    try:
        with session_scope(url) as session:
            person = get_clinician_row(session, clinician)
            clash = session.execute(
                select(AvailabilitySlot.id).where(
                    AvailabilitySlot.clinician_id == person.id,
                    AvailabilitySlot.status != "removed",
                    AvailabilitySlot.starts_at < ends_at,
                    AvailabilitySlot.ends_at > starts_at,
                )
            ).first()
            if clash:
                raise SlotExists(f"{person.name} already has slot {clash.id} at that time")
            slot = AvailabilitySlot(
                clinician_id=person.id, starts_at=starts_at, ends_at=ends_at, kind=kind
            )
            session.add(slot)
            session.flush()
            return _record(slot, person)
    except IntegrityError as exc:  # the same start added at the same moment elsewhere
        raise SlotExists(f"{clinician} already has a slot starting then") from exc


def remove_slot(slot_id: int, url: str | None = None) -> SlotRecord:
    """Withdraw an open slot. A booked one is refused: its booking must be moved first."""
    with session_scope(url) as session:
        session.execute(
            update(AvailabilitySlot)
            .where(AvailabilitySlot.id == slot_id, AvailabilitySlot.status == "open")
            .values(status="removed")
            .execution_options(synchronize_session=False)
        )
        row = session.execute(_slots_with_clinician().where(AvailabilitySlot.id == slot_id)).first()
        if row is None:
            raise SlotNotFound(f"no slot {slot_id}")
        slot, person = row
        if slot.status == "booked":
            reference = session.execute(
                select(Booking.reference).where(
                    Booking.slot_id == slot_id, Booking.status == "confirmed"
                )
            ).scalar_one_or_none()
            booking = f" by {reference}" if reference else ""
            raise SlotBooked(
                f"slot {slot_id} is booked{booking}: cancel or reschedule the booking first"
            )
        return _record(slot, person)


def list_slots(
    *,
    now: datetime,
    days: int = 7,
    clinician: str | None = None,
    status: str | None = None,
    url: str | None = None,
) -> list[SlotRecord]:
    """Slots starting in the next ``days`` days (removed ones only when asked for)."""
    query = _slots_with_clinician().where(
        AvailabilitySlot.starts_at >= now, AvailabilitySlot.starts_at < now + timedelta(days=days)
    )
    if status:
        query = query.where(AvailabilitySlot.status == status)
    else:
        query = query.where(AvailabilitySlot.status != "removed")
    with session_scope(url) as session:
        if clinician:
            query = query.where(Clinician.id == get_clinician_row(session, clinician).id)
        query = query.order_by(AvailabilitySlot.starts_at, func.lower(Clinician.name))
        return [_record(slot, person) for slot, person in session.execute(query)]
