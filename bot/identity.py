"""Stable, keyed identities for caregivers, so storage never holds a raw phone number.

A caregiver is known by a channel address (an SMS number, a web session id). The
project stores ``owner_key(kind, address)``: an HMAC with a secret key, the same on
every process, so a journal or reminder can be found again without keeping the
number itself. Without the key, a stored value cannot be turned back into a number.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
from functools import lru_cache
from pathlib import Path

from bot.settings import get_settings

_lock = threading.Lock()


def _key_from_file(path: Path) -> bytes:
    """Read the key file, creating it (owner-only) the first time."""
    with _lock:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
        return path.read_text().strip().encode()


@lru_cache(maxsize=1)
def _key() -> bytes:
    settings = get_settings()
    if settings.identity_hash_key:
        return settings.identity_hash_key.encode()
    return _key_from_file(settings.identity_key_file)


def owner_key(kind: str, address: str) -> str:
    """The stored identity of one address: ``owner_key("phone", "+15550101234")``.

    ``kind`` separates address spaces: "phone" for an SMS number (any channel that
    knows the number maps to the same key), "web" for a website conversation id,
    "rest"/"callback" for API senders.
    """
    message = f"{kind}:{address.strip()}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def sign(value: str, purpose: str) -> str:
    """``value.signature``: a token the server issued (e.g. a chat session id), which a
    client can hand back but cannot forge or alter."""
    mac = hmac.new(_key(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"{value}.{mac}"


def verify(token: str, purpose: str) -> str | None:
    """The value inside a token from ``sign``, or None when it was not issued here."""
    value, _, _mac = token.rpartition(".")
    if not value:
        return None
    return value if hmac.compare_digest(sign(value, purpose), token) else None


def reset_key_cache() -> None:
    """Tests change the key through settings; forget the cached one."""
    _key.cache_clear()
