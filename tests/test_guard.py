"""The text checks every channel applies before Rasa sees a message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.channels.guard import (
    BUTTON_INTENTS,
    EMPTY_REPLY,
    MAX_MESSAGE_CHARS,
    TOO_LONG_REPLY,
    check_text,
    neutralise_payload,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("/affirm", "/affirm"),
        ("/deny", "/deny"),
        ("/restart", "restart"),
        ('/faq{"faq": "cost"}', 'faq{"faq": "cost"}'),
        ('/affirm{"x": 1}', 'affirm{"x": 1}'),
        ("///", "?"),
        ("what is cpp", "what is cpp"),
        # A slash, space, then another slash: no second chance for a typed intent.
        ("/ /greet", "greet"),
        ("/\t/book_appointment", "book_appointment"),
        ('/ /inform{"CHILD_AGE":"3"}', 'inform{"CHILD_AGE":"3"}'),
        ("/ /self_harm", "self_harm"),
        ("/\u00a0/\n/ /affirm", "affirm"),
        ("/ /", "?"),
    ],
)
def test_only_button_payloads_keep_their_slash(raw, text):
    assert neutralise_payload(raw) == text


def test_empty_and_too_long():
    assert check_text("  ").reply == EMPTY_REPLY
    assert check_text("a" * (MAX_MESSAGE_CHARS + 1)).reply == TOO_LONG_REPLY
    assert check_text("a" * MAX_MESSAGE_CHARS).text == "a" * MAX_MESSAGE_CHARS


def test_every_slash_payload_in_the_domain_is_allowed():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    payloads = [
        button["payload"]
        for variants in domain["responses"].values()
        for variant in variants
        for button in variant.get("buttons", [])
    ]
    intents = {re.match(r"/(\w+)", p).group(1) for p in payloads if p.startswith("/")}
    assert intents <= BUTTON_INTENTS


def test_long_message_with_a_disclosure_in_the_middle_is_not_rejected():
    filler = "We had a long day at the park and he loved the swings. " * 60
    text = filler + "Honestly I want to kill myself some nights. " + filler
    assert len(text) > MAX_MESSAGE_CHARS
    checked = check_text(text)
    assert checked.reply is None
    assert "kill myself" in checked.text and len(checked.text) <= MAX_MESSAGE_CHARS


def test_long_message_without_danger_is_rejected_kindly():
    text = "We had a long day at the park and he loved the swings. " * 120
    assert check_text(text).reply == TOO_LONG_REPLY
