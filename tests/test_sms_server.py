"""Text messages through the real Rasa and action servers: signed Twilio webhooks in,
replies out to a fake Twilio Messages API on 127.0.0.1."""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx
import pytest
import yaml

from bot.channels import sms_store
from bot.db.migrate import upgrade
from bot.identity import reset_key_cache
from bot.settings import get_settings
from tests.servers import Servers, run_servers
from tests.twilio_fake import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio, fake_twilio, inbound, signed

pytestmark = pytest.mark.server

PUBLIC_URL = "https://bot.example.org/webhooks/sms/webhook"


@pytest.fixture(scope="module")
def sms_servers(tmp_path_factory):
    workdir: Path = tmp_path_factory.mktemp("sms")
    db = f"sqlite:///{workdir / 'app.db'}"
    upgrade(db)
    credentials = {
        "bot.channels.rest.CaregiverRestInput": None,
        "bot.channels.sms.TwilioSmsInput": None,
    }
    (workdir / "credentials.yml").write_text(yaml.safe_dump(credentials))
    with fake_twilio() as api:
        env = {
            "DATABASE_URL": db,
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_API_BASE_URL": api.url,
            "SMS_PUBLIC_URL": PUBLIC_URL,
            "IDENTITY_HASH_KEY": "sms-server-test-key",
        }
        saved = {name: os.environ.get(name) for name in env}
        os.environ.update(env)  # this process reads the same database and key
        get_settings.cache_clear()
        reset_key_cache()
        try:
            with run_servers(workdir, env=env, credentials=workdir / "credentials.yml") as servers:
                yield servers, api
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            get_settings.cache_clear()
            reset_key_cache()


def _text(servers: Servers, api: FakeTwilio, number: str, body: str, quiet: float = 2.5):
    """Send one signed SMS; the bodies Twilio was asked to send, once sending has stopped."""
    start = len(api.sent)
    fields = inbound(body, f"SM{time.time_ns():032d}", number=number)
    content, headers = signed(PUBLIC_URL, fields)
    began = time.monotonic()
    resp = httpx.post(
        f"{servers.rasa_url}/webhooks/sms/webhook", content=content, headers=headers, timeout=10
    )
    elapsed = time.monotonic() - began
    assert resp.status_code == 200 and "<Response/>" in resp.text
    deadline, last, last_change = time.monotonic() + 60, start, time.monotonic()
    while time.monotonic() < deadline:
        if len(api.sent) != last:
            last, last_change = len(api.sent), time.monotonic()
        elif last > start and time.monotonic() - last_change > quiet:
            break
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
    bodies, _ = _text(servers, api, number, "i want to kill myself", quiet=4)
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
