"""SMS text rules: carrier keywords, buttons as numbered options, and splitting long replies.

Pure functions (no I/O), so the rules are easy to test and to read in one place.

Splitting rule: a part may hold at most 320 GSM-7 characters (the characters of the
basic GSM 03.38 alphabet; ``^{}\\[~]|€`` count twice, as they use an escape), or 140
UTF-16 code units when any character of the reply is outside GSM-7 (an emoji counts
as 2). 320/140 keeps a part to about two concatenated SMS segments in either
encoding. Typographic quotes, dashes and ellipses are first replaced by their plain
forms, as Twilio's "smart encoding" would, so one curly apostrophe does not halve
every part. Parts break at sentence ends (then at spaces, then anywhere) and are
numbered "(1/3) " when there is more than one. A crisis reply is never split.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

GSM_LIMIT = 320
UCS2_LIMIT = 140

_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = frozenset("^{}\\[~]|€\f")
_PLAIN = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "…": "...",
        "\u00a0": " ",
        "\t": " ",
    }
)

# Carrier keywords: the whole message, in any case, with surrounding spaces or punctuation.
STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
START_WORDS = frozenset({"START", "UNSTOP"})
YES_WORDS = frozenset({"YES"})  # opt-in only while opted out; otherwise an ordinary answer
HELP_WORDS = frozenset({"HELP", "INFO"})

# A sentence end (with closing quotes or brackets) followed by space, or a line break.
_BOUNDARY = re.compile(r"[.!?]+[\"')\]]*\s+|\n\s*")
_LIST_NUMBER = re.compile(r"(?:^|\n)\s*\d{1,2}$")
_WORD = re.compile(r"\S+\s*")


def keyword(body: str) -> str | None:
    """ "stop", "start", "yes", "help", or None when the message is not a bare keyword."""
    word = re.sub(r"^\W+|\W+$", "", body).upper()
    for name, words in (
        ("stop", STOP_WORDS),
        ("start", START_WORDS),
        ("yes", YES_WORDS),
        ("help", HELP_WORDS),
    ):
        if word in words:
            return name
    return None


def plain(text: str) -> str:
    """Typographic punctuation in its GSM-7 form (what Twilio's smart encoding does)."""
    return text.translate(_PLAIN)


def is_gsm7(text: str) -> bool:
    return all(c in _GSM_BASIC or c in _GSM_EXTENDED for c in text)


def cost(text: str, gsm: bool) -> int:
    """Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes."""
    if gsm:
        return sum(2 if c in _GSM_EXTENDED else 1 for c in text)
    return sum(2 if ord(c) > 0xFFFF else 1 for c in text)


def _sentences(text: str) -> list[str]:
    """The text cut after each sentence end, each piece keeping its trailing space."""
    pieces, start = [], 0
    for match in _BOUNDARY.finditer(text):
        if match.group().startswith(".") and _LIST_NUMBER.search(text, 0, match.start()):
            continue  # "2. Ana Ruiz": a list number, not a sentence end
        pieces.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _fill(pieces: Sequence[str], budget: int, gsm: bool, parts: list[str], current: str) -> str:
    """Add pieces to the current part, starting a new part when one does not fit; a
    piece longer than a whole part is broken between words, and a word cut anywhere.
    Full parts go to ``parts``; the unfinished one is returned."""
    for piece in pieces:
        if cost((current + piece).strip(), gsm) <= budget:
            current += piece
        elif cost(piece.strip(), gsm) <= budget:
            if current.strip():
                parts.append(current.strip())
            current = piece
        elif len(words := _WORD.findall(piece)) > 1:
            current = _fill(words, budget, gsm, parts, current)
        else:  # one "word" longer than a part (a long link): cut it
            for char in piece.strip():
                if cost((current + char).strip(), gsm) > budget:
                    parts.append(current.strip())
                    current = ""
                current += char
            current += piece[len(piece.rstrip()) :]
    return current


def _pack(pieces: Sequence[str], budget: int, gsm: bool) -> list[str]:
    """Join pieces greedily into parts of at most ``budget``."""
    parts: list[str] = []
    current = _fill(pieces, budget, gsm, parts, "")
    if current.strip():
        parts.append(current.strip())
    return parts


def split(text: str, crisis: bool = False) -> list[str]:
    """The reply as SMS parts (see the module docstring for the rule)."""
    text = plain(text).strip()
    if crisis or not text:
        return [text] if text else []
    gsm = is_gsm7(text)
    limit = GSM_LIMIT if gsm else UCS2_LIMIT
    if cost(text, gsm) <= limit:
        return [text]
    digits = 1
    while True:  # reserve room for "(n/N) " once N's width is known
        parts = _pack(_sentences(text), limit - len(f"({'9' * digits}/{'9' * digits}) "), gsm)
        if len(str(len(parts))) <= digits:
            break
        digits += 1
    return [f"({i}/{len(parts)}) {part}" for i, part in enumerate(parts, start=1)]


def _title(button: dict[str, Any]) -> str:
    return plain(str(button.get("title") or button.get("payload") or "")).strip()


def _already_listed(text: str, buttons: Sequence[dict[str, Any]]) -> bool:
    """The text itself numbers the options ("1. Ana Ruiz..."), as the slot offer does."""
    return all(
        re.search(rf"(?:^|\n)\s*{i}[.)]\s*{re.escape(_title(b))}", text)
        for i, b in enumerate(buttons, start=1)
    )


def with_options(text: str, buttons: Sequence[dict[str, Any]]) -> str:
    """The text followed by "Reply 1 for Yes, 2 for No." (plain text: SMS has no buttons)."""
    text = plain(text).strip()
    if not buttons or _already_listed(text, buttons):
        return text
    choices = ", ".join(f"{i} for {_title(b)}" for i, b in enumerate(buttons, start=1))
    return f"{text}\n\nReply {choices}.".strip()


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", plain(text).lower()))


def chosen_payload(body: str, buttons: Sequence[dict[str, Any]]) -> str | None:
    """The payload the reply selects: its number ("2") or its title's words ("no")."""
    answer = _words(body)
    if not answer:
        return None
    if answer.isdigit():
        index = int(answer)
        return str(buttons[index - 1].get("payload")) if 0 < index <= len(buttons) else None
    for button in buttons:
        if answer == _words(_title(button)):
            return str(button.get("payload"))
    return None
