"""Start a Rasa server (and action server) the way `make run` does, and measure it.

Cold start is timed from the moment the processes are started to (a) `/status`
answering, which in Rasa 3.6 means the model is loaded, and (b) the first reply to
a caregiver's message over the REST channel, which also needs the action server and
every lazy import on the path. Memory is the resident set size (RSS) of the Rasa
server's process tree, sampled in a background thread (psutil when installed, else
/proc).
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx

from bot.ports import free_port
from bot.prod.commands import action_server_command, rasa_run_options, rasa_server_command

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
# The payload bot.api_auth.admin_token() signs: an admin of Rasa's HTTP API.
JWT_PAYLOAD = {"user": {"username": "cpp-internal", "role": "admin"}}


def api_token(secret: str) -> str:
    """An admin JWT for Rasa's HTTP API (HS256), valid for the whole run.

    bot.api_auth.admin_token() makes it when the project has it (issue 8); its
    default lifetime (minutes) is too short for a benchmark, so a day is asked for.
    """
    try:
        from bot.api_auth import admin_token
    except ImportError:
        import jwt

        return jwt.encode(JWT_PAYLOAD, secret, algorithm="HS256")
    return admin_token(secret, seconds=24 * 3600)


def rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its children, 0 if it is gone."""
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        try:
            proc = psutil.Process(pid)
            procs = [proc, *proc.children(recursive=True)]
            return sum(p.memory_info().rss for p in procs if p.is_running())
        except psutil.Error:
            return 0
    return _proc_rss(pid)


def _proc_rss(pid: int) -> int:
    total = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
        for task in Path(f"/proc/{pid}/task").iterdir():
            children = (task / "children").read_text().split()
            total += sum(_proc_rss(int(child)) for child in children)
    except (OSError, ValueError):
        pass
    return total


class MemorySampler:
    """Samples the RSS of named processes every ``interval`` seconds; keeps the peak."""

    def __init__(self, pids: dict[str, int], interval: float = 0.5) -> None:
        self.pids = pids
        self.interval = interval
        self.peak: dict[str, int] = dict.fromkeys(pids, 0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> dict[str, int]:
        now = {name: rss_bytes(pid) for name, pid in self.pids.items()}
        for name, value in now.items():
            self.peak[name] = max(self.peak[name], value)
        return now

    def reset_peak(self) -> None:
        self.peak = dict.fromkeys(self.pids, 0)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


@dataclass
class Running:
    """A started bot: where it answers, its processes and how long it took to come up."""

    name: str
    url: str
    token: str
    log_dir: Path
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    status_seconds: float | None = None  # start -> /status 200 (model loaded)
    first_reply_seconds: float | None = None  # start -> first REST reply

    @property
    def rasa_pid(self) -> int:
        return self.procs["rasa"].pid


def _log_tail(log: Path) -> str:
    try:
        return log.read_text(errors="replace")[-3000:]
    except OSError:
        return ""


def _wait(check, procs: dict[str, subprocess.Popen], logs: dict[str, Path], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, proc in procs.items():
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited early; log:\n{_log_tail(logs[name])}")
        try:
            if check():
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    tails = "\n".join(f"--- {n}\n{_log_tail(p)}" for n, p in logs.items())
    raise RuntimeError(f"not up after {timeout}s; logs:\n{tails}")


def _stop(procs: dict[str, subprocess.Popen]) -> None:
    for proc in reversed(list(procs.values())):
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs.values():
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def rasa_command(
    model: Path,
    port: int,
    endpoints: Path,
    credentials: Path,
    secret: str,
    *,
    project_wrapper: bool = False,
) -> list[str]:
    """`rasa run` with the HTTP API behind a JWT (issue 8).

    ``project_wrapper``: as the Procfile starts our bot, through bot.prod.rasa_run
    (which reads the secret from RASA_JWT_SECRET).
    """
    options = {"port": port, "model": model, "endpoints": endpoints, "credentials": credentials}
    if project_wrapper:
        return rasa_server_command(BIN / "python", **options)
    args = rasa_run_options(**options)
    return [str(BIN / "rasa"), "run", *args, "--jwt-secret", secret, "--jwt-method", "HS256"]


@contextmanager
def serve(
    name: str,
    commands: dict[str, Sequence[str]],
    *,
    cwd: Path,
    env: dict[str, str],
    port: int,
    secret: str,
    log_dir: Path,
    health: dict[str, str] | None = None,
    timeout: float = 600,
) -> Iterator[Running]:
    """Start ``commands`` (one must be "rasa") at once and time the cold start.

    ``health`` maps other process names to a URL that answers 200 when they are up.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    url = f"http://127.0.0.1:{port}"
    token = api_token(secret)
    logs = {n: log_dir / f"{n}.log" for n in commands}
    procs: dict[str, subprocess.Popen] = {}
    try:
        start = time.perf_counter()
        for proc_name, cmd in commands.items():
            procs[proc_name] = subprocess.Popen(
                list(cmd),
                cwd=cwd,
                env=env,
                stdout=logs[proc_name].open("w"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        running = Running(name, url, token, log_dir, procs)
        headers = {"Authorization": f"Bearer {token}"}
        _wait(
            lambda: httpx.get(f"{url}/status", headers=headers, timeout=5).status_code == 200,
            procs,
            logs,
            timeout,
        )
        running.status_seconds = time.perf_counter() - start
        for health_url in (health or {}).values():
            _wait(lambda u=health_url: httpx.get(u, timeout=5).status_code == 200, procs, logs, 120)
        _wait(
            lambda: (
                httpx.post(
                    f"{url}/webhooks/rest/webhook",
                    json={"sender": f"cold-start-{secrets.token_hex(4)}", "message": "hello"},
                    timeout=120,
                ).status_code
                == 200
            ),
            procs,
            logs,
            timeout,
        )
        running.first_reply_seconds = time.perf_counter() - start
        yield running
    finally:
        _stop(procs)


def base_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The caller's environment, telemetry off, Rasa's log level as make run sets it."""
    return {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "LOG_LEVEL": os.environ.get("RASA_LOG_LEVEL", "WARNING"),
        # The load comes from one address: limits far above it (they are still counted,
        # so their cost is in the figures).
        "RATE_LIMIT_CONVERSATION": "1000/minute",
        "RATE_LIMIT_CALLER": "1000000/minute",
        "RATE_LIMIT_NEW_CONVERSATIONS": "1000000/hour",
        **(extra or {}),
    }


def prepare_project_db(url: str, seed_weeks: int) -> int:
    """Migrate a fresh project database and seed demo clinicians; returns the open slots."""
    from bot.booking.seed import seed_demo
    from bot.db.migrate import upgrade
    from bot.db.models import utcnow

    upgrade(url)
    result = seed_demo(utcnow() - timedelta(hours=1), weeks=seed_weeks, url=url)
    return result.slots


@contextmanager
def our_bot(workdir: Path, model: Path, *, seed_weeks: int = 6) -> Iterator[Running]:
    """The embedded default as `make run` starts it: Rasa + action server, fresh SQLite
    tracker and project databases in ``workdir``, demo clinicians seeded."""
    workdir.mkdir(parents=True, exist_ok=True)
    db_url = f"sqlite:///{workdir / 'app.db'}"
    prepare_project_db(db_url, seed_weeks)
    rasa_port, action_port = free_port(), free_port()
    secret = secrets.token_hex(32)
    env = base_env(
        {
            "TRACKER_DIALECT": "sqlite",
            "TRACKER_DB": str(workdir / "tracker.db"),
            "LOCK_STORE_DB": str(workdir / "locks.db"),
            "WEB_RELAY_DB": str(workdir / "web-relay.db"),
            "DATABASE_URL": db_url,
            "ACTION_PORT": str(action_port),
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
            "SANIC_HOST": "127.0.0.1",
            "IDENTITY_KEY_FILE": str(workdir / "identity.key"),
            "RASA_JWT_SECRET": secret,
            # The benchmark's caregivers repeat a few scripted texts; real ones rarely
            # send the same words twice. So every message is encoded (README, Benchmark).
            "ENCODER_CACHE_SIZE": os.environ.get("BENCH_ENCODER_CACHE_SIZE", "0"),
        }
    )
    commands = {
        "actions": action_server_command(BIN / "rasa", action_port),
        "rasa": rasa_command(
            model,
            rasa_port,
            ROOT / "endpoints.yml",
            ROOT / "credentials.yml",
            secret,
            project_wrapper=True,
        ),
    }
    with ExitStack() as stack:
        running = stack.enter_context(
            serve(
                "ours",
                commands,
                cwd=ROOT,
                env=env,
                port=rasa_port,
                secret=secret,
                log_dir=workdir / "logs",
                health={"actions": f"http://127.0.0.1:{action_port}/health"},
            )
        )
        yield running
