"""The trained layer of safety detection: a linear crisis-vs-not classifier.

Why not DIET's crisis intents: DIET's confidence on hard negatives swung by several
points whenever unrelated training data changed (README, Safety), so a gate on it
said nothing about the next training (bot/nlp/ngram_classifier.py). This one learns
from the same examples as the crisis intents (every other intent is "not a crisis");
a second one picks the category when the rules are silent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.pipeline import Pipeline

from bot.nlp.linear_scores import LinearScores
from bot.nlp.ngram_classifier import load_pipeline, ngram_pipeline, save_pipeline
from bot.safety import CATEGORIES

DETECTOR_FILE, CATEGORY_FILE = "crisis_detector.skops", "crisis_category.skops"


@dataclass
class CrisisModel:
    """P(crisis) for a message's lemmas, and the likeliest crisis category."""

    detector: Pipeline
    categorizer: Pipeline
    # The same numbers as the pipelines' predict_proba, without sklearn's per-call cost.
    _detector_scores: LinearScores = field(init=False, repr=False)
    _category_scores: LinearScores = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._detector_scores = LinearScores.of_pipeline(self.detector)
        self._category_scores = LinearScores.of_pipeline(self.categorizer)

    @classmethod
    def fit(cls, lemma_texts: Sequence[str], intents: Sequence[str], c: float) -> CrisisModel:
        is_crisis = np.array([intent in CATEGORIES for intent in intents])
        if is_crisis.all() or not is_crisis.any():
            raise ValueError("the crisis model needs crisis and non-crisis examples")
        texts = np.array(lemma_texts, dtype=object)
        labels = np.array(intents, dtype=object)
        # "balanced": a few hundred crisis examples against a few thousand others.
        detector = ngram_pipeline(c, "balanced").fit(texts, is_crisis.astype(int))
        categorizer = ngram_pipeline(c).fit(texts[is_crisis], labels[is_crisis])
        return cls(detector, categorizer)

    def probability(self, lemma_text: str) -> float:
        """Probability that the message is a crisis."""
        return float(self._detector_scores.probabilities([lemma_text])[0, 1])

    def category(self, lemma_text: str) -> str:
        """Which kind of crisis it would be (asked only of messages judged a crisis)."""
        probabilities = self._category_scores.probabilities([lemma_text])[0]
        return str(self._category_scores.classes_[probabilities.argmax()])

    def save(self, directory: Path) -> None:
        save_pipeline(self.detector, directory / DETECTOR_FILE)
        save_pipeline(self.categorizer, directory / CATEGORY_FILE)

    @classmethod
    def load(cls, directory: Path) -> CrisisModel:
        return cls(
            load_pipeline(directory / DETECTOR_FILE), load_pipeline(directory / CATEGORY_FILE)
        )
