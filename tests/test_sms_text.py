"""SMS text rules: keywords, numbered options, and splitting (GSM-7 vs UCS-2)."""

from __future__ import annotations

import pytest

from bot.channels.sms_text import (
    GSM_LIMIT,
    UCS2_LIMIT,
    chosen_payload,
    cost,
    is_gsm7,
    keyword,
    split,
    with_options,
)

YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
SENTENCE = "Child-Parent Psychotherapy helps young children and the adults who care for them. "


@pytest.mark.parametrize(
    "body",
    ["STOP", "stop", "  Stop. ", "STOPALL", "unsubscribe", "Cancel", "END!", "quit", "\nSTOP\n"],
)
def test_stop_words_alone_are_opt_outs(body):
    assert keyword(body) == "stop"


@pytest.mark.parametrize(
    "body", ["stop please", "please stop", "can I cancel my appointment", "the end", "stopped"]
)
def test_stop_inside_a_sentence_is_not_a_keyword(body):
    assert keyword(body) is None


@pytest.mark.parametrize(
    ("body", "kind"),
    [("START", "start"), ("unstop", "start"), ("Yes!", "yes"), ("help", "help"), ("INFO?", "help")],
)
def test_other_keywords(body, kind):
    assert keyword(body) == kind


def test_short_text_is_one_part_without_numbering():
    assert split("Hello there.") == ["Hello there."]
    assert split("x" * GSM_LIMIT) == ["x" * GSM_LIMIT]


def test_long_gsm_text_splits_at_sentences_and_is_numbered():
    text = SENTENCE * 10
    parts = split(text)
    assert len(parts) == 4  # three 84-character sentences fit in a part
    assert [p[:6] for p in parts] == ["(1/4) ", "(2/4) ", "(3/4) ", "(4/4) "]
    assert all(len(p) <= GSM_LIMIT for p in parts)
    assert all(p.endswith("them.") for p in parts)  # whole sentences only
    assert " ".join(p[6:] for p in parts) == text.strip()


def test_gsm_extension_characters_count_twice():
    assert cost("{}", gsm=True) == 4 and cost("ab", gsm=True) == 2
    text = "[note] " * 60  # 420 characters, 540 septets
    parts = split(text)
    assert all(cost(p, gsm=True) <= GSM_LIMIT for p in parts)
    assert len(parts) == 2


def test_one_emoji_switches_the_whole_reply_to_the_ucs2_limit():
    text = "We're glad you're here 😊. " + SENTENCE * 3
    assert not is_gsm7(text)
    parts = split(text)
    assert len(parts) == 3
    assert all(cost(p, gsm=False) <= UCS2_LIMIT for p in parts)
    assert cost("😊", gsm=False) == 2  # a surrogate pair: two UTF-16 code units


def test_typographic_punctuation_does_not_force_ucs2():
    text = "It’s okay — “really” okay… " * 9  # about 250 characters
    [part] = split(text)
    assert is_gsm7(part) and 'It\'s okay - "really" okay...' in part


def test_a_word_longer_than_a_part_is_cut():
    parts = split("see https://example.org/" + "a" * 700)
    assert all(len(p) <= GSM_LIMIT for p in parts) and len(parts) == 3
    assert parts[0].startswith("(1/3) see https://example.org/aaa")


def test_list_numbers_are_not_sentence_ends():
    text = "Times:\n" + "\n".join(
        f"{i}. Ana Ruiz, LCSW - Tue Dec {i}, 10:00 AM" for i in range(1, 9)
    )
    parts = split(text * 2)
    assert all(not p.rstrip().endswith(("1.", "2.", "3.")) for p in parts)


def test_a_crisis_reply_is_never_split():
    text = SENTENCE * 8 + "Please call or text 988."
    assert len(text) > GSM_LIMIT
    assert split(text, crisis=True) == [text]


def test_buttons_become_numbered_options():
    assert with_options("Shall we?", YES_NO) == "Shall we?\n\nReply 1 for Yes, 2 for No."


def test_options_the_text_already_numbers_are_not_repeated():
    buttons = [
        {"title": "Ana Ruiz — Tue", "payload": "1"},
        {"title": "Ben Ode — Wed", "payload": "2"},
    ]
    text = "Times:\n1. Ana Ruiz — Tue\n2. Ben Ode — Wed\nReply with a number."
    assert (
        with_options(text, buttons)
        == "Times:\n1. Ana Ruiz - Tue\n2. Ben Ode - Wed\nReply with a number."
    )


@pytest.mark.parametrize(
    ("body", "payload"),
    [("1", "/affirm"), (" 2 ", "/deny"), ("2.", "/deny"), ("YES", "/affirm"), ("no!", "/deny")],
)
def test_a_number_or_the_words_pick_a_button(body, payload):
    assert chosen_payload(body, YES_NO) == payload


@pytest.mark.parametrize("body", ["3", "0", "yes please", "", "maybe"])
def test_other_answers_pick_nothing(body):
    assert chosen_payload(body, YES_NO) is None
