"""One readable line and exit code 1 for the command line's expected failures."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click


@contextmanager
def database_errors(
    tables: str, user_errors: tuple[type[Exception], ...] = (ValueError,)
) -> Iterator[None]:
    """Turn a missing table, an unreachable database or bad input into a ClickException.

    ``tables`` names what is missing before `python -m bot migrate` ("booking", "staff");
    ``user_errors`` are the repositories' refusals, shown as their message.
    """
    from sqlalchemy.exc import OperationalError, ProgrammingError

    try:
        yield
    except (OperationalError, ProgrammingError) as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        if "no such table" in reason or ("relation" in reason and "does not exist" in reason):
            raise click.ClickException(
                f"the database has no {tables} tables yet: run `python -m bot migrate`"
            ) from exc
        raise click.ClickException(f"cannot reach the database: {reason}") from exc
    except user_errors as exc:
        raise click.ClickException(exc.args[0] if exc.args else str(exc)) from exc
