"""`python -m bot staff ...`: accounts from the command line, each change audited."""

from __future__ import annotations

import getpass

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from bot.console import accounts, audit, sessions
from bot.console.staff_cli import staff
from bot.db import reset_engine, session_scope
from bot.db.models import StaffAccount
from bot.settings import get_settings

PASSWORD = "a long enough secret"
NEW_PASSWORD = "another long secret"


@pytest.fixture
def cli(db_url, monkeypatch):
    """A runner whose DATABASE_URL is the test database (settings are cached: clear them)."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()
    reset_engine()


def _ok(runner: CliRunner, args: list[str], stdin: str | None = None) -> str:
    result = runner.invoke(staff, args, input=stdin)
    assert result.exit_code == 0, result.output
    return result.output


def _fails(runner: CliRunner, args: list[str], stdin: str | None = None) -> str:
    result = runner.invoke(staff, args, input=stdin)
    # A handled error: exit code 1 through SystemExit, one line, no traceback.
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result.output


def _audit(url: str) -> list[tuple[str, str, str | None]]:
    records, _ = audit.list_audit(url=url)
    return [(r.actor, r.action, r.target) for r in reversed(records)]


ACTOR = f"cli:{getpass.getuser()}"


def test_add_prompts_twice_and_hides_the_password(cli, db_url):
    output = _ok(cli, ["add", "Alice", "--role", "admin"], stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert "staff account alice (admin) created" in output
    assert PASSWORD not in output  # hide_input: not echoed
    with session_scope(db_url) as s:
        row = s.execute(select(StaffAccount)).scalar_one()
    assert (row.username, row.role, row.active) == ("alice", "admin", True)
    assert row.password_hash.startswith("$argon2id$")
    assert accounts.authenticate("alice", PASSWORD, "127.0.0.1", url=db_url).staff
    assert _audit(db_url) == [(ACTOR, "staff_add", "staff:alice")]
    assert audit.list_audit(url=db_url)[0][0].detail == {"role": "admin"}


def test_add_with_password_from_stdin(cli, db_url):
    _ok(cli, ["add", "bob", "--role", "clinician", "--password-stdin"], stdin=PASSWORD + "\n")
    assert accounts.authenticate("bob", PASSWORD, "127.0.0.1", url=db_url).staff.role == (
        "clinician"
    )


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["add", "carol", "--role", "superuser", "--password-stdin"], PASSWORD, "role must be"),
        (["add", "no spaces", "--role", "admin", "--password-stdin"], PASSWORD, "username"),
        (["add", "carol", "--role", "admin", "--password-stdin"], "short\n", "at least 12"),
        (["add", "carol", "--role", "admin", "--password-stdin"], "\n", "at least 12"),
    ],
)
def test_add_refuses_bad_input(cli, db_url, args, stdin, message):
    assert message in _fails(cli, args, stdin=stdin)
    assert accounts.list_staff(url=db_url) == []
    assert audit.count_audit(url=db_url) == 0


def test_mismatched_prompts_create_nothing(cli, db_url):
    _fails(cli, ["add", "dora", "--role", "admin"], stdin=f"{PASSWORD}\n{NEW_PASSWORD}\n")
    assert accounts.list_staff(url=db_url) == []


def test_duplicate_is_refused_before_asking_for_a_password(cli, db_url):
    _ok(cli, ["add", "erin", "--role", "clinician", "--password-stdin"], stdin=PASSWORD)
    output = _fails(cli, ["add", "ERIN", "--role", "admin"])
    assert "already exists" in output and "Password" not in output
    assert [(s.username, s.role) for s in accounts.list_staff(url=db_url)] == [
        ("erin", "clinician")
    ]
    assert [a for _, a, _ in _audit(db_url)] == ["staff_add"]


def test_disable_enable_and_reset_password(cli, db_url):
    _ok(cli, ["add", "fay", "--role", "clinician", "--password-stdin"], stdin=PASSWORD)
    fay = accounts.find_staff("fay", url=db_url)
    token, _ = sessions.start_session(fay.id, url=db_url)

    assert "disabled" in _ok(cli, ["disable", "fay"])
    assert sessions.load_session(token, url=db_url) is None
    assert not accounts.find_staff("fay", url=db_url).active
    assert not accounts.authenticate("fay", PASSWORD, "127.0.0.1", url=db_url).staff

    assert "enabled" in _ok(cli, ["enable", "fay"])
    assert accounts.authenticate("fay", PASSWORD, "127.0.0.2", url=db_url).staff
    token, _ = sessions.start_session(fay.id, url=db_url)

    output = _ok(cli, ["reset-password", "fay"], stdin=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert "reset" in output and NEW_PASSWORD not in output
    assert sessions.load_session(token, url=db_url) is None
    assert not accounts.authenticate("fay", PASSWORD, "127.0.0.3", url=db_url).staff
    assert accounts.authenticate("fay", NEW_PASSWORD, "127.0.0.3", url=db_url).staff

    assert _audit(db_url) == [
        (ACTOR, "staff_add", "staff:fay"),
        (ACTOR, "staff_disable", "staff:fay"),
        (ACTOR, "staff_enable", "staff:fay"),
        (ACTOR, "staff_reset_password", "staff:fay"),
    ]


def test_changes_to_unknown_accounts_fail_clearly(cli, db_url):
    for args in (["disable", "ghost"], ["enable", "ghost"], ["reset-password", "ghost"]):
        assert "no staff account named 'ghost'" in _fails(cli, args, stdin=PASSWORD)
    assert audit.count_audit(url=db_url) == 0


def test_reset_password_refuses_a_short_one(cli, db_url):
    _ok(cli, ["add", "gus", "--role", "admin", "--password-stdin"], stdin=PASSWORD)
    assert "at least 12" in _fails(cli, ["reset-password", "gus", "--password-stdin"], "short")
    assert accounts.authenticate("gus", PASSWORD, "127.0.0.1", url=db_url).staff
    assert [a for _, a, _ in _audit(db_url)] == ["staff_add"]


def test_list_shows_accounts_and_never_hashes(cli, db_url):
    assert "no staff accounts yet" in _ok(cli, ["list"])
    _ok(cli, ["add", "hal", "--role", "admin", "--password-stdin"], stdin=PASSWORD)
    _ok(cli, ["add", "ida", "--role", "clinician", "--password-stdin"], stdin=PASSWORD)
    _ok(cli, ["disable", "ida"])
    lines = _ok(cli, ["list"]).splitlines()
    assert lines[0].split() == ["username", "role", "status", "created", "last", "sign-in"]
    assert lines[2].split()[:3] == ["hal", "admin", "active"]
    assert lines[3].split()[:3] == ["ida", "clinician", "disabled"]
    assert "argon2" not in "\n".join(lines)


def test_an_unmigrated_database_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    get_settings.cache_clear()
    try:
        assert "python -m bot migrate" in _fails(CliRunner(), ["list"])
    finally:
        get_settings.cache_clear()
        reset_engine()


def test_every_command_has_help():
    runner = CliRunner()
    for args in ([], ["add"], ["disable"], ["enable"], ["reset-password"], ["list"]):
        assert "Usage" in _ok(runner, [*args, "--help"])
