"""The command lines of the project's two servers, in one place.

The production stack (bot.prod.stack), the benchmark (bench/servers.py) and the test
servers (tests/servers.py) all start Rasa and the action server as the Procfile does; they
differ in ports, files and environment, never in how the servers are started.
"""

from __future__ import annotations

from pathlib import Path


def rasa_run_options(
    *, port: int, model: Path | str, endpoints: Path | str, credentials: Path | str
) -> list[str]:
    """The options after ``rasa run``: the HTTP API on, bound to this host only."""
    return [
        "--enable-api",
        "--interface",
        "127.0.0.1",
        "--port",
        str(port),
        "--model",
        str(model),
        "--endpoints",
        str(endpoints),
        "--credentials",
        str(credentials),
    ]


def rasa_server_command(python: Path | str, **options: Path | str | int) -> list[str]:
    """Rasa through bot.prod.rasa_run (JWT secret from the environment, speed fixes)."""
    return [str(python), "-m", "bot.prod.rasa_run", *rasa_run_options(**options)]


def action_server_command(rasa: Path | str, port: int) -> list[str]:
    """The Rasa SDK action server for this project's ``actions`` package."""
    return [str(rasa), "run", "actions", "--actions", "actions", "--port", str(port)]
