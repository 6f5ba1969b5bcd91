"""A child's age from a date: a birth month ("born in March 2024", "DOB 04/2023") or a
birthday to come ("turning 5 next month", "he'll be 4 in april", "3 in june so 2 now").

Why apart from bot.nlp.ages: these need today's date, and are read before the plain
"3 years" forms, which they contain ("turning 5" is not 5).
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan", "enero"), ("february", "feb", "febrero"), ("march", "mar", "marzo"),
         ("april", "apr", "abril"), ("may", "mayo"), ("june", "jun", "junio"),
         ("july", "jul", "julio"), ("august", "aug", "agosto"),
         ("september", "sept", "sep", "septiembre"), ("october", "oct", "octubre"),
         ("november", "nov", "noviembre"), ("december", "dec", "diciembre")],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_AGE_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_N = r"(\d{1,2}|one|two|three|four|five|six)"

_BORN = re.compile(
    r"\b(?:born|dob|d\.o\.b\.?|date of birth|birthday is|naci[oó])\b\W*(?:on|in|en|is|was)?\W*"
    rf"(?:(?P<name>{_MONTH})\.?\s*(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s*)?(?:of\s+)?(?P<year>\d{{4}})"
    r"|(?P<month>\d{1,2})[/.-](?:\d{1,2}[/.-])?(?P<year2>\d{4}|\d{2})\b)",
    re.I,
)
# "turning 5 next month", "he turns 5 in february", "he'll be 4 in april", "3 in june so
# 2 now", "3 next week lol"
_COMING = re.compile(
    r"(?:\b(?:turns?|turning|will turn|gonna turn|going to turn|(?:he|she|they)'?ll be|"
    r"will be|gonna be|is|'s)\s+|^\W*)"
    rf"{_N}\s+(?:years?\s+(?:old\s+)?)?(?:(?:in|on|this|by)\s+(?P<name>{_MONTH})\b"
    r"|(?:on\s+the\s+\d{1,2}(?:st|nd|rd|th)?\s+of\s+)?"
    r"(?P<soon>next month|next week|this month|in (?:a|one|two|2|a couple) weeks?|in a month|"
    r"soon|in a few weeks))",
    re.I,
)


def _months_until(month: int, today: date) -> float:
    ahead = (month - today.month) % 12
    return ahead or 0.5  # this month: about half of it is left


def months_by_date(text: str, today: date | None = None) -> float | None:
    """Months old from a birth date or a coming birthday in ``text``, else None."""
    today = today or date.today()
    if born := _BORN.search(text):
        if born.group("name"):
            month, year = MONTHS[born.group("name").lower()], int(born.group("year"))
        else:
            month, year = int(born.group("month")), int(born.group("year2"))
            year += 2000 if year < 100 else 0
        months = (today.year - year) * 12 + today.month - month
        return float(months) if 1 <= month <= 12 and 0 <= months <= 18 * 12 else None
    if coming := _COMING.search(text):
        said = coming.group(1).lower()
        years = int(said) if said.isdigit() else _AGE_WORDS[said]
        if not 1 <= years <= 12:
            return None
        if coming.group("name"):
            until = _months_until(MONTHS[coming.group("name").lower()], today)
        else:
            soon = coming.group("soon").lower()
            until = (
                1.0 if "month" in soon and "this" not in soon else 0.25 if "week" in soon else 0.5
            )
        return float(years * 12 - until)
    return None
