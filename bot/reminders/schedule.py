"""When a reminder is due: weekdays and a clinic-local time, read from a caregiver's words.

The parser is a few ordered regular expressions, each masking what it took so a
later one cannot read the same words twice (the approach of bot.booking.preferences).
A time without am/pm is read the way people mean it for an evening check-in: 1 to 7
is PM ('every night at 7'), 8 to 11 is AM ('weekdays at 9'), 12 is noon; a part of the
day decides when given ('8 in the evening'). Due times are computed in the clinic's
time zone with zoneinfo, so they stay at the same local time across DST changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.nlp.days import DAY_PATTERN, day_number

ALL_DAYS = (0, 1, 2, 3, 4, 5, 6)
WEEKDAYS = (0, 1, 2, 3, 4)
WEEKEND = (5, 6)
DEFAULT_TIME = time(19, 0)  # days named, no time and no part of the day: early evening
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_PART_TIMES = {
    "morning": time(9, 0),
    "afternoon": time(15, 0),
    "evening": time(19, 0),
    "night": time(19, 0),
    "tonight": time(19, 0),
}

_DAY = DAY_PATTERN
_GROUP = r"(?:weekdays?|week\s?days|work\s?days|school\s?days|weekends?)"
_DAYLIKE = rf"(?:{_DAY}|{_GROUP})"
_EVERY = re.compile(
    r"\b(?:(?:every|each)\s+(?:single\s+)?(?:day|night|evening|morning|afternoon)"
    r"|everyday|daily|nightly|all\s+week|(?:7|seven)\s+days\s+a\s+week)\b"
)
_EXCEPT = re.compile(
    rf"\b(?:except|but\s+not|excluding|other\s+than|apart\s+from|besides)\s+(?:on\s+)?"
    rf"({_DAYLIKE}(?:\s*(?:,|and|or|&)?\s*(?:on\s+)?{_DAYLIKE})*)\b"
)
_RANGE = re.compile(rf"\b({_DAY})\s*(?:-|–|to|through|thru|until|till)\s*({_DAY})\b")
_DAY_WORD = re.compile(rf"\b({_DAYLIKE})\b")

_CLOCK_AMPM = re.compile(r"(?<![\d:.])(\d{1,2})(?:[:.](\d{2}))?\s*([ap])m\b")
_CLOCK_WORD = re.compile(r"\b(noon|midday|midnight)\b")
_CLOCK_COLON = re.compile(r"(?<![\d:.])(\d{1,2}):(\d{2})(?![\d:])")
_CLOCK_PART = re.compile(  # '8 in the evening', '7 at night', '6:30 tonight'
    r"(?<![\d:.])(\d{1,2})(?::(\d{2}))?\s+(?:in\s+the\s+|at\s+|this\s+)?"
    r"(morning|afternoon|evening|night|tonight)s?\b"
)
_CLOCK_BARE = re.compile(r"(?:\b(?:at|around|about|by)\s+|@\s*)(\d{1,2})\b(?![:.]\d)")
_PART = re.compile(r"\b(morning|afternoon|evening|night|tonight)s?\b")


@dataclass(frozen=True)
class Schedule:
    """Days (Monday=0, sorted, unique) and a clinic-local wall-clock time (minutes only)."""

    weekdays: tuple[int, ...]
    local_time: time

    def __post_init__(self) -> None:
        days = tuple(sorted(set(self.weekdays)))
        if not days or any(not 0 <= d <= 6 for d in days):
            raise ValueError(f"weekdays must be some of 0..6, not {self.weekdays!r}")
        object.__setattr__(self, "weekdays", days)
        object.__setattr__(self, "local_time", time(self.local_time.hour, self.local_time.minute))

    @property
    def time_text(self) -> str:
        """'19:00': the stored form (reminders.local_time)."""
        return f"{self.local_time:%H:%M}"

    @classmethod
    def from_stored(cls, weekdays: Iterable[int], local_time: str) -> Schedule:
        return cls(tuple(int(d) for d in weekdays), clock(local_time))


def clock(text: str) -> time:
    """'20:30' -> time(20, 30); the form of stored times and of the clinic's quiet hours."""
    return datetime.strptime(text.strip(), "%H:%M").time()


# --- Parsing ---------------------------------------------------------------------------


def parse_schedule(text: str) -> Schedule | None:
    """The schedule in ``text`` ('mondays and thursdays at 7pm'), or None when it names
    neither days nor a time, so the conversation can ask again.

    Days without a time or part of the day get 19:00 (DEFAULT_TIME); a time without
    days means every day; a part of the day alone gives its usual time (morning 9:00,
    afternoon 15:00, evening and night 19:00). The confirmation the bot sends (describe)
    is how a caregiver catches a misreading.
    """
    said = _said(text)
    if said is None:
        return None
    days, local = said
    return Schedule(tuple(sorted(days or ALL_DAYS)), local or DEFAULT_TIME)


def parse_change(text: str, current: Schedule) -> Schedule | None:
    """A change to ``current``: "make it 8pm" keeps the days, "fridays instead" the time,
    and "make it 10" is the 10 nearer the current time (10 PM after 9 PM)."""
    said = _said(text)
    hour = changed_hour(text)
    if said is None and hour is None:
        return None
    days, local = said or (None, None)
    if local is None and hour is not None:
        local = _nearest(hour, current.local_time)
    return Schedule(tuple(sorted(days or current.weekdays)), local or current.local_time)


# A bare hour given as the change: "actually make it 10. 9 is bath time", "10 instead".
_CHANGED_HOUR = re.compile(
    r"\b(?:make it|change it to|move it to|switch it to|set it (?:to|for)|push it to)\s+"
    r"(\d{1,2})(?::(\d{2}))?(?![\d:])(?!\s*(?:min|hour|hr|day|week|%))"
    r"|\b(\d{1,2})(?::(\d{2}))?\s+instead\b",
    re.I,
)


def changed_hour(text: str) -> tuple[int, int] | None:
    """The hour and minute of a bare time given as a change, or None."""
    match = _CHANGED_HOUR.search(text)
    if match is None:
        return None
    hour, minute = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
    hour_n, minute_n = int(hour), int(minute or 0)
    if not (1 <= hour_n <= 12 and 0 <= minute_n <= 59):
        return None
    return hour_n, minute_n


def _nearest(said: tuple[int, int], current: time) -> time:
    """Of the morning and the evening reading of a bare hour, the one nearer ``current``."""
    hour, minute = said
    readings = [time(hour % 12, minute), time(hour % 12 + 12, minute)]
    now = current.hour * 60 + current.minute
    return min(readings, key=lambda t: abs(t.hour * 60 + t.minute - now))


def _said(text: str) -> tuple[set[int] | None, time | None] | None:
    """The days and the time named in ``text`` (None for what it does not name), or None
    when it names neither or rules out every day it names."""
    s = _prepare(text)
    excluded: set[int] = set()
    for match in _EXCEPT.finditer(s):
        for word in _DAY_WORD.findall(match.group(1)):
            excluded |= set(_day_word(word))
    s = _mask(s, _EXCEPT)
    included: set[int] = set()
    for match in _RANGE.finditer(s):
        included |= set(_day_range(match.group(1), match.group(2)))
    s = _mask(s, _RANGE)
    if _EVERY.search(s):
        included |= set(ALL_DAYS)
    for word in _DAY_WORD.findall(_mask(s, _EVERY)):
        included |= set(_day_word(word))

    part_match = _PART.search(s)
    part = part_match.group(1) if part_match else None
    at = _clock_time(s, part)
    if not (included or excluded or at or part):
        return None
    days = ((included or set(ALL_DAYS)) - excluded) if (included or excluded) else None
    if days is not None and not days:
        return None  # every day named was ruled out again
    return days, at or (_PART_TIMES[part] if part else None)


def _prepare(text: str) -> str:
    s = " " + text.lower().replace("’", "'") + " "
    s = re.sub(r"\b([ap])\.\s?m\.?", r"\1m", s)
    s = re.sub(r"\b(\d{1,2})\s*o'?\s?clock\b", r"at \1", s)
    s = re.sub(r"\bhalf\s+past\s+(\d{1,2})\b", r"\1:30", s)
    s = re.sub(r"\b(?:a\s+)?quarter\s+past\s+(\d{1,2})\b", r"\1:15", s)
    return re.sub(
        r"\b(?:a\s+)?quarter\s+(?:to|till|of)\s+(\d{1,2})\b",
        lambda m: f"{(int(m.group(1)) - 2) % 12 + 1}:45",
        s,
    )


def _mask(s: str, pattern: re.Pattern[str]) -> str:
    """Blank out what ``pattern`` matched, keeping positions, so later rules skip it."""
    return pattern.sub(lambda m: " " * len(m.group(0)), s)


def _day_word(word: str) -> tuple[int, ...]:
    word = re.sub(r"\s", "", word)
    if word.startswith("weekend"):
        return WEEKEND
    if word.endswith("days") and word[:-4] in ("week", "work", "school"):
        return WEEKDAYS
    if word == "weekday":
        return WEEKDAYS
    return (day_number(word),)


def _day_range(first: str, last: str) -> tuple[int, ...]:
    """'mon-fri', 'friday to monday' (wrapping over the weekend), both ends included."""
    start, end = _day_word(first)[0], _day_word(last)[0]
    return tuple((start + i) % 7 for i in range((end - start) % 7 + 1))


def _clock_time(s: str, part: str | None) -> time | None:
    """The first readable clock time, most explicit form first."""
    readers: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], time | None]], ...] = (
        (_CLOCK_AMPM, lambda m: _ampm(int(m.group(1)), int(m.group(2) or 0), m.group(3))),
        (_CLOCK_WORD, lambda m: time(0) if m.group(1) == "midnight" else time(12)),
        (_CLOCK_PART, lambda m: _bare(int(m.group(1)), int(m.group(2) or 0), m.group(3))),
        (_CLOCK_COLON, lambda m: _bare(int(m.group(1)), int(m.group(2)), part)),
        (_CLOCK_BARE, lambda m: _bare(int(m.group(1)), 0, part)),
    )
    for pattern, reader in readers:
        for match in pattern.finditer(s):
            value = reader(match)
            if value is not None:
                return value
    return None


def _ampm(hour: int, minute: int, meridiem: str) -> time | None:
    if not (1 <= hour <= 12 and 0 <= minute <= 59):
        return None
    return time(hour % 12 + (12 if meridiem == "p" else 0), minute)


def _bare(hour: int, minute: int, part: str | None) -> time | None:
    """A time without am/pm: 24-hour when it can only be that, else by part of the day."""
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    if hour == 0 or hour >= 13:
        return time(hour, minute)
    if part == "morning":
        return time(hour % 12, minute)
    if part == "afternoon":
        return time(hour % 12 + 12, minute)
    if part in ("evening", "night", "tonight"):
        if hour == 12:
            return time(0, minute)
        if part != "evening" and hour <= 4:
            return time(hour, minute)  # '1 at night' is 1 AM
        return time(hour + 12, minute)
    return time(hour + 12 if hour <= 7 else hour, minute)


# --- Describing ------------------------------------------------------------------------


def clock_label(at: time) -> str:
    """'7:00 PM', '12:00 PM' (noon)."""
    return f"{at.hour % 12 or 12}:{at.minute:02d} {'AM' if at.hour < 12 else 'PM'}"


def describe_days(weekdays: Iterable[int]) -> str:
    """'every day', 'weekdays', 'weekends', 'every day except Sundays', 'Mondays and
    Thursdays'."""
    days = tuple(sorted(set(weekdays)))
    if days == ALL_DAYS:
        return "every day"
    if days == WEEKDAYS:
        return "weekdays"
    if days == WEEKEND:
        return "weekends"
    if len(days) == 6:
        missing = (set(ALL_DAYS) - set(days)).pop()
        return f"every day except {DAY_NAMES[missing]}s"
    names = [DAY_NAMES[d] + "s" for d in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def describe(schedule: Schedule) -> str:
    """'Mondays and Thursdays at 7:00 PM': what the bot reads back for the caregiver to confirm."""
    return f"{describe_days(schedule.weekdays)} at {clock_label(schedule.local_time)}"


# --- Due times and quiet hours ---------------------------------------------------------


def _aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (UTC), not naive")


def next_due(schedule: Schedule, after: datetime, tz: ZoneInfo) -> datetime:
    """The first occurrence strictly after ``after``, in UTC.

    Occurrences are local wall-clock times in ``tz``. On the night clocks spring
    forward a time that does not exist (2:30 AM) comes at the same offset as before,
    i.e. an hour later (3:30 AM); on the night they fall back, an hour that happens
    twice is due the first time (fold=0).
    """
    _aware(after, "after")
    after = after.astimezone(timezone.utc)
    day = after.astimezone(tz).date()
    for ahead in range(8):  # today, if still ahead, up to the same weekday next week
        date = day + timedelta(days=ahead)
        if date.weekday() not in schedule.weekdays:
            continue
        due = datetime.combine(date, schedule.local_time, tzinfo=tz).astimezone(timezone.utc)
        if due > after:
            return due
    raise AssertionError("a schedule with days always has an occurrence within 8 days")


def in_quiet_window(at: time, start: str, end: str) -> bool:
    """True when the wall-clock time ``at`` is in [start, end); the window may cross
    midnight (20:30-08:00). Equal start and end means no quiet hours."""
    begin, finish = clock(start), clock(end)
    at = time(at.hour, at.minute, at.second, at.microsecond)
    if begin == finish:
        return False
    if begin < finish:
        return begin <= at < finish
    return at >= begin or at < finish


def closest_outside(at: time, start: str, end: str) -> time:
    """The allowed time nearest to ``at`` when it falls in the quiet window.

    Half an hour before the window starts, or the minute it ends, whichever is nearer
    ("9 pm" with quiet hours 20:30-08:00 gives 8:00 PM, "6 am" gives 8:00 AM).
    """
    if not in_quiet_window(at, start, end):
        return at
    day = 24 * 60
    minutes = at.hour * 60 + at.minute
    before = (clock(start).hour * 60 + clock(start).minute - 30) % day
    after = clock(end).hour * 60 + clock(end).minute
    to_before = (minutes - before) % day
    to_after = (after - minutes) % day
    chosen = before if to_before <= to_after else after
    return time(chosen // 60, chosen % 60)


def in_quiet_hours(moment: datetime, start: str, end: str, tz: ZoneInfo) -> bool:
    """True when ``moment`` falls in the clinic's quiet hours, in the clinic's time zone."""
    _aware(moment, "moment")
    return in_quiet_window(moment.astimezone(tz).time(), start, end)
