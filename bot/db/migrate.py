"""Run Alembic migrations from code (`python -m bot migrate`; `make run` calls it)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from bot.db.engine import get_engine
from bot.settings import get_settings

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url or get_settings().database_url)
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the database at ``url`` (default DATABASE_URL) up to ``revision``."""
    url = url or get_settings().database_url
    config = alembic_config(url)
    with get_engine(url).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def revision(message: str) -> None:
    """Autogenerate a migration from the models against DATABASE_URL (a developer tool)."""
    command.revision(alembic_config(), message=message, autogenerate=True)
