"""Redaction takes out phone numbers, emails and names, and leaves the rest readable."""

from __future__ import annotations

import pytest

from bot.console.redact import names_in, redact
from tests.console_seed import SCRIPT_TEXT


@pytest.mark.parametrize(
    "text",
    [
        "call me at (617) 555-0134",
        "call me at 617-555-0134",
        "call me at 617.555.0134",
        "call me at 6175550134",
        "call me at +1 617 555 0134",
        "call me at 555-0134",
        "call me at +44 20 7946 0958",
        "call me at 617 555 01 34",
    ],
)
def test_phone_numbers(text):
    assert redact(text) == "call me at [phone]"


@pytest.mark.parametrize(
    "text",
    [
        "my son is 3 years old, 36 months",
        "booking WG-UGNSCY at 10:30 on 2025-06-02",
        "we tried 2 or 3 times since 2019",
        "ref 12345",
    ],
)
def test_numbers_that_are_not_phone_numbers_stay(text):
    assert redact(text) == text


def test_emails():
    assert redact("write to dana.k+cpp@example.co.uk please") == "write to [email] please"
    assert redact("a@b.io, c_d@e-f.org") == "[email], [email]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my name is Dana", "my name is [name]"),
        ("My name is dana and I need help", "My name is [name] and I need help"),
        ("my name is Dana Kim.", "my name is [name]."),
        ("Hi, I'm Maria, Leo's mom", "Hi, I'm [name], Leo's mom"),
        ("I am Sam", "I am [name]"),
        ("this is Jo calling back", "this is [name] calling back"),
        ("my daughter Ava bites. Ava is 3", "my daughter [name] bites. [name] is 3"),
        ("my son, Leo, hits", "my son, [name], hits"),
        ("he's named Theo", "he's named [name]"),
    ],
)
def test_introduced_names(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I'm so tired",
        "I'm Worried about him",
        "this is hard",
        "This is Monday's problem",
        "my son is 3",
        "my daughter hits",
        "I am not sure",
    ],
)
def test_ordinary_words_are_not_names(text):
    assert names_in(text) == set()
    assert redact(text) == text


def test_known_names_everywhere_any_case():
    text = "Thanks Maria. MARIA, your booking is set; maria's reference is below."
    assert redact(text, ["Maria"]) == (
        "Thanks [name]. [name], your booking is set; [name]'s reference is below."
    )
    assert redact("Mariana called", ["Maria"]) == "Mariana called"  # whole words only
    assert redact("Dana Kim and Kim", ["Dana Kim"]) == "[name] and [name]"


def test_the_seeded_message():
    result = redact(SCRIPT_TEXT)
    assert result == (
        "<script>alert(1)</script> my name is [name], please call me at [phone] or write to [email]"
    )


def test_empty_text():
    assert redact("") == ""
    assert redact(None) is None
