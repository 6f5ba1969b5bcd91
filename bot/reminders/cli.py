"""`python -m bot reminders ...`: run the reminder scheduler, list caregivers' opt-ins.

bot.cli registers this group at its very end, so this module imports bot.cli's
helpers inside the commands: at import time bot.cli may still be loading.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from datetime import datetime, timezone
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from bot.clinic import ClinicProfile
    from bot.reminders.scheduler import RunReport

OWNER_SHOWN = 8  # enough to tell caregivers apart in a list, not to look anyone up


@click.group()
def reminders() -> None:
    """Reflection reminders between sessions: run the scheduler, list opt-ins."""


def _stamp(profile: ClinicProfile) -> str:
    return f"{datetime.now(timezone.utc).astimezone(profile.tz):%Y-%m-%d %a %H:%M}"


@reminders.command("run")
@click.option("--once", is_flag=True, help="One pass, then exit (for cron).")
def run(once: bool) -> None:
    """Send due reminders through Rasa's HTTP API ($RASA_HOST:$RASA_PORT).

    Without --once, a pass runs every REMINDER_POLL_SECONDS until Ctrl-C or SIGTERM;
    a pass in progress finishes first. One line of counts is printed per pass.
    """
    from bot.cli import _clinic, _database, _now
    from bot.reminders.scheduler import RasaTrigger, run_once
    from bot.settings import get_settings

    profile = _clinic()
    if once:

        async def one_pass() -> RunReport:
            async with RasaTrigger() as trigger:
                return await run_once(_now(), trigger, profile=profile)

        with _database():
            report = asyncio.run(one_pass())
        click.echo(f"{_stamp(profile)} {report.line()}")
        return
    poll = get_settings().reminder_poll_seconds
    click.echo(f"reminders: a pass every {poll}s; Ctrl-C stops ({profile.timezone} times)")
    passes = asyncio.run(_loop(profile, poll))
    click.echo(f"stopped after {passes} pass{'es' if passes != 1 else ''}")


async def _loop(profile: ClinicProfile, poll_seconds: float) -> int:
    """run_forever until SIGINT/SIGTERM sets the stop event."""
    from bot.reminders.scheduler import RasaTrigger, run_forever

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop.set)

    def show(report: RunReport) -> None:
        click.echo(f"{_stamp(profile)} {report.line()}")

    def show_error(exc: Exception) -> None:
        click.echo(f"{_stamp(profile)} pass failed ({type(exc).__name__}); retrying", err=True)

    async with RasaTrigger() as trigger:
        return await run_forever(
            trigger,
            poll_seconds=poll_seconds,
            stop_event=stop,
            profile=profile,
            on_report=show,
            on_error=show_error,
        )


@reminders.command("list")
@click.option("--active", "active_only", is_flag=True, help="Only reminders still active.")
def list_command(active_only: bool) -> None:
    """List reminders: schedule, next due time (clinic local time), whether active.

    Owner keys are cut short and conversation ids are not shown.
    """
    from bot.cli import _clinic, _database, _echo_table, _local
    from bot.reminders.repository import list_reminders
    from bot.reminders.schedule import describe

    profile = _clinic()
    with _database():
        found = list_reminders(active_only=active_only)
    rows = [
        (
            str(r.id),
            r.owner_key[:OWNER_SHOWN] + "…",
            r.channel,
            describe(r.schedule),
            _local(r.next_due_at, profile.tz) if r.next_due_at else "-",
            "yes" if r.active else f"no ({r.stop_reason or 'stopped'})",
        )
        for r in found
    ]
    click.echo(f"times in {profile.timezone}")
    _echo_table(("ID", "OWNER", "CHANNEL", "SCHEDULE", "NEXT DUE", "ACTIVE"), rows, "no reminders")
