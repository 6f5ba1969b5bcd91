"""Two things asked in one message get two answers, through the real servers."""

from __future__ import annotations

import uuid

import httpx
import pytest

from bot.channels.rest import conversation_id as rest_conversation

pytestmark = pytest.mark.server


def _bot_actions(servers, sender: str) -> list[str]:
    tracker = httpx.get(
        f"{servers.rasa_url}/conversations/{rest_conversation(sender)}/tracker",
        headers=servers.api_headers(),
        timeout=30,
    ).json()
    return [
        (e.get("metadata") or {}).get("utter_action") or ""
        for e in tracker["events"]
        if e["event"] == "bot"
    ]


def test_two_faq_questions_get_both_answers_in_order(servers, profile):
    sender = f"two-{uuid.uuid4().hex[:8]}"
    servers.reply(sender, "hello")
    reply = servers.reply(sender, "how long is each session? and is there a fee")
    assert f"{profile.session.minutes} minutes" in reply and "Medicaid" in reply
    answers = [a for a in _bot_actions(servers, sender) if a.startswith("utter_faq/")]
    assert answers == ["utter_faq/session_length", "utter_faq/cost"]


def test_a_booking_with_a_question_answers_it_then_starts_the_form(servers):
    sender = f"two-{uuid.uuid4().hex[:8]}"
    reply = servers.reply(sender, "hi, I'd like to book a first visit. do you take medicaid?")
    assert "Medicaid" in reply, reply
    assert "first name" in reply, reply
    assert reply.index("Medicaid") < reply.index("first name")
