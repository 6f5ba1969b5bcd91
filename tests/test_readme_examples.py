"""Every phrase README.md shows a caregiver typing is understood as the README says.

The table under "What a caregiver can ask" lists the phrases (in quotes) and what each
is understood as (in backticks; `a` + `b` is one message asking two things). Each
phrase goes through the real server as the first message of its own conversation;
the test reads what the NLU made of it from the tracker, and checks that an FAQ topic
was answered with that topic's response (both, for two questions).
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import httpx
import pytest

from bot.channels.rest import conversation_id as rest_conversation
from bot.evaluation.nlu_eval import understood_as

pytestmark = pytest.mark.server
ROOT = Path(__file__).resolve().parents[1]
HEADER = "| topic | a caregiver types | understood as |"


def readme_examples() -> list[tuple[str, tuple[str, ...]]]:
    """(phrase, labels) from the README's table; two labels mean two questions."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = text[text.index(HEADER) :].split("\n\n", 1)[0].splitlines()[2:]
    examples = []
    for row in rows:
        _, typed, understood = (cell.strip() for cell in row.strip("|").split("|"))
        phrases = re.findall(r'"([^"]+)"', typed)
        if "+" in understood:
            examples += [(p, tuple(re.findall(r"`([^`]+)`", understood))) for p in phrases]
            continue
        labels = re.findall(r"`([^`]+)`", understood)
        assert len(labels) in (1, len(phrases)), row
        examples += [
            (p, (labels[0] if len(labels) == 1 else labels[i],)) for i, p in enumerate(phrases)
        ]
    return examples


def test_the_readme_table_is_found_and_complete():
    examples = readme_examples()
    assert len(examples) >= 40
    labels = {label for _, labels in examples for label in labels}
    assert {"faq/cost", "book_appointment", "request_person", "out_of_scope"} <= labels


@pytest.mark.parametrize(("phrase", "labels"), readme_examples(), ids=lambda v: str(v)[:40])
def test_a_readme_phrase_is_understood_and_answered(servers, phrase, labels):
    sender = f"readme-{uuid.uuid4().hex[:8]}"
    servers.reply(sender, phrase)
    tracker = httpx.get(
        f"{servers.rasa_url}/conversations/{rest_conversation(sender)}/tracker",
        headers=servers.api_headers(),
        timeout=30,
    ).json()
    user = [e for e in tracker["events"] if e["event"] == "user"][-1]
    main, also = understood_as(user["parse_data"])
    assert {main, *([also] if also else [])} == set(labels), (phrase, main, also)
    answered = {
        (e.get("metadata") or {}).get("utter_action")
        for e in tracker["events"]
        if e["event"] == "bot"
    }
    for label in labels:
        if label.startswith("faq/"):
            assert f"utter_{label}" in answered, (phrase, answered)
    assert "utter_default" not in answered and "utter_fallback" not in answered
