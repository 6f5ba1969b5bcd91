"""The project's command line (`python -m bot ...`); every command has --help."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from bot.booking.states import (
    BOOKING_STATUSES,
    FIRST_CONSULTATION,
    HANDOFF_STATUSES,
    SLOT_KINDS,
    SLOT_STATUSES,
)
from bot.cli_errors import database_errors
from bot.clinic import ClinicProfile, ClinicProfileError, get_profile, load_profile
from bot.settings import get_settings


@click.group()
def main() -> None:
    """Tools for the CPP caregiver companion."""


@main.command()
@click.option(
    "--profile", type=click.Path(path_type=Path), help="Clinic profile (default: $CLINIC_PROFILE)."
)
@click.option(
    "--source", type=click.Path(path_type=Path), default=Path("domain.yml"), show_default=True
)
@click.option(
    "--out", type=click.Path(path_type=Path), default=Path("build/domain"), show_default=True
)
def domain(profile: Path | None, source: Path, out: Path) -> None:
    """Build the domain folder Rasa trains on: domain.yml plus the clinic's facts."""
    from bot.domain_facts import build_domain_dir

    try:
        clinic = load_profile(profile or get_settings().clinic_profile)
    except ClinicProfileError as exc:
        raise click.ClickException(str(exc)) from exc
    if not source.exists():
        raise click.ClickException(f"domain file not found: {source}")
    build_domain_dir(clinic, source, out)
    click.echo(f"domain for {clinic.name} written to {out}/")


@main.command("spacy-model")
@click.option(
    "--out", type=click.Path(path_type=Path), help="Target folder (default: $SPACY_MODEL_DIR)."
)
def spacy_model(out: Path | None) -> None:
    """Build the spaCy pipeline (blank English, lookup lemmas, child-age ruler) and save it."""
    from bot.nlp.pipeline import save_pipeline

    target = save_pipeline(out or get_settings().spacy_model_dir)
    click.echo(f"spaCy pipeline saved to {target}")


@main.command()
@click.option("--url", help="Database URL (default: $DATABASE_URL).")
def migrate(url: str | None) -> None:
    """Create or upgrade the project's database tables (Alembic)."""
    from sqlalchemy.exc import OperationalError

    from bot.db.migrate import upgrade

    try:
        upgrade(url)
    except OperationalError as exc:
        raise click.ClickException(f"cannot reach the database: {exc.orig}") from exc
    click.echo("database is up to date")


# --- Booking data: demo seed, availability, bookings, handoffs --------------------------


@contextmanager
def _database() -> Iterator[None]:
    """One readable line instead of a traceback when the database or the input is wrong."""
    from bot.booking.errors import BookingError

    with database_errors("booking", (BookingError, ValueError)):
        yield


def _clinic() -> ClinicProfile:
    try:
        return get_profile()
    except ClinicProfileError as exc:
        raise click.ClickException(str(exc)) from exc


def _local(moment: datetime, tz: ZoneInfo) -> str:
    """'2026-12-01 Tue 10:00': sortable, and the same shape `availability add` takes."""
    return f"{moment.astimezone(tz):%Y-%m-%d %a %H:%M}"


def _echo_table(headers: Sequence[str], rows: Sequence[Sequence[str]], empty: str) -> None:
    if not rows:
        click.echo(empty)
        return
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    for line in (headers, ["-" * w for w in widths], *rows):
        click.echo(
            "  ".join(str(cell).ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        )


def _now() -> datetime:
    return datetime.now(timezone.utc)


@main.command()
@click.option(
    "--weeks", type=click.IntRange(1, 12), default=3, show_default=True, help="Weeks of times."
)
@click.option(
    "--reset", is_flag=True, help="First delete every booking, caregiver, slot and clinician."
)
@click.option("--yes", is_flag=True, help="Do not ask before --reset deletes data.")
def seed(weeks: int, reset: bool, yes: bool) -> None:
    """Add demo clinicians and open first-consultation times (skipped if clinicians exist)."""
    from bot.booking.seed import seed_demo

    profile = _clinic()
    if reset and not yes:
        click.confirm(
            "--reset deletes every booking, caregiver, slot and clinician. Continue?", abort=True
        )
    with _database():
        result = seed_demo(_now(), weeks=weeks, reset=reset, profile=profile)
    if result.skipped:
        click.echo("clinicians already exist: nothing added (--reset starts over)")
    else:
        click.echo(
            f"added {result.clinicians} clinicians and {result.slots} open first-consultation "
            f"times over the next {weeks} week{'s' if weeks > 1 else ''} ({profile.timezone})"
        )


@main.group()
def availability() -> None:
    """Clinicians' open times: list, add and remove slots (clinic local time)."""


@availability.command("list")
@click.option("--clinician", help="Only this clinician (full name, any capitalisation).")
@click.option(
    "--days", type=click.IntRange(1, 366), default=7, show_default=True, help="Days ahead."
)
@click.option(
    "--status", type=click.Choice(SLOT_STATUSES), help="Only this status (default: not removed)."
)
def availability_list(clinician: str | None, days: int, status: str | None) -> None:
    """List slots starting in the next DAYS days."""
    from bot.booking.availability import list_slots

    profile = _clinic()
    with _database():
        slots = list_slots(now=_now(), days=days, clinician=clinician, status=status)
    rows = [
        (
            str(s.id),
            s.clinician,
            _local(s.starts_at, profile.tz),
            str(int((s.ends_at - s.starts_at).total_seconds() // 60)),
            s.kind,
            s.status,
        )
        for s in slots
    ]
    click.echo(f"times in {profile.timezone}")
    _echo_table(
        ("ID", "CLINICIAN", "STARTS", "MIN", "KIND", "STATUS"), rows, "no slots in that range"
    )


def _parse_local(text: str, tz: ZoneInfo) -> datetime:
    """A clinic-local 'YYYY-MM-DD HH:MM' as an aware datetime; refuses times that do not exist."""
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"):
        try:
            naive = datetime.strptime(text.strip(), pattern)
            break
        except ValueError:
            continue
    else:
        raise click.BadParameter(
            f'{text!r} is not a date and time: use "YYYY-MM-DD HH:MM" ({tz.key} time)',
            param_hint="--start",
        )
    local = naive.replace(tzinfo=tz)
    if local.astimezone(timezone.utc).astimezone(tz).replace(tzinfo=None) != naive:
        raise click.BadParameter(
            f"{text} does not exist in {tz.key} (the clocks skip it)", param_hint="--start"
        )
    return local


@availability.command("add")
@click.option("--clinician", required=True, help="Clinician's full name, as listed.")
@click.option("--start", "start", required=True, help='Clinic local time, "YYYY-MM-DD HH:MM".')
@click.option(
    "--minutes", type=click.IntRange(5, 480), default=60, show_default=True, help="Length."
)
@click.option(
    "--kind", type=click.Choice(SLOT_KINDS), default=FIRST_CONSULTATION, show_default=True
)
def availability_add(clinician: str, start: str, minutes: int, kind: str) -> None:
    """Open a new slot for a clinician."""
    from bot.booking.availability import add_slot

    profile = _clinic()
    starts_at = _parse_local(start, profile.tz)
    if starts_at <= _now():
        raise click.BadParameter(f"{start} is in the past", param_hint="--start")
    with _database():
        slot = add_slot(clinician, starts_at, minutes=minutes, kind=kind)
    click.echo(f"added slot {slot.id}: {slot.label(profile.tz)} ({minutes} min, {kind})")


@availability.command("remove")
@click.argument("slot_id", type=int)
def availability_remove(slot_id: int) -> None:
    """Withdraw an open slot (a booked one is refused: cancel or move its booking first)."""
    from bot.booking.availability import remove_slot

    profile = _clinic()
    with _database():
        slot = remove_slot(slot_id)
    click.echo(f"removed slot {slot.id}: {slot.label(profile.tz)}")


@main.group()
def bookings() -> None:
    """Booked first consultations."""


@bookings.command("list")
@click.option("--status", type=click.Choice(BOOKING_STATUSES), help="Only this status.")
@click.option("--upcoming", is_flag=True, help="Only appointments still ahead.")
def bookings_list(status: str | None, upcoming: bool) -> None:
    """List bookings by appointment time (clinic local time; no phone numbers or emails)."""
    from bot.booking.bookings import list_bookings

    profile = _clinic()
    with _database():
        found = list_bookings(status=status, upcoming_only=upcoming, now=_now())
    rows = [
        (
            b.reference,
            b.clinician,
            _local(b.starts_at, profile.tz),
            b.caregiver_first_name,
            b.status,
        )
        for b in found
    ]
    click.echo(f"times in {profile.timezone}")
    _echo_table(("REFERENCE", "CLINICIAN", "STARTS", "CAREGIVER", "STATUS"), rows, "no bookings")


@main.group()
def handoffs() -> None:
    """Caregivers waiting to hear from a person."""


@handoffs.command("list")
@click.option("--status", type=click.Choice(HANDOFF_STATUSES), help="Only this status.")
@click.option(
    "--show-contact", is_flag=True, help="Also show how each caregiver asked to be reached."
)
def handoffs_list(status: str | None, show_contact: bool) -> None:
    """List handoff requests, newest first (contact details only with --show-contact)."""
    from bot.booking.handoffs import list_handoffs

    profile = _clinic()
    with _database():
        found = list_handoffs(status=status)
    headers = ["ID", "CREATED", "REASON", "CHANNEL", "STATUS", "PREFERRED TIME"]
    if show_contact:
        headers.append("CONTACT")
    rows = []
    for h in found:
        row = [
            str(h.id),
            _local(h.created_at, profile.tz),
            h.reason,
            h.channel or "-",
            h.status,
            h.preferred_time or "-",
        ]
        if show_contact:
            row.append(h.preferred_contact or "-")
        rows.append(row)
    click.echo(f"times in {profile.timezone}")
    _echo_table(headers, rows, "no handoff requests")


from bot.reminders.cli import reminders  # noqa: E402  (registered last: it imports the group)

main.add_command(reminders)

from bot.web_server import web  # noqa: E402

main.add_command(web)

from bot.console.staff_cli import staff  # noqa: E402

main.add_command(staff)

from bot.console.purge import purge_cli  # noqa: E402

main.add_command(purge_cli)

from bot.console.console_cli import console  # noqa: E402

main.add_command(console)

from bot.prod.cli import api_token, run_prod  # noqa: E402

main.add_command(run_prod)
main.add_command(api_token)
