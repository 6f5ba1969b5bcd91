"""The sentence encoder: loaded once, cached, offline, and close where meaning is close."""

from __future__ import annotations

import os

import numpy as np
import pytest

from bot.nlp import encoder
from bot.nlp.encoder import DIMENSION, MAX_CHARS, SentenceEncoder, normalise


@pytest.fixture(scope="module")
def model() -> SentenceEncoder:
    return encoder.get_encoder()


def test_one_encoder_per_process():
    assert encoder.get_encoder() is encoder.get_encoder()


def test_vectors_are_unit_length_rows(model):
    vectors = model.encode(["what is cpp", "how much does it cost"])
    assert vectors.shape == (2, DIMENSION)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)


def test_close_meanings_are_close(model):
    appointment, visit, weather = model.encode(
        ["can i make an appointment for my kids", "i want to book a visit for my children",
         "will it rain tomorrow"]
    )  # fmt: skip
    assert appointment @ visit > appointment @ weather + 0.05


def test_english_and_spanish_share_one_space(model):
    cost, coste, weather = model.encode(
        ["how much does therapy cost", "cuánto cuesta la terapia", "will it rain tomorrow"]
    )
    assert cost @ coste > cost @ weather


def test_repeated_texts_come_from_the_cache(model):
    model.encode(["yes please, a reflection"])
    before = model.encoded
    again = model.encode(["Yes   please, a REFLECTION", "yes please, a reflection"])
    assert model.encoded == before
    assert np.array_equal(again[0], again[1])


def test_the_cache_is_bounded():
    small = SentenceEncoder(cache_size=2)
    small.encode(["one thing", "another thing", "a third thing"])
    assert len(small._cache) == 2


def test_texts_are_normalised_and_cut():
    assert normalise("  Hi\tTHERE \n you ") == "hi there you"
    assert len(normalise("word " * 500)) == MAX_CHARS


def test_empty_input_gives_an_empty_matrix(model):
    assert model.encode([]).shape == (0, DIMENSION)


def test_the_thread_setting_does_not_leak_into_the_environment(monkeypatch):
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    SentenceEncoder(threads=2)
    assert "OMP_NUM_THREADS" not in os.environ


def test_the_fingerprint_names_the_weights():
    value = encoder.fingerprint()
    assert len(value) == 64 and value == encoder.fingerprint()


def test_the_engine_runs_on_the_threads_asked_for_even_after_scikit_learn():
    # scikit-learn loads the same libgomp first, with one thread per core: the encoder
    # must still use the number it was given, in every thread that calls it.
    import threading

    import sklearn.linear_model  # noqa: F401
    from threadpoolctl import threadpool_info

    def openmp_threads() -> set[int]:
        return {i["num_threads"] for i in threadpool_info() if i["user_api"] == "openmp"}

    one = SentenceEncoder(threads=1, cache_size=0)
    seen: list[set[int]] = []

    def encode_and_look() -> None:
        one.encode(["a thread of its own"])
        seen.append(openmp_threads())

    worker = threading.Thread(target=encode_and_look)
    worker.start()
    worker.join()
    assert seen == [{1}]
