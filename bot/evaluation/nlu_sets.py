"""The NLU evaluation sets: blind sets (tests/blind/) and the dev set (Rasa NLU YAML).

A blind set's message has one label the bot should understand it as, and may have a
second question (`also`), labels two independent readers found equally right (`alt`),
what the bot had just asked (`context`) and tags (greeting, two_questions, long, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

OUT_OF_SCOPE = "out_of_scope"
FALLBACK = "nlu_fallback"


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    also: str | None = None
    alt: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    context: str | None = None

    @property
    def accepted(self) -> frozenset[str]:
        """Labels that count as understanding the message's request."""
        labels = {self.label, *self.alt, *([self.also] if self.also else [])}
        if self.label == OUT_OF_SCOPE:
            labels.add(FALLBACK)  # declining with "say it another way" is declining too
        return frozenset(labels)


@dataclass
class EvalSet:
    name: str
    path: Path
    blind: bool
    examples: list[Example] = field(default_factory=list)


def load_set(path: Path, blind: bool) -> EvalSet:
    """A set in either format: ours (a `messages` list) or Rasa's NLU YAML."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    evalset = load_blind(path) if "messages" in data else load_rasa_nlu(path)
    evalset.blind = blind
    return evalset


def _as_tuple(value: object) -> tuple[str, ...]:
    """``alt`` as written: one label, or a list of them."""
    if not value:
        return ()
    return (str(value),) if isinstance(value, str) else tuple(str(v) for v in value)


def load_blind(path: Path) -> EvalSet:
    """A set in our format (tests/blind/README.md)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    examples = [
        Example(
            text=str(item["text"]),
            label=str(item["label"]),
            also=item.get("also"),
            alt=_as_tuple(item.get("alt")),
            tags=tuple(item.get("tags") or ()),
            context=item.get("context"),
        )
        for item in data["messages"]
    ]
    return EvalSet(path.stem, path, True, examples)


def load_rasa_nlu(path: Path) -> EvalSet:
    """A dev set in Rasa's NLU format ("faq/<topic>" intents are the topic's label)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    examples = []
    for block in data.get("nlu", []):
        label = block.get("intent")
        if not label:
            continue
        for line in str(block.get("examples", "")).splitlines():
            text = line.strip()
            if text.startswith("- "):
                examples.append(Example(text=text[2:].strip(), label=label))
    return EvalSet(path.stem, path, False, examples)
