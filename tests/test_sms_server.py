"""Text messages through the real Rasa and action servers: signed Twilio webhooks in,
replies out to a fake Twilio Messages API on 127.0.0.1."""

from __future__ import annotations

import os
import time

import httpx
import pytest

from bot.channels import sms_store
from bot.identity import reset_key_cache
from bot.settings import get_settings
from tests.servers import Servers
from tests.shared_servers import SMS_PUBLIC_URL as PUBLIC_URL
from tests.twilio_fake import FakeTwilio, inbound, signed

pytestmark = pytest.mark.server

# What this process must read as the servers do: the same database, identity key, Twilio.
SHARED_SETTINGS = (
    "DATABASE_URL",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_API_BASE_URL",
    "SMS_PUBLIC_URL",
)


@pytest.fixture(scope="module")
def sms_servers(shared_servers):
    """The shared servers (SMS channel, fake Twilio); this module reads their settings."""
    env = {name: shared_servers.env[name] for name in SHARED_SETTINGS}
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)  # this process reads the same database and key
    get_settings.cache_clear()
    reset_key_cache()
    try:
        yield shared_servers.servers, shared_servers.twilio
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        get_settings.cache_clear()
        reset_key_cache()


def _handled(number: str, sid: str) -> bool:
    """The channel has finished with message ``sid``: every reply to it has been sent."""
    conversation = sms_store.conversation_id(number)
    return any(
        m.message_sid == sid and m.status in ("processed", "failed")
        for m in sms_store.messages(conversation=conversation)
    )


def _text(servers: Servers, api: FakeTwilio, number: str, body: str):
    """Send one signed SMS; the bodies Twilio was asked to send while it was handled."""
    start = len(api.sent)
    sid = f"SM{time.time_ns():032d}"
    fields = inbound(body, sid, number=number)
    content, headers = signed(PUBLIC_URL, fields)
    began = time.monotonic()
    resp = httpx.post(
        f"{servers.rasa_url}/webhooks/sms/webhook", content=content, headers=headers, timeout=10
    )
    elapsed = time.monotonic() - began
    assert resp.status_code == 200 and "<Response/>" in resp.text
    deadline = time.monotonic() + 60
    while not _handled(number, sid):
        assert time.monotonic() < deadline, f"message {sid} not handled within 60 s"
        time.sleep(0.1)
    sent = api.sent[start:]
    assert {r["form"]["To"] for r in sent} == {number}, "every reply goes to the sender"
    return [r["form"]["Body"] for r in sent], elapsed


def test_unsigned_webhook_is_refused_by_the_real_server(sms_servers):
    servers, _ = sms_servers
    resp = httpx.post(
        f"{servers.rasa_url}/webhooks/sms/webhook", data=inbound("hi", "SMunsigned"), timeout=10
    )
    assert resp.status_code == 403
    assert sms_store.messages(conversation=sms_store.conversation_id("+13125550199")) == []


def test_a_question_is_acknowledged_fast_and_answered_in_parts(sms_servers):
    servers, api = sms_servers
    number = "+13125550142"
    bodies, elapsed = _text(servers, api, number, "what is cpp")
    assert elapsed < 2  # acknowledged before the bot has answered
    assert any("automated assistant" in b for b in bodies)  # the first-message intro
    assert any("CPP" in b or "Child-Parent Psychotherapy" in b for b in bodies[1:])
    assert all(len(b) <= 320 for b in bodies)
    numbered = [b for b in bodies if b.startswith("(")]
    assert all(b[:3] in {"(1/", "(2/", "(3/", "(4/"} for b in numbered)
    conversation = sms_store.conversation_id(number)
    statuses = [m.status for m in sms_store.messages(conversation=conversation)]
    assert statuses[0] == "processed" and set(statuses[1:]) == {"sent"}


def test_a_crisis_message_gets_exactly_one_unsplit_reply_with_988(sms_servers):
    servers, api = sms_servers
    number = "+13125550143"
    _text(servers, api, number, "hi")
    bodies, _ = _text(servers, api, number, "i want to kill myself")
    crisis = [b for b in bodies if "988" in b]
    assert len(crisis) == 1, bodies
    assert not crisis[0].startswith("(") and len(crisis[0]) > 320
    assert "Reply 1 for" in crisis[0]


def test_over_sms_the_booking_form_confirms_the_number_in_use(sms_servers):
    servers, api = sms_servers
    number = "+13125550144"
    asked = []
    for answer in ["I'd like to book a first visit", "Maria", "mother", "she is 3", "skip"]:
        bodies, _ = _text(servers, api, number, answer)
        asked.extend(bodies)
    assert any("ending in 0144" in b for b in asked), asked
    assert all("+13125550144" not in b for b in asked)
