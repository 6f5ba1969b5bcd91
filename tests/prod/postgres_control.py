"""Stopping and starting the local PostgreSQL server for the restart test.

Debian runs PostgreSQL as a cluster (`pg_ctlcluster VERSION NAME`); `service
postgresql` is the fallback. Both need root (or password-less sudo); without that
the test is skipped with the reason, never faked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass

import psycopg2

HOST, PORT = "127.0.0.1", 5432


@dataclass(frozen=True)
class PostgresControl:
    stop_cmd: list[str]
    start_cmd: list[str]

    def stop(self) -> None:
        _run(self.stop_cmd)

    def start(self) -> None:
        _run(self.start_cmd)


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.strip()}")


def _privilege_prefix() -> list[str] | None:
    """[] as root, ["sudo", "-n"] when sudo works without a password, else None."""
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo"):
        ok = subprocess.run(["sudo", "-n", "true"], capture_output=True, timeout=10)
        if ok.returncode == 0:
            return ["sudo", "-n"]
    return None


def _cluster_on_port() -> tuple[str, str] | None:
    """(version, name) of the Debian cluster listening on PORT, if pg_lsclusters knows it."""
    if not shutil.which("pg_lsclusters") or not shutil.which("pg_ctlcluster"):
        return None
    out = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, timeout=10)
    for line in out.stdout.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[2] == str(PORT) and fields[3].startswith("online"):
            return fields[0], fields[1]
    return None


def find_control() -> PostgresControl | str:
    """How to stop and start PostgreSQL here, or why it cannot be done (a skip reason)."""
    prefix = _privilege_prefix()
    if prefix is None:
        return "restarting PostgreSQL needs root or password-less sudo, neither is available"
    cluster = _cluster_on_port()
    if cluster:
        base = [*prefix, "pg_ctlcluster", *cluster]
        return PostgresControl([*base, "stop", "-m", "fast"], [*base, "start"])
    if shutil.which("service") and os.path.exists("/etc/init.d/postgresql"):
        base = [*prefix, "service", "postgresql"]
        return PostgresControl([*base, "stop"], [*base, "start"])
    return f"no pg_ctlcluster cluster on port {PORT} and no 'service postgresql' to restart"


def accepting(timeout: int = 1) -> bool:
    """PostgreSQL answers a real query (not just an open port)."""
    try:
        conn = psycopg2.connect(  # libpq takes whole seconds only
            host=HOST, port=PORT, user="postgres", dbname="postgres", connect_timeout=timeout
        )
    except psycopg2.OperationalError:
        return False
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
        return True
    finally:
        conn.close()


def wait_until(up: bool, timeout: float = 60) -> float:
    """Wait until PostgreSQL is (not) accepting queries; seconds waited."""
    start = time.monotonic()
    while accepting() != up:
        if time.monotonic() - start > timeout:
            raise RuntimeError(f"PostgreSQL not {'up' if up else 'down'} after {timeout}s")
        time.sleep(0.2)
    return time.monotonic() - start
