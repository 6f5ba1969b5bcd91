"""Linear text classifiers over word and character n-grams of lemmas, saved safely.

Why linear: the neural classifiers (DIET, ResponseSelector) moved by several points
on hard examples whenever unrelated training data changed, so a target met by one
training said little about the next. A logistic regression is convex and trains in
seconds: the same data gives the same answers on every machine.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union
from spacy.tokens import Doc

# What a saved pipeline may contain beyond skops' defaults: TfidfVectorizer keeps its
# idf weights as a sparse matrix. Anything else in the file refuses to load.
TRUSTED_TYPES = ["scipy.sparse._csr.csr_matrix"]


def lemma_string(doc: Doc) -> str:
    """What the classifiers read: the message's lower-cased lemmas."""
    return " ".join(token.lemma_.lower() for token in doc if not token.is_space)


def ngram_pipeline(c: float, class_weight: str | None = None) -> Pipeline:
    features = make_union(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        # Character n-grams within words carry misspellings and text-speak ("sucidal").
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
    )
    classifier = LogisticRegression(C=c, class_weight=class_weight, max_iter=5000)
    return make_pipeline(features, classifier)


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
