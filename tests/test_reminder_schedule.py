"""Reminder schedules: reading caregivers' phrasings, describing them, due times, quiet hours."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.reminders.schedule import (
    ALL_DAYS,
    DEFAULT_TIME,
    WEEKDAYS,
    WEEKEND,
    Schedule,
    describe,
    in_quiet_hours,
    in_quiet_window,
    next_due,
    parse_schedule,
)

CHICAGO = ZoneInfo("America/Chicago")
UTC = timezone.utc
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


@pytest.mark.parametrize(
    ("text", "days", "at"),
    [
        ("remind me to reflect on Mondays and Thursdays at 7pm", (MON, THU), time(19)),
        ("every day at 8", ALL_DAYS, time(8)),  # 8 without am/pm is morning
        ("weekdays at 9am", WEEKDAYS, time(9)),
        ("on weekends at 10:30 am", WEEKEND, time(10, 30)),
        ("tuesday evenings", (TUE,), time(19)),
        ("mon wed fri 6:30pm", (MON, WED, FRI), time(18, 30)),
        ("sundays at noon", (SUN,), time(12)),
        ("every night at 7", ALL_DAYS, time(19)),  # 1-7 without am/pm is evening
        ("Every Day At 5", ALL_DAYS, time(17)),
        ("Thursday 7:15 P.M.", (THU,), time(19, 15)),
        ("wednesdays", (WED,), DEFAULT_TIME),  # days only: early evening
        ("saturday mornings", (SAT,), time(9)),
        ("friday afternoons", (FRI,), time(15)),
        ("in the evening", ALL_DAYS, time(19)),  # a part of the day alone: every day
        ("at 18:15", ALL_DAYS, time(18, 15)),  # a 24-hour time
        ("at 6:45", ALL_DAYS, time(18, 45)),
        ("daily at 9 am", ALL_DAYS, time(9)),
        ("mon-fri at 6", WEEKDAYS, time(18)),
        ("monday through wednesday 7pm", (MON, TUE, WED), time(19)),
        ("friday to monday 8pm", (MON, FRI, SAT, SUN), time(20)),  # wraps over the weekend
        ("every day except sunday at 7:30 p.m.", (MON, TUE, WED, THU, FRI, SAT), time(19, 30)),
        ("weekdays but not fridays at 7", (MON, TUE, WED, THU), time(19)),
        ("8 in the evening on tuesdays", (TUE,), time(20)),
        ("9 in the morning on saturdays", (SAT,), time(9)),
        ("half past 6 on thursdays", (THU,), time(18, 30)),
        ("quarter to 8 pm daily", ALL_DAYS, time(19, 45)),
        ("7 o'clock every night", ALL_DAYS, time(19)),
        ("remind me every day for 2 weeks", ALL_DAYS, DEFAULT_TIME),  # '2 weeks' is no time
        ("Tues and Thurs @ 7", (TUE, THU), time(19)),
        ("sundays at midnight", (SUN,), time(0)),
        ("12pm on saturdays", (SAT,), time(12)),
        ("12am fridays", (FRI,), time(0)),
    ],
)
def test_parses_caregiver_phrasings(text, days, at):
    assert parse_schedule(text) == Schedule(days, at)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "yes please",
        "maybe later",
        "I'm not sure",
        "weekends except saturday and sunday",  # every named day ruled out again
        "at 25:00",
        "99pm",
    ],
)
def test_no_days_and_no_time_is_none(text):
    assert parse_schedule(text) is None


@pytest.mark.parametrize(
    ("schedule", "text"),
    [
        (Schedule((MON, THU), time(19)), "Mondays and Thursdays at 7:00 PM"),
        (Schedule(ALL_DAYS, time(20)), "every day at 8:00 PM"),
        (Schedule(WEEKDAYS, time(9)), "weekdays at 9:00 AM"),
        (Schedule(WEEKEND, time(10, 30)), "weekends at 10:30 AM"),
        (Schedule((SUN,), time(12)), "Sundays at 12:00 PM"),
        (Schedule((MON, WED, FRI), time(18, 5)), "Mondays, Wednesdays and Fridays at 6:05 PM"),
        (Schedule((MON, TUE, WED, THU, FRI, SAT), time(0)), "every day except Sundays at 12:00 AM"),
    ],
)
def test_describe(schedule, text):
    assert describe(schedule) == text


def test_schedule_sorts_days_and_refuses_none():
    schedule = Schedule((3, 0, 3), time(19, 0, 42))
    assert schedule.weekdays == (0, 3) and schedule.local_time == time(19)
    assert schedule.time_text == "19:00"
    assert Schedule.from_stored([3, 0], "07:05") == Schedule((0, 3), time(7, 5))
    for bad in ((), (7,), (-1, 2)):
        with pytest.raises(ValueError):
            Schedule(bad, time(19))


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_next_due_is_strictly_after_and_wraps_the_week():
    schedule = Schedule((MON, THU), time(19))
    monday_7pm = _utc(2026, 12, 1, 1, 0)  # Mon Nov 30, 7:00 PM CST
    assert next_due(schedule, _utc(2026, 11, 30, 14, 0), CHICAGO) == monday_7pm
    assert next_due(schedule, monday_7pm - timedelta(seconds=1), CHICAGO) == monday_7pm
    thursday_7pm = _utc(2026, 12, 4, 1, 0)
    assert next_due(schedule, monday_7pm, CHICAGO) == thursday_7pm  # not the same time again
    friday = _utc(2026, 12, 4, 18, 0)  # Fri Dec 4, noon CST
    assert next_due(schedule, friday, CHICAGO) == _utc(2026, 12, 8, 1, 0)  # next Monday
    assert next_due(Schedule((SUN,), time(19)), friday, CHICAGO) == _utc(2026, 12, 7, 1, 0)
    # From Monday evening to the next Monday: the week wraps around to the same weekday.
    only_monday = Schedule((MON,), time(19))
    assert next_due(only_monday, monday_7pm, CHICAGO) == _utc(2026, 12, 8, 1, 0)
    # The answer is aware UTC even when asked with another offset.
    local_after = datetime(2026, 11, 30, 8, 0, tzinfo=CHICAGO)
    due = next_due(schedule, local_after, CHICAGO)
    assert due == monday_7pm and due.tzinfo == UTC


def test_next_due_keeps_local_time_across_dst_in_chicago():
    daily = Schedule(ALL_DAYS, time(19))
    # Spring forward on Sun Mar 8 2026: 7 PM is 01:00 UTC before, 00:00 UTC after.
    saturday = next_due(daily, _utc(2026, 3, 7, 12, 0), CHICAGO)
    sunday = next_due(daily, saturday, CHICAGO)
    assert saturday == _utc(2026, 3, 8, 1, 0)
    assert sunday == _utc(2026, 3, 9, 0, 0)
    assert sunday - saturday == timedelta(hours=23)
    assert sunday.astimezone(CHICAGO).hour == 19
    # Fall back on Sun Nov 1 2026: 7 PM is 00:00 UTC before, 01:00 UTC after.
    before = next_due(daily, _utc(2026, 10, 31, 12, 0), CHICAGO)
    after = next_due(daily, before, CHICAGO)
    assert (before, after) == (_utc(2026, 11, 1, 0, 0), _utc(2026, 11, 2, 1, 0))


def test_a_time_the_clocks_skip_moves_forward_and_a_repeated_one_comes_first():
    early = Schedule((SUN,), time(2, 30))
    skipped = next_due(early, _utc(2026, 3, 7, 12, 0), CHICAGO)  # 2:30 AM does not exist
    assert skipped == _utc(2026, 3, 8, 8, 30)
    assert skipped.astimezone(CHICAGO).time() == time(3, 30)
    twice = Schedule((SUN,), time(1, 30))  # 1:30 AM happens twice on Nov 1
    first = next_due(twice, _utc(2026, 10, 31, 12, 0), CHICAGO)
    assert first == _utc(2026, 11, 1, 6, 30)  # the first time, still daylight time
    assert next_due(twice, first, CHICAGO) == _utc(2026, 11, 8, 7, 30)  # not an hour later


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        next_due(Schedule(ALL_DAYS, time(19)), datetime(2026, 12, 1, 12), CHICAGO)
    with pytest.raises(ValueError, match="timezone-aware"):
        in_quiet_hours(datetime(2026, 12, 1, 12), "20:30", "08:00", CHICAGO)


@pytest.mark.parametrize(
    ("at", "quiet"),
    [
        (time(12, 0), False),
        (time(20, 29), False),
        (time(20, 30), True),
        (time(23, 59), True),
        (time(0, 0), True),
        (time(7, 59), True),
        (time(8, 0), False),
    ],
)
def test_quiet_window_crossing_midnight(at, quiet):
    assert in_quiet_window(at, "20:30", "08:00") is quiet


def test_quiet_window_within_a_day_and_empty():
    assert in_quiet_window(time(12, 30), "12:00", "13:00")
    assert not in_quiet_window(time(13, 0), "12:00", "13:00")
    assert not in_quiet_window(time(11, 59), "12:00", "13:00")
    assert not any(in_quiet_window(time(h), "00:00", "00:00") for h in range(24))


def test_quiet_hours_are_judged_in_clinic_local_time():
    # 20:00 and 21:00 CST on Mon Nov 30 are 02:00 and 03:00 UTC on Dec 1.
    assert not in_quiet_hours(_utc(2026, 12, 1, 2, 0), "20:30", "08:00", CHICAGO)
    assert in_quiet_hours(_utc(2026, 12, 1, 3, 0), "20:30", "08:00", CHICAGO)
    assert in_quiet_hours(_utc(2026, 12, 1, 13, 59), "20:30", "08:00", CHICAGO)  # 7:59 AM
    assert not in_quiet_hours(_utc(2026, 12, 1, 14, 0), "20:30", "08:00", CHICAGO)
    # In daylight time the same UTC hour is an hour later locally: 02:00 UTC is 21:00 CDT.
    assert in_quiet_hours(_utc(2026, 7, 1, 2, 0), "20:30", "08:00", CHICAGO)


@pytest.mark.parametrize(
    ("asked", "used"),
    [(time(21, 0), time(20, 0)), (time(20, 30), time(20, 0)), (time(23, 30), time(20, 0)),
     (time(6, 0), time(8, 0)), (time(2, 30), time(8, 0)), (time(19, 0), time(19, 0))],
)  # fmt: skip
def test_a_time_in_quiet_hours_moves_to_the_closest_allowed_one(asked, used):
    from bot.reminders.schedule import closest_outside

    assert closest_outside(asked, "20:30", "08:00") == used


def test_the_reminder_question_says_which_time_it_used_instead():
    from bot.reminders.quiet import quiet_moved
    from bot.reminders.schedule import Schedule

    moved, said = quiet_moved(Schedule((0, 3), time(21, 0)), ("20:30", "08:00"))
    assert moved == Schedule((0, 3), time(20, 0))
    assert "8:00 PM instead" in said and "8:30 PM and 8:00 AM" in said
    assert quiet_moved(Schedule((0,), time(19, 0)), ("20:30", "08:00")) is None
