"""The third layer of safety detection: a gentle check, from the sentence encoder.

Why a third layer, and why only a check: danger written indirectly ("bought a length of
hose for the car exhaust", a child's "secret game") shares meaning with danger but few
words, so the rules and the n-gram model miss it; the encoder's vector carries the
meaning. But measured on the dev sets, the same vector also puts many hard negatives
(past danger, hypotheticals, a toddler's hitting) close to danger, so on its own it may
never start the full crisis protocol. Over a threshold it asks, once, "is anyone in
danger right now?" after answering what was asked (README, Safety).

One logistic regression over the encoder's vector, with classes "none", "check" and
the four categories, trained on every intent example (crisis intents are their
category; examples marked ``safety_tier: check`` are "check"; the rest "none"). A long
message is also read sentence by sentence, and its most worrying sentence counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from bot.nlp.encoder import get_encoder
from bot.safety import CATEGORIES

FILE = "check_model.npz"
NONE, CHECK = "none", "check"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
MIN_SENTENCE_WORDS = 3


def sentences(text: str) -> list[str]:
    """A message's sentences of a few words or more (none when it is one sentence)."""
    parts = [s.strip() for s in SENTENCE_END.split(text) if s and s.strip()]
    parts = [s for s in parts if len(s.split()) >= MIN_SENTENCE_WORDS]
    return parts if len(parts) > 1 else []


@dataclass(frozen=True)
class Concern:
    """How much a message worries the check layer, and about what."""

    score: float  # 1 - P(none): any danger or a check
    category: str  # the likeliest crisis category
    ambiguous: bool = False  # "check" outweighs every category: hypothetical, past, process
    sentence: str = ""  # the most worrying sentence of a longer message ("" when the whole)


@dataclass
class CheckModel:
    coef: np.ndarray
    intercept: np.ndarray
    classes: list[str]

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], c: float) -> CheckModel:
        vectors = get_encoder().encode_many(list(texts))
        model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        model.fit(vectors, list(labels))
        return cls(model.coef_.astype(np.float32), model.intercept_.astype(np.float32),
                   [str(k) for k in model.classes_])  # fmt: skip

    def _probabilities(self, vectors: np.ndarray) -> np.ndarray:
        scores = vectors @ self.coef.T + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def concern(self, text: str) -> Concern:
        """The whole message and each of its sentences; the most worrying one counts."""
        texts = [text, *sentences(text)]
        rows = self._probabilities(get_encoder().encode(texts))
        none = self.classes.index(NONE)
        at = int(rows[:, none].argmin())
        worst = rows[at]
        crisis = [self.classes.index(c) for c in CATEGORIES if c in self.classes]
        category = self.classes[crisis[int(worst[crisis].argmax())]] if crisis else CATEGORIES[0]
        check = self.classes.index(CHECK) if CHECK in self.classes else None
        ambiguous = check is not None and bool(crisis) and worst[check] > worst[crisis].max()
        sentence = texts[at] if at else ""
        return Concern(float(1.0 - worst[none]), category, bool(ambiguous), sentence)

    def save(self, directory: Path) -> None:
        np.savez(directory / FILE, coef=self.coef, intercept=self.intercept,
                 classes=np.array(self.classes))  # fmt: skip

    @classmethod
    def load(cls, directory: Path) -> CheckModel:
        with np.load(directory / FILE, allow_pickle=False) as data:
            return cls(data["coef"], data["intercept"], [str(c) for c in data["classes"]])


def training_label(intent: str, metadata: dict | None) -> str:
    """What the check layer learns from one intent example."""
    if intent in CATEGORIES:
        return intent
    example = (metadata or {}).get("example") or {}
    return CHECK if example.get("safety_tier") == CHECK else NONE
