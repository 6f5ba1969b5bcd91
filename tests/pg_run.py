"""This test run's own PostgreSQL database, so two `make test` runs never share one.

TEST_POSTGRES_URL names the server and a database to connect to (default ``test``).
At the start of a run a new database ``<that name>_run_<pid>_<random>`` is created
there and TEST_POSTGRES_URL is pointed at it for the whole run (tests and the servers
they start read it); at the end it is dropped. Without PostgreSQL nothing happens and
the PostgreSQL tests skip.
"""

from __future__ import annotations

import os
import secrets
import socket

import sqlalchemy as sa

DEFAULT_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
_created: sa.engine.URL | None = None


def postgres_reachable(url: sa.engine.URL | str | None = None) -> bool:
    """The PostgreSQL server of this URL (default: TEST_POSTGRES_URL) answers on TCP."""
    url = sa.engine.make_url(url or os.environ.get("TEST_POSTGRES_URL", DEFAULT_URL))
    try:
        socket.create_connection((url.host or "127.0.0.1", url.port or 5432), timeout=1).close()
        return True
    except OSError:
        return False


def _admin(url: sa.engine.URL) -> sa.engine.Engine:
    # CREATE/DROP DATABASE cannot run inside a transaction.
    return sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


def create_run_database() -> str | None:
    """Create this run's database and point TEST_POSTGRES_URL at it; its URL, or None."""
    global _created
    base = sa.engine.make_url(os.environ.get("TEST_POSTGRES_URL", DEFAULT_URL))
    if "_run_" in (base.database or "") or not postgres_reachable(base):
        return None  # already a run's own database (a nested run), or no server
    name = f"{base.database}_run_{os.getpid()}_{secrets.token_hex(3)}"
    with _admin(base).connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    _created = base.set(database=name)
    os.environ["TEST_POSTGRES_URL"] = _created.render_as_string(hide_password=False)
    os.environ["CPP_TEST_POSTGRES_BASE"] = base.render_as_string(hide_password=False)
    return os.environ["TEST_POSTGRES_URL"]


def drop_run_database() -> None:
    """Drop the database create_run_database made (connections to it are closed first)."""
    global _created
    if _created is None:
        return
    base = sa.engine.make_url(os.environ.get("CPP_TEST_POSTGRES_BASE", DEFAULT_URL))
    name = _created.database
    with _admin(base).connect() as conn:
        conn.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
    _created = None
