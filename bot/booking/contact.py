"""Phone numbers and email addresses: normalised so a later lookup matches what was stored."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from bot.booking.corrections import CONTACT_CUE

DEFAULT_REGION = "US"

# Candidate addresses in free text; email-validator then decides which are real.
_EMAIL_CANDIDATE = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+")


@dataclass(frozen=True)
class Contact:
    """How to reach a caregiver: an E.164 phone number, an email address, or both."""

    phone: str | None = None
    email: str | None = None


def normalize_phone(text: str, region: str = DEFAULT_REGION) -> str | None:
    """The number in E.164 ('+13125550142'), or None unless it is a valid number.

    Only valid numbers pass (not merely well-formed ones), so staff never get a
    number they cannot call; numbers without a country code are read in ``region``.
    """
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# Seven digits ("555-0142", "555 0148"): a local number said without its area code.
_LOCAL_NUMBER = re.compile(r"(?<![\d-])\d{3}[\s.-]?\d{4}(?![\d-])")
_DIGITS = re.compile(r"\d(?:[\s().-]*\d){6,}")


def missing_area_code(text: str) -> bool:
    """A seven-digit local number with nothing before it: the area code is what's missing."""
    return bool(_LOCAL_NUMBER.search(text)) and not any(
        len(re.sub(r"\D", "", m.group())) > 7 for m in _DIGITS.finditer(text)
    )


def with_area_code(text: str, area_code: str | None) -> str | None:
    """The text's seven-digit local number with ``area_code`` in front, when that is a
    valid number ("555-0142", "312" -> "312-555-0142"), else None."""
    match = _LOCAL_NUMBER.search(text) if area_code and missing_area_code(text) else None
    if match is None:
        return None
    return normalize_phone(f"{area_code} {match.group()}")


def looks_like_a_number(text: str) -> bool:
    """Seven or more digits in a row, spaced or dashed: an attempt at a phone number."""
    return bool(_DIGITS.search(text))


def readable_phone(text: str, region: str = DEFAULT_REGION) -> str:
    """'+15550104478' -> '(555) 010-4478', how a caregiver reads a number; as given when
    it cannot be parsed (a fictional 555 number in a demo clinic is still shown)."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return text
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def normalize_email(text: str) -> str | None:
    """The address lower-cased, or None if it is not a valid address.

    Lower-cased whole (providers ignore case in practice) so a caregiver who
    types it differently later still matches. No DNS look-up: that needs the network.
    """
    try:
        checked = validate_email(text.strip(), check_deliverability=False)
    except EmailNotValidError:
        return None
    return checked.normalized.lower()


# A number said aloud into voice typing: "three one two four oh two one nine nine three".
_SPOKEN_DIGITS = {"zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3",
                  "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
                  "nine": "9"}  # fmt: skip
_SPOKEN_RUN = re.compile(rf"\b(?:(?:{'|'.join(_SPOKEN_DIGITS)})\b[\s,.-]*){{7,}}", re.IGNORECASE)


def _spoken_as_digits(text: str) -> str:
    """Runs of seven or more spoken digits written as digits; other words untouched."""

    def digits(match: re.Match[str]) -> str:
        words = re.findall(r"[a-z]+", match.group(0).lower())
        return "".join(_SPOKEN_DIGITS[w] for w in words) + " "

    return _SPOKEN_RUN.sub(digits, text)


def parse_contact(text: str, region: str = DEFAULT_REGION) -> Contact | None:
    """The first valid phone number and email address in free text, or None if neither;
    after a correction ("sorry, I meant ..."), the ones given after it."""
    text = _spoken_as_digits(text)
    cues = list(CONTACT_CUE.finditer(text))
    if cues:
        corrected = _first_contact(text[cues[-1].end() :], region)
        if corrected:
            return corrected
    return _first_contact(text, region)


def _first_contact(text: str, region: str) -> Contact | None:
    email = None
    for candidate in _EMAIL_CANDIDATE.findall(text):
        email = normalize_email(candidate.strip(".!?"))
        if email:
            break
    phone = None
    without_emails = _EMAIL_CANDIDATE.sub(" ", text)
    for match in phonenumbers.PhoneNumberMatcher(
        without_emails, region, leniency=phonenumbers.Leniency.VALID
    ):
        phone = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        break
    if phone is None and email is None:
        return None
    return Contact(phone=phone, email=email)


def as_contact(value: str | Contact, region: str = DEFAULT_REGION) -> Contact | None:
    """A normalised Contact from either a Contact or what the caregiver typed."""
    if not isinstance(value, Contact):
        return parse_contact(value, region)
    phone = normalize_phone(value.phone, region) if value.phone else None
    email = normalize_email(value.email) if value.email else None
    return Contact(phone=phone, email=email) if phone or email else None


# "Please do not call me. Text or email only. Is that ok?" at the contact question: a
# way to be reached, not a request for a person (dev set bc24, 2026-12-07).
_NO_CALLS = re.compile(
    r"\b(?:do not|don'?t|dont|pls don'?t|please don'?t|never|can'?t take|no)\s+(?:phone\s+)?"
    r"calls?\b|\b(?:text|email|e-mail|texting)(?:\s+or\s+(?:text|email|e-mail))?\s+only\b",
    re.IGNORECASE,
)


def refuses_calls(text: str) -> bool:
    """Whether the caregiver asks not to be phoned (a text or an email instead)."""
    return bool(_NO_CALLS.search(text))
