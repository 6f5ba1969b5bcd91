"""Turn the measurements into ratios against the starter bot, a markdown table and a chart."""

from __future__ import annotations

from pathlib import Path

from bench.stats import ratio

FAQ_P50_TARGET = 1.5  # our FAQ p50 at most 1.5x the starter bot's
THROUGHPUT_TARGET = 1.0  # our msgs/s at 16 conversations at least the starter bot's
WORKER_MB_TARGET = 1536  # each Rasa worker's memory (the tree's peak over the workers)
TRAINING_SECONDS_TARGET = 180  # our training from an empty cache
THROUGHPUT_AT = 16
KINDS = ("faq", "smalltalk", "booking", "reflection", "all")


def _level(bot: dict, concurrency: int) -> dict | None:
    return next((lv for lv in bot.get("levels", []) if lv["concurrency"] == concurrency), None)


def _kind(level: dict | None, kind: str, key: str) -> float | None:
    if level is None or kind not in level["kinds"]:
        return None
    return level["kinds"][kind][key]


def total_errors(bot: dict) -> int:
    """Failed turns in the warm-up and every level."""
    return bot.get("warmup", {}).get("errors", 0) + sum(
        lv["kinds"]["all"]["errors"] for lv in bot.get("levels", [])
    )


def ratios(ours: dict, starter: dict, workers: int = 1) -> dict:
    """Per level FAQ p50 and throughput ratios, and the targets with verdicts."""
    per_level = []
    for level in ours.get("levels", []):
        c = level["concurrency"]
        theirs = _level(starter, c)
        per_level.append(
            {
                "concurrency": c,
                "faq_p50_ratio": _round(
                    ratio(_kind(level, "faq", "p50_ms"), _kind(theirs, "faq", "p50_ms"))
                ),
                "throughput_ratio": _round(
                    ratio(level["throughput"], theirs["throughput"] if theirs else None)
                ),
            }
        )
    checks = []
    if per_level:
        low = per_level[0]
        checks.append(
            _check(
                f"FAQ p50 vs starter (C={low['concurrency']})",
                low["faq_p50_ratio"],
                f"<= {FAQ_P50_TARGET}x",
                None if low["faq_p50_ratio"] is None else low["faq_p50_ratio"] <= FAQ_P50_TARGET,
            )
        )
        at = next((r for r in per_level if r["concurrency"] == THROUGHPUT_AT), per_level[-1])
        name = f"throughput vs starter (C={at['concurrency']})"
        if at["concurrency"] != THROUGHPUT_AT:
            name += f", not C={THROUGHPUT_AT}: not run"
        value = at["throughput_ratio"]
        checks.append(
            _check(
                name,
                value,
                f">= {THROUGHPUT_TARGET}x",
                None if value is None else value >= THROUGHPUT_TARGET,
            )
        )
    errors = total_errors(ours)
    checks.append(_check("errors (our bot, all turns)", errors, "0", errors == 0))
    peak = ours.get("memory_mb", {}).get("rasa", {}).get("peak_under_load")
    per_worker = None if peak is None else round(peak / max(1, workers), 1)
    checks.append(
        _check(
            f"Rasa memory per worker, MB ({workers} workers)",
            per_worker,
            f"<= {WORKER_MB_TARGET}",
            None if per_worker is None else per_worker <= WORKER_MB_TARGET,
        )
    )
    seconds = ours.get("training", {}).get("seconds")
    checks.append(
        _check(
            "training from an empty cache (s)",
            seconds,
            f"<= {TRAINING_SECONDS_TARGET}",
            None if seconds is None else seconds <= TRAINING_SECONDS_TARGET,
        )
    )
    return {"per_level": per_level, "checks": checks}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _check(name: str, value: object, target: str, met: bool | None) -> dict:
    return {"name": name, "value": value, "target": target, "met": met}


def _fmt(value: object, suffix: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        if suffix == "x" or abs(value) < 10:
            return f"{value:.2f}{suffix}"
        return f"{value:,.1f}{suffix}" if abs(value) < 100 else f"{value:,.0f}{suffix}"
    return f"{value}{suffix}"


def _pcts(level: dict, kind: str) -> str:
    if kind not in level["kinds"]:
        return "–"
    k = level["kinds"][kind]
    return " / ".join(_fmt(k[p]) for p in ("p50_ms", "p95_ms", "p99_ms"))


def markdown(results: dict) -> str:
    """The whole report as markdown (printed, and saved as results/bench/bench.md)."""
    ours, starter = results.get("ours"), results.get("starter")
    lines = [
        f"# Benchmark ({results['mode']} run, {results['started_at']})",
        "",
        f"Machine: {results['machine']['cpus']} CPUs, load average before the run "
        f"{results['machine']['load_before']}. Closed loop over the REST channel, no think "
        f"time; {results['settings']['conversations']} conversations per level. Our Rasa "
        f"server: {results['settings'].get('rasa_workers', 1)} worker process(es); "
        "the starter bot: 1.",
        "",
        "Latency in ms as p50 / p95 / p99 per kind of turn; msgs/s = replies per second.",
    ]
    if ours or starter:
        lines += _embedded(results)
    prod = results.get("prod")
    if prod:
        lines += _prod(prod)
    return "\n".join(lines) + "\n"


def _embedded(results: dict) -> list[str]:
    """Tables of the embedded comparison: per level, per bot, ratios and targets."""
    ours, starter = results.get("ours"), results.get("starter")
    lines = [
        "",
        "| bot | C | turns | errors | off-script | msgs/s | faq | smalltalk | booking "
        "| reflection | all turns |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for bot in (ours, starter):
        if not bot:
            continue
        for lv in bot["levels"]:
            a = lv["kinds"]["all"]
            cells = [_pcts(lv, k) for k in KINDS]
            lines.append(
                f"| {bot['name']} | {lv['concurrency']} | {lv['turns']} | {a['errors']} | "
                f"{a['off_script']} | {_fmt(lv['throughput'])} | " + " | ".join(cells) + " |"
            )
    lines += ["", "| | ours | starter |", "|---|---|---|"]

    def row(label: str, get) -> None:
        values = [get(b) if b else None for b in (ours, starter)]
        lines.append(f"| {label} | " + " | ".join(_fmt(v) for v in values) + " |")

    row("cold start: process start to /status (s)", lambda b: b["cold_start"]["status_seconds"])
    row(
        "cold start: process start to first reply (s)",
        lambda b: b["cold_start"]["first_reply_seconds"],
    )
    row("training (s)", lambda b: b.get("training", {}).get("seconds"))
    lines.append(
        "| training measured how | "
        + " | ".join(
            (b.get("training", {}).get("source") or "not measured") if b else "–"
            for b in (ours, starter)
        )
        + " |"
    )
    row("Rasa server RSS after warm-up (MB)", lambda b: b["memory_mb"]["rasa"]["after_warmup"])
    row("Rasa server RSS peak under load (MB)", lambda b: b["memory_mb"]["rasa"]["peak_under_load"])
    row(
        "action server RSS peak (MB)",
        lambda b: b["memory_mb"].get("actions", {}).get("peak_under_load"),
    )
    row("/model/parse alone p50 (ms)", lambda b: b["parse"]["p50_ms"])
    row("/model/parse alone p95 (ms)", lambda b: b["parse"]["p95_ms"])
    row("full FAQ turn p50 at C=1 (ms)", lambda b: _kind(_level(b, 1), "faq", "p50_ms"))

    if results.get("ratios"):
        lines += ["", "| ratio ours / starter | C | FAQ p50 | msgs/s |", "|---|---|---|---|"]
        for r in results["ratios"]["per_level"]:
            lines.append(
                f"| | {r['concurrency']} | {_fmt(r['faq_p50_ratio'], 'x')} | "
                f"{_fmt(r['throughput_ratio'], 'x')} |"
            )
        lines += ["", "| target | value | wanted | met |", "|---|---|---|---|"]
        for c in results["ratios"]["checks"]:
            met = {True: "yes", False: "**no**", None: "not measured"}[c["met"]]
            suffix = "x" if str(c["target"]).endswith("x") else ""
            lines.append(f"| {c['name']} | {_fmt(c['value'], suffix)} | {c['target']} | {met} |")

    return lines


def _prod(prod: dict) -> list[str]:
    """The production stack's table: 1 and 2 Rasa instances, and the factor."""
    lines = ["", "## Production stack (PostgreSQL, Redis, nginx)", ""]
    if prod.get("skipped"):
        return [*lines, f"Not run: {prod['skipped']}"]
    lines += [
        "| Rasa instances | stack start (s) | C | turns | errors | msgs/s "
        "| all turns p50 / p95 / p99 |",
        "|---|---|---|---|---|---|---|",
    ]
    for run in prod["runs"]:
        lv = run["level"]
        lines.append(
            f"| {run['instances']} | {_fmt(run.get('stack_start_seconds'))} | "
            f"{lv['concurrency']} | {lv['turns']} | "
            f"{lv['kinds']['all']['errors']} | {_fmt(lv['throughput'])} | {_pcts(lv, 'all')} |"
        )
    lines += ["", f"Scaling factor (2 instances / 1): {_fmt(prod.get('factor'), 'x')}"]
    return lines


def chart(results: dict, path: Path) -> Path | None:
    """Latency (FAQ and all turns, p50 and p95) and throughput against concurrency;
    None (no file) when neither bot was measured (a production-only run)."""
    if not any((results.get(k) or {}).get("levels") for k in ("ours", "starter")):
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, LogLocator

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    colors = {"ours": "tab:blue", "starter": "tab:orange"}
    for key in ("ours", "starter"):
        bot = results.get(key)
        if not bot or not bot.get("levels"):
            continue
        cs = [lv["concurrency"] for lv in bot["levels"]]
        only_faq = set(bot["levels"][0]["kinds"]) <= {"faq", "all"}  # the starter bot
        for kind, style in (("faq", "-"), ("all", ":")):
            if kind == "all" and only_faq:
                continue
            for pct, marker in (("p50_ms", "o"), ("p95_ms", "^")):
                ys = [_kind(lv, kind, pct) for lv in bot["levels"]]
                if all(y is None for y in ys):
                    continue
                left.plot(
                    cs,
                    [float("nan") if y is None else y for y in ys],
                    style,
                    marker=marker,
                    color=colors[key],
                    label=f"{key} {kind} {pct[:3]}",
                )
        right.plot(
            cs,
            [lv["throughput"] for lv in bot["levels"]],
            "-o",
            color=colors[key],
            label=key,
        )
    left.set(xlabel="concurrent conversations", ylabel="latency (ms)", title="Reply latency")
    left.set_yscale("log")
    left.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    left.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:g}"))
    right.set(xlabel="concurrent conversations", ylabel="replies / s", title="Throughput")
    levels = sorted(
        {
            lv["concurrency"]
            for k in ("ours", "starter")
            for lv in (results.get(k) or {}).get("levels", [])
        }
    )
    for ax in (left, right):
        ax.set_xscale("log", base=2)
        ax.set_xticks(levels, [str(c) for c in levels])
        ax.minorticks_off()
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle(f"CPP bot vs Rasa starter bot ({results['mode']} run, {results['started_at']})")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
