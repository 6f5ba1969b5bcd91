"""The clinic profile: the one place clinic-specific facts live.

Answers that depend on the clinic (ages, session length, fees, phone, crisis
lines) read these values; nothing about a particular clinic is hard-coded
elsewhere. The file is validated on load so a typo gives a clear message
instead of a half-filled answer.
"""

from __future__ import annotations

import functools
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, Field, ValidationError, validator

from bot.settings import get_settings

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ClinicProfileError(ValueError):
    """The clinic profile file is missing or invalid."""


class Hours(BaseModel):
    text: str
    weekly: dict[str, tuple[str, str]]

    @validator("weekly")
    def _known_days(cls, value: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
        unknown = set(value) - set(WEEKDAYS)
        if unknown:
            raise ValueError(f"unknown weekday(s) {sorted(unknown)}; use {', '.join(WEEKDAYS)}")
        return value


class Ages(BaseModel):
    min_age_months: int = Field(0, ge=0)
    max_age_years: int = Field(..., ge=0, le=18)


class Session(BaseModel):
    minutes: int = Field(..., gt=0, le=240)
    frequency: str
    program_length: str
    where: str


class CrisisLine(BaseModel):
    name: str
    phone: str
    how: str | None = None

    @property
    def instruction(self) -> str:
        """How to reach the line, e.g. 'call or text 988'."""
        return self.how or f"call {self.phone}"


class Crisis(BaseModel):
    emergency: CrisisLine
    suicide: CrisisLine
    child_abuse: CrisisLine
    domestic_violence: CrisisLine
    poison: CrisisLine


class QuietHours(BaseModel):
    start: str
    end: str


class ClinicProfile(BaseModel):
    name: str
    short_name: str
    phone: str
    sms_number: str | None = None
    # The area code most families' phones share: a seven-digit number ("555-0142") is
    # read with it and said back. Unset, a seven-digit number is asked for in full.
    local_area_code: str | None = Field(None, regex=r"^[2-9]\d{2}$")
    email: str
    website: str
    address: str
    timezone: str
    hours: Hours
    ages: Ages
    session: Session
    languages: list[str] = Field(..., min_items=1)
    fees: str
    referrals: str
    older_children_help: str
    crisis: Crisis
    quiet_hours: QuietHours

    @validator("timezone")
    def _valid_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def age_range_text(self) -> str:
        """Plain words for the ages served, e.g. 'from birth through age 5'."""
        low = self.ages.min_age_months
        start = "from birth" if low == 0 else f"from {low} months"
        return f"{start} through age {self.ages.max_age_years}"

    def is_age_eligible(self, age_months: float) -> bool:
        """True when a child of this age (in months) is in the served range."""
        return self.ages.min_age_months <= age_months < (self.ages.max_age_years + 1) * 12

    @property
    def languages_text(self) -> str:
        langs = self.languages
        return langs[0] if len(langs) == 1 else ", ".join(langs[:-1]) + " and " + langs[-1]

    def slot_values(self) -> dict[str, str]:
        """Values the domain's responses interpolate as ``{slot_name}``.

        These become the initial values of unfeaturized slots in the generated
        domain file, so even a response sent without the action server (the
        crisis reply) carries this clinic's facts.
        """
        c = self.crisis
        return {
            "clinic_name": self.name,
            "clinic_short_name": self.short_name,
            "clinic_phone": self.phone,
            "clinic_email": self.email,
            "clinic_website": self.website,
            "clinic_address": self.address,
            "clinic_hours": self.hours.text,
            "clinic_age_range": self.age_range_text,
            "clinic_max_age": str(self.ages.max_age_years),
            "clinic_languages": self.languages_text,
            "clinic_fees": self.fees,
            "clinic_referrals": self.referrals,
            "older_children_help": self.older_children_help,
            "session_minutes": str(self.session.minutes),
            "session_frequency": self.session.frequency,
            "program_length": self.session.program_length,
            "session_where": self.session.where,
            "crisis_emergency": c.emergency.phone,
            "crisis_suicide": c.suicide.instruction,
            "crisis_child_abuse": f"the {c.child_abuse.name} at {c.child_abuse.phone}",
            "crisis_domestic_violence": (
                f"the {c.domestic_violence.name}: {c.domestic_violence.instruction}"
            ),
            "crisis_poison": f"{c.poison.name} at {c.poison.phone}",
        }


def load_profile(path: str | Path) -> ClinicProfile:
    """Read and validate a clinic profile, raising ClinicProfileError with a readable reason."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ClinicProfileError(f"clinic profile not found: {path}") from exc
    except yaml.YAMLError as exc:
        raise ClinicProfileError(f"clinic profile {path} is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ClinicProfileError(f"clinic profile {path} must be a mapping of fields")
    try:
        return ClinicProfile.parse_obj(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ClinicProfileError(f"clinic profile {path} is invalid: {problems}") from exc


@functools.lru_cache(maxsize=4)
def _cached(path: str) -> ClinicProfile:
    return load_profile(path)


def get_profile() -> ClinicProfile:
    """The profile named by CLINIC_PROFILE, loaded once per process."""
    return _cached(str(get_settings().clinic_profile))
