"""Production-stack scaling: the same load through nginx to one Rasa instance, then two.

Uses H1's launcher, bot.prod.stack.running_stack (PostgreSQL tracker store, Redis lock
store, action server, N Rasa instances behind nginx). Each run gets freshly created
databases (cpp_bench for the project data with demo clinicians seeded, cpp_bench_tracker
for conversations), so the two runs start from the same state and production data
(cpp_prod) is never touched.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable
from pathlib import Path

from bench.harness import run_level, warm_up
from bench.measure import level_dict
from bench.scripts import OUR_SCRIPTS
from bench.servers import prepare_project_db
from bench.stats import ratio

PG_ADMIN_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
PROJECT_DB, TRACKER_DB = "cpp_bench", "cpp_bench_tracker"


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def unavailable_reason() -> str | None:
    """Why the production run cannot happen here, or None when it can."""
    try:
        import bot.prod.stack  # noqa: F401
    except ImportError:
        return "bot/prod (the production stack launcher, bot.prod.stack) is not there yet"
    if not _answers(5432):
        return "PostgreSQL does not answer on 127.0.0.1:5432 (run deploy/ensure-services.sh)"
    if not _answers(6379):
        return "Redis does not answer on 127.0.0.1:6379 (run deploy/ensure-services.sh)"
    from bot.prod.nginx import nginx_binary

    try:
        nginx_binary()
    except RuntimeError:
        return "nginx is not installed (make services installs it)"
    return None


def fresh_databases(seed_weeks: int) -> str:
    """Drop and create the benchmark's two databases; migrate and seed the project one."""
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for name in (PROJECT_DB, TRACKER_DB):
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                conn.execute(text(f"CREATE DATABASE {name}"))
    finally:
        engine.dispose()
    url = f"postgresql+psycopg2://postgres@127.0.0.1:5432/{PROJECT_DB}"
    prepare_project_db(url, seed_weeks)
    return url


def run_scaling(
    workdir: Path,
    *,
    concurrency: int,
    conversations: int,
    seed_weeks: int,
    model: Path,
    say: Callable[[str], None] = print,
) -> dict:
    """Throughput at ``concurrency`` with 1 and then 2 Rasa instances; the factor."""
    from bot.prod.stack import running_stack

    runs = []
    for instances in (1, 2):
        url = fresh_databases(seed_weeks)
        env = {"DATABASE_URL": url, "TRACKER_DB": TRACKER_DB, "REDIS_KEY_PREFIX": "cppbench"}
        say(f"[prod] starting the stack with {instances} Rasa instance(s)")
        stack_dir = workdir / f"stack-{instances}"
        start = time.perf_counter()
        with running_stack(stack_dir, instances=instances, env=env, model=model) as stack:
            up_seconds = time.perf_counter() - start
            label = f"prod{instances}"
            warm = asyncio.run(warm_up(stack.proxy_url, OUR_SCRIPTS, label))
            level = asyncio.run(
                run_level(stack.proxy_url, OUR_SCRIPTS, concurrency, conversations, label=label)
            )
        row = level_dict(level)
        say(
            f"[prod] {instances} instance(s), C={concurrency}: {row['throughput']} msgs/s, "
            f"errors {row['kinds']['all']['errors']}"
        )
        runs.append(
            {
                "instances": instances,
                "stack_start_seconds": round(up_seconds, 1),
                "warmup_errors": sum(not s.ok for s in warm),
                "level": row,
            }
        )
    factor = ratio(runs[1]["level"]["throughput"], runs[0]["level"]["throughput"])
    return {"runs": runs, "factor": None if factor is None else round(factor, 2)}
