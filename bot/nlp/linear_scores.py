"""A fitted logistic regression's probabilities for one message, without sklearn's overhead.

Why: for a single message, sklearn's ``FeatureUnion`` (joblib dispatch), sparse
stacking and input checks cost several milliseconds per call, more than the model's
arithmetic. This computes the same numbers (``predict_proba``) from the fitted
coefficients: a dense block (the encoder's vector), then each n-gram vectorizer's
block, in the order they were stacked for training.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline


class LinearScores:
    """``predict_proba`` of ``model`` over ``[dense | union(texts)]`` columns."""

    def __init__(
        self, model: LogisticRegression, union: FeatureUnion | None, dense_columns: int = 0
    ) -> None:
        self.classes_ = model.classes_
        coef = np.asarray(model.coef_, dtype=np.float64)
        self._intercept = np.asarray(model.intercept_, dtype=np.float64)
        self._dense = coef[:, :dense_columns] if dense_columns else None
        self._vectorizers = [v for _, v in union.transformer_list] if union is not None else []
        self._blocks = []
        start = dense_columns
        for vectorizer in self._vectorizers:
            width = len(vectorizer.vocabulary_)
            self._blocks.append(coef[:, start : start + width].T.copy())
            start += width
        if start != coef.shape[1]:
            raise ValueError(f"the model has {coef.shape[1]} columns, the features {start}")

    @classmethod
    def of_pipeline(cls, pipeline: Pipeline) -> LinearScores:
        """For a ``make_pipeline(FeatureUnion, LogisticRegression)`` over texts."""
        union, model = pipeline.steps[0][1], pipeline.steps[-1][1]
        return cls(model, union)

    def probabilities(self, texts: Sequence[str], dense: np.ndarray | None = None) -> np.ndarray:
        """One row per text: the class probabilities, as ``predict_proba`` gives them."""
        scores = np.tile(self._intercept, (len(texts), 1))
        if self._dense is not None:
            scores += np.asarray(dense, dtype=np.float64) @ self._dense.T
        for vectorizer, block in zip(self._vectorizers, self._blocks, strict=True):
            scores += np.asarray(vectorizer.transform(texts) @ block)
        if scores.shape[1] == 1:  # binary: sklearn's coef_ has one row for class 1
            positive = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.column_stack([1.0 - positive, positive])
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)
