"""Staff sign-in: Argon2id hashing, accounts, rate limiting, server-side sessions, CSRF."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.console import accounts, ratelimit, sessions
from bot.console.passwords import (
    hash_password,
    needs_rehash,
    validate_new_password,
    verify_password,
)
from bot.db import session_scope
from bot.db.models import LoginAttempt, StaffAccount, StaffSession, utcnow
from bot.settings import get_settings

PASSWORD = "correct horse battery"
OTHER = "another long password"


# --- Hashing ----------------------------------------------------------------------------


def test_hash_is_argon2id_salted_and_verifies():
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith("$argon2id$")
    assert PASSWORD not in first
    assert first != second  # a fresh salt each time
    assert verify_password(first, PASSWORD)
    assert not verify_password(first, PASSWORD + "!")
    assert not needs_rehash(first)


def test_verify_never_crashes_on_a_broken_hash():
    assert not verify_password("not a hash", PASSWORD)
    assert not verify_password("", PASSWORD)
    assert needs_rehash("not a hash")


@pytest.mark.parametrize("bad", ["", "short", "elevenchars", " " * 20, "x" * 2000])
def test_new_passwords_are_checked(bad):
    with pytest.raises(ValueError, match="password"):
        validate_new_password(bad)
    validate_new_password("twelve chars")  # exactly the minimum


# --- Accounts ---------------------------------------------------------------------------


def test_add_and_list_staff_stores_only_a_hash(db_url):
    info = accounts.add_staff("Alice", "admin", PASSWORD, url=db_url)
    assert (info.username, info.role, info.active, info.last_login_at) == (
        "alice",
        "admin",
        True,
        None,
    )
    assert [s.username for s in accounts.list_staff(url=db_url)] == ["alice"]
    assert accounts.get_staff(info.id, url=db_url) == info
    assert accounts.get_staff(info.id + 1, url=db_url) is None
    assert accounts.find_staff("ALICE", url=db_url) == info
    with session_scope(db_url) as s:
        stored = s.execute(select(StaffAccount.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


@pytest.mark.parametrize(
    ("name", "role", "password", "message"),
    [
        ("bob", "superuser", PASSWORD, "role"),
        ("a b", "clinician", PASSWORD, "username"),
        ("<script>", "clinician", PASSWORD, "username"),
        ("", "clinician", PASSWORD, "username"),
        ("bob", "clinician", "short", "password"),
    ],
)
def test_add_staff_refuses_bad_input(name, role, password, message, tmp_path):
    url = f"sqlite:///{tmp_path / 'unused.db'}"  # refused before touching any database
    with pytest.raises(ValueError, match=message):
        accounts.add_staff(name, role, password, url=url)


def test_duplicate_username_is_refused_in_any_case(db_url):
    accounts.add_staff("carol", "clinician", PASSWORD, url=db_url)
    with pytest.raises(ValueError, match="already exists"):
        accounts.add_staff("Carol", "admin", PASSWORD, url=db_url)
    assert len(accounts.list_staff(url=db_url)) == 1


def test_unknown_account_changes_raise_lookup_error(db_url):
    for change in (accounts.disable_staff, accounts.enable_staff):
        with pytest.raises(LookupError):
            change("nobody", url=db_url)
    with pytest.raises(LookupError):
        accounts.reset_password("nobody", PASSWORD, url=db_url)


# --- Signing in and rate limiting -------------------------------------------------------


def _attempts(url: str) -> list[tuple[str, str, bool]]:
    with session_scope(url) as s:
        rows = s.execute(
            select(LoginAttempt.username, LoginAttempt.address, LoginAttempt.succeeded).order_by(
                LoginAttempt.id
            )
        )
        return [tuple(row) for row in rows]


def test_authenticate_success_and_the_three_refusals_look_alike(db_url):
    dave = accounts.add_staff("dave", "clinician", PASSWORD, url=db_url)
    accounts.add_staff("erin", "clinician", PASSWORD, url=db_url)
    accounts.disable_staff("erin", url=db_url)
    now = utcnow()

    ok = accounts.authenticate(" Dave ", PASSWORD, "10.0.0.1", now=now, url=db_url)
    assert ok.staff is not None and ok.staff.id == dave.id and not ok.locked
    assert ok.staff.last_login_at == now
    refusals = [
        accounts.authenticate("dave", OTHER, "10.0.0.2", now=now, url=db_url),
        accounts.authenticate("nobody", PASSWORD, "10.0.0.3", now=now, url=db_url),
        accounts.authenticate("erin", PASSWORD, "10.0.0.4", now=now, url=db_url),
    ]
    assert all(r.staff is None and not r.locked for r in refusals)
    assert [r.account for r in refusals] == ["dave", None, "erin"]
    assert _attempts(db_url) == [
        ("dave", "10.0.0.1", True),
        ("dave", "10.0.0.2", False),
        (accounts.unknown_name_key("nobody"), "10.0.0.3", False),
        ("erin", "10.0.0.4", False),
    ]


def test_a_password_typed_as_the_username_is_kept_nowhere(db_url, caplog):
    """Typed into the wrong box, a password must not reach the attempts or the logs."""
    secret = "Correct-Horse-Battery-9"
    with caplog.at_level("INFO"):
        result = accounts.authenticate(secret, "", "10.0.0.9", url=db_url)
    assert result.account is None
    assert not any(secret.lower() in str(row) for row in _attempts(db_url))
    assert secret.lower() not in caplog.text


def test_lockout_per_account_refuses_even_the_right_password(db_url):
    accounts.add_staff("frank", "clinician", PASSWORD, url=db_url)
    limit = get_settings().console_login_max_failures
    start = utcnow()
    for i in range(limit):  # a different address each time: only the account count grows
        result = accounts.authenticate("frank", OTHER, f"10.1.0.{i}", now=start, url=db_url)
        assert result == accounts.LoginResult(staff=None, locked=False, account="frank")
    assert ratelimit.recent_failures("frank", "10.1.0.0", start, url=db_url) == (limit, 1)

    locked = accounts.authenticate("frank", PASSWORD, "10.9.9.9", now=start, url=db_url)
    assert locked == accounts.LoginResult(staff=None, locked=True, account="frank")
    # Another account from another address is unaffected.
    accounts.add_staff("gina", "clinician", PASSWORD, url=db_url)
    assert accounts.authenticate("gina", PASSWORD, "10.2.0.1", now=start, url=db_url).staff

    # The window slides: once it has passed, the right password works again.
    later = start + ratelimit.window() + timedelta(seconds=1)
    assert accounts.authenticate("frank", PASSWORD, "10.9.9.9", now=later, url=db_url).staff


def test_lockout_per_address_covers_every_account(db_url):
    accounts.add_staff("hana", "clinician", PASSWORD, url=db_url)
    limit = get_settings().console_login_max_failures
    now = utcnow()
    for i in range(limit):  # one address guessing many accounts
        accounts.authenticate(f"guess{i}", OTHER, "192.0.2.7", now=now, url=db_url)
    assert accounts.authenticate("hana", PASSWORD, "192.0.2.7", now=now, url=db_url).locked
    # The account itself is fine from another address.
    assert accounts.authenticate("hana", PASSWORD, "192.0.2.8", now=now, url=db_url).staff
    # Signing in to one's own account does not reset the address's count.
    assert accounts.authenticate("hana", PASSWORD, "192.0.2.7", now=now, url=db_url).locked


def test_a_success_resets_the_account_count(db_url):
    accounts.add_staff("ivan", "clinician", PASSWORD, url=db_url)
    limit = get_settings().console_login_max_failures
    now = utcnow()
    for i in range(limit - 1):
        accounts.authenticate("ivan", OTHER, f"10.3.0.{i}", now=now, url=db_url)
    assert accounts.authenticate("ivan", PASSWORD, "10.3.1.1", now=now, url=db_url).staff
    later = now + timedelta(seconds=1)
    assert ratelimit.recent_failures("ivan", "10.3.9.9", later, url=db_url) == (0, 0)


def test_limits_come_from_settings(db_url, monkeypatch):
    accounts.add_staff("judy", "clinician", PASSWORD, url=db_url)
    monkeypatch.setenv("CONSOLE_LOGIN_MAX_FAILURES", "1")
    get_settings.cache_clear()
    try:
        now = utcnow()
        accounts.authenticate("judy", OTHER, "10.4.0.1", now=now, url=db_url)
        assert accounts.authenticate("judy", PASSWORD, "10.4.0.2", now=now, url=db_url).locked
    finally:
        monkeypatch.delenv("CONSOLE_LOGIN_MAX_FAILURES")
        get_settings.cache_clear()


def test_old_attempts_can_be_pruned(db_url):
    now = utcnow()
    ratelimit.record_attempt("kim", "10.5.0.1", False, now - timedelta(days=2), url=db_url)
    ratelimit.record_attempt("kim", "10.5.0.1", False, now, url=db_url)
    assert ratelimit.prune_attempts(now=now, url=db_url) == 1
    assert len(_attempts(db_url)) == 1


# --- Sessions ---------------------------------------------------------------------------


@pytest.fixture
def staff_member(db_url):
    return accounts.add_staff("lena", "clinician", PASSWORD, url=db_url)


def test_each_sign_in_gets_a_new_session_and_only_its_hash_is_stored(db_url, staff_member):
    first, csrf1 = sessions.start_session(staff_member.id, url=db_url)
    second, csrf2 = sessions.start_session(staff_member.id, url=db_url)
    assert first != second and csrf1 != csrf2 and len(first) >= 43
    with session_scope(db_url) as s:
        stored = s.execute(select(StaffSession.token_hash)).scalars().all()
    assert first not in stored and second not in stored
    assert sorted(stored) == sorted([sessions.token_hash(first), sessions.token_hash(second)])

    loaded = sessions.load_session(second, url=db_url)
    assert loaded is not None
    assert loaded.staff == staff_member and loaded.csrf_token == csrf2
    assert loaded.token_hash == sessions.token_hash(second)


def test_unknown_or_missing_tokens_load_nothing(db_url, staff_member):
    sessions.start_session(staff_member.id, url=db_url)
    for token in (None, "", "made-up-token"):
        assert sessions.load_session(token, url=db_url) is None


def test_no_session_for_a_disabled_or_unknown_account(db_url, staff_member):
    accounts.disable_staff("lena", url=db_url)
    with pytest.raises(LookupError):
        sessions.start_session(staff_member.id, url=db_url)
    with pytest.raises(LookupError):
        sessions.start_session(staff_member.id + 100, url=db_url)


def test_idle_sessions_expire_and_stay_ended(db_url, staff_member):
    token, _ = sessions.start_session(staff_member.id, url=db_url)
    idle = timedelta(minutes=get_settings().console_idle_minutes)
    start = utcnow()
    # Activity restarts the idle clock: two steps just under the limit are fine.
    assert sessions.load_session(token, now=start + idle - timedelta(seconds=5), url=db_url)
    assert sessions.load_session(token, now=start + 2 * idle - timedelta(seconds=10), url=db_url)
    gone = start + 3 * idle
    assert sessions.load_session(token, now=gone, url=db_url) is None
    with session_scope(db_url) as s:
        assert s.execute(select(StaffSession.ended_at)).scalar_one() == gone
    # Coming back does not revive it.
    assert sessions.load_session(token, now=gone + timedelta(seconds=1), url=db_url) is None


def test_idle_minutes_come_from_settings(db_url, staff_member, monkeypatch):
    token, _ = sessions.start_session(staff_member.id, url=db_url)
    monkeypatch.setenv("CONSOLE_IDLE_MINUTES", "1")
    get_settings.cache_clear()
    try:
        later = utcnow() + timedelta(minutes=1, seconds=30)
        assert sessions.load_session(token, now=later, url=db_url) is None
    finally:
        monkeypatch.delenv("CONSOLE_IDLE_MINUTES")
        get_settings.cache_clear()


def test_idle_can_be_given_per_call(db_url, staff_member):
    """The app passes its own idle time (fractions of a minute in browser tests)."""
    token, _ = sessions.start_session(staff_member.id, url=db_url)
    soon = utcnow() + timedelta(seconds=3)
    assert sessions.load_session(token, now=soon, idle=timedelta(seconds=5), url=db_url)
    later = soon + timedelta(seconds=6)
    assert sessions.load_session(token, now=later, idle=timedelta(seconds=5), url=db_url) is None


def test_logout_ends_the_session_on_the_server(db_url, staff_member):
    token, _ = sessions.start_session(staff_member.id, url=db_url)
    other, _ = sessions.start_session(staff_member.id, url=db_url)
    sessions.end_session(token, url=db_url)
    assert sessions.load_session(token, url=db_url) is None
    assert sessions.load_session(other, url=db_url) is not None  # another browser stays in
    sessions.end_session(token, url=db_url)  # twice is harmless
    sessions.end_session(None, url=db_url)


def test_disabling_or_resetting_ends_every_session(db_url, staff_member):
    first, _ = sessions.start_session(staff_member.id, url=db_url)
    second, _ = sessions.start_session(staff_member.id, url=db_url)
    accounts.disable_staff("lena", url=db_url)
    assert sessions.load_session(first, url=db_url) is None
    assert sessions.load_session(second, url=db_url) is None
    with session_scope(db_url) as s:
        open_count = s.execute(
            select(func.count(StaffSession.id)).where(StaffSession.ended_at.is_(None))
        ).scalar_one()
    assert open_count == 0
    # Enabling again does not bring old sessions back.
    accounts.enable_staff("lena", url=db_url)
    assert sessions.load_session(first, url=db_url) is None

    third, _ = sessions.start_session(staff_member.id, url=db_url)
    accounts.reset_password("lena", OTHER, url=db_url)
    assert sessions.load_session(third, url=db_url) is None
    now = utcnow()
    assert not accounts.authenticate("lena", PASSWORD, "10.6.0.1", now=now, url=db_url).staff
    assert accounts.authenticate("lena", OTHER, "10.6.0.1", now=now, url=db_url).staff


def test_csrf_ok_needs_the_session_token(db_url, staff_member):
    token, csrf = sessions.start_session(staff_member.id, url=db_url)
    loaded = sessions.load_session(token, url=db_url)
    assert loaded is not None
    assert sessions.csrf_ok(loaded, csrf)
    for wrong in (None, "", csrf[:-1], csrf + "x", "é" * 10, token):
        assert not sessions.csrf_ok(loaded, wrong)
