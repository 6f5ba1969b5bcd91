"""The benchmark's figures: percentiles, per-kind summaries, throughput and ratios."""

from __future__ import annotations

import pytest

from bench.harness import reply_text
from bench.report import markdown, ratios
from bench.scripts import OUR_SCRIPTS, STARTER_SCRIPTS, conversation, is_fallback
from bench.stats import Sample, by_kind, percentile, ratio, summarize, throughput


def test_percentile_interpolates_between_ranks_like_numpy():
    values = [1.0, 2.0, 3.0, 4.0]
    assert percentile(values, 50) == 2.5
    assert percentile(values, 0) == 1.0 and percentile(values, 100) == 4.0
    assert percentile(values, 95) == pytest.approx(3.85)  # numpy.percentile(values, 95)
    assert percentile([5.0, 1.0, 3.0], 50) == 3.0  # order of arrival does not matter
    assert percentile([7.0], 99) == 7.0


def test_percentile_of_nothing_is_none_not_zero():
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_errors_are_counted_but_not_timed():
    samples = [
        Sample("faq", 0.100, True),
        Sample("faq", 0.300, True),
        Sample("faq", 30.0, False, error="ReadTimeout"),  # must not pull the p99 up
        Sample("faq", 0.200, True, on_script=False),
    ]
    s = summarize(samples)
    assert (s.count, s.errors, s.off_script) == (4, 1, 1)
    assert s.p50_ms == 200.0 and s.p99_ms == pytest.approx(298.0)
    assert s.mean_ms == 200.0


def test_summaries_per_kind_and_all():
    samples = [Sample("faq", 0.1, True), Sample("booking", 0.5, True), Sample("faq", 0.3, True)]
    kinds = by_kind(samples)
    assert set(kinds) == {"faq", "booking", "all"}
    assert kinds["faq"].p50_ms == 200.0 and kinds["booking"].count == 1
    assert kinds["all"].count == 3


def test_throughput_counts_replies_only():
    samples = [Sample("faq", 0.1, True)] * 8 + [Sample("faq", 0.1, False)] * 2
    assert throughput(samples, 4.0) == 2.0
    with pytest.raises(ValueError):
        throughput(samples, 0)


def test_ratio_is_none_when_a_side_is_missing():
    assert ratio(3.0, 2.0) == 1.5
    assert ratio(None, 2.0) is None and ratio(1.0, None) is None and ratio(1.0, 0) is None


def _bot(name: str, levels: dict[int, tuple[float, float]], errors: int = 0) -> dict:
    """A bot result with FAQ p50 ms and msgs/s per concurrency level."""
    rows = []
    for c, (p50, tput) in levels.items():
        kind = {"count": 10, "errors": errors, "off_script": 0, "p50_ms": p50}
        kind |= {"p95_ms": p50 * 2, "p99_ms": p50 * 3, "mean_ms": p50}
        rows.append(
            {
                "concurrency": c,
                "conversations": 4,
                "turns": 10,
                "wall_seconds": 1.0,
                "throughput": tput,
                "kinds": {"faq": kind, "all": kind},
            }
        )
    return {
        "name": name,
        "levels": rows,
        "warmup": {"errors": 0},
        "cold_start": {"status_seconds": 20.0, "first_reply_seconds": 25.0},
        "memory_mb": {"rasa": {"after_warmup": 900.0, "peak_under_load": 950.0}},
        "parse": {"p50_ms": 20.0, "p95_ms": 30.0},
    }


def test_ratios_and_targets():
    ours = _bot("ours", {1: (60.0, 10.0), 16: (400.0, 20.0)})
    starter = _bot("starter", {1: (50.0, 30.0), 16: (300.0, 40.0)})
    result = ratios(ours, starter)
    assert result["per_level"][0] == {
        "concurrency": 1,
        "faq_p50_ratio": 1.2,
        "throughput_ratio": 0.33,
    }
    checks = {c["name"]: c for c in result["checks"]}
    assert checks["FAQ p50 vs starter (C=1)"]["met"] is True
    assert checks["throughput vs starter (C=16)"]["value"] == 0.5
    assert checks["throughput vs starter (C=16)"]["met"] is False
    assert checks["errors (our bot, all turns)"]["met"] is True


def test_targets_say_when_16_was_not_run_and_count_errors():
    ours = _bot("ours", {1: (60.0, 10.0), 2: (80.0, 12.0)}, errors=1)
    starter = _bot("starter", {1: (50.0, 10.0), 2: (70.0, 12.0)})
    checks = ratios(ours, starter)["checks"]
    assert "not C=16" in checks[1]["name"]
    assert checks[2] == {
        "name": "errors (our bot, all turns)",
        "value": 2,
        "target": "0",
        "met": False,
    }


def test_markdown_has_both_bots_and_the_verdicts():
    ours = _bot("ours", {1: (60.0, 10.0)})
    starter = _bot("starter", {1: (50.0, 12.0)})
    results = {
        "mode": "quick (smoke)",
        "started_at": "2026-11-24T01:00:00+00:00",
        "machine": {"cpus": 2, "load_before": "0.10 0.20 0.30"},
        "settings": {"conversations": 4},
        "ours": ours,
        "starter": starter,
        "ratios": ratios(ours, starter),
        "prod": {"skipped": "bot/prod is not there yet"},
    }
    text = markdown(results)
    assert "| ours | 1 |" in text and "| starter | 1 |" in text
    assert "1.20x" in text and "not there yet" in text


def test_scripts_vary_by_conversation_and_kinds_are_known():
    first, second = conversation(OUR_SCRIPTS, 1), conversation(OUR_SCRIPTS, 5)
    assert first.name == second.name == "booking"
    assert first.turns[1].text != second.turns[1].text  # a different caregiver
    kinds = {t.kind for f in OUR_SCRIPTS for t in f(0).turns}
    assert kinds == {"faq", "smalltalk", "booking", "reflection"}
    assert {t.kind for f in STARTER_SCRIPTS for t in f(0).turns} == {"faq"}


def test_reply_text_reads_texts_and_buttons():
    messages = [{"text": "Pick one"}, {"text": "", "buttons": [{"title": "Yes"}]}]
    assert reply_text(messages) == "Pick one\n\nYes"
    assert reply_text({"error": "x"}) == ""
    assert is_fallback("Sorry. Could you say it another way?")


def test_chart_is_a_png_and_skipped_without_bots(tmp_path):
    from bench.report import chart

    results = {
        "mode": "quick (smoke)",
        "started_at": "2026-11-24T01:00:00+00:00",
        "ours": _bot("ours", {1: (60.0, 10.0), 4: (90.0, 14.0)}),
        "starter": _bot("starter", {1: (50.0, 12.0), 4: (70.0, 20.0)}),
    }
    path = chart(results, tmp_path / "latency.png")
    assert path is not None and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert chart({"mode": "x", "started_at": "y"}, tmp_path / "none.png") is None


def test_production_table_and_factor():
    level = _bot("p", {16: (100.0, 5.0)})["levels"][0]
    prod = {
        "runs": [
            {"instances": 1, "stack_start_seconds": 90.0, "level": level},
            {"instances": 2, "stack_start_seconds": 120.0, "level": {**level, "throughput": 8.0}},
        ],
        "factor": 1.6,
    }
    results = {
        "mode": "full",
        "started_at": "now",
        "machine": {"cpus": 2, "load_before": "0"},
        "settings": {"conversations": 48},
        "prod": prod,
    }
    text = markdown(results)
    assert "| 2 | 120 | 16 |" in text and "1.60x" in text


def test_memory_per_worker_and_training_time_are_targets():
    ours = _bot("ours", {1: (60.0, 10.0), 16: (400.0, 20.0)})
    ours["memory_mb"] = {"rasa": {"peak_under_load": 1800.0}}
    ours["training"] = {"seconds": 200.0}
    starter = _bot("starter", {1: (50.0, 30.0), 16: (300.0, 40.0)})
    checks = {c["name"]: c for c in ratios(ours, starter, workers=2)["checks"]}
    assert checks["Rasa memory per worker, MB (2 workers)"] == {
        "name": "Rasa memory per worker, MB (2 workers)",
        "value": 900.0,
        "target": "<= 1536",
        "met": True,
    }
    assert checks["training from an empty cache (s)"]["met"] is False
