"""`python -m bot reminders ...` with click's CliRunner on a temp SQLite file."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from bot.cli import main
from bot.db import reset_engine, session_scope
from bot.db.models import Reminder
from bot.reminders.repository import deliveries, opt_in, stop
from bot.reminders.schedule import ALL_DAYS, Schedule
from bot.settings import get_settings
from tests.http_stub import http_stub as rasa_stub

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = [["reminders"], ["reminders", "run"], ["reminders", "list"]]
OWNER = "f" * 64


@pytest.fixture
def env(monkeypatch):
    """Set environment variables for the CLI (settings are cached, so clear them)."""

    def use(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    yield use
    get_settings.cache_clear()
    reset_engine()


@pytest.fixture
def cli(tmp_path, env):
    """A runner on a freshly migrated SQLite database, with a clinic profile whose quiet
    hours are off: the commands use the real clock, and the test must not depend on it."""
    profile = tmp_path / "clinic.yml"
    text = (ROOT / "clinic.yml").read_text(encoding="utf-8")
    text, found = re.subn(
        r"(?m)^quiet_hours:.*$", 'quiet_hours: {start: "00:00", end: "00:00"}', text
    )
    assert found == 1
    profile.write_text(text, encoding="utf-8")
    env(DATABASE_URL=f"sqlite:///{tmp_path / 'app.db'}", CLINIC_PROFILE=str(profile))
    runner = CliRunner()
    result = runner.invoke(main, ["migrate"])
    assert result.exit_code == 0, result.output
    return runner


def _ok(runner: CliRunner, args: list[str]) -> str:
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    return result.output


def _opt_in_due_now(channel: str = "socketio") -> int:
    """A reminder whose due time was a minute ago (by the real clock)."""
    from bot.clinic import get_profile

    now = datetime.now(timezone.utc)
    record = opt_in(
        OWNER, "+15550101234", channel, Schedule(ALL_DAYS, time(12)), now, tz=get_profile().tz
    )
    with session_scope() as session:
        session.execute(update(Reminder).values(next_due_at=now - timedelta(minutes=1)))
    return record.id


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_command_has_help(args):
    output = _ok(CliRunner(), [*args, "--help"])
    assert output.startswith("Usage:") and "--help" in output


def test_run_once_with_nothing_due(cli):
    output = _ok(cli, ["reminders", "run", "--once"])
    assert output.count("\n") == 1
    assert "sent=0 failed=0 skipped_late=0 skipped_quiet=0 skipped_opt_out=0" in output


def test_run_once_sends_a_due_reminder_through_rasa(cli, env):
    reminder_id = _opt_in_due_now(channel="twilio")
    with rasa_stub() as rasa:
        host, port = rasa.url.removeprefix("http://").split(":")
        env(RASA_HOST=host, RASA_PORT=port)
        assert "sent=1 " in _ok(cli, ["reminders", "run", "--once"])
        assert "sent=0 " in _ok(cli, ["reminders", "run", "--once"])
    assert [r["path"] for r in rasa.requests] == [
        "/conversations/+15550101234/trigger_intent?output_channel=twilio"
    ]
    assert [d.status for d in deliveries(reminder_id)] == ["sent"]


def test_run_once_records_a_failure_when_rasa_is_away(cli, env):
    _opt_in_due_now()
    env(RASA_HOST="127.0.0.1", RASA_PORT="9", REMINDER_SEND_TIMEOUT_SECONDS="1")
    assert "failed=1 " in _ok(cli, ["reminders", "run", "--once"])
    [delivery] = deliveries()
    assert delivery.status == "failed" and delivery.error == "ConnectError"


def test_list_shows_schedule_and_next_due_without_private_ids(cli):
    assert "no reminders" in _ok(cli, ["reminders", "list"])
    reminder_id = _opt_in_due_now()
    listed = _ok(cli, ["reminders", "list"])
    assert "times in America/Chicago" in listed
    row = next(line for line in listed.splitlines() if line.startswith(f"{reminder_id} "))
    assert "every day at 12:00 PM" in row and "socketio" in row and "yes" in row
    assert OWNER[:8] + "…" in row
    assert OWNER not in listed and "5550101234" not in listed
    assert re.search(r"\d{4}-\d{2}-\d{2} \w{3} \d{2}:\d{2}", row)

    stop(OWNER, datetime.now(timezone.utc))
    assert "no reminders" in _ok(cli, ["reminders", "list", "--active"])
    row = _ok(cli, ["reminders", "list"]).splitlines()[-1]
    assert "no (asked)" in row and row.split()[-3] == "-"  # nothing is due any more


def test_database_problems_are_one_clear_line(tmp_path, env):
    env(DATABASE_URL=f"sqlite:///{tmp_path / 'empty.db'}")
    for args in (["reminders", "list"], ["reminders", "run", "--once"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code != 0 and isinstance(result.exception, SystemExit)
        assert "run `python -m bot migrate`" in result.output
        assert "Traceback" not in result.output


def test_run_loops_until_sigterm_and_stops_cleanly(cli, tmp_path):
    """The long-running form, as a real process: a pass at once, then a clean exit on SIGTERM."""
    settings = get_settings()
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "CLINIC_PROFILE": str(settings.clinic_profile),
        "REMINDER_POLL_SECONDS": "30",
        "RASA_HOST": "127.0.0.1",
        "RASA_PORT": "9",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "reminders", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    watchdog = threading.Timer(30, process.kill)  # a hung process fails the test, not CI
    watchdog.start()
    try:
        assert "a pass every 30s" in process.stdout.readline()
        assert "sent=0 failed=0" in process.stdout.readline()  # the first pass, at once
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "stopped after 1 pass" in out and "Traceback" not in err
