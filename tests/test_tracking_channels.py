"""The channels' store-down pieces that need no server (the server tests are in
tests/test_tracking_server.py)."""

from __future__ import annotations

from bot.channels.sms import message_twiml
from bot.channels.web import RecentIds


def test_a_forgotten_message_id_is_handled_when_sent_again():
    recent = RecentIds()
    assert not recent.seen("c", "m-1")
    recent.forget("c", "m-1")
    assert not recent.seen("c", "m-1")
    assert recent.seen("c", "m-1")
    recent.forget("other", "m-1")  # unknown conversation or id: nothing to do
    recent.forget("c", None)


def test_the_twiml_answer_escapes_the_text():
    assert message_twiml("call (555) 010-4477 & <stay> safe") == (
        '<?xml version="1.0" encoding="UTF-8"?>'
        "<Response><Message>call (555) 010-4477 &amp; &lt;stay&gt; safe</Message></Response>"
    )
