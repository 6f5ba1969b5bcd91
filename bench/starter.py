"""Rasa's own starter bot (`rasa init --no-prompt`), made fresh in a temporary folder.

`rasa init` copies the starter project and trains it, so its wall time is the
starter bot's training time (the copy takes milliseconds). The training runs with
the temporary folder as working directory, so Rasa's training cache (.rasa/cache)
starts empty and nothing from this project's cache helps it.

The starter bot is served like ours (`rasa run --enable-api` behind a JWT, REST
channel from its own credentials.yml). Its endpoints.yml keeps Rasa's default
in-memory tracker store unless ``tracker="sqlite"`` asks for a SQLite file like
ours (a like-for-like check of what the tracker store costs).
"""

from __future__ import annotations

import secrets
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.servers import BIN, Running, base_env, free_port, rasa_command, serve


@dataclass(frozen=True)
class StarterProject:
    path: Path
    model: Path
    init_seconds: float


def create(workdir: Path) -> StarterProject:
    """`rasa init --no-prompt` in ``workdir/starter``: scaffold and train, timed."""
    project = workdir / "starter"
    project.mkdir(parents=True, exist_ok=True)
    log = workdir / "starter-init.log"
    start = time.perf_counter()
    with log.open("w") as out:
        done = subprocess.run(
            [str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(project)],
            cwd=project,
            env=base_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"rasa init failed; log:\n{log.read_text()[-3000:]}")
    models = sorted((project / "models").glob("*.tar.gz"))
    if not models:
        raise RuntimeError(f"rasa init made no model; log:\n{log.read_text()[-3000:]}")
    return StarterProject(project, models[-1], seconds)


@contextmanager
def starter_bot(project: StarterProject, *, tracker: str = "memory") -> Iterator[Running]:
    """Serve the starter bot; cold start is timed as for ours."""
    endpoints = project.path / "endpoints.yml"
    if tracker == "sqlite":
        endpoints = project.path / "endpoints.bench.yml"
        endpoints.write_text(
            f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {project.path / 'tracker.db'}\n"
        )
    port = free_port()
    secret = secrets.token_hex(32)
    with serve(
        "starter",
        {
            "rasa": rasa_command(
                project.model, port, endpoints, project.path / "credentials.yml", secret
            )
        },
        cwd=project.path,
        env=base_env(),
        port=port,
        secret=secret,
        log_dir=project.path / "logs",
    ) as running:
        yield running
