"""Staff accounts and signing in: created from the command line, never a default account."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.console import ratelimit
from bot.console.passwords import (
    dummy_hash,
    hash_password,
    needs_rehash,
    validate_new_password,
    verify_password,
)
from bot.db import session_scope
from bot.db.models import StaffAccount, StaffSession, utcnow

logger = logging.getLogger(__name__)

ROLES = ("clinician", "admin")
# Lower case, so "Alice" and "alice" can't be two accounts; no spaces or markup.
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")


@dataclass(frozen=True)
class StaffInfo:
    id: int
    username: str
    role: str
    active: bool
    created_at: datetime
    last_login_at: datetime | None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class LoginResult:
    """``staff`` is None for any refusal; ``locked``: refused by the rate limit, unchecked.

    ``account``: the username typed when it names an account, else None. What was typed
    into the username box is kept (audit log, attempts, logs) only when it is a username:
    otherwise it may be a password typed into the wrong box.
    """

    staff: StaffInfo | None
    locked: bool
    account: str | None = None


def unknown_name_key(name: str) -> str:
    """How a username that names no account is counted for the rate limit: a hash of it."""
    return "?" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:20]


def staff_info(row: StaffAccount) -> StaffInfo:
    return StaffInfo(
        id=row.id,
        username=row.username,
        role=row.role,
        active=bool(row.active),
        created_at=row.created_at,
        last_login_at=row.last_login_at,
    )


def normalize_username(username: str) -> str:
    return username.strip().lower()


def validate_username(username: str) -> str:
    """The stored form of ``username``; ValueError with the rule when it can't be one."""
    name = normalize_username(username)
    if not _USERNAME.fullmatch(name):
        raise ValueError(
            "a username is 2-64 characters: letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return name


def validate_role(role: str) -> str:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    return role


def end_sessions(session: Session, staff_id: int, now: datetime | None = None) -> int:
    """End every open session of one account, in the caller's transaction."""
    result = session.execute(
        update(StaffSession)
        .where(StaffSession.staff_id == staff_id, StaffSession.ended_at.is_(None))
        .values(ended_at=now or utcnow())
    )
    return int(result.rowcount or 0)


def _by_name(session: Session, username: str) -> StaffAccount:
    row = session.execute(
        select(StaffAccount).where(StaffAccount.username == normalize_username(username))
    ).scalar_one_or_none()
    if row is None:
        raise LookupError(f"no staff account named {normalize_username(username)!r}")
    return row


def add_staff(username: str, role: str, password: str, url: str | None = None) -> StaffInfo:
    """Create an active account; ValueError for a bad name, role or password, or a duplicate."""
    name = validate_username(username)
    validate_role(role)
    validate_new_password(password)
    with session_scope(url) as session:
        exists = session.execute(
            select(StaffAccount.id).where(StaffAccount.username == name)
        ).first()
        if exists:
            raise ValueError(f"a staff account named {name!r} already exists")
    password_hash = hash_password(password)  # slow: outside any transaction
    try:
        with session_scope(url) as session:
            row = StaffAccount(username=name, role=role, password_hash=password_hash, active=True)
            session.add(row)
            session.flush()
            info = staff_info(row)
    except IntegrityError as exc:  # created meanwhile by someone else
        raise ValueError(f"a staff account named {name!r} already exists") from exc
    logger.info("staff account %s created (%s)", name, role)
    return info


def _set_active(username: str, active: bool, url: str | None) -> StaffInfo:
    with session_scope(url) as session:
        row = _by_name(session, username)
        row.active = active
        if not active:
            end_sessions(session, row.id)
        session.flush()
        info = staff_info(row)
    logger.info("staff account %s %s", info.username, "enabled" if active else "disabled")
    return info


def disable_staff(username: str, url: str | None = None) -> StaffInfo:
    """Stop an account signing in and end its open sessions at once; LookupError if unknown."""
    return _set_active(username, False, url)


def enable_staff(username: str, url: str | None = None) -> StaffInfo:
    return _set_active(username, True, url)


def reset_password(username: str, password: str, url: str | None = None) -> StaffInfo:
    """Set a new password and end the account's sessions (whoever knew the old one is out)."""
    validate_new_password(password)
    password_hash = hash_password(password)
    with session_scope(url) as session:
        row = _by_name(session, username)
        row.password_hash = password_hash
        row.password_changed_at = utcnow()
        end_sessions(session, row.id)
        session.flush()
        info = staff_info(row)
    logger.info("password of staff account %s reset", info.username)
    return info


def list_staff(url: str | None = None) -> list[StaffInfo]:
    with session_scope(url) as session:
        rows = session.execute(select(StaffAccount).order_by(StaffAccount.username)).scalars()
        return [staff_info(row) for row in rows]


def get_staff(staff_id: int, url: str | None = None) -> StaffInfo | None:
    with session_scope(url) as session:
        row = session.get(StaffAccount, staff_id)
        return staff_info(row) if row else None


def find_staff(username: str, url: str | None = None) -> StaffInfo | None:
    """The account named ``username`` (any case), or None."""
    with session_scope(url) as session:
        try:
            return staff_info(_by_name(session, username))
        except LookupError:
            return None


def authenticate(
    username: str,
    password: str,
    address: str,
    now: datetime | None = None,
    url: str | None = None,
) -> LoginResult:
    """Check a sign-in, counting it for the rate limit.

    A wrong password, an unknown username and a disabled account give the same answer
    after the same work (an Argon2 verify), so the form can't be used to find accounts.
    Once the account or the address has too many recent failures, attempts are refused
    without looking at the password, and still counted, so the lock holds while the
    guessing goes on.
    """
    now = now or utcnow()
    name = normalize_username(username)[:64] or "-"
    address = (address or "unknown")[:64]
    with session_scope(url) as session:
        row = session.execute(
            select(StaffAccount).where(StaffAccount.username == name)
        ).scalar_one_or_none()
        stored = row.password_hash if row is not None else None
    account = name if row is not None else None
    key = account or unknown_name_key(name)
    shown = account or "an unknown account"
    if ratelimit.is_locked(*ratelimit.recent_failures(key, address, now, url)):
        ratelimit.record_attempt(key, address, False, now, url)
        logger.warning("sign-in refused: too many failures for %s or its address", shown)
        return LoginResult(staff=None, locked=True, account=account)

    matches = verify_password(stored or dummy_hash(), password)
    if row is None or not row.active or not matches:
        ratelimit.record_attempt(key, address, False, now, url)
        logger.info("sign-in failed for %s", shown)
        return LoginResult(staff=None, locked=False, account=account)

    rehash = hash_password(password) if needs_rehash(stored or "") else None
    ratelimit.record_attempt(name, address, True, now, url)
    with session_scope(url) as session:
        row = session.get(StaffAccount, row.id)
        if row is None or not row.active:  # disabled between the two transactions
            return LoginResult(staff=None, locked=False)
        row.last_login_at = now
        if rehash:
            row.password_hash = rehash
        session.flush()
        info = staff_info(row)
    logger.info("sign-in by %s", name)
    return LoginResult(staff=info, locked=False, account=name)
