"""The production stack for the failure tests, and keeping them out of `make pytest`.

These tests start two Rasa instances behind nginx on PostgreSQL and Redis and break
things on purpose (one of them restarts PostgreSQL), so they run only when asked
for: `pytest tests/prod -m prod` (`make test-prod`) or CPP_PROD_TESTS=1.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.prod_stores import PG_BASE, reset_stores, rest_env

PROD_DIR = Path(__file__).resolve().parent
# The tests' own database (created when missing) and Redis db, emptied at the start:
# never the production ones (cpp_prod, Redis db 0). Parallel runs set their own.
TRACKER_DB = os.environ.get("PROD_TEST_DB", "cpp_prod_test")
REDIS_DB = int(os.environ.get("PROD_TEST_REDIS_DB", "15"))
TRACKER_URL = f"{PG_BASE}/{TRACKER_DB}"


def _asked_for(config: pytest.Config) -> bool:
    markexpr = config.getoption("markexpr", "") or ""
    wanted = "prod" in markexpr and "not prod" not in markexpr
    return wanted or os.environ.get("CPP_PROD_TESTS", "") in ("1", "true", "yes")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _asked_for(config):
        return
    skip = pytest.mark.skip(reason="production failure test: run `make test-prod`")
    for item in items:
        if PROD_DIR in Path(str(item.fspath)).parents:
            item.add_marker(skip)


def stack_env() -> dict[str, str]:
    """The production settings (deploy/prod.env.example) pointed at this test's own stores."""
    return {
        "TRACKER_DIALECT": "postgresql",
        "TRACKER_HOST": "127.0.0.1",
        "TRACKER_PORT": "5432",
        "TRACKER_DB": TRACKER_DB,
        "TRACKER_USER": "postgres",
        "TRACKER_PASSWORD": "",
        "DATABASE_URL": TRACKER_URL,
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": "6379",
        "REDIS_LOCK_DB": str(REDIS_DB),
        "REDIS_PASSWORD": "",
        "REDIS_KEY_PREFIX": "cpptest",
        **rest_env(REDIS_DB),
    }


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """Action server + two Rasa instances + nginx, started once for the three tests."""
    from bot.prod.stack import DEFAULT_MODEL, running_stack

    # CPP_TEST_MODEL: test a copy while a new model trains (as tests/servers.py does).
    model = Path(os.environ.get("CPP_TEST_MODEL", DEFAULT_MODEL))
    reset_stores(TRACKER_DB, REDIS_DB)
    workdir = tmp_path_factory.mktemp("prod")
    with running_stack(workdir, instances=2, env=stack_env(), model=model) as running:
        yield running


@pytest.fixture
def tracker_url(stack) -> str:
    """Where the stack's Rasa instances keep conversations (what the console reads)."""
    assert stack.tracker_url.endswith(f"/{TRACKER_DB}"), stack.tracker_url
    return stack.tracker_url
