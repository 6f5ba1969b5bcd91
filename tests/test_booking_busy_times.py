"""Times told with what fills them ("I work tue and wed", "she naps at 1"), school-style
day letters ("mwf") and "if not" as "otherwise" (dev set bc22/bc23, 2026-12-07; our own
words)."""

from __future__ import annotations

import pytest

from bot.booking.preferences import TimePreference, parse_preference

MORNINGS = ((0, 12 * 60),)


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("anything except thursday. thursdays I take my dad to dialysis. mornings please",
         TimePreference(days=frozenset({0, 1, 2, 4, 5, 6}), windows=MORNINGS)),
        ("I work monday and tuesday", TimePreference(days=frozenset({2, 3, 4, 5, 6}))),
        ("mornings are good, the baby naps at 1", TimePreference(windows=MORNINGS)),
        ("mwf after 2, i'm in class mornings",
         TimePreference(days=frozenset({0, 2, 4}), windows=((14 * 60, 24 * 60),))),
        ("t/th after 4", TimePreference(days=frozenset({1, 3}), windows=((16 * 60, 24 * 60),))),
        ("thursday after 3, if not any day after 3",
         TimePreference(days=frozenset({3}), windows=((15 * 60, 24 * 60),))),
        ("I'm off work on wednesdays", TimePreference(days=frozenset({2}))),
        ("any day after 12 bc i have class in the morning",
         TimePreference(windows=((12 * 60, 24 * 60),))),
        ("weekday evenings, I work till 5",
         TimePreference(days=frozenset(range(5)), windows=((17 * 60, 24 * 60),))),
    ],
)  # fmt: skip
def test_busy_times_are_taken_away(text, wanted):
    assert parse_preference(text) == wanted


def test_weekends_typed_short_with_the_working_week_after_an_apology():
    """'wknds only sry i work m-f' was not read at all, three times, then the way out
    (dev set bc27, 2026-12-07)."""
    assert parse_preference("wknds only sry i work m-f").days == frozenset({5, 6})
    assert parse_preference("wkdays after 3").days == frozenset(range(5))
    assert parse_preference("anytime m-f").days == frozenset(range(5))


def test_the_day_a_schedule_comes_out_is_no_day_that_suits():
    """'maybe afternoons? depends on my shift, i get my schedule on sundays' (dev set
    bc27, 2026-12-07) read as Sunday afternoons."""
    got = parse_preference(
        "hmm not sure, maybe afternoons? depends on my shift, i get my schedule on sundays"
    )
    assert got is not None and 6 not in (got.days or frozenset(range(7)))
    assert got.windows == ((720, 1020),)
