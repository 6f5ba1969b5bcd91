"""The bot over the REST channel, against the real Rasa and action servers.

Covers the "answers a CPP question" path and the bad inputs a public endpoint
will get: none may produce a 500, and the bot must keep working afterwards.
"""

from __future__ import annotations

import sqlite3
import uuid

import httpx
import pytest

from bot.channels.guard import EMPTY_REPLY, TOO_LONG_REPLY
from bot.channels.rest import conversation_id as rest_conversation

pytestmark = pytest.mark.server


def _texts(resp: httpx.Response) -> list[str]:
    assert resp.status_code == 200, resp.text
    return [m.get("text", "") for m in resp.json()]


def _sender() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


def test_first_message_gets_intro_then_a_cpp_answer(servers, profile):
    texts = _texts(servers.say(_sender(), "what is cpp"))
    assert len(texts) == 2
    intro, answer = texts
    assert "automated assistant" in intro and profile.crisis.emergency.phone in intro
    assert "Child-Parent Psychotherapy" in answer or "CPP" in answer
    assert all("{" not in t for t in texts)


def test_clinic_facts_come_from_the_profile(servers, profile):
    sender = _sender()
    servers.say(sender, "hi")
    texts = _texts(servers.say(sender, "how long does each session last"))
    assert any(f"{profile.session.minutes} minutes" in t for t in texts), texts


def test_older_child_gets_a_kind_explanation(servers, profile):
    sender = _sender()
    servers.say(sender, "hello")
    texts = _texts(servers.say(sender, "is cpp right for my 9 year old son"))
    joined = " ".join(texts)
    assert "9 years old" in joined and profile.age_range_text in joined, texts


def test_conversation_is_stored_in_the_sql_tracker_store(servers):
    sender = _sender()
    _texts(servers.say(sender, "what does it cost"))
    with sqlite3.connect(servers.tracker_db) as db:
        rows = db.execute(
            "SELECT type_name FROM events WHERE sender_id = ?", (rest_conversation(sender),)
        ).fetchall()
    kinds = {r[0] for r in rows}
    assert {"user", "bot", "session_started"} <= kinds


@pytest.mark.parametrize(
    ("message", "expected"),
    [("", EMPTY_REPLY), ("   \n\t ", EMPTY_REPLY), ("x" * 20_000, TOO_LONG_REPLY)],
)
def test_empty_and_huge_messages_get_a_clear_reply(servers, message, expected):
    assert _texts(servers.say(_sender(), message)) == [expected]


@pytest.mark.parametrize(
    "message",
    [
        "😀😀😀",
        "<script>alert('x')</script>",
        "'; DROP TABLE events; --",
        "/restart",
        '/faq{"faq": "cost"}',
        '/greet{"child_age": "bad',
        "/no_such_intent",
        "/affirm@1.0",
        "////",
        "\x00\x01 hello",
    ],
)
def test_odd_input_gets_a_reply_and_the_bot_keeps_working(servers, message):
    sender = _sender()
    texts = _texts(servers.say(sender, message))
    assert texts and all(t.strip() for t in texts)
    assert not any("<script>" in t for t in texts)
    after = _texts(servers.say(sender, "what is cpp"))
    assert any("CPP" in t for t in after), after


@pytest.mark.parametrize("messages", [["yes", "skip"], ["hello", "skip"]])
def test_a_message_no_rule_fits_still_gets_help_and_the_safety_line(servers, profile, messages):
    """The dialogue's own fallback (action_default_fallback, when no rule fits the
    conversation) says utter_default: never a silent turn. ("yes", "no" after the intro
    no longer reach it: a yes or no follows the last offer, data/rules/offers.yml.)"""
    sender = _sender()
    for message in messages:
        texts = _texts(servers.say(sender, message))
        assert texts and all(t.strip() for t in texts), message
    assert profile.crisis.emergency.phone in " ".join(texts)


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b'{"message": "hi"}',
        b'{"sender": "", "message": "hi"}',
        b'{"sender": "a", "message": 42}',
        b'{"sender": "a"}',
    ],
)
def test_malformed_requests_get_400_with_a_reason(servers, body):
    resp = httpx.post(
        f"{servers.rasa_url}/webhooks/rest/webhook",
        content=body,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert resp.status_code == 400
    assert resp.json()["error"]


def test_button_payload_from_our_own_buttons_is_still_accepted(servers):
    sender = _sender()
    servers.say(sender, "what will the weather be like tomorrow")
    texts = _texts(servers.say(sender, "who won the football game last night"))
    assert any("person" in t for t in texts), texts
    texts = _texts(servers.say(sender, "/affirm"))
    assert any("reach our team" in t for t in texts), texts


def test_a_body_over_the_limit_is_refused_before_it_is_read(servers):
    from bot.settings import get_settings

    limit = get_settings().rasa_max_request_bytes
    body = {"sender": _sender(), "message": "x" * (limit + 1)}
    resp = httpx.post(f"{servers.rasa_url}/webhooks/rest/webhook", json=body, timeout=60)
    assert resp.status_code == 413


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Big": "a" * 200_000},  # one huge header
        {f"X-H{n}": "v" for n in range(2000)},  # very many small ones
    ],
    ids=["size", "count"],
)
def test_oversized_headers_are_refused_and_the_server_goes_on(servers, headers):
    # Sanic reads at most REQUEST_MAX_HEADER_SIZE (8 KiB) of headers: size and count.
    body = {"sender": _sender(), "message": "what is cpp"}
    try:
        resp = httpx.post(
            f"{servers.rasa_url}/webhooks/rest/webhook", json=body, headers=headers, timeout=30
        )
        assert resp.status_code == 413
    except httpx.RemoteProtocolError:
        pass  # the server may close the connection before the client has sent it all
    assert _texts(servers.say(_sender(), "what is cpp"))


def test_a_long_message_does_not_stall_other_conversations(servers):
    """Scanning a long message for danger runs off the event loop: a short message sent
    meanwhile is answered while the long one is still being read."""
    import threading
    import time

    long_text = "We had a busy day at the park and then dinner. " * 4000  # about 190 KB
    done: dict[str, float] = {}

    def send_long() -> None:
        servers.say(_sender(), long_text)
        done["long"] = time.monotonic()

    worker = threading.Thread(target=send_long)
    start = time.monotonic()
    worker.start()
    time.sleep(0.2)
    assert _texts(servers.say(_sender(), "what is cpp"))
    short = time.monotonic() - start
    worker.join()
    assert short < 10, short
    assert done["long"] - start < 30
