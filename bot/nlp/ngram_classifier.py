"""Linear text classifiers over word and character n-grams of lemmas, saved safely.

Why linear: the neural classifiers (DIET, ResponseSelector) moved by several points
on hard examples whenever unrelated training data changed, so a target met by one
training said little about the next. A logistic regression is convex and trains in
seconds: the same data gives the same answers on every machine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline, make_union
from spacy.tokens import Doc, Span

# What a saved pipeline may contain beyond skops' defaults: TfidfVectorizer keeps its
# idf weights as a sparse matrix. Anything else in the file refuses to load.
TRUSTED_TYPES = ["scipy.sparse._csr.csr_matrix"]


def lemma_string(doc: Doc | Span) -> str:
    """What the classifiers read: the message's (or one part's) lower-cased lemmas."""
    return " ".join(token.lemma_.lower() for token in doc if not token.is_space)


def ngram_features() -> FeatureUnion:
    """Word unigrams and bigrams, and character n-grams, of the lemmas (tf-idf)."""
    return make_union(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        # Character n-grams within words carry misspellings and text-speak ("sucidal").
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
    )


def ngram_pipeline(c: float, class_weight: str | None = None) -> Pipeline:
    classifier = LogisticRegression(C=c, class_weight=class_weight, max_iter=5000)
    return make_pipeline(ngram_features(), classifier)


def save_pipeline(pipeline: Pipeline, path: Path) -> None:
    import skops.io as sio

    sio.dump(pipeline, path)


def load_pipeline(path: Path) -> Pipeline:
    """Loads with skops (no pickle), refusing any type outside the trusted list."""
    import skops.io as sio

    unexpected = set(sio.get_untrusted_types(file=path)) - set(TRUSTED_TYPES)
    if unexpected:
        raise ValueError(f"{path.name} holds types that are not trusted: {unexpected}")
    return sio.load(path, trusted=TRUSTED_TYPES)


def code_fingerprint(package_dir: Path, files: tuple[str, ...]) -> str:
    """A hash of the code a trained component's output depends on.

    Rasa's training cache sees data and config only; a component returns this from
    ``fingerprint_addon`` so a change to its code retrains it too.
    """
    digest = hashlib.sha256()
    for name in files:
        digest.update((package_dir / name).read_bytes())
    return digest.hexdigest()


class LinearClassifierComponent(GraphComponent):
    """The Rasa graph-component plumbing both linear classifiers share.

    A subclass names in ``TRAINING_CODE`` the files under bot/ its trained output depends
    on (the Makefile's TRAINING_CODE lists the same), fits in ``train()`` and saves into
    ``self._storage_for_writing()``.
    """

    TRAINING_CODE: tuple[str, ...] = ()

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage | None = None,
        resource: Resource | None = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str:
        """Rasa's cache sees data and config only: a change to this code retrains too."""
        return code_fingerprint(Path(__file__).resolve().parents[1], cls.TRAINING_CODE)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearClassifierComponent:
        return cls(config, model_storage, resource)

    @contextmanager
    def _storage_for_writing(self) -> Iterator[Path]:
        """The folder ``train()`` saves into: this component's part of the model."""
        if self._model_storage is None or self._resource is None:
            raise ValueError("train() needs the model storage Rasa passes to create()")
        with self._model_storage.write_to(self._resource) as directory:
            yield directory
