"""Counting failed sign-ins, per account and per address, to slow down password guessing.

Per account stops a slow attack on one person from many addresses; per address stops one
machine trying many accounts. Both windows slide: LoginAttempt rows are the only state.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from bot.db import session_scope
from bot.db.models import LoginAttempt, utcnow
from bot.settings import get_settings


def window() -> timedelta:
    return timedelta(minutes=get_settings().console_login_window_minutes)


def recent_failures(
    username: str, address: str, now: datetime | None = None, url: str | None = None
) -> tuple[int, int]:
    """Failed attempts within the window: (for this username, from this address).

    For the account, only failures after its latest success count, so a member of staff
    who mistyped and then got in is not one typo away from a lockout. For the address,
    every failure counts: signing in to one's own account must not reset a guessing run.
    """
    now = now or utcnow()
    since = now - window()
    with session_scope(url) as session:
        last_success = session.execute(  # ids, not times: two attempts may share a time
            select(func.max(LoginAttempt.id)).where(
                LoginAttempt.username == username,
                LoginAttempt.succeeded.is_(True),
                LoginAttempt.at >= since,
                LoginAttempt.at <= now,
            )
        ).scalar_one()
        by_user = session.execute(
            select(func.count(LoginAttempt.id)).where(
                LoginAttempt.username == username,
                LoginAttempt.succeeded.is_(False),
                LoginAttempt.at >= since,
                LoginAttempt.at <= now,
                LoginAttempt.id > (last_success or 0),
            )
        ).scalar_one()
        by_address = session.execute(
            select(func.count(LoginAttempt.id)).where(
                LoginAttempt.address == address,
                LoginAttempt.succeeded.is_(False),
                LoginAttempt.at >= since,
                LoginAttempt.at <= now,
            )
        ).scalar_one()
    return int(by_user), int(by_address)


def is_locked(by_user: int, by_address: int) -> bool:
    limit = get_settings().console_login_max_failures
    return by_user >= limit or by_address >= limit


def record_attempt(
    username: str,
    address: str,
    succeeded: bool,
    now: datetime | None = None,
    url: str | None = None,
) -> None:
    with session_scope(url) as session:
        session.add(
            LoginAttempt(
                username=username[:64],
                address=address[:64],
                succeeded=succeeded,
                at=now or utcnow(),
            )
        )


def prune_attempts(
    older_than: timedelta | None = None, now: datetime | None = None, url: str | None = None
) -> int:
    """Delete attempts older than ``older_than`` (default: one day, far past any window);
    they name staff and their addresses and are no use once outside the window."""
    cutoff = (now or utcnow()) - max(older_than or timedelta(days=1), window())
    with session_scope(url) as session:
        result = session.execute(delete(LoginAttempt).where(LoginAttempt.at < cutoff))
    return int(result.rowcount or 0)
