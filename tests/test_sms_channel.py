"""The SMS channel over real HTTP, in process: signed Twilio webhooks into the channel's
own Sanic blueprint, a stand-in for Rasa that answers through the SMS output channel,
and a fake Twilio Messages API on 127.0.0.1 that records exactly what was sent.

Runs on SQLite and PostgreSQL (the db_url fixture)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timezone
from xml.sax.saxutils import unescape

import httpx
import pytest
from rasa.core.channels.channel import UserMessage
from sanic import Sanic
from sqlalchemy import select

from bot.channels import sms_store
from bot.channels.guard import EMPTY_REPLY
from bot.channels.rate_limits import limit_reply
from bot.channels.sms import EMPTY_TWIML, PICTURE_REPLY, TwilioSmsInput
from bot.db import session_scope
from bot.db.models import SmsContact, SmsMessage
from bot.identity import owner_key, reset_key_cache
from bot.reminders.repository import get_active, is_opted_out, opt_in, record_opt_out
from bot.reminders.schedule import Schedule
from bot.settings import get_settings
from tests.servers import free_port
from tests.twilio_fake import ACCOUNT_SID, AUTH_TOKEN, Answer, fake_twilio, inbound, signed

PUBLIC_URL = "https://bot.example.org/webhooks/sms/webhook"  # as Twilio sees it, via a proxy
NUMBER = "+13125550199"
CLINIC_SMS = "+15550104478"  # clinic.yml's sms_number (TWILIO_FROM_NUMBER is empty)
YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]

Bot = Callable[[UserMessage], Awaitable[None]]


@pytest.fixture
def env(db_url, monkeypatch):
    """Settings for one test: this database, the fake API, a test token and hash key."""
    with fake_twilio() as api:
        for name, value in {
            "DATABASE_URL": db_url,
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_API_BASE_URL": api.url,
            "TWILIO_FROM_NUMBER": "",
            "SMS_PUBLIC_URL": PUBLIC_URL,
            "SMS_SEND_TIMEOUT_SECONDS": "2",
            "SMS_SEND_ATTEMPTS": "3",
            "IDENTITY_HASH_KEY": "sms-test-key",
        }.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        reset_key_cache()
        yield api
    get_settings.cache_clear()
    reset_key_cache()


class FakeRasa:
    """Stands in for Rasa's message handling: records messages and replies through
    the message's output channel, as Rasa's processor does (send_response)."""

    def __init__(self, replies: list[dict] | None = None, delay: float = 0.0) -> None:
        self.received: list[UserMessage] = []
        self.replies = replies if replies is not None else [{"text": "Thanks for asking."}]
        self.delay = delay

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)
        await asyncio.sleep(self.delay)
        for reply in self.replies:
            await message.output_channel.send_response(message.sender_id, dict(reply))

    @property
    def texts(self) -> list[str]:
        return [m.text for m in self.received]


@contextlib.asynccontextmanager
async def webhook(bot: Bot) -> AsyncIterator[Callable[..., Awaitable[httpx.Response]]]:
    """The channel's blueprint on a real port; yields post(fields, ...) that waits until
    the background work is done (pass wait=False to see the bare acknowledgement)."""
    channel = TwilioSmsInput()
    Sanic.test_mode = True  # lets sanic start several apps in one process (its TouchUp)
    app = Sanic(f"sms_test_{uuid.uuid4().hex[:8]}")
    app.blueprint(channel.blueprint(bot), url_prefix="/webhooks/sms")
    port = free_port()
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    await server.startup()
    url = f"http://127.0.0.1:{port}/webhooks/sms/webhook"

    async with httpx.AsyncClient(timeout=10) as client:

        async def post(
            fields: dict[str, str],
            *,
            headers: dict | None = None,
            sign_url: str = PUBLIC_URL,
            wait: bool = True,
        ) -> httpx.Response:
            body, signed_headers = signed(sign_url, fields)
            resp = await client.post(
                url, content=body, headers={**signed_headers, **(headers or {})}
            )
            if wait:
                await channel.wait_idle()
            return resp

        post.channel = channel  # type: ignore[attr-defined]
        try:
            yield post
        finally:
            await channel.wait_idle()
            server.close()
            await server.wait_closed()


def _sid() -> str:
    return "SM" + uuid.uuid4().hex


def _rows(url: str) -> list[SmsMessage]:
    with session_scope(url) as session:
        return list(session.scalars(select(SmsMessage).order_by(SmsMessage.id)))


def _contacts(url: str) -> list[SmsContact]:
    with session_scope(url) as session:
        return list(session.scalars(select(SmsContact)))


async def test_a_signed_message_is_acknowledged_at_once_and_answered_after(env, db_url):
    bot = FakeRasa(delay=1.0)
    async with webhook(bot) as post:
        started = time.monotonic()
        resp = await post(inbound("what is cpp", _sid()), wait=False)
        assert time.monotonic() - started < 0.8  # answered before the bot has finished
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith("text/xml")
        assert resp.text == '<?xml version="1.0" encoding="UTF-8"?><Response/>'
        assert env.sent == []
        await post.channel.wait_idle()

    [message] = bot.received
    assert message.text == "what is cpp" and message.input_channel == "sms"
    assert message.sender_id == owner_key("phone", NUMBER) == sms_store.conversation_id(NUMBER)
    assert re.fullmatch(r"[0-9a-f]{64}", message.sender_id)  # never the number itself
    [request] = env.sent
    assert request["path"] == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert request["auth"] == f"{ACCOUNT_SID}:{AUTH_TOKEN}"
    assert request["form"] == {"To": NUMBER, "From": CLINIC_SMS, "Body": "Thanks for asking."}
    rows = _rows(db_url)
    assert [(r.direction, r.status) for r in rows] == [("in", "processed"), ("out", "sent")]
    assert rows[1].message_sid == "SM" + "1".zfill(32) and rows[1].attempts == 1
    [contact] = _contacts(db_url)
    assert contact.conversation_id == message.sender_id and contact.phone == NUMBER


@pytest.mark.parametrize("case", ["missing", "wrong_token", "other_url", "tampered", "no_token"])
async def test_an_unsigned_or_badly_signed_request_is_refused_and_nothing_is_kept(
    env, db_url, monkeypatch, case
):
    bot = FakeRasa()
    fields = inbound("what is cpp", _sid())
    async with webhook(bot) as post:
        if case == "missing":
            resp = await post(fields, headers={"X-Twilio-Signature": ""})
        elif case == "wrong_token":
            _, headers = signed(PUBLIC_URL, fields, token="not-our-token")
            resp = await post(fields, headers=headers)
        elif case == "other_url":  # signed for a URL that is not our public one
            resp = await post(fields, sign_url="https://evil.example/webhooks/sms/webhook")
        elif case == "tampered":
            _, headers = signed(PUBLIC_URL, fields)
            resp = await post({**fields, "Body": "STOP"}, headers=headers)
        else:
            monkeypatch.setenv("TWILIO_AUTH_TOKEN", "")
            get_settings.cache_clear()
            resp = await post(fields)
    assert resp.status_code == 403
    assert bot.received == [] and env.sent == []
    assert _rows(db_url) == [] and _contacts(db_url) == []


async def test_the_same_message_sid_is_handled_once_even_by_two_instances(env, db_url):
    bot = FakeRasa()
    fields = inbound("what is cpp", _sid())
    async with webhook(bot) as first, webhook(bot) as second:  # two "Rasa instances"
        responses = await asyncio.gather(first(fields), second(fields), first(fields))
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert bot.texts == ["what is cpp"]
    assert len(env.sent) == 1
    assert [r.direction for r in _rows(db_url)] == ["in", "out"]


async def test_stop_words_opt_out_stop_reminders_and_get_no_reply(env, db_url):
    bot = FakeRasa()
    conversation = sms_store.conversation_id(NUMBER)
    now = datetime.now(timezone.utc)
    tz = datetime.now().astimezone().tzinfo
    reminder = opt_in(
        conversation, conversation, "sms", Schedule.from_stored((0,), "12:00"), now,
        tz=tz, quiet_hours=("23:00", "06:00"),
    )  # fmt: skip
    assert reminder.active
    async with webhook(bot) as post:
        for i, word in enumerate(["STOP", " stop. ", "StopAll", "UNSUBSCRIBE", "cancel", "End!",
                                  "quit"]):  # fmt: skip
            number = NUMBER if i == 0 else f"+1312555{i:04d}"
            await post(inbound(word, _sid(), number=number))
            assert is_opted_out("sms", owner_key("phone", number)), word
    assert bot.received == [] and env.sent == []
    assert get_active(conversation) is None  # the reminder was stopped


async def test_a_number_over_its_limit_is_told_once_and_nothing_is_kept(env, db_url, monkeypatch):
    monkeypatch.setenv("RATE_LIMIT_CONVERSATION", "2/minute")
    get_settings.cache_clear()
    bot = FakeRasa()
    async with webhook(bot) as post:
        answers = [(await post(inbound(f"question {n}", _sid()))).text for n in range(4)]
        stop = await post(inbound("STOP", _sid()))  # carrier keywords are never limited
    assert answers[:2] == [EMPTY_TWIML] * 2  # answered through the API, as always
    assert limit_reply() in unescape(answers[2]) and answers[3] == EMPTY_TWIML
    assert stop.text == EMPTY_TWIML and is_opted_out("sms", sms_store.conversation_id(NUMBER))
    assert bot.texts == ["question 0", "question 1"]
    inbound_rows = [r for r in _rows(db_url) if r.direction == "in"]
    assert len(inbound_rows) == 3  # two questions and STOP: the refused ones left no trace


async def test_stop_in_a_sentence_goes_to_the_bot(env):
    bot = FakeRasa()
    async with webhook(bot) as post:
        await post(inbound("stop please", _sid()))
        await post(inbound("please stop the reminders", _sid()))
    assert bot.texts == ["stop please", "please stop the reminders"]
    assert not is_opted_out("sms", owner_key("phone", NUMBER))
    assert len(env.sent) == 2


async def test_after_stop_the_bot_sends_nothing_and_records_it_blocked(env, db_url):
    bot = FakeRasa()
    async with webhook(bot) as post:
        await post(inbound("STOP", _sid()))
        await post(inbound("what is cpp", _sid()))  # still handled (a safety flag may matter)
        # A message the bot starts itself (a reminder) is blocked too.
        await post.channel.get_output_channel().send_text_message(
            owner_key("phone", NUMBER), "The reminder you asked for."
        )
    assert bot.texts == ["what is cpp"]
    assert env.sent == []
    outbound = [r for r in _rows(db_url) if r.direction == "out"]
    assert [r.status for r in outbound] == ["blocked_opt_out", "blocked_opt_out"]


@pytest.mark.parametrize("word", ["START", "unstop", "Yes"])
async def test_start_unstop_and_yes_opt_back_in(env, word):
    bot = FakeRasa()
    async with webhook(bot) as post:
        await post(inbound("STOP", _sid()))
        await post(inbound(word, _sid()))
    assert not is_opted_out("sms", owner_key("phone", NUMBER))
    assert bot.received == []  # a keyword, not a conversation turn
    [request] = env.sent
    assert "again" in request["form"]["Body"] and "STOP" in request["form"]["Body"]


async def test_yes_is_an_ordinary_answer_when_not_opted_out(env):
    bot = FakeRasa()
    async with webhook(bot) as post:
        await post(inbound("yes", _sid()))
    assert bot.texts == ["yes"]


@pytest.mark.parametrize("word", ["HELP", "info"])
async def test_help_gives_the_clinic_and_how_to_stop(env, profile, word):
    bot = FakeRasa()
    async with webhook(bot) as post:
        await post(inbound(word, _sid()))
    assert bot.received == []
    [request] = env.sent
    body = request["form"]["Body"]
    assert profile.name in body and profile.phone in body and "Reply STOP" in body


async def test_buttons_are_numbered_and_a_number_or_words_pick_the_payload(env):
    bot = FakeRasa(replies=[{"text": "Would you like to reflect?", "buttons": YES_NO}])
    async with webhook(bot) as post:
        await post(inbound("give me something to reflect on", _sid()))
        await post(inbound("2", _sid()))
        await post(inbound("YES", _sid()))
        await post(inbound("3", _sid()))  # not an option: the caregiver's own text
        bot.replies = [{"text": "Okay."}]
        await post(inbound("/deny", _sid()))  # a typed button payload is allowed...
        await post(inbound("no", _sid()))  # ...and with no options offered, words stay words
        await post(inbound('/request_person{"x": 1}', _sid()))
    assert bot.texts == [
        "give me something to reflect on",
        "/deny",
        "/affirm",
        "3",
        "/deny",
        "no",
        'request_person{"x": 1}',  # not a button: neutralised like every channel
    ]
    assert env.bodies()[0] == "Would you like to reflect?\n\nReply 1 for Yes, 2 for No."


async def test_a_long_reply_is_split_at_sentences_and_numbered(env):
    sentence = "CPP helps young children and the adults who love them feel safe together. "
    bot = FakeRasa(replies=[{"text": sentence * 9, "utter_action": "utter_faq_what_is_cpp"}])
    async with webhook(bot) as post:
        await post(inbound("what is cpp", _sid()))
    bodies = env.bodies()
    assert [b[:6] for b in bodies] == ["(1/3) ", "(2/3) ", "(3/3) "]
    assert all(len(b) <= 320 and b.endswith("together.") for b in bodies)
    assert " ".join(b[6:] for b in bodies) == (sentence * 9).strip()
    assert {r["form"]["To"] for r in env.sent} == {NUMBER}


async def test_an_emoji_reply_uses_the_ucs2_limit(env):
    text = "So glad you wrote 💛. " + "Every family's path through CPP looks a bit different. " * 3
    bot = FakeRasa(replies=[{"text": text}])
    async with webhook(bot) as post:
        await post(inbound("hi", _sid()))
    bodies = env.bodies()
    assert len(bodies) == 2 and bodies[0].startswith("(1/2) So glad you wrote 💛.")
    assert all(len(b.encode("utf-16-le")) // 2 <= 140 for b in bodies)


async def test_a_crisis_reply_goes_as_one_message_with_its_options(env):
    crisis = (
        "I'm really glad you told me, and I'm sorry you're hurting. You matter. Please call "
        "or text 988 now to talk with someone any time, day or night. If you might act on "
        "these thoughts or are in danger right now, call 911. I'm an automated assistant, "
        "but I'm here if you want to keep talking, or I can ask someone from Willow Grove "
        "to reach out to you."
    )
    buttons = [
        {"title": "Please have someone reach out", "payload": "/request_person"},
        {"title": "I'm safe right now", "payload": "/i_am_safe"},
    ]
    reply = {"text": crisis, "buttons": buttons, "utter_action": "utter_crisis_self_harm"}
    bot = FakeRasa(replies=[reply])
    async with webhook(bot) as post:
        await post(inbound("i want to kill myself", _sid()))
        bot.replies = [{"text": "Thank you for telling me."}]
        await post(inbound("2", _sid()))
    first, _ = env.bodies()
    assert len(first) > 320
    assert first == (
        f"{crisis}\n\nReply 1 for Please have someone reach out, 2 for I'm safe right now."
    )
    assert bot.texts[1] == "/i_am_safe"


async def test_an_empty_message_and_a_picture_get_a_kind_reply(env):
    bot = FakeRasa()
    async with webhook(bot) as post:
        await post(inbound("", _sid()))
        await post(inbound("   ", _sid(), media=1))
    assert bot.received == []
    assert env.bodies() == [EMPTY_REPLY, PICTURE_REPLY]


async def test_failed_sends_are_retried_with_backoff_then_kept_for_staff(env, db_url, caplog):
    env.answers = [Answer(500), Answer(503), Answer(500, {"code": 20500, "message": "down"})]
    bot = FakeRasa(replies=[{"text": "First part. " * 30}])  # two parts
    with caplog.at_level(logging.INFO):
        async with webhook(bot) as post:
            await post(inbound("what is cpp", _sid()))
    assert len(env.sent) == 3  # three tries of part 1; part 2 is not sent after it
    gaps = [b["at"] - a["at"] for a, b in zip(env.sent, env.sent[1:], strict=False)]
    assert gaps[0] >= 0.45 and gaps[1] >= 0.95  # 0.5 s, then 1 s
    outbound = [r for r in _rows(db_url) if r.direction == "out"]
    assert [(r.status, r.error_code, r.attempts) for r in outbound] == [
        ("failed", "20500", 3),
        ("failed", "skipped", 0),
    ]
    assert [r.status for r in sms_store.messages(status="failed")] == ["failed", "failed"]
    log = caplog.text
    assert "not sent after 3 attempt(s): 20500" in log
    assert NUMBER not in log and "3125550199" not in log and "First part" not in log
    assert "what is cpp" not in log


async def test_a_retry_that_succeeds_is_recorded_sent(env, db_url):
    env.answers = [Answer(429), Answer(201, {"sid": "SMok", "status": "queued"})]
    async with webhook(FakeRasa()) as post:
        await post(inbound("hello", _sid()))
    [out] = [r for r in _rows(db_url) if r.direction == "out"]
    assert (out.status, out.message_sid, out.attempts) == ("sent", "SMok", 2)


async def test_a_rejected_number_is_not_retried(env, db_url):
    env.answers = [Answer(400, {"code": 21211, "message": "invalid To"})]
    async with webhook(FakeRasa()) as post:
        await post(inbound("hello", _sid()))
    assert len(env.sent) == 1
    [out] = [r for r in _rows(db_url) if r.direction == "out"]
    assert (out.status, out.error_code, out.attempts) == ("failed", "21211", 1)


async def test_a_send_that_times_out_is_retried_and_recorded(env, db_url, monkeypatch):
    monkeypatch.setenv("SMS_SEND_TIMEOUT_SECONDS", "0.3")
    monkeypatch.setenv("SMS_SEND_ATTEMPTS", "2")
    get_settings.cache_clear()
    env.answers = [Answer(201, delay=1.0), Answer(201, delay=1.0)]
    async with webhook(FakeRasa()) as post:
        started = time.monotonic()
        await post(inbound("hello", _sid()))
        assert time.monotonic() - started < 3
    [out] = [r for r in _rows(db_url) if r.direction == "out"]
    assert (out.status, out.error_code, out.attempts) == ("failed", "timeout", 2)


async def test_the_output_channel_works_without_a_request(env, db_url):
    """Reminders: Rasa's trigger_intent asks the input channel for its output channel."""
    async with webhook(FakeRasa()) as post:
        await post(inbound("hello", _sid()))
        output = post.channel.get_output_channel()
        await output.send_text_message(owner_key("phone", NUMBER), "Time to reflect?")
        await output.send_text_message("f" * 64, "Nobody to send this to.")
    assert env.bodies() == ["Thanks for asking.", "Time to reflect?"]
    assert sms_store.messages(conversation="f" * 64)[0].error_code == "no_contact"


async def test_no_number_is_stored_outside_the_contact_table(env, db_url):
    async with webhook(FakeRasa()) as post:
        await post(inbound("what is cpp", _sid()))
        await post(inbound("STOP", _sid()))
    digits = "3125550199"
    for row in _rows(db_url):
        assert all(digits not in str(getattr(row, c.name)) for c in SmsMessage.__table__.columns)
    record_opt_out("sms", owner_key("phone", NUMBER), datetime.now(timezone.utc))
    assert sms_store.contact_phone(owner_key("phone", NUMBER)) == NUMBER


async def test_the_booking_form_confirms_the_number_behind_an_sms_conversation(env):
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.booking_form import ActionAskContact, ValidateBookingForm

    def tracker(sender: str) -> Tracker:
        return Tracker(
            sender_id=sender,
            slots={},
            latest_message={"text": "yes", "intent": {"name": "affirm"}, "entities": []},
            events=[{"event": "user", "input_channel": "sms"}],
            paused=False,
            followup_action=None,
            active_loop={},
            latest_action_name="action_listen",
        )

    async with webhook(FakeRasa()) as post:
        await post(inbound("book a visit", _sid()))
    known = tracker(owner_key("phone", NUMBER))
    dispatcher = CollectingDispatcher()
    await ActionAskContact().run(dispatcher, known, {})
    assert "ending in 0199" in dispatcher.messages[0]["text"]
    form = ValidateBookingForm()
    assert form.validate_contact("yes", dispatcher, known, {}) == {"contact": NUMBER}
    unknown = tracker("e" * 64)  # no contact stored: ask for a number instead
    dispatcher = CollectingDispatcher()
    await ActionAskContact().run(dispatcher, unknown, {})
    assert "best phone number or email" in dispatcher.messages[0]["text"]
