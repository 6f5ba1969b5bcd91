"""Summarise `rasa test nlu` on the held-out set and fail below the targets.

The held-out set (tests/nlu/holdout.yml) is never trained on, so these figures
measure how the bot copes with phrasings it has not seen.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

MIN_INTENT_MACRO_F1 = 0.95
MIN_RESPONSE_ACCURACY = 0.92


def summarise(results: Path) -> dict[str, float]:
    """Read Rasa's JSON reports and return the headline figures."""
    intents = json.loads((results / "intent_report.json").read_text())
    responses = json.loads((results / "response_selection_report.json").read_text())
    return {
        "intent_macro_f1": intents["macro avg"]["f1-score"],
        "intent_accuracy": intents["accuracy"],
        "response_accuracy": responses["accuracy"],
        "response_macro_f1": responses["macro avg"]["f1-score"],
        "examples": int(intents["macro avg"]["support"]),
    }


def worst_labels(report: dict, n: int = 5) -> list[tuple[str, float]]:
    rows = [
        (label, stats["f1-score"])
        for label, stats in report.items()
        if isinstance(stats, dict) and label not in ("macro avg", "weighted avg", "micro avg")
    ]
    return sorted(rows, key=lambda row: row[1])[:n]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("results", type=Path, help="folder written by `rasa test nlu --out`")
    args = parser.parse_args(argv)
    figures = summarise(args.results)
    print(f"NLU on the held-out set ({figures['examples']} messages):")
    f1, acc = figures["intent_macro_f1"], figures["response_accuracy"]
    print(f"  intent macro-F1        {f1:.3f}  (target >= {MIN_INTENT_MACRO_F1})")
    print(f"  intent accuracy        {figures['intent_accuracy']:.3f}")
    print(f"  response accuracy      {acc:.3f}  (target >= {MIN_RESPONSE_ACCURACY})")
    print(f"  response macro-F1      {figures['response_macro_f1']:.3f}")
    responses = json.loads((args.results / "response_selection_report.json").read_text())
    print(
        "  weakest FAQ topics:    " + ", ".join(f"{k} {v:.2f}" for k, v in worst_labels(responses))
    )
    (args.results / "summary.json").write_text(json.dumps(figures, indent=2))
    ok = (
        figures["intent_macro_f1"] >= MIN_INTENT_MACRO_F1
        and figures["response_accuracy"] >= MIN_RESPONSE_ACCURACY
    )
    if not ok:
        print("NLU is below target: see results/nlu/ for the confusion details.", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
