"""Server-side sessions of signed-in staff.

The browser holds only a random token; the database holds its SHA-256, so neither a copy
of the database nor of the logs lets anyone sign in. Ending a session is a database write,
so logout, idle expiry and disabling an account take effect on the very next request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from bot.console.accounts import StaffInfo, staff_info
from bot.db import session_scope
from bot.db.models import StaffAccount, StaffSession, utcnow
from bot.settings import get_settings


@dataclass(frozen=True)
class SessionInfo:
    staff: StaffInfo
    csrf_token: str
    token_hash: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(staff_id: int, url: str | None = None) -> tuple[str, str]:
    """A brand-new (cookie token, CSRF token) pair: every sign-in gets a new session id,
    so a token planted in the browser before sign-in is worth nothing after it."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    with session_scope(url) as session:
        account = session.get(StaffAccount, staff_id)
        if account is None or not account.active:
            raise LookupError(f"no active staff account with id {staff_id}")
        now = utcnow()
        session.add(
            StaffSession(
                token_hash=token_hash(token),
                staff_id=staff_id,
                csrf_token=csrf,
                created_at=now,
                last_seen_at=now,
            )
        )
    return token, csrf


def load_session(
    token: str | None,
    now: datetime | None = None,
    url: str | None = None,
    *,
    idle: timedelta | None = None,
) -> SessionInfo | None:
    """The live session for a cookie token, its idle clock restarted; None when the token is
    unknown or ended, the account is disabled, or it sat idle past ``idle`` (default
    CONSOLE_IDLE_MINUTES; such a session is ended here, so coming back doesn't revive it)."""
    if not token:
        return None
    now = now or utcnow()
    if idle is None:
        idle = timedelta(minutes=get_settings().console_idle_minutes)
    with session_scope(url) as session:
        found = session.execute(
            select(StaffSession, StaffAccount)
            .join(StaffAccount, StaffAccount.id == StaffSession.staff_id)
            .where(StaffSession.token_hash == token_hash(token))
        ).first()
        if found is None:
            return None
        row, account = found
        if row.ended_at is not None:
            return None
        if not account.active or now - row.last_seen_at > idle:
            row.ended_at = now
            return None
        row.last_seen_at = max(row.last_seen_at, now)
        return SessionInfo(
            staff=staff_info(account), csrf_token=row.csrf_token, token_hash=row.token_hash
        )


def end_session(token: str | None, url: str | None = None) -> None:
    """Sign out on the server: the token stops working even if the cookie survives."""
    if not token:
        return
    with session_scope(url) as session:
        session.execute(
            update(StaffSession)
            .where(StaffSession.token_hash == token_hash(token), StaffSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )


def csrf_ok(session: SessionInfo, submitted: str | None) -> bool:
    """Whether a form carried this session's CSRF token (compared in constant time)."""
    if not submitted:
        return False
    return hmac.compare_digest(session.csrf_token.encode(), submitted.encode("utf-8"))
