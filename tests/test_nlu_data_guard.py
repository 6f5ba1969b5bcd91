"""No blind or dev message is trained on (tests/blind/README.md).

Exact copies are caught after normalising case and spaces, the way the encoder reads
text; near copies were dropped when data was added, and are not re-checked here (that
needs the encoder over every pair, which `make test` need not pay for each run).
"""

from __future__ import annotations

from pathlib import Path

from rasa.shared.nlu.training_data.loading import load_data

from bot.evaluation.nlu_sets import load_blind, load_rasa_nlu
from bot.nlp.encoder import normalise

ROOT = Path(__file__).resolve().parents[1]


def _training_texts() -> set[str]:
    data = load_data(str(ROOT / "data" / "nlu"))
    return {normalise(m.get("text")) for m in data.training_examples if m.get("text")}


def test_no_blind_message_is_in_the_training_data():
    trained = _training_texts()
    blind = sorted((ROOT / "tests" / "blind").glob("nlu_*.yml"))
    retired = sorted((ROOT / "tests" / "nlu").glob("dev_blind*.yml"))
    assert blind and retired
    for path in blind + retired:
        leaked = [e.text for e in load_blind(path).examples if normalise(e.text) in trained]
        # Replies of a word or two ("yes", "2", "bye") are the same for everyone.
        # The count only: a blind set's messages are not printed (tests/blind/README.md).
        assert not [t for t in leaked if len(t.split()) > 2], f"{path.name}: {len(leaked)} leaked"


def test_no_dev_message_is_in_the_training_data():
    trained = _training_texts()
    dev = load_rasa_nlu(ROOT / "tests" / "nlu" / "holdout.yml").examples
    leaked = [e.text for e in dev if normalise(e.text) in trained]
    assert not [t for t in leaked if len(t.split()) > 2], leaked


def test_no_blind_safety_message_is_in_the_training_data():
    import yaml

    trained = _training_texts()
    sets = sorted((ROOT / "tests" / "blind").glob("safety_*.yml"))
    assert sets
    for path in sets:
        texts = [m["text"] for m in yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]]
        leaked = [t for t in texts if normalise(t) in trained and len(t.split()) > 2]
        assert not leaked, f"{path.name}: {len(leaked)} leaked"  # the count only


def _caregiver_words(value: object) -> list[str]:
    """Every string a caregiver says in a conversation: turns, `say`, `answers` values."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _caregiver_words(v)]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k != "when_asked" for s in _caregiver_words(v)]
    return []


def test_no_blind_conversation_message_is_in_the_training_data():
    import yaml

    trained = _training_texts()
    sets = sorted((ROOT / "tests" / "blind").glob("conversations_*.yml"))
    assert sets
    for path in sets:
        said = []
        for conversation in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]:
            said += _caregiver_words(conversation.get("turns") or [])
            said += _caregiver_words(conversation.get("answers") or {})
        leaked = [t for t in said if normalise(t) in trained and len(t.split()) > 2]
        assert not leaked, f"{path.name}: {len(leaked)} leaked"  # the count only
