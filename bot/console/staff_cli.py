"""`python -m bot staff ...`: staff accounts are made here, never through the web console,
so there is no default account and no sign-up page to attack.

Every change writes an audit row with the actor "cli:<operating-system user>".
"""

from __future__ import annotations

import getpass
from datetime import datetime

import click

from bot.cli_errors import database_errors
from bot.console import accounts, audit
from bot.console.passwords import validate_new_password


@click.group()
def staff() -> None:
    """Staff accounts of the console: add, disable, enable, reset-password, list."""


def _actor() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name, e.g. a container without a passwd entry
        user = "unknown"
    return f"cli:{user}"[:64]


def _errors():
    """One readable line, exit code 1, instead of a traceback."""
    return database_errors("staff", (ValueError, LookupError))


def _new_password(from_stdin: bool) -> str:
    """Typed twice without echo, or one line from stdin (for scripts); checked before use."""
    if from_stdin:
        password = click.get_text_stream("stdin").readline().rstrip("\r\n")
    else:
        password = click.prompt(
            "Password", hide_input=True, confirmation_prompt="Repeat the password"
        )
    with _errors():
        validate_new_password(password)
    return password


_STDIN = click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)


@staff.command("add")
@click.argument("name")
@click.option(
    "--role",
    required=True,
    metavar="clinician|admin",
    help="clinician or admin (admins also manage accounts).",
)
@_STDIN
def add(name: str, role: str, password_stdin: bool) -> None:
    """Create the account NAME; the password is asked for twice (at least 12 characters)."""
    with _errors():
        username = accounts.validate_username(name)
        accounts.validate_role(role)
        if accounts.find_staff(username) is not None:
            raise ValueError(f"a staff account named {username!r} already exists")
    password = _new_password(password_stdin)
    with _errors():
        info = accounts.add_staff(username, role, password)
        audit.record(
            _actor(), "staff_add", target=f"staff:{info.username}", detail={"role": info.role}
        )
    click.echo(f"staff account {info.username} ({info.role}) created")


@staff.command("disable")
@click.argument("name")
def disable(name: str) -> None:
    """Stop NAME signing in; their open sessions end at once."""
    with _errors():
        info = accounts.disable_staff(name)
        audit.record(_actor(), "staff_disable", target=f"staff:{info.username}")
    click.echo(f"staff account {info.username} disabled; their sessions have ended")


@staff.command("enable")
@click.argument("name")
def enable(name: str) -> None:
    """Let a disabled account sign in again."""
    with _errors():
        info = accounts.enable_staff(name)
        audit.record(_actor(), "staff_enable", target=f"staff:{info.username}")
    click.echo(f"staff account {info.username} enabled")


@staff.command("reset-password")
@click.argument("name")
@_STDIN
def reset_password(name: str, password_stdin: bool) -> None:
    """Set a new password for NAME; their open sessions end."""
    with _errors():
        if accounts.find_staff(name) is None:
            raise LookupError(f"no staff account named {accounts.normalize_username(name)!r}")
    password = _new_password(password_stdin)
    with _errors():
        info = accounts.reset_password(name, password)
        audit.record(_actor(), "staff_reset_password", target=f"staff:{info.username}")
    click.echo(f"password of {info.username} reset; their sessions have ended")


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "-"


@staff.command("list")
def list_() -> None:
    """Every account: role, whether it may sign in, created and last sign-in (UTC)."""
    with _errors():
        found = accounts.list_staff()
    if not found:
        click.echo("no staff accounts yet: add one with `python -m bot staff add NAME --role ...`")
        return
    headers = ["username", "role", "status", "created", "last sign-in"]
    rows = [
        [
            s.username,
            s.role,
            "active" if s.active else "disabled",
            _when(s.created_at),
            _when(s.last_login_at),
        ]
        for s in found
    ]
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
    for line in (headers, ["-" * w for w in widths], *rows):
        click.echo("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
