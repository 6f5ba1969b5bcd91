"""The booking commands of `python -m bot`, run with click's CliRunner on a temp SQLite file."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from bot.booking.availability import find_open_slots
from bot.booking.bookings import NewCaregiver, book_slot
from bot.booking.handoffs import create_handoff
from bot.booking.preferences import ANY_TIME
from bot.cli import main
from bot.db import reset_engine
from bot.settings import get_settings

COMMANDS = [
    ["seed"],
    ["availability"],
    ["availability", "list"],
    ["availability", "add"],
    ["availability", "remove"],
    ["bookings"],
    ["bookings", "list"],
    ["handoffs"],
    ["handoffs", "list"],
    ["migrate"],
]


@pytest.fixture
def use_url(monkeypatch):
    """Point DATABASE_URL at a URL for the CLI (settings are cached, so clear them)."""

    def use(url: str) -> None:
        monkeypatch.setenv("DATABASE_URL", url)
        get_settings.cache_clear()

    yield use
    get_settings.cache_clear()
    reset_engine()


@pytest.fixture
def cli(tmp_path, use_url):
    """A runner on a freshly migrated SQLite database."""
    use_url(f"sqlite:///{tmp_path / 'app.db'}")
    runner = CliRunner()
    result = runner.invoke(main, ["migrate"])
    assert result.exit_code == 0, result.output
    return runner


def _ok(runner: CliRunner, args: list[str], **kwargs) -> str:
    result = runner.invoke(main, args, **kwargs)
    assert result.exit_code == 0, result.output
    return result.output


def _fails(runner: CliRunner, args: list[str], **kwargs) -> str:
    result = runner.invoke(main, args, **kwargs)
    # A handled error exits non-zero through SystemExit; anything else would be a crash.
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result.output


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_command_has_help(args):
    output = _ok(CliRunner(), [*args, "--help"])
    assert output.startswith("Usage:") and "--help" in output


def test_seed_twice_then_reset(cli, profile):
    assert "added 3 clinicians" in _ok(cli, ["seed", "--weeks", "2"])
    assert "nothing added" in _ok(cli, ["seed"])
    assert "Aborted" in _fails(cli, ["seed", "--reset"], input="n\n")
    assert "added 3 clinicians" in _ok(cli, ["seed", "--reset"], input="y\n")
    assert "over the next 1 week " in _ok(cli, ["seed", "--reset", "--yes", "--weeks", "1"])
    listed = _ok(cli, ["availability", "list", "--days", "8"])
    assert profile.timezone in listed
    assert {"Ana Ruiz, LCSW", "Marcus Bell, PhD", "Priya Natarajan, LMFT"} <= set(
        re.findall(r"[A-Z][a-z]+ [A-Z][a-z]+, [A-Za-z]+", listed)
    )


def test_availability_add_list_remove(cli, profile):
    _ok(cli, ["seed"])
    day = (datetime.now(timezone.utc) + timedelta(days=40)).astimezone(profile.tz).date()
    start = f"{day} 07:00"  # before opening and past the seeded weeks: no clash
    added = _ok(cli, ["availability", "add", "--clinician", "ana ruiz", "--start", start])
    slot_id = re.search(r"added slot (\d+): Ana Ruiz, LCSW — ", added).group(1)
    assert "7:00 AM" in added

    listed = _ok(cli, ["availability", "list", "--clinician", "Ana Ruiz", "--days", "60"])
    row = next(line for line in listed.splitlines() if line.startswith(f"{slot_id} "))
    assert f"{day} " in row and "07:00" in row and "open" in row
    assert "Marcus Bell" not in listed

    assert f"removed slot {slot_id}" in _ok(cli, ["availability", "remove", slot_id])
    listed = _ok(cli, ["availability", "list", "--days", "60"])
    assert not any(line.startswith(f"{slot_id} ") for line in listed.splitlines())
    removed = _ok(cli, ["availability", "list", "--days", "60", "--status", "removed"])
    assert any(line.startswith(f"{slot_id} ") for line in removed.splitlines())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--clinician", "Dr Nobody", "--start", "2099-01-05 10:00"], "no clinician named"),
        (["--clinician", "Ana Ruiz", "--start", "next tuesday"], "is not a date and time"),
        (["--clinician", "Ana Ruiz", "--start", "2099-13-40 10:00"], "is not a date and time"),
        (["--clinician", "Ana Ruiz", "--start", "2020-01-06 10:00"], "is in the past"),
        (["--clinician", "Ana Ruiz", "--start", "2099-03-08 02:30"], "the clocks skip it"),
        (
            ["--clinician", "Ana Ruiz", "--start", "2099-01-05 10:00", "--minutes", "0"],
            "not in the range",
        ),
    ],
)
def test_availability_add_explains_bad_input(cli, args, message):
    _ok(cli, ["seed", "--weeks", "1"])
    assert message in _fails(cli, ["availability", "add", *args])


def test_bookings_list_shows_no_contact_details(cli, profile):
    _ok(cli, ["seed", "--weeks", "2"])
    assert "no bookings" in _ok(cli, ["bookings", "list"])
    choice = find_open_slots(ANY_TIME, now=datetime.now(timezone.utc))[0]
    booking = book_slot(
        choice.slot_id,
        NewCaregiver("Jo", phone="312-555-0142", email="jo@example.com"),
        30,
        "bedtime is hard",
        "conv-1",
    )
    listed = _ok(cli, ["bookings", "list", "--upcoming"])
    row = next(line for line in listed.splitlines() if line.startswith(booking.reference))
    assert "Jo" in row and "confirmed" in row and booking.clinician_name in row
    assert f"{choice.starts_at.astimezone(profile.tz):%Y-%m-%d %a %H:%M}" in row
    for private in ("555", "0142", "jo@example.com", "bedtime"):
        assert private not in listed
    assert "no bookings" in _ok(cli, ["bookings", "list", "--status", "cancelled"])
    assert "Invalid value" in _fails(cli, ["bookings", "list", "--status", "lost"])

    assert "is booked by" in _fails(cli, ["availability", "remove", str(choice.slot_id)])
    assert "no slot 999999" in _fails(cli, ["availability", "remove", "999999"])


def test_handoffs_list_hides_contact_unless_asked(cli):
    assert "no handoff requests" in _ok(cli, ["handoffs", "list"])
    create_handoff("conv-1", "no_times_fit", "text 312-555-0142", "evenings", "rest")
    listed = _ok(cli, ["handoffs", "list"])
    assert "no_times_fit" in listed and "evenings" in listed and "555" not in listed
    assert "312-555-0142" in _ok(cli, ["handoffs", "list", "--show-contact"])
    assert "no handoff requests" in _ok(cli, ["handoffs", "list", "--status", "closed"])


def test_database_problems_are_one_clear_line(tmp_path, use_url):
    runner = CliRunner()
    use_url(f"sqlite:///{tmp_path / 'empty.db'}")
    assert "run `python -m bot migrate`" in _fails(runner, ["bookings", "list"])
    use_url("postgresql+psycopg2://nobody@127.0.0.1:1/none")
    for args in (["bookings", "list"], ["availability", "list"], ["handoffs", "list"], ["seed"]):
        assert "cannot reach the database" in _fails(runner, args)
