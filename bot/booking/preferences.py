"""Free-text day and time preferences ('tuesday after 3', 'weekday mornings'), by rules.

Times are minutes after midnight in the clinic's time zone. A time without am/pm
is read the way people mean it for appointments: 1 to 7 is afternoon ('after 3'
is 3 PM), 8 to 12 is morning or noon. Words after 'not', 'except', 'no'... in the
same clause are taken away ('weekdays except friday', 'not before 10').
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.nlp.days import DAY_PATTERN, day_number
from bot.nlp.spelling import correct_request_words

DAY = 24 * 60
ALL_DAYS = frozenset(range(7))
WEEKDAYS = frozenset(range(5))
WEEKEND = frozenset({5, 6})
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

_PARTS = {  # part of the day -> window; 'early'/'late' take its first or second half
    "morning": (0, 12 * 60),
    "afternoon": (12 * 60, 17 * 60),
    "evening": (17 * 60, DAY),
    "night": (17 * 60, DAY),
    "lunch": (11 * 60, 13 * 60),
    "lunchtime": (11 * 60, 13 * 60),
}
_PART_EARLY_LATE = {"morning": 10 * 60, "afternoon": 15 * 60, "evening": 19 * 60}

_DAY = DAY_PATTERN
_TIME = r"(?:noon|midday|(?:\d{1,2})(?::\d{2})?\s*(?:am|pm)?)"

_ANY = re.compile(
    r"\b(?:any\s*time|any\s*day|anything|whenever|no preference|flexible|all day"
    r"|(?:does\s*n[o']?t|do\s*n[o']?t) (?:matter|mind)|either (?:is fine|works))\b"
)
_NEGATION = re.compile(
    r"\b(?:not|except|excluding|other than|never|nothing|can'?t|cannot|do\s*n[o']?t|no)\b"
)
# "weekends only sry i work m-f": an apology starts a new clause.
_BOUNDARY = re.compile(r"[,;.!?]|\b(?:but|because|bc|cuz|coz|cause|so|sorry|sry|srry)\b")
# A clause that says what fills that time is ruled out ("Wednesdays I drive my mom to
# her appointments", "im in class mornings", "she naps at 1"), unless it says the time
# is free ("I'm off work fridays").
_BUSY = re.compile(
    r"\b(?:i|im|i'm|i am|we|we're|we are)\s+(?:\w+\s+){0,2}?(?:work|working|drive|driving|"
    r"take|taking|in class|have class|at work|in school|on shift|busy)\b|\bnaps?\b|\bnap ?time\b|"
    r"\bmy (?:shift|classes)\b"
    # "I have court in the mornings this week", "we got church sundays".
    r"|\b(?:i|we)\s+(?:have|got|has)\s+(?:court|class|classes|school|work|church|meetings?|"
    r"a meeting|dialysis|therapy|treatment|appointments?)\b"
    # "i get my schedule on sundays": when the week is known, not a time that suits.
    r"|\b(?:get|gets|see|know|find out)\s+my\s+(?:schedule|shifts?|rota|hours)\b"
)
# "anything mid-morning while the baby naps" is when they are free (dev set bc31).
_FREE = re.compile(
    r"\b(?:off|free|available|home|can|could|works? for|best|good|anything)\b|\bwhile "
    r"(?:the |my |her |his )?(?:baby|kid|kids|son|daughter|little one|she|he)\s+(?:naps?|sleeps?)"
)
_DAY_RANGE = re.compile(rf"\b({_DAY})\s*(?:-|–|to|through|thru|until)\s*({_DAY})\b")
_TIME_RANGE = re.compile(
    rf"(?:\bbetween\s+({_TIME})\s+and\s+({_TIME}))"
    rf"|(?:(?<![\d:/])({_TIME})\s*(?:-|–|to|until|till)\s*({_TIME})(?![\d:/]))"
)
_BOUND = re.compile(
    rf"\b(after|since|from|past|before|by|until|till|til|at|around|about|near)\s+({_TIME})"
    r"(?![\d:/])"
)
_CLOCK = re.compile(r"(?<![\d:/])(\d{1,2})(?::\d{2})?\s*(am|pm)\b|\b(noon|midday)\b")
_PART = re.compile(r"\b(?:(early|late)\s+)?(morning|afternoon|evening|night|lunchtime|lunch)s?\b")
_AFTER_ROUTINE = re.compile(r"\bafter (school|work)\b")
# "wknds", "wkdays": weekends and weekdays as typed on a phone.
_DAY_WORD = re.compile(rf"\b({_DAY}|weekdays?|weekends?|wknds?|wkends?|wkdays?|wkdys?)\b")


@dataclass(frozen=True)
class TimePreference:
    """When a caregiver can come: some weekdays (or any) and time windows (or any time).

    ``days`` holds 0 (Monday) to 6 (Sunday); ``windows`` holds [start, end)
    minutes after midnight in the clinic's time zone.
    """

    days: frozenset[int] | None = None
    windows: tuple[tuple[int, int], ...] = ()

    @property
    def is_any(self) -> bool:
        return self.days is None and not self.windows

    def matches(self, local: datetime) -> bool:
        """True when a start time (already in clinic local time) fits the preference."""
        if self.days is not None and local.weekday() not in self.days:
            return False
        minute = local.hour * 60 + local.minute
        return not self.windows or any(start <= minute < end for start, end in self.windows)

    def describe(self) -> str:
        """Plain words for what was understood, e.g. 'Tue or Thu, 10 AM to noon'."""
        return f"{_describe_days(self.days)}, {_describe_windows(self.windows)}"


ANY_TIME = TimePreference()


def parse_preference(text: str) -> TimePreference | None:
    """The preference stated in ``text``, or None when it states none (so the form re-asks)."""
    s = _prepare(text)
    found = bool(_ANY.search(s))
    s = _ANY.sub(" anytime ", s)
    read: dict[str, list] = {"days": [], "windows": []}
    for pattern, reader, kind in _RULES:  # longest forms first; each masks what it took
        for match in pattern.finditer(s):
            value = reader(match)
            if value is not None:
                refused = _negated(s, match.start()) or _busy(s, match.start(), match.end())
                read[kind].append((value, refused))
        s = _mask(s, pattern)
    if not (found or read["days"] or read["windows"]):
        return None
    days = _combine_days(read["days"])
    windows = _combine_windows(read["windows"])
    if days == frozenset() or windows is None:
        return None  # everything was ruled out: nothing usable to search with
    return TimePreference(days=days, windows=windows)


def _clock_window(match: re.Match[str]) -> tuple[int, int] | None:
    minute = _clock(match.group(0))
    return None if minute is None else _around(minute)


_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], object], str], ...] = (
    (_DAY_RANGE, lambda m: _day_range(m.group(1), m.group(2)), "days"),  # mon-wed
    (_TIME_RANGE, lambda m: _time_range(*(g for g in m.groups() if g)), "windows"),  # 10-12
    (_AFTER_ROUTINE, lambda m: (15 * 60 if m.group(1) == "school" else 17 * 60, DAY), "windows"),
    (_BOUND, lambda m: _bound(m.group(1), m.group(2)), "windows"),  # after 3, before noon
    (_CLOCK, _clock_window, "windows"),  # 2pm
    (_PART, lambda m: _part(m.group(1), m.group(2)), "windows"),  # early afternoon
    (_DAY_WORD, lambda m: _day_word(m.group(1)), "days"),  # tuesdays, weekends
)


_SCOPED_REFUSAL = re.compile(
    r"\b(can'?t|cannot|not|never|no)\b([^.,;!?]*?)\b((?:before|after|until|till)\s+"
    r"[\d:]+\s*(?:am|pm)?)\s+(?:on\s+)?"
    r"((?:week ?days?|week ?ends?|(?:mon|tue|wed|thu|fri|sat|sun)\w*day)s?)\b"
)


def _prepare(text: str) -> str:
    s = correct_request_words(text).lower().replace("’", "'")  # "tusday mornigns"
    s = re.sub(r"\b([ap])\.\s?m\.?", r"\1m", s)
    s = re.sub(r"\b(?:anything|any day|any ?time) but\b", "anytime except", s)
    s = re.sub(r"\bif not\b", "otherwise", s)  # "fri after 3, if not any day after 3"
    # Day letters from school timetables: "mwf", "m/w/f", "t/th", "tth".
    s = re.sub(r"\bm\s*/?\s*w\s*/?\s*f\b", "mon, wed, fri", s)
    s = re.sub(r"\b(?:t\s*/\s*th|tth|tu\s*/?\s*th)\b", "tue, thu", s)
    # Text-speak: "n e day aftr 4", "b4 noon".
    s = re.sub(r"\bn\s?e\b", "any", s)
    s = re.sub(r"\baftr\b", "after", s)
    s = re.sub(r"\bb4\b", "before", s)
    s = re.sub(r"\bm\s*-\s*f\b", "mon-fri", s)  # "i work m-f"
    s = re.sub(r"\bm\s*-\s*th\b", "mon-thu", s)
    # "can't do anything before 3:45 on weekdays": the days say where the time is ruled
    # out, not days ruled out; read as "weekdays can't ... before 3:45".
    s = _SCOPED_REFUSAL.sub(r"\4 \1\2\3", s)
    return s.replace("/", " / ")


def _mask(s: str, pattern: re.Pattern[str]) -> str:
    """Blank out what a pattern took, keeping positions, so no word is read twice."""
    return pattern.sub(lambda m: " " * len(m.group(0)), s)


def _clause_start(s: str, position: int) -> int:
    """Where the clause holding ``position`` begins (after the last boundary before it)."""
    boundaries = [m.end() for m in _BOUNDARY.finditer(s[:position])]
    return boundaries[-1] if boundaries else 0


def _negated(s: str, position: int) -> bool:
    return bool(_NEGATION.search(s[_clause_start(s, position) : position]))


def _busy(s: str, start: int, end: int) -> bool:
    """Whether the clause around a mention says that time is taken."""
    after = _BOUNDARY.search(s, end)
    clause = s[_clause_start(s, start) : after.start() if after else len(s)]
    return bool(_BUSY.search(clause)) and not _FREE.search(clause)


def _day_index(word: str) -> int:
    return day_number(word)


def _day_word(word: str) -> frozenset[int]:
    if word.startswith(("weekday", "wkd")):
        return WEEKDAYS
    if word.startswith(("weekend", "wkn", "wke")):
        return WEEKEND
    return frozenset({_day_index(word)})


def _day_range(first: str, last: str) -> frozenset[int]:
    start, end = _day_index(first), _day_index(last)
    return frozenset((start + i) % 7 for i in range((end - start) % 7 + 1))


def _clock(text: str, assume_pm_below: int = 8) -> int | None:
    """Minutes after midnight for '3', '3pm', '10:30 am', 'noon'; None if not a time."""
    text = text.strip()
    if text in ("noon", "midday"):
        return 12 * 60
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", text)
    if not match:
        return None
    hour, minute, suffix = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if minute > 59 or hour > 23 or (suffix and not 1 <= hour <= 12):
        return None
    if suffix == "am":
        hour = 0 if hour == 12 else hour
    elif suffix == "pm":
        hour = hour if hour == 12 else hour + 12
    elif 1 <= hour < assume_pm_below:
        hour += 12
    return hour * 60 + minute


def _time_range(first: str, last: str) -> tuple[int, int] | None:
    start, end = _clock(first), _clock(last)
    if start is None or end is None:
        return None
    if not re.search(r"am|pm", first):  # the end's am/pm also covers the start: '8-10pm'
        if last.endswith("pm") and start < 12 * 60 and start + 12 * 60 < end:
            start += 12 * 60
        elif last.endswith("am") and start >= 12 * 60:
            start -= 12 * 60
    if end <= start and end < 12 * 60:
        end += 12 * 60  # '11-1' is 11 AM to 1 PM
    return (start, end) if start < end else None


def _bound(word: str, time_text: str) -> tuple[int, int] | None:
    minute = _clock(time_text)
    if minute is None:
        return None
    if word in ("after", "since", "from", "past"):
        return (minute, DAY)
    if word in ("before", "by", "until", "till", "til"):
        return (0, minute) if minute > 0 else None
    return _around(minute)


def _around(minute: int) -> tuple[int, int]:
    """'at 10', 'around 10', '2pm': starting up to an hour either side."""
    return (max(0, minute - 60), min(DAY, minute + 60))


def _part(modifier: str | None, part: str) -> tuple[int, int]:
    start, end = _PARTS[part]
    middle = _PART_EARLY_LATE.get(part)
    if modifier == "early" and middle:
        return (start, middle)
    if modifier == "late" and middle:
        return (middle, end)
    return (start, end)


def _combine_days(items: list[tuple[frozenset[int], bool]]) -> frozenset[int] | None:
    wanted = frozenset().union(*(d for d, negated in items if not negated))
    refused = frozenset().union(*(d for d, negated in items if negated))
    if not wanted and not refused:
        return None
    days = (wanted or ALL_DAYS) - refused
    return None if days == ALL_DAYS else days


def _combine_windows(
    items: list[tuple[tuple[int, int], bool]],
) -> tuple[tuple[int, int], ...] | None:
    """Wanted windows minus refused ones; () for any time, None if nothing is left."""
    wanted = [w for w, negated in items if not negated]
    refused = [w for w, negated in items if negated]
    if not wanted and not refused:
        return ()
    windows = _merge(wanted or [(0, DAY)])
    for cut_start, cut_end in refused:
        windows = [
            piece
            for start, end in windows
            for piece in ((start, min(end, cut_start)), (max(start, cut_end), end))
            if piece[0] < piece[1]
        ]
    if not windows:
        return None
    merged = tuple(_merge(windows))
    return () if merged == ((0, DAY),) else merged


def _merge(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _describe_days(days: frozenset[int] | None) -> str:
    if days is None:
        return "any day"
    if days == WEEKDAYS:
        return "weekdays"
    if days == WEEKEND:
        return "weekends"
    if len(days) >= 5:
        return "any day but " + " and ".join(DAY_NAMES[d] for d in sorted(ALL_DAYS - days))
    names = [DAY_NAMES[d] for d in sorted(days)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _describe_windows(windows: tuple[tuple[int, int], ...]) -> str:
    if not windows:
        return "any time"
    named = {(0, 12 * 60): "mornings", (12 * 60, 17 * 60): "afternoons", (17 * 60, DAY): "evenings"}
    parts = []
    for start, end in windows:
        if (start, end) in named:
            parts.append(named[(start, end)])
        elif end == DAY:
            parts.append(f"after {_clock_text(start)}")
        elif start == 0:
            parts.append(f"before {_clock_text(end)}")
        else:
            parts.append(f"{_clock_text(start)} to {_clock_text(end)}")
    return " or ".join(parts)


def _clock_text(minute: int) -> str:
    if minute == 12 * 60:
        return "noon"
    hour, rest = divmod(minute, 60)
    suffix = "AM" if hour < 12 else "PM"
    hour = hour % 12 or 12
    return f"{hour}:{rest:02d} {suffix}" if rest else f"{hour} {suffix}"
