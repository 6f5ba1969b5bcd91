"""Measure one running bot: warm-up, each concurrency level, /model/parse, memory."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bench.harness import LevelResult, parse_times, run_level, warm_up
from bench.scripts import ScriptFactory
from bench.servers import MemorySampler, Running
from bench.stats import Sample, by_kind, percentile, summarize

MB = 1024 * 1024


def level_dict(level: LevelResult) -> dict:
    return {
        "concurrency": level.concurrency,
        "conversations": level.conversations,
        "turns": len(level.samples),
        "wall_seconds": round(level.wall_seconds, 2),
        "throughput": round(level.throughput, 2),
        "kinds": {k: s.as_dict() for k, s in by_kind(level.samples).items()},
        "error_kinds": sorted({s.error for s in level.samples if not s.ok}),
    }


def parse_dict(seconds: list[float], errors: int) -> dict:
    def ms(p: float) -> float | None:
        value = percentile(seconds, p)
        return None if value is None else round(value * 1000, 1)

    return {"count": len(seconds), "errors": errors, "p50_ms": ms(50), "p95_ms": ms(95)}


def measure_bot(
    running: Running,
    scripts: tuple[ScriptFactory, ...],
    *,
    levels: list[int],
    conversations: int,
    parse_texts: tuple[str, ...],
    parse_repeat: int,
    say: Callable[[str], None] = print,
) -> dict:
    """Everything about one bot, as a JSON-ready dict."""
    pids = {name: proc.pid for name, proc in running.procs.items()}
    result: dict = {
        "name": running.name,
        "cold_start": {
            "status_seconds": round(running.status_seconds or 0, 2),
            "first_reply_seconds": round(running.first_reply_seconds or 0, 2),
        },
    }
    with MemorySampler(pids) as memory:
        say(f"[{running.name}] warm-up: one conversation of each script")
        warm: list[Sample] = asyncio.run(warm_up(running.url, scripts, running.name))
        result["warmup"] = summarize(warm).as_dict()
        idle = memory.sample()
        memory.reset_peak()
        result["levels"] = []
        for concurrency in levels:
            level = asyncio.run(
                run_level(
                    running.url,
                    scripts,
                    concurrency,
                    conversations,
                    label=running.name,
                )
            )
            row = level_dict(level)
            result["levels"].append(row)
            kinds = row["kinds"]
            say(
                f"[{running.name}] C={concurrency:<3} {row['turns']} turns in "
                f"{row['wall_seconds']}s: {row['throughput']} msgs/s, "
                f"p50 {kinds['all']['p50_ms']} ms, errors {kinds['all']['errors']}, "
                f"off-script {kinds['all']['off_script']}"
            )
        peak = dict(memory.peak)
        seconds, errors = asyncio.run(
            parse_times(running.url, parse_texts, running.token, parse_repeat)
        )
        result["parse"] = parse_dict(seconds, errors)
    result["memory_mb"] = {
        name: {
            "after_warmup": round(idle[name] / MB, 1),
            "peak_under_load": round(peak[name] / MB, 1),
        }
        for name in pids
    }
    return result
