"""Start the real Rasa server and action server for integration tests.

Each test session gets its own ports and a throwaway SQLite tracker store, so
tests never touch a developer's `make run` conversations. Rasa's HTTP API is on with
the project's JWT secret, as in `make run`: API calls send ``Servers.api_headers()``.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import httpx

from bot.api_auth import admin_token, jwt_secret
from bot.ports import free_port
from bot.prod.commands import action_server_command, rasa_server_command

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
# CPP_TEST_MODEL lets a developer test a copy while a new model trains.
MODEL = Path(os.environ.get("CPP_TEST_MODEL", ROOT / "models" / "cpp.tar.gz"))


@lru_cache(maxsize=1)
def http() -> httpx.Client:
    """One client for every test request: ``httpx.post`` builds a new client, and so a
    new TLS context, per call (three quarters of a conversation player's CPU). No
    connection is kept open: some tests stop and restart the servers they talk to."""
    return httpx.Client(limits=httpx.Limits(max_keepalive_connections=0))


@dataclass
class Servers:
    rasa_url: str
    action_url: str
    tracker_db: Path
    log_dir: Path
    jwt_token: str = ""
    rasa_pid: int = 0  # the Rasa server's main process (its Sanic workers are children)

    def api_headers(self) -> dict[str, str]:
        """The Authorization header Rasa's HTTP API (/conversations, /status) needs."""
        return {"Authorization": f"Bearer {self.jwt_token}"}

    def say(self, sender: str, message: object, timeout: float = 60) -> httpx.Response:
        return http().post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=timeout,
        )

    def reply(self, sender: str, text: str) -> str:
        """Send one message and return the bot's texts joined by newlines (200 expected)."""
        resp = self.say(sender, text)
        assert resp.status_code == 200, resp.text
        return "\n".join(m.get("text", "") for m in resp.json())


def _wait_ok(
    url: str, proc: subprocess.Popen, log: Path, timeout: float, headers: dict | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} exited early; log:\n{log.read_text()[-3000:]}")
        try:
            if http().get(url, headers=headers, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise RuntimeError(f"{url} did not come up in {timeout}s; log:\n{log.read_text()[-3000:]}")


@contextmanager
def run_servers(
    workdir: Path,
    *,
    with_actions: bool = True,
    env: dict | None = None,
    credentials: Path | None = None,
) -> Iterator[Servers]:
    """Start `rasa run actions` (optional) and `rasa run` on free ports; stop them after.

    ``credentials`` replaces credentials.yml (a test adds Rasa's callback channel to
    receive messages the bot sends on its own, like reminders).
    """
    if not MODEL.exists():
        raise RuntimeError("no trained model: run `make train` first")
    rasa_port, action_port = free_port(), free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    tracker_db = workdir / "tracker.db"
    full_env = {
        **os.environ,
        "TRACKER_DIALECT": "sqlite",
        "TRACKER_DB": str(tracker_db),
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        "SANIC_HOST": "127.0.0.1",
        "RASA_TELEMETRY_ENABLED": "false",
        # One encoder thread per server, as served (make pytest gives the test process
        # every core for the models it trains itself).
        "ENCODER_THREADS": "1",
        "LOCK_STORE_DB": str(workdir / "locks.db"),
        "WEB_RELAY_DB": str(workdir / "web-relay.db"),
        # One worker: half the start-up time and memory for the many test servers;
        # tests/test_rasa_workers.py runs the embedded default's two (RASA_WORKERS).
        "RASA_WORKERS": "1",
        # Every test talks from 127.0.0.1: limits far above the tests' traffic (the limits
        # themselves are tested with their own settings, tests/test_channel_limits.py).
        "RATE_LIMIT_CONVERSATION": "1000/minute",
        "RATE_LIMIT_CALLER": "100000/minute",
        "RATE_LIMIT_NEW_CONVERSATIONS": "100000/hour",
        **(env or {}),
    }
    # The project's secret (RASA_JWT_SECRET or var/rasa-jwt.secret), so callers in
    # the test process that sign their own tokens (RasaTrigger) are accepted too.
    secret = jwt_secret()
    full_env["RASA_JWT_SECRET"] = secret  # what bot.prod.rasa_run hands to Rasa
    procs: list[subprocess.Popen] = []
    try:
        if with_actions:
            log = workdir / "actions.log"
            proc = subprocess.Popen(
                action_server_command(BIN / "rasa", action_port),
                cwd=ROOT,
                env=full_env,
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
            )
            procs.append(proc)
            _wait_ok(f"http://127.0.0.1:{action_port}/health", proc, log, 120)
        log = workdir / "rasa.log"
        proc = subprocess.Popen(
            # As the Procfile starts it: the wrapper reads the same secret (jwt_secret())
            # and installs bot.rasa_patches.
            rasa_server_command(
                BIN / "python",
                port=rasa_port,
                model=MODEL,
                endpoints="endpoints.yml",
                credentials=credentials or "credentials.yml",
            ),
            cwd=ROOT,
            env=full_env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        procs.append(proc)
        token = admin_token(secret, seconds=6 * 3600)
        auth = {"Authorization": f"Bearer {token}"}
        _wait_ok(f"http://127.0.0.1:{rasa_port}/status", proc, log, 240, auth)
        yield Servers(
            rasa_url=f"http://127.0.0.1:{rasa_port}",
            action_url=f"http://127.0.0.1:{action_port}",
            tracker_db=tracker_db,
            log_dir=workdir,
            jwt_token=token,
            rasa_pid=proc.pid,
        )
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
