"""Contact details and booking references: what a caregiver types, normalised."""

from __future__ import annotations

import pytest

from bot.booking.contact import (
    Contact,
    as_contact,
    normalize_email,
    normalize_phone,
    parse_contact,
)
from bot.booking.reference import ALPHABET, new_reference, normalize_reference


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("312-555-0142", "+13125550142"),
        ("(312) 555-0142", "+13125550142"),
        ("312.555.0142", "+13125550142"),
        ("1 312 555 0142", "+13125550142"),
        ("+1 (773) 201-3344", "+17732013344"),
        ("+44 20 7946 0958", "+442079460958"),
        ("555-201-3344", None),  # well-formed, but 555 is not a real area code
        ("555-1234", None),  # no area code
        ("12345", None),
        ("call me", None),
        ("", None),
    ],
)
def test_normalize_phone(text, expected):
    assert normalize_phone(text) == expected


def test_normalize_phone_reads_local_numbers_in_the_given_region():
    assert normalize_phone("020 7946 0958", region="GB") == "+442079460958"
    assert normalize_phone("020 7946 0958") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jo@example.com", "jo@example.com"),
        ("  Jo.Smith@Example.COM ", "jo.smith@example.com"),
        ("maria+cpp@mail.example.org", "maria+cpp@mail.example.org"),
        ("jo@", None),
        ("jo@localhost", None),
        ("jo at example dot com", None),
        ("", None),
    ],
)
def test_normalize_email(text, expected):
    assert normalize_email(text) == expected


@pytest.mark.parametrize(
    ("text", "phone", "email"),
    [
        ("you can text me at 312-555-0142", "+13125550142", None),
        ("jo@example.com", None, "jo@example.com"),
        ("my email is Jo@Example.com, thanks!", None, "jo@example.com"),
        ("Call (773) 201-3344 or email jo@example.com.", "+17732013344", "jo@example.com"),
        ("my number is 3125550142", "+13125550142", None),
    ],
)
def test_parse_contact_finds_phone_and_email_in_free_text(text, phone, email):
    assert parse_contact(text) == Contact(phone=phone, email=email)


@pytest.mark.parametrize(
    "text", ["no thanks", "555-201-3344", "my son is 3", "jo@", "I'd rather not say", ""]
)
def test_parse_contact_is_none_without_a_valid_contact(text):
    assert parse_contact(text) is None


def test_as_contact_normalises_a_given_contact():
    given = Contact(phone="(312) 555-0142", email="Jo@Example.com")
    assert as_contact(given) == Contact(phone="+13125550142", email="jo@example.com")
    assert as_contact(Contact(phone="nope")) is None
    assert as_contact("text 312 555 0142") == Contact(phone="+13125550142")


def test_new_references_are_short_readable_and_distinct():
    refs = {new_reference("WG") for _ in range(500)}
    assert len(refs) == 500
    for ref in refs:
        prefix, code = ref.split("-")
        assert prefix == "WG" and len(code) == 6
        assert set(code) <= set(ALPHABET)
    assert not set("01OIL") & set(ALPHABET)


def test_reference_prefix_comes_from_the_clinic_profile():
    assert new_reference().startswith("WG-")  # Willow Grove, from clinic.yml


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("WG-7K3F9Q", "WG-7K3F9Q"),
        ("wg-7k3f9q", "WG-7K3F9Q"),
        (" wg 7k3f9q ", "WG-7K3F9Q"),
        ("7K3F9Q", "WG-7K3F9Q"),
        ("WG7K3F9Q", "WG-7K3F9Q"),
        ("WG-7K3F9O", None),  # O is never in a code
        ("WG-7K3F", None),
        ("12-7K3F9Q", None),
        ("", None),
    ],
)
def test_normalize_reference(typed, expected):
    assert normalize_reference(typed, prefix="WG") == expected


@pytest.mark.parametrize(
    ("text", "phone", "email"),
    [
        ("312 772 0149. ay sorry i meant 312 772 0194", "+13127720194", None),
        ("text me at 312 555 0147, sorry for the wait", "+13125550147", None),
        ("ana@example.com actually use ana.b@example.com", None, "ana.b@example.com"),
    ],
)
def test_a_contact_corrected_in_the_same_message_is_the_corrected_one(text, phone, email):

    assert parse_contact(text) == Contact(phone=phone, email=email)


@pytest.mark.parametrize(
    ("text", "local", "digits"),
    [
        ("my home phone is 555-0142, I don't text much", True, True),
        ("555 0148", True, True),
        ("312-555-0142", False, True),
        ("call me after 5", False, False),
    ],
)
def test_a_seven_digit_number_is_missing_its_area_code(text, local, digits):
    from bot.booking.contact import looks_like_a_number, missing_area_code

    assert missing_area_code(text) is local
    assert looks_like_a_number(text) is digits


def test_a_number_said_aloud_into_voice_typing():
    # "five five five four oh two..." came as words from a dad dictating (dev set bc23, #22)
    from bot.booking.contact import parse_contact

    said = parse_contact("it's three one two four oh two one nine nine three")
    assert said is not None and said.phone == "+13124021993"
    assert parse_contact("I have one or two questions, one more thing") is None
