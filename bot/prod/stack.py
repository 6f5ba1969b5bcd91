"""Start the production stack on this host: action server, N Rasa instances, nginx.

``running_stack`` is what ``python -m bot run-prod`` runs in the foreground and what
the production tests start: every Rasa instance uses deploy/endpoints.prod.yml
(PostgreSQL tracker store, Redis lock store) and the HTTP API with a JWT secret; the
action server binds 127.0.0.1 with ACTION_WORKERS workers; nginx (config rendered
from deploy/nginx.conf.template into the work folder) is the only thing exposed.

Settings come from the environment, then the env file (a local deploy/prod.env, else
deploy/prod.env.example), then the caller's ``env``: later wins, so the env file
overrides the embedded defaults the Makefile exports from .env.example.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bot.api_auth import admin_token, jwt_secret
from bot.ports import free_port
from bot.prod.commands import action_server_command, rasa_server_command
from bot.prod.envfile import read_env_file
from bot.prod.nginx import nginx_command, render_config, write_config
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
# A local deploy/prod.env (git-ignored: it may hold secrets) wins over the committed example.
_LOCAL_ENV = ROOT / "deploy" / "prod.env"
PROD_ENV = _LOCAL_ENV if _LOCAL_ENV.exists() else ROOT / "deploy" / "prod.env.example"
ENDPOINTS = ROOT / "deploy" / "endpoints.prod.yml"
DEFAULT_MODEL = ROOT / "models" / "cpp.tar.gz"
PYTHON = Path(sys.executable)
START_TIMEOUT = 300.0  # loading the model takes about a minute per instance on 2 cores
STOP_TIMEOUT = 20.0
TOKEN_SECONDS = 24 * 3600  # the stack's own token (tests, the run-prod banner)


def stack_env(
    env: dict[str, str] | None = None, env_file: Path | None = PROD_ENV
) -> dict[str, str]:
    """The environment every process of the stack gets: ours, the env file, ``env``."""
    merged = dict(os.environ)
    if env_file is not None:
        merged.update(read_env_file(env_file))
    merged.update(env or {})
    merged["RASA_TELEMETRY_ENABLED"] = "false"
    return merged


def check_rest_channel(settings: Settings) -> None:
    """The REST channel is for trusted clients: off in production, or behind a token."""
    mode = settings.rest_channel.strip().lower()
    if mode == "token" and not settings.rest_channel_token:
        raise RuntimeError("REST_CHANNEL=token needs a REST_CHANNEL_TOKEN (deploy/prod.env)")
    if mode != "off" and mode != "token":
        raise RuntimeError(
            f"REST_CHANNEL={settings.rest_channel!r} is not allowed in production: "
            "set REST_CHANNEL=off, or token with a long random REST_CHANNEL_TOKEN"
        )


def settings_from(env: dict[str, str]) -> Settings:
    """The project's settings as a process started with ``env`` reads them."""
    names = Settings.__fields__
    return Settings(**{k.lower(): v for k, v in env.items() if k.lower() in names})


@dataclass
class Service:
    """One process of the stack: how to start it and how to tell it is ready."""

    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    health_url: str | None = None
    health_headers: dict[str, str] = field(default_factory=dict)

    def start(self) -> subprocess.Popen:
        with self.log.open("a") as out:
            # Own session: a Ctrl-C in run-prod's terminal reaches only the launcher,
            # which then stops the processes in order.
            return subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, proc: subprocess.Popen, timeout: float = START_TIMEOUT) -> None:
        """Until the health URL answers 200; raises with the log's end if it never does."""
        if not self.health_url:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited ({proc.returncode}):\n{self.tail()}")
            try:
                got = httpx.get(self.health_url, headers=self.health_headers, timeout=2)
                if got.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{self.name} not ready in {timeout:.0f}s:\n{self.tail()}")

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


def stop_process(proc: subprocess.Popen, *, kill: bool = False) -> None:
    """SIGTERM (or SIGKILL: a crash) and wait; SIGKILL if it does not end in time."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
    try:
        proc.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@dataclass
class Stack:
    """A running stack. ``procs`` maps "actions", "rasa-0", ..., "nginx" to processes."""

    proxy_url: str
    instance_urls: list[str]
    action_url: str
    procs: dict[str, subprocess.Popen]
    log_dir: Path
    tracker_url: str
    jwt_token: str
    services: dict[str, Service] = field(default_factory=dict, repr=False)

    def api_headers(self) -> dict[str, str]:
        """Headers for Rasa's HTTP API on an instance (never exposed by nginx)."""
        return {"Authorization": f"Bearer {self.jwt_token}"}

    def stop_instance(self, i: int, *, kill: bool = False) -> None:
        """Stop Rasa instance ``i`` (``kill``: SIGKILL, as in a crash)."""
        stop_process(self.procs[f"rasa-{i}"], kill=kill)

    def start_instance(self, i: int, *, timeout: float = START_TIMEOUT) -> None:
        """Start Rasa instance ``i`` again on its port and wait until it is ready."""
        name = f"rasa-{i}"
        stop_process(self.procs[name])
        service = self.services[name]
        self.procs[name] = service.start()
        service.wait_ready(self.procs[name], timeout)

    def stop(self) -> None:
        """Stop everything, front to back: extras, nginx, instances, action server."""
        for name in reversed(list(self.procs)):
            stop_process(self.procs[name])


def _services(
    workdir: Path,
    env: dict[str, str],
    settings: Settings,
    *,
    instances: int,
    fixed_ports: bool,
    model: Path,
    credentials: Path,
    extras: bool,
    caller_env: dict[str, str],
) -> tuple[dict[str, Service], Stack]:
    log_dir = workdir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    if fixed_ports:
        ports = [settings.rasa_base_port + i for i in range(instances)]
        action_port, proxy_port = int(env.get("ACTION_PORT", "5055")), settings.proxy_port
    else:
        ports = [free_port() for _ in range(instances)]
        action_port, proxy_port = free_port(), free_port()
    proxy_host = settings.proxy_host
    proxy_url = f"http://{'127.0.0.1' if proxy_host == '0.0.0.0' else proxy_host}:{proxy_port}"
    action_url = f"http://127.0.0.1:{action_port}"
    token = admin_token(env["RASA_JWT_SECRET"], seconds=TOKEN_SECONDS)
    auth = {"Authorization": f"Bearer {token}"}
    common = {**env, "ACTION_ENDPOINT_URL": f"{action_url}/webhook", "SANIC_HOST": "127.0.0.1"}
    if not fixed_ports:  # ports chosen here: the public URLs are this proxy's
        public = {
            "WEB_SOCKET_URL": proxy_url,
            "SMS_PUBLIC_URL": f"{proxy_url}/webhooks/sms/webhook",
        }
        common.update({k: v for k, v in public.items() if k not in caller_env})

    services = {
        "actions": Service(
            "actions",
            action_server_command(PYTHON.parent / "rasa", action_port),
            # Rasa SDK 3.6 reads its own variable (rasa_sdk/constants.py), not SANIC_WORKERS.
            {**common, "ACTION_SERVER_SANIC_WORKERS": str(settings.action_workers)},
            log_dir / "actions.log",
            f"{action_url}/health",
        )
    }
    for i, port in enumerate(ports):
        services[f"rasa-{i}"] = Service(
            f"rasa-{i}",
            rasa_server_command(
                PYTHON, port=port, model=model, endpoints=ENDPOINTS, credentials=credentials
            ),
            # One process per instance: instances, not Sanic workers, are the unit.
            {**common, "SANIC_WORKERS": "1"},
            log_dir / f"rasa-{i}.log",
            f"http://127.0.0.1:{port}/status",
            auth,
        )
    config = write_config(
        workdir,
        render_config(
            listen=f"{proxy_host}:{proxy_port}",
            upstream_ports=ports,
            workdir=workdir,
            log_dir=log_dir,
        ),
    )
    services["nginx"] = Service(
        "nginx",
        nginx_command(config, log_dir),
        common,
        log_dir / "nginx.log",
        f"{proxy_url}/health",
    )
    if extras:  # run-prod: the rest of the product, as `make run` starts it
        first = {**common, "RASA_HOST": "127.0.0.1", "RASA_PORT": str(ports[0])}
        for name, args in (
            ("reminders", ["reminders", "run"]),
            ("web", ["web"]),
            ("console", ["console"]),
        ):
            services[name] = Service(
                name, [str(PYTHON), "-m", "bot", *args], first, log_dir / f"{name}.log"
            )
    stack = Stack(
        proxy_url=proxy_url,
        instance_urls=[f"http://127.0.0.1:{port}" for port in ports],
        action_url=action_url,
        procs={},
        log_dir=log_dir,
        tracker_url=settings.tracker_url,
        jwt_token=token,
        services=services,
    )
    return services, stack


@contextmanager
def running_stack(
    workdir: Path,
    *,
    instances: int = 2,
    env: dict[str, str] | None = None,
    env_file: Path | None = PROD_ENV,
    model: Path = DEFAULT_MODEL,
    credentials: Path = ROOT / "credentials.yml",
    fixed_ports: bool = False,
    extras: bool = False,
) -> Iterator[Stack]:
    """Start the stack, wait until every part answers, yield it, stop it all after.

    Ports are free ones (tests) unless ``fixed_ports`` (run-prod: RASA_BASE_PORT+i,
    ACTION_PORT, PROXY_PORT). ``extras`` also starts the reminder scheduler (against
    instance 0), the demo page and the staff console. The tracker database must exist
    (deploy/ensure-services.sh creates cpp_prod); the project's tables must be migrated.
    """
    if not model.exists():
        raise RuntimeError(f"no trained model at {model}: run `make train` first")
    workdir = workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    merged = stack_env(env, env_file)
    settings = settings_from(merged)
    check_rest_channel(settings)
    if not settings.rasa_jwt_secret_file.is_absolute():
        settings.rasa_jwt_secret_file = ROOT / settings.rasa_jwt_secret_file
    merged["RASA_JWT_SECRET"] = jwt_secret(settings)  # every process signs/checks alike
    services, stack = _services(
        workdir,
        merged,
        settings,
        instances=instances,
        fixed_ports=fixed_ports,
        model=model.resolve(),
        credentials=credentials.resolve(),
        extras=extras,
        caller_env=env or {},
    )
    try:
        # Model loading dominates: start the action server and every instance at once.
        for name, service in services.items():
            if name == "actions" or name.startswith("rasa-"):
                stack.procs[name] = service.start()
        for name, proc in list(stack.procs.items()):
            services[name].wait_ready(proc)
        stack.procs["nginx"] = services["nginx"].start()
        services["nginx"].wait_ready(stack.procs["nginx"], timeout=30)
        for name in ("reminders", "web", "console"):
            if name in services:
                stack.procs[name] = services[name].start()
        yield stack
    finally:
        stack.stop()
