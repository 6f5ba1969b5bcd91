"""Free-text day and time preferences, table-driven."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.booking.preferences import ANY_TIME, TimePreference, parse_preference

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
WEEKDAYS = frozenset({MON, TUE, WED, THU, FRI})
MORNING, AFTERNOON, EVENING = (0, 720), (720, 1020), (1020, 1440)


def h(hour: float) -> int:
    return int(hour * 60)


CASES = [
    # text, days (None = any), windows (() = any time)
    ("weekday mornings", WEEKDAYS, (MORNING,)),
    ("tuesday after 3", {TUE}, ((h(15), 1440),)),
    ("any time", None, ()),
    ("anytime", None, ()),
    ("Whenever!", None, ()),
    ("no preference", None, ()),
    ("doesn't matter", None, ()),
    ("mornings", None, (MORNING,)),
    ("afternoons", None, (AFTERNOON,)),
    ("evenings", None, (EVENING,)),
    ("mon or wed", {MON, WED}, ()),
    ("thursdays before noon", {THU}, ((0, h(12)),)),
    ("friday afternoon", {FRI}, (AFTERNOON,)),
    ("weekends", {SAT, SUN}, ()),
    ("after 2pm", None, ((h(14), 1440),)),
    ("tues/thurs 10-12", {TUE, THU}, ((h(10), h(12)),)),
    ("Tuesday after 3 P.M.", {TUE}, ((h(15), 1440),)),
    ("between 1 and 3", None, ((h(13), h(15)),)),
    ("11-1", None, ((h(11), h(13)),)),
    ("9-11am", None, ((h(9), h(11)),)),
    ("8-10pm", None, ((h(20), h(22)),)),
    ("weds 1-3pm", {WED}, ((h(13), h(15)),)),
    ("mon-wed", {MON, TUE, WED}, ()),
    ("monday through wednesday after 1:30", {MON, TUE, WED}, ((h(13.5), 1440),)),
    ("around 10", None, ((h(9), h(11)),)),
    ("early afternoon", None, ((h(12), h(15)),)),
    ("late mornings on tuesday", {TUE}, ((h(10), h(12)),)),
    ("after school", None, ((h(15), 1440),)),
    ("weekdays except friday", {MON, TUE, WED, THU}, ()),
    ("anything but fridays", {MON, TUE, WED, THU, SAT, SUN}, ()),
    ("not before 10", None, ((h(10), 1440),)),
    ("no mornings", None, ((h(12), 1440),)),
    ("I can't do mondays but tuesdays are good", {TUE}, ()),
    # the days say where a time is ruled out, not days ruled out
    ("i cant do anything before 3:45 on weekdays", {MON, TUE, WED, THU, FRI}, ((h(15.75), 1440),)),
    ("not before 10 on mondays", {MON}, ((h(10), 1440),)),
    ("saturday morning", {SAT}, (MORNING,)),
]


@pytest.mark.parametrize(("text", "days", "windows"), CASES)
def test_parse_preference(text, days, windows):
    pref = parse_preference(text)
    assert pref is not None, text
    assert pref.days == (frozenset(days) if days is not None else None)
    assert pref.windows == windows


@pytest.mark.parametrize(
    "text", ["", "hmm", "yes", "I don't know", "not sure", "my son is 3", "none of these"]
)
def test_no_usable_preference_is_none(text):
    assert parse_preference(text) is None


@pytest.mark.parametrize(
    ("text", "local", "fits"),
    [
        ("weekday mornings", datetime(2026, 12, 1, 9, 0), True),  # Tuesday
        ("weekday mornings", datetime(2026, 12, 1, 13, 0), False),
        ("weekday mornings", datetime(2026, 12, 5, 9, 0), False),  # Saturday
        ("tuesday after 3", datetime(2026, 12, 1, 15, 0), True),
        ("tuesday after 3", datetime(2026, 12, 1, 14, 59), False),
        ("thursdays before noon", datetime(2026, 12, 3, 11, 0), True),
        ("thursdays before noon", datetime(2026, 12, 3, 12, 0), False),
        ("tues/thurs 10-12", datetime(2026, 12, 3, 10, 30), True),
        ("any time", datetime(2026, 12, 6, 3, 0), True),
    ],
)
def test_matches_a_local_start_time(text, local, fits):
    assert parse_preference(text).matches(local) is fits


@pytest.mark.parametrize(
    ("pref", "words"),
    [
        (ANY_TIME, "any day, any time"),
        (TimePreference(days=WEEKDAYS, windows=(MORNING,)), "weekdays, mornings"),
        (
            TimePreference(days=frozenset({TUE, THU}), windows=((600, 720),)),
            "Tue or Thu, 10 AM to noon",
        ),
        (TimePreference(days=frozenset({TUE}), windows=((900, 1440),)), "Tue, after 3 PM"),
        (TimePreference(days=frozenset({0, 1, 2, 3, 5, 6})), "any day but Fri, any time"),
    ],
)
def test_describe(pref, words):
    assert pref.describe() == words
