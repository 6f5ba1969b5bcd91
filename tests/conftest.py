"""Shared fixtures: the clinic profile, the built spaCy pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.clinic import ClinicProfile, load_profile

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def profile() -> ClinicProfile:
    return load_profile(ROOT / "clinic.yml")


@pytest.fixture(scope="session")
def nlp():
    """The spaCy pipeline exactly as Rasa loads it: from the saved folder."""
    import spacy

    from bot.settings import get_settings

    path = ROOT / get_settings().spacy_model_dir
    if not (path / "meta.json").exists():
        pytest.fail(f"spaCy pipeline not built at {path}: run `make setup`")
    return spacy.load(path)


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    """The real Rasa server and action server, started once for the test session."""
    from tests.servers import run_servers

    with run_servers(tmp_path_factory.mktemp("servers")) as running:
        yield running
