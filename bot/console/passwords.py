"""Staff passwords: Argon2id hashes only, so a copy of the database reveals no password."""

from __future__ import annotations

import functools
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
# Hashing is deliberately slow; a megabyte-long "password" would only be a way to stall us.
MAX_LENGTH = 1024

_hasher = PasswordHasher()  # argon2-cffi's defaults: Argon2id, RFC 9106 low-memory profile


def hash_password(password: str) -> str:
    """The encoded Argon2id hash (salt and parameters included) to store instead of ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches; a malformed stored hash counts as no match, never a crash."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's (rehash at next login)."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return True


def validate_new_password(password: str) -> None:
    """Refuse passwords too short to resist guessing, with a message staff can act on."""
    if len(password) < MIN_LENGTH:
        raise ValueError(f"the password must be at least {MIN_LENGTH} characters long")
    if len(password) > MAX_LENGTH:
        raise ValueError(f"the password must be at most {MAX_LENGTH} characters long")
    if not password.strip():
        raise ValueError("the password must not be only spaces")


@functools.lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A hash of a random secret: verifying against it makes an unknown user cost the same
    time as a known one, so response times don't tell which usernames exist."""
    return hash_password(secrets.token_urlsafe(24))
