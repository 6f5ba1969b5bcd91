"""The built spaCy pipeline for code outside Rasa's NLU (actions, channels, tools).

Loaded from SPACY_MODEL_DIR on first use and kept for the process: the action server
then parses caregivers' words with exactly the lemmas and rules the NLU uses.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from spacy.language import Language

from bot.settings import get_settings


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    import spacy

    path = Path(get_settings().spacy_model_dir)
    if not path.is_absolute() and not path.exists():
        path = Path(__file__).resolve().parents[2] / path  # run from outside the repo
    return spacy.load(path)
