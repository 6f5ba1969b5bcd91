"""Tokens for Rasa's HTTP API, which every Rasa process runs with a JWT secret.

Rasa checks the signature (HS256, ``--jwt-secret``) and the role in the payload:
``admin`` may call every route. The project's own callers (the reminder scheduler,
the benchmark, tests) sign a short-lived admin token here with the same secret;
channel webhooks are not part of the API and need none.

The secret is ``RASA_JWT_SECRET``, or when that is empty a random one made once in
``RASA_JWT_SECRET_FILE`` (git-ignored ``var/``), so every process on the host agrees
without anyone having to choose a secret for the embedded default.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

import jwt

from bot.settings import Settings, get_settings

ALGORITHM = "HS256"
ADMIN_USER = {"username": "cpp-internal", "role": "admin"}
TOKEN_SECONDS = 15 * 60  # long enough for one call or one test, short if it ever leaks


def _read_or_create(path: Path) -> str:
    """The secret in ``path``, created (owner-only) if missing. Several processes may
    start at once: only one creates the file, the others read what it wrote."""
    for _ in range(50):
        try:
            text = path.read_text().strip()
        except FileNotFoundError:
            text = ""
        if text:
            return text
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process is writing it right now
            time.sleep(0.1)
            continue
        secret = secrets.token_hex(32)
        with os.fdopen(fd, "w") as handle:
            handle.write(secret + "\n")
        return secret
    raise RuntimeError(f"{path} is empty: delete it and a new secret is made")


def jwt_secret(settings: Settings | None = None) -> str:
    """The secret Rasa verifies tokens with: RASA_JWT_SECRET, else the secret file."""
    settings = settings or get_settings()
    return settings.rasa_jwt_secret or _read_or_create(settings.rasa_jwt_secret_file)


def admin_token(secret: str | None = None, *, seconds: int = TOKEN_SECONDS) -> str:
    """A signed admin JWT for Rasa's API, valid for ``seconds`` from now."""
    now = int(time.time())
    payload = {"user": ADMIN_USER, "iat": now, "exp": now + seconds}
    return jwt.encode(payload, secret or jwt_secret(), algorithm=ALGORITHM)


def auth_headers(secret: str | None = None) -> dict[str, str]:
    """``{"Authorization": "Bearer <admin token>"}`` for one request to Rasa's API."""
    return {"Authorization": f"Bearer {admin_token(secret)}"}
