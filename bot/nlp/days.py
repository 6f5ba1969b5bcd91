"""Day names as caregivers type them ("tues", "thursdays"), shared by the booking
preferences and the reminder schedules so both read days the same way."""

from __future__ import annotations

DAY_WORDS: dict[str, int] = {
    "mon": 0, "monday": 0,
    "tue": 1, "tues": 1, "tuesday": 1,
    "wed": 2, "weds": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3,
    "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5,
    "sun": 6, "sunday": 6,
}  # fmt: skip
# One day word, optionally plural ("mondays"), longest names first so "tues" beats "tue".
DAY_PATTERN = r"(?:" + "|".join(sorted(DAY_WORDS, key=len, reverse=True)) + r")s?"


def day_number(word: str) -> int:
    """'Thursdays' -> 3 (KeyError for a word that is not a day)."""
    word = word.lower()
    return DAY_WORDS[word] if word in DAY_WORDS else DAY_WORDS[word[:-1]]
