"""`make eval`: how well the trained NLU understands caregivers, blind sets first.

Every message of every set goes through the whole trained NLU (encoder, classifier,
fallback, safety layer), as the server runs it. What the bot understood is the FAQ
topic for a "faq" intent, the crisis category when the safety layer speaks, else the
intent. Figures:

- understood: in-scope messages whose request was read right (a two-question message
  counts when either question is the main reading; `both` when both were found);
- out of scope declined: off-topic messages given out_of_scope or the fallback;
- greeting first: requests with a greeting in front, read right;
- per label and per tag (recall), and where misses went (label -> label counts).

For a blind set only figures are printed and saved, never the missed messages: the
team changes the model from per-topic figures, not from single misses (tests/blind/
README.md). A dev set's misses are listed. Exit status 1 when a blind set is below
the targets (BLIND_TARGETS) or the dev set below DEV_MIN_UNDERSTOOD.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

from bot.evaluation.nlu_sets import (
    FALLBACK,
    OUT_OF_SCOPE,
    EvalSet,
    Example,
    load_set,
)
from bot.evaluation.parsing import parse_sets
from bot.nlp.intent_topic import ALSO_ASKED

BLIND_TARGETS = {"understood": 0.95, "out_of_scope_declined": 0.90, "greeting_first": 0.95}
DEV_MIN_UNDERSTOOD = 0.95
# A blind set fails the build only when a figure is clearly below its target: when the
# target lies above the upper end of the figure's 95% Wilson interval. A message or two
# either way is noise (one greeting-first message is 1.6 points), and chasing it would
# mean studying the set, which retires it. The targets are printed as they are.
BLIND_GATE_Z = 1.96


def wilson_upper(rate: float, n: int, z: float = BLIND_GATE_Z) -> float:
    """Upper end of the Wilson score interval of a proportion measured on ``n`` messages."""
    if n <= 0:
        return 1.0
    centre = rate + z * z / (2 * n)
    spread = z * math.sqrt(rate * (1 - rate) / n + z * z / (4 * n * n))
    return min(1.0, (centre + spread) / (1 + z * z / n))


def _count(figures: dict, key: str) -> int:
    """How many messages a figure was measured on."""
    if key == "greeting_first":
        return figures.get("by_tag", {}).get("greeting", {}).get("n", 0)
    if key == "out_of_scope_declined":
        return figures.get("by_label", {}).get(OUT_OF_SCOPE, {}).get("n", 0)
    return figures.get("messages", 0)


def understood_as(parse: dict) -> tuple[str, str | None]:
    """The label the bot acted on, and a second question's label, from one parse."""
    safety = parse.get("safety") or {}
    intent = (parse.get("intent") or {}).get("name") or FALLBACK
    if safety.get("tier") == "check" and safety.get("answered"):
        intent = safety["answered"]  # the gentle check answers the question, then asks
    if safety.get("category"):
        label = safety["category"]
    elif intent == "faq":
        selector = (parse.get("response_selector") or {}).get("faq") or {}
        label = (selector.get("response") or {}).get("intent_response_key") or "faq"
    else:
        label = intent
    also = next(
        (e.get("value") for e in parse.get("entities") or [] if e.get("entity") == ALSO_ASKED),
        None,
    )
    return label, also


def score(examples: list[Example], parses: list[dict]) -> dict:
    """The figures of one set (see the module docstring)."""
    totals: Counter = Counter()
    right: Counter = Counter()
    tag_totals: Counter = Counter()
    tag_right: Counter = Counter()
    went: dict[str, Counter] = defaultdict(Counter)
    both = two = 0
    misses = []
    for example, parse in zip(examples, parses, strict=True):
        label, also = understood_as(parse)
        ok = label in example.accepted
        totals[example.label] += 1
        right[example.label] += ok
        for tag in example.tags:
            tag_totals[tag] += 1
            tag_right[tag] += ok
        if example.also:
            two += 1
            both += {example.label, example.also} <= {label, also}
        if not ok:
            went[example.label][label] += 1
            misses.append({"text": example.text, "label": example.label, "understood": label})
    in_scope = [k for k in totals if k != OUT_OF_SCOPE]
    n_in = sum(totals[k] for k in in_scope)
    greeting = "greeting"
    return {
        "messages": len(examples),
        "understood": sum(right[k] for k in in_scope) / n_in if n_in else 0.0,
        "out_of_scope_declined": right[OUT_OF_SCOPE] / totals[OUT_OF_SCOPE]
        if totals[OUT_OF_SCOPE]
        else None,
        "greeting_first": tag_right[greeting] / tag_totals[greeting]
        if tag_totals[greeting]
        else None,
        "two_questions_both_answered": both / two if two else None,
        "by_label": {k: {"n": totals[k], "recall": right[k] / totals[k]} for k in sorted(totals)},
        "by_tag": {
            t: {"n": tag_totals[t], "recall": tag_right[t] / tag_totals[t]} for t in tag_totals
        },
        "missed_to": {k: dict(v) for k, v in sorted(went.items())},
        "misses": misses,
    }


def _percent(value: float | None) -> str:
    return "  n/a" if value is None else f"{100 * value:5.1f}%"


def print_report(evalset: EvalSet, figures: dict) -> None:
    kind = "BLIND" if evalset.blind else "dev"
    print(f"\n== {kind}: {evalset.path} ({figures['messages']} messages)")
    targets = BLIND_TARGETS if evalset.blind else {"understood": DEV_MIN_UNDERSTOOD}
    for key in ("understood", "out_of_scope_declined", "greeting_first",
                "two_questions_both_answered"):  # fmt: skip
        target = f"(target >= {100 * targets[key]:.0f}%)" if key in targets else ""
        short = key in targets and figures[key] is not None and figures[key] < targets[key]
        mark = "  below target" if short else ""
        print(f"  {key.replace('_', ' '):32s} {_percent(figures[key])}  {target}{mark}")
    weakest = sorted(figures["by_label"].items(), key=lambda kv: kv[1]["recall"])[:8]
    print(
        "  weakest labels: " + ", ".join(f"{k} {v['recall']:.2f} (n={v['n']})" for k, v in weakest)
    )
    if figures["by_tag"]:
        print("  by tag: " + ", ".join(
            f"{t} {v['recall']:.2f} (n={v['n']})" for t, v in sorted(figures["by_tag"].items())
        ))  # fmt: skip
    if not evalset.blind and figures["misses"]:
        print("  misses (dev set, fine to study):")
        for miss in figures["misses"]:
            print(f"    {miss['label']:28s} -> {miss['understood']:28s} {miss['text']!r}")


def failures(evalset: EvalSet, figures: dict) -> list[str]:
    """What fails the build: a dev set below its minimum; a blind figure whose 95% interval
    lies wholly below its target."""
    if not evalset.blind:
        value = figures["understood"]
        if value is not None and value < DEV_MIN_UNDERSTOOD:
            return [f"{evalset.name}: understood {_percent(value)} is below "
                    f"{100 * DEV_MIN_UNDERSTOOD:.0f}%"]  # fmt: skip
        return []
    problems = []
    for key, target in BLIND_TARGETS.items():
        value = figures[key]
        if value is None:
            continue
        n = _count(figures, key)
        upper = wilson_upper(value, n)
        if upper < target:
            problems.append(
                f"{evalset.name}: {key} {_percent(value)} of {n} is clearly below "
                f"{100 * target:.0f}% (95% interval up to {100 * upper:.1f}%)"
            )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--blind", type=Path, action="append", default=[], help="a blind set")
    parser.add_argument("--dev", type=Path, action="append", default=[], help="a dev set")
    parser.add_argument("--out", type=Path, default=Path("results/nlu"))
    parser.add_argument("--report-only", action="store_true", help="never fail")
    args = parser.parse_args(argv)
    sets = [load_set(p, blind=True) for p in args.blind] + [load_set(p, False) for p in args.dev]
    if not sets:
        parser.error("give at least one --blind or --dev set")
    parses = parse_sets(args.model, [[e.text for e in evalset.examples] for evalset in sets])
    args.out.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for evalset, set_parses in zip(sets, parses, strict=True):
        figures = score(evalset.examples, set_parses)
        print_report(evalset, figures)
        problems += failures(evalset, figures)
        if evalset.blind:
            figures.pop("misses")  # figures only: a blind set is not studied message by message
        (args.out / f"{evalset.name}.json").write_text(json.dumps(figures, indent=2))
    if problems and not args.report_only:
        print("\nNLU is below target:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
