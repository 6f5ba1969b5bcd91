"""Clinicians the bot can offer times with (staff name them in the CLI)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.booking.errors import UnknownClinician
from bot.db import session_scope
from bot.db.models import Clinician


@dataclass(frozen=True)
class ClinicianRecord:
    id: int
    name: str
    credentials: str
    languages: tuple[str, ...]
    active: bool

    @property
    def title(self) -> str:
        """'Ana Ruiz, LCSW': how the bot and the CLI name a clinician."""
        return clinician_title(self.name, self.credentials)


def clinician_title(name: str, credentials: str | None) -> str:
    return f"{name}, {credentials}" if credentials else name


def _record(row: Clinician) -> ClinicianRecord:
    return ClinicianRecord(
        id=row.id,
        name=row.name,
        credentials=row.credentials or "",
        languages=tuple(row.languages or ()),
        active=bool(row.active),
    )


def list_clinicians(url: str | None = None) -> list[ClinicianRecord]:
    """Every clinician, by name."""
    with session_scope(url) as session:
        rows = session.execute(select(Clinician).order_by(Clinician.name)).scalars()
        return [_record(row) for row in rows]


def get_clinician_row(session: Session, name: str) -> Clinician:
    """The clinician named ``name`` (any capitalisation), or UnknownClinician naming who exists."""
    wanted = " ".join(name.split()).lower()
    row = session.execute(
        select(Clinician).where(func.lower(Clinician.name) == wanted)
    ).scalar_one_or_none()
    if row is None:
        known = session.execute(select(Clinician.name).order_by(Clinician.name)).scalars().all()
        hint = f"; known: {', '.join(known)}" if known else "; there are none yet (run `seed`)"
        raise UnknownClinician(f"no clinician named {name!r}{hint}")
    return row
