"""Booking references: short codes a caregiver can read out over the phone."""

from __future__ import annotations

import re
import secrets

from bot.clinic import get_profile

# No 0/O or 1/I/L: nothing that can be misread or misheard.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
# As typed: an optional prefix of letters, then the code ("wg 7k3f9q", "WG-7K3F9Q", "7k3f9q").
_TYPED = re.compile(rf"(?:([A-Z]{{1,3}})[\s-]*)?([A-Z0-9]{{{CODE_LENGTH}}})")


def reference_prefix() -> str:
    """The clinic's initials ('Willow Grove' -> 'WG'), so a reference says whose it is."""
    initials = "".join(word[0] for word in re.findall(r"[A-Za-z]+", get_profile().short_name))
    return initials.upper()[:3] or "BK"


def new_reference(prefix: str | None = None) -> str:
    """A fresh random reference like 'WG-7K3F9Q' (secrets: not guessable from another)."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{prefix or reference_prefix()}-{code}"


def normalize_reference(text: str, prefix: str | None = None) -> str | None:
    """The stored form of a typed reference ('wg 7k3f9q', '7K3F9Q' -> 'WG-7K3F9Q'), or None."""
    match = _TYPED.fullmatch(text.strip().upper())
    if not match or any(ch not in ALPHABET for ch in match.group(2)):
        return None
    return f"{match.group(1) or prefix or reference_prefix()}-{match.group(2)}"


def reference_in(text: str) -> str | None:
    """The reference in a sentence ("the code is WG-XUDU38.", "I think it's wg 9wk3tc?").

    A word counts when it has a digit or a dash ("thursday" has a code's shape, not its
    look); punctuation around it is dropped. Also "wg 9wk3tc", the prefix as a word.
    """
    words = [w.strip(".,;:!?()[]{}\"'“”‘’<>*") for w in text.split()]
    for i, word in enumerate(words):
        looks = any(ch.isdigit() for ch in word) or "-" in word
        if looks and (found := normalize_reference(word)):
            return found
        pair = f"{word} {words[i + 1]}" if i + 1 < len(words) else ""
        prefixed = pair and len(word) <= 3 and any(ch.isdigit() for ch in pair)
        if prefixed and (found := normalize_reference(pair)):
            return found
    return None
