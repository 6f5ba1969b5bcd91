"""`python -m bench`: our bot against Rasa's starter bot, measured in the same run."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import click

from bench import prod, report, training
from bench.measure import measure_bot
from bench.scripts import OUR_PARSE_TEXTS, OUR_SCRIPTS, STARTER_PARSE_TEXTS, STARTER_SCRIPTS
from bench.servers import ROOT, our_bot
from bench.starter import create as create_starter
from bench.starter import starter_bot
from bot.settings import get_settings

QUICK = {"levels": "1,2", "conversations": 4, "parse_repeat": 1, "seed_weeks": 2}


def _levels(value: str) -> list[int]:
    try:
        levels = sorted({int(v) for v in value.split(",") if v.strip()})
    except ValueError as exc:
        raise click.BadParameter("a comma-separated list of numbers, e.g. 1,4,8,16") from exc
    if not levels or levels[0] < 1:
        raise click.BadParameter("concurrency levels must be 1 or more")
    return levels


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--quick", is_flag=True, help="Smoke run: C=1,2, 4 conversations a level.")
@click.option(
    "--levels",
    default="1,4,8,16",
    show_default=True,
    help="Concurrent conversations (simulated caregivers) per level.",
)
@click.option(
    "--conversations",
    type=int,
    default=48,
    show_default=True,
    help="Conversations per level (FAQ, booking, FAQ, reflection in turn).",
)
@click.option(
    "--parse-repeat",
    type=int,
    default=5,
    show_default=True,
    help="Rounds of /model/parse over the FAQ texts (the NLU floor).",
)
@click.option(
    "--seed-weeks", type=int, default=6, show_default=True, help="Weeks of demo open times."
)
@click.option(
    "--model",
    type=click.Path(path_type=Path),
    default=lambda: os.environ.get("CPP_BENCH_MODEL", str(ROOT / "models" / "cpp.tar.gz")),
    show_default="models/cpp.tar.gz or $CPP_BENCH_MODEL",
    help="Our trained model.",
)
@click.option("--skip-starter", is_flag=True, help="Measure only our bot (no ratios).")
@click.option(
    "--starter-tracker",
    type=click.Choice(["memory", "sqlite"]),
    default="memory",
    show_default=True,
    help="The starter bot's tracker store: Rasa's default, or SQLite like ours.",
)
@click.option(
    "--train/--no-train",
    "train_ours",
    default=None,
    help="Time a full `rasa train --force` of our bot (about 4 minutes here) and record "
    "it. Default: on, except with --quick; --no-train reports the last record.",
)
@click.option(
    "--prod",
    "prod_mode",
    type=click.Choice(["off", "auto", "on", "only"]),
    default="off",
    show_default=True,
    help="Production stack scaling, 1 vs 2 Rasa instances via nginx: auto = when "
    "bot/prod exists and PostgreSQL and Redis answer; on = fail otherwise; only = "
    "this alone, without the embedded comparison.",
)
@click.option(
    "--prod-concurrency", type=int, default=16, show_default=True, help="C for the prod runs."
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=ROOT / "results" / "bench",
    show_default="results/bench",
    help="Where bench.json, bench.md and latency.png go.",
)
@click.option("--keep", is_flag=True, help="Keep the temporary folder (logs, databases).")
def main(
    quick: bool,
    levels: str,
    conversations: int,
    parse_repeat: int,
    seed_weeks: int,
    model: Path,
    skip_starter: bool,
    starter_tracker: str,
    train_ours: bool | None,
    prod_mode: str,
    prod_concurrency: int,
    out: Path,
    keep: bool,
) -> None:
    """Benchmark the bot on the embedded default against Rasa's starter bot.

    C simulated caregivers at once (each its own conversation, closed loop) play
    scripted conversations over the REST channel: FAQ questions, a full booking, a
    guided reflection. Reported: p50/p95/p99 latency per kind of turn, throughput,
    errors, Rasa server memory, cold start, training time, /model/parse alone, and
    the ratios to the starter bot (`rasa init --no-prompt` in a temporary folder,
    trained and measured in the same run with its own greet/mood conversations).
    """
    if quick:
        levels, conversations = QUICK["levels"], QUICK["conversations"]
        parse_repeat, seed_weeks = QUICK["parse_repeat"], QUICK["seed_weeks"]
        prod_concurrency = min(prod_concurrency, 2)
    if train_ours is None:
        train_ours = not quick
    level_list = _levels(levels)
    if not model.exists():
        raise click.ClickException(f"no trained model at {model}: run `make train` first")
    prod_reason = prod.unavailable_reason() if prod_mode != "off" else None
    if prod_mode in ("on", "only") and prod_reason:
        raise click.ClickException(f"--prod {prod_mode}, but {prod_reason}")

    started = datetime.now(timezone.utc)
    results: dict = {
        "mode": "quick (smoke)" if quick else "full",
        "started_at": started.isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        },
        "settings": {
            "levels": level_list,
            "conversations": conversations,
            "parse_repeat": parse_repeat,
            "model": str(model),
            "starter_tracker": starter_tracker,
            "prod_concurrency": prod_concurrency,
            # Our bot's Rasa worker processes, as bot.prod.rasa_run will start them.
            "rasa_workers": int(os.environ.get("SANIC_WORKERS") or get_settings().rasa_workers),
        },
    }
    say = click.echo
    tmp = Path(tempfile.mkdtemp(prefix="cpp-bench-"))
    clock = time.perf_counter()
    measure = {
        "levels": level_list,
        "conversations": conversations,
        "parse_repeat": parse_repeat,
        "say": say,
    }
    try:
        if prod_mode != "only":
            results["ours"] = _ours(tmp, model, seed_weeks, measure)
            if train_ours:
                say("[ours] timing a full `rasa train --force` from an empty cache (minutes)")
                results["ours"]["training"] = training.measure(out)
            else:
                results["ours"]["training"] = training.recorded(out) or {"seconds": None}
            if not skip_starter:
                results["starter"] = _starter(tmp, starter_tracker, measure)
                results["ratios"] = report.ratios(
                    results["ours"], results["starter"], results["settings"]["rasa_workers"]
                )
        if prod_mode != "off":
            if prod_reason:
                say(f"[prod] skipped: {prod_reason}")
                results["prod"] = {"skipped": prod_reason}
            else:
                results["prod"] = prod.run_scaling(
                    tmp / "prod",
                    concurrency=prod_concurrency,
                    conversations=conversations,
                    seed_weeks=seed_weeks,
                    model=model,
                    say=say,
                )
    finally:
        if keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    results["duration_seconds"] = round(time.perf_counter() - clock, 1)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(results, indent=2) + "\n")
    text = report.markdown(results)
    (out / "bench.md").write_text(text)
    written = ["bench.json", "bench.md"]
    if report.chart(results, out / "latency.png"):
        written.append("latency.png")
    say("")
    say(text)
    say(f"Took {results['duration_seconds']:.0f}s; wrote {', '.join(written)} to {out}")


def _ours(tmp: Path, model: Path, seed_weeks: int, measure: dict) -> dict:
    """Our bot on the embedded default, started fresh and measured."""
    say = measure["say"]
    say(f"[ours] starting Rasa + action server (fresh SQLite in {tmp / 'ours'})")
    with our_bot(tmp / "ours", model, seed_weeks=seed_weeks) as running:
        say(
            f"[ours] up: /status after {running.status_seconds:.1f}s, "
            f"first reply after {running.first_reply_seconds:.1f}s"
        )
        return measure_bot(running, OUR_SCRIPTS, parse_texts=OUR_PARSE_TEXTS, **measure)


def _starter(tmp: Path, tracker: str, measure: dict) -> dict:
    """Rasa's starter bot: created and trained now, then measured like ours."""
    say = measure["say"]
    say("[starter] rasa init --no-prompt (scaffold + training) in a temporary folder")
    project = create_starter(tmp)
    say(f"[starter] trained in {project.init_seconds:.1f}s")
    with starter_bot(project, tracker=tracker) as running:
        result = measure_bot(running, STARTER_SCRIPTS, parse_texts=STARTER_PARSE_TEXTS, **measure)
    result["training"] = {
        "seconds": round(project.init_seconds, 1),
        "source": "rasa init (scaffold + train), measured in this run",
    }
    return result
