"""Latency and throughput figures, kept free of I/O so they can be unit-tested."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], pct: float) -> float | None:
    """The ``pct`` percentile with linear interpolation between ranks (NumPy's default).

    None for no values: an empty kind must show as "no data", never as 0 ms.
    """
    if not 0 <= pct <= 100:
        raise ValueError("pct must be between 0 and 100")
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Sample:
    """One turn: what kind it was, how long the reply took, and whether it went wrong."""

    kind: str
    seconds: float
    ok: bool  # HTTP 200 with at least one bot message
    on_script: bool = True  # the reply had the text the script expected
    error: str = ""  # status code or exception name when not ok


@dataclass(frozen=True)
class Summary:
    """Figures for one group of turns (a kind, or all of them)."""

    count: int
    errors: int
    off_script: int
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    mean_ms: float | None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 1)


def summarize(samples: Iterable[Sample]) -> Summary:
    """Percentiles over the turns that got a reply; errors are counted, not timed."""
    samples = list(samples)
    timed = [s.seconds for s in samples if s.ok]
    return Summary(
        count=len(samples),
        errors=sum(not s.ok for s in samples),
        off_script=sum(s.ok and not s.on_script for s in samples),
        p50_ms=_ms(percentile(timed, 50)),
        p95_ms=_ms(percentile(timed, 95)),
        p99_ms=_ms(percentile(timed, 99)),
        mean_ms=_ms(sum(timed) / len(timed)) if timed else None,
    )


def by_kind(samples: Iterable[Sample]) -> dict[str, Summary]:
    """One summary per kind of turn, plus "all"."""
    samples = list(samples)
    kinds = sorted({s.kind for s in samples})
    result = {kind: summarize(s for s in samples if s.kind == kind) for kind in kinds}
    result["all"] = summarize(samples)
    return result


def throughput(samples: Sequence[Sample], wall_seconds: float) -> float:
    """Replies per second over the level's wall time (failed turns do not count)."""
    if wall_seconds <= 0:
        raise ValueError("wall time must be positive")
    return sum(s.ok for s in samples) / wall_seconds


def ratio(ours: float | None, theirs: float | None) -> float | None:
    """ours / theirs, or None when either is missing or theirs is zero."""
    if ours is None or theirs is None or theirs == 0:
        return None
    return ours / theirs
