"""A short yes or no to an offer is read from its words (bot/nlp/short_replies.py)."""

from __future__ import annotations

import pytest

from bot.nlp.short_replies import short_reply, yes_or_no

AROUND = frozenset({"thank", "goodbye", "deny", "affirm", "inform", "greet"})


@pytest.mark.parametrize(
    ("text", "label", "confidence", "reply"),
    [
        ("ok yea", "deny", 0.51, "affirm"),  # the classifier's reading that made a dead end
        ("ya sure", "affirm", 0.9, "affirm"),
        ("yse", "faq/cost", 0.3, "affirm"),
        ("yes please!", "faq/cost", 0.3, "affirm"),
        ("sure thing", "greet", 0.3, "affirm"),
        ("nah thats it for now, ill tell her. thx!", "inform", 0.4, "deny"),
        ("no thanks", "thank", 0.9, "deny"),
        ("Ok thank you. Not now, I need to talk with my husband first", "thank", 0.6, "deny"),
        ("\U0001f44d", "nlu_fallback", 0.2, "affirm"),  # a phone's quick reaction
        ("\U0001f44d\U0001f3fd\U0001f44d", "greet", 0.4, "affirm"),
        ("\U0001f44e", "nlu_fallback", 0.2, "deny"),
        # left to the classifier: a request after the yes or no, a closing, a doubt
        ("ok then set them up", "inform", 0.3, None),
        ("no, how much does it cost", "faq/cost", 0.9, None),
        ("yes but can i ask something first?", "faq/cost", 0.3, None),
        ("ok thank you", "thank", 0.8, None),
        ("ok", "affirm", 0.8, None),
        ("not sure", "inform", 0.3, None),
    ],
)
def test_a_short_reply(text, label, confidence, reply):
    assert short_reply(text, label, confidence, AROUND) == reply


@pytest.mark.parametrize(
    ("text", "answer"),
    [("wi", "yes"), ("oui merci", "yes"), ("opo", "yes"), ("yes po", "yes"), ("non", "no"),
     ("hindi po", "no")],
)  # fmt: skip
def test_yes_and_no_in_a_few_first_languages(text, answer):
    # Haitian Creole, French, Tagalog: "wi" at "are you sure?" looped (dev set bc22, #22)
    assert yes_or_no("out_of_scope", text) == answer
