"""Shared fixtures: the clinic profile, the built spaCy pipeline, the shared servers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.clinic import ClinicProfile, load_profile

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test counts from zero: in-process channel tests share one number or address."""
    from bot.channels.rate_limits import get_channel_limits

    get_channel_limits.cache_clear()
    yield
    get_channel_limits.cache_clear()


@pytest.fixture(autouse=True)
def fresh_alert_digest():
    """Each test's alerts start a fresh minute (bot.safety.alerts holds back floods)."""
    from bot.safety.alerts import reset_digest

    reset_digest()
    yield
    reset_digest()


@pytest.fixture(scope="session")
def profile() -> ClinicProfile:
    return load_profile(ROOT / "clinic.yml")


@pytest.fixture(scope="session")
def nlp():
    """The spaCy pipeline exactly as Rasa loads it: from the saved folder."""
    import spacy

    from bot.settings import get_settings

    path = ROOT / get_settings().spacy_model_dir
    if not (path / "meta.json").exists():
        pytest.fail(f"spaCy pipeline not built at {path}: run `make setup`")
    return spacy.load(path)


@pytest.fixture(scope="session")
def shared_servers(tmp_path_factory):
    """The real Rasa server and action server most integration tests share
    (tests/shared_servers.py), started on first use and kept for the session."""
    from tests.shared_servers import run_shared_servers

    with run_shared_servers(tmp_path_factory.mktemp("servers")) as shared:
        yield shared


@pytest.fixture(scope="session")
def servers(shared_servers):
    """The shared Rasa server and action server."""
    return shared_servers.servers


def pytest_configure(config) -> None:
    """This run's own PostgreSQL database (tests/pg_run.py): parallel runs never collide."""
    from tests.pg_run import create_run_database

    create_run_database()


def pytest_unconfigure(config) -> None:
    from bot.db import reset_engine
    from tests.pg_run import drop_run_database

    reset_engine()  # close pooled connections before the database goes
    drop_run_database()


def postgres_url() -> str:
    """This run's database (set by pytest_configure); each test drops its schema."""
    from tests.pg_run import DEFAULT_URL

    return os.environ.get("TEST_POSTGRES_URL", DEFAULT_URL)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A freshly migrated project database: SQLite file, and PostgreSQL when reachable."""
    from sqlalchemy import text

    from bot.db import get_engine, reset_engine
    from bot.db.migrate import upgrade
    from tests.pg_run import postgres_reachable

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'app.db'}"
    else:
        if not postgres_reachable():
            pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
        url = postgres_url()
        with get_engine(url).begin() as conn:  # start from an empty schema
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(url)
    yield url
    reset_engine()


@pytest.fixture
def seeded(db_url, monkeypatch):
    """The demo clinic (clinicians, open slots) in a fresh database, as DATABASE_URL."""
    from datetime import timedelta

    from bot.booking.seed import seed_demo
    from bot.db.models import utcnow
    from bot.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", db_url)
    get_settings.cache_clear()
    seed_demo(utcnow() - timedelta(hours=1), url=db_url)
    yield db_url
    get_settings.cache_clear()


def pytest_terminal_summary(terminalreporter) -> None:
    """The conversation sets' pass rates, when this run played them (make test)."""
    import sys

    module = sys.modules.get("tests.test_eval_conversations")
    if module is not None and module.FIGURES:
        terminalreporter.section("whole conversations (results/conversations/)")
        for line in module.FIGURES:
            terminalreporter.write_line(line)
