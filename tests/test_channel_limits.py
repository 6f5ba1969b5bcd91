"""Rate limits at the channels, and the REST channel's modes and namespace.

The limits themselves on memory and on the real Redis; the REST and web channels in
process (their own Sanic app, a stand-in for Rasa that records what reached it); the SMS
channel's limit is in tests/test_sms_channel.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import socketio
from limits.storage import storage_from_string
from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from bot.channels import rate_limits
from bot.channels.rate_limits import (
    ChannelLimits,
    caller_address,
    check_message,
    get_channel_limits,
    limit_reply,
)
from bot.channels.rest import CaregiverRestInput, conversation_id
from bot.channels.web import WebChatInput
from bot.identity import reset_key_cache
from bot.prod.stack import check_rest_channel, settings_from
from bot.settings import get_settings
from tests.servers import free_port

ORIGIN = "http://127.0.0.1:8000"


@pytest.fixture
def settings(monkeypatch) -> Iterator:
    """Set environment variables for one test; settings and limits are read afresh."""

    def apply(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        get_channel_limits.cache_clear()

    monkeypatch.setenv("IDENTITY_HASH_KEY", "limits-test-key")
    reset_key_cache()
    apply()
    yield apply
    get_settings.cache_clear()
    get_channel_limits.cache_clear()
    reset_key_cache()


def _limits(storage: str = "memory://", **kw: str) -> ChannelLimits:
    values = {"conversation": "3/minute", "caller": "5/minute", "new_conversations": "2/hour"}
    return ChannelLimits(storage_from_string(storage), **{**values, **kw})


# --- The limits -------------------------------------------------------------------------


def test_a_conversation_over_its_limit_is_refused_and_told_once(settings):
    limits = _limits()
    assert [limits.message("caller-a", "c1") for _ in range(3)] == [None, None, None]
    first, second = limits.message("caller-a", "c1"), limits.message("caller-a", "c1")
    assert first.limit == "conversation" and first.first and 0 < first.retry_after <= 60
    assert second is not None and not second.first  # one alert, one SMS reply an hour
    assert limits.message("caller-a", "c2") is None  # another conversation goes on


def test_a_caller_over_its_limit_is_refused_in_every_conversation(settings):
    limits = _limits()
    for n in range(5):
        assert limits.message("caller-b", f"conv-{n}") is None
    refusal = limits.message("caller-b", "conv-new")
    assert refusal is not None and refusal.limit == "caller"
    assert limits.message("caller-c", "conv-new") is None  # someone else is not


def test_new_conversations_are_counted_per_caller(settings):
    limits = _limits()
    assert limits.new_conversation("caller-d") is None
    assert limits.new_conversation("caller-d") is None
    assert limits.new_conversation("caller-d").limit == "new_conversations"
    assert limits.new_conversation("caller-e") is None
    assert limits.first_seen("rest", "x") and not limits.first_seen("rest", "x")


def test_limits_on_redis_are_shared_by_every_worker(settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    prefix = f"limitstest{uuid.uuid4().hex[:8]}"  # two test runs at once never meet
    worker_1 = _limits("redis://127.0.0.1:6379/13", prefix=prefix)
    worker_2 = _limits("redis://127.0.0.1:6379/13", prefix=prefix)
    assert worker_1.message(None, "c") is None and worker_2.message(None, "c") is None
    assert worker_1.message(None, "c") is None
    assert worker_2.message(None, "c").limit == "conversation"


def test_the_caller_is_the_proxys_last_entry_only_behind_a_trusted_proxy():
    assert caller_address("10.0.0.1", "1.2.3.4, 5.6.7.8", trust_proxy=False) == "10.0.0.1"
    # A client can write anything in front; the proxy appends what it saw last.
    assert caller_address("127.0.0.1", "1.2.3.4, 5.6.7.8", trust_proxy=True) == "5.6.7.8"
    assert caller_address("127.0.0.1", None, trust_proxy=True) == "127.0.0.1"
    assert caller_address("", None, trust_proxy=False) == "unknown"


async def test_a_flood_alerts_staff_once_without_the_caller(settings, caplog):
    settings(RATE_LIMIT_CONVERSATION="1/minute")
    caplog.set_level(logging.WARNING, logger="bot.safety.alerts")
    refusals = [await check_message("rest", "hashed-caller", "conv-f") for _ in range(5)]
    assert refusals[0] is None and all(r is not None for r in refusals[1:])
    floods = [r.getMessage() for r in caplog.records if r.getMessage().startswith("FLOOD")]
    assert len(floods) == 1 and "hashed-caller" not in floods[0] and "c-" in floods[0]


async def test_the_limits_fail_open_when_their_storage_is_down(settings, caplog):
    settings(RATE_LIMIT_STORAGE="redis://127.0.0.1:1/0")  # nothing listens there
    assert await check_message("rest", "caller", "conv") is None
    assert "rate limits unavailable" in caplog.text


def test_the_refusal_names_the_emergency_line(settings):
    from bot.clinic import get_profile

    assert get_profile().crisis.emergency.instruction in limit_reply()


# --- REST: modes, namespace, limits -----------------------------------------------------


class FakeRasa:
    """Records what reached the bot and answers once."""

    def __init__(self) -> None:
        self.received: list[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)
        await message.output_channel.send_response(message.sender_id, {"text": "Hello."})


@contextlib.asynccontextmanager
async def sanic_app(blueprint, prefix: str) -> AsyncIterator[str]:
    Sanic.test_mode = True
    app = Sanic(f"limits_test_{uuid.uuid4().hex[:8]}")
    app.blueprint(blueprint, url_prefix=prefix)
    port = free_port()
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    await server.startup()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()


@contextlib.asynccontextmanager
async def rest(bot: FakeRasa) -> AsyncIterator[httpx.AsyncClient]:
    blueprint = CaregiverRestInput().blueprint(bot)
    async with (
        sanic_app(blueprint, "/webhooks/rest") as url,
        httpx.AsyncClient(base_url=url, timeout=10) as client,
    ):
        yield client


def _say(sender: str, message: str = "what is cpp") -> dict:
    return {"json": {"sender": sender, "message": message}}


async def test_a_rest_sender_writes_only_into_its_own_namespace(settings):
    bot = FakeRasa()
    web_like = uuid.uuid4().hex  # what a web chat's conversation id looks like
    async with rest(bot) as client:
        got = await client.post("/webhooks/rest/webhook", **_say(web_like))
    assert got.status_code == 200
    assert got.json() == [{"recipient_id": web_like, "text": "Hello."}]  # as the client sent
    assert [m.sender_id for m in bot.received] == [f"rest:{web_like}"]
    assert conversation_id("abc") == "rest:abc"


async def test_rest_with_a_token_needs_the_token(settings):
    settings(REST_CHANNEL="token", REST_CHANNEL_TOKEN="s3cret-token")
    bot = FakeRasa()
    async with rest(bot) as client:
        url = "/webhooks/rest/webhook"
        assert (await client.post(url, **_say("a"))).status_code == 401
        wrong = {"Authorization": "Bearer nope"}
        assert (await client.post(url, headers=wrong, **_say("a"))).status_code == 401
        right = {"Authorization": "Bearer s3cret-token"}
        assert (await client.post(url, headers=right, **_say("a"))).status_code == 200
    assert len(bot.received) == 1


@pytest.mark.parametrize(
    "values",
    [
        {"REST_CHANNEL": "off"},
        {"REST_CHANNEL": "token", "REST_CHANNEL_TOKEN": ""},  # a token mode with no token
        {"REST_CHANNEL": "opne"},  # a typo is off, not open
    ],
)
async def test_rest_off_answers_404_and_reads_nothing(settings, values):
    settings(**values)
    bot = FakeRasa()
    async with rest(bot) as client:
        got = await client.post("/webhooks/rest/webhook", **_say("a"))
    assert got.status_code == 404 and "off" in got.json()["error"]
    assert bot.received == []


def test_production_refuses_an_open_rest_channel():
    check_rest_channel(settings_from({"REST_CHANNEL": "off"}))
    check_rest_channel(settings_from({"REST_CHANNEL": "token", "REST_CHANNEL_TOKEN": "t"}))
    for env in ({"REST_CHANNEL": "open"}, {"REST_CHANNEL": "token"}):
        with pytest.raises(RuntimeError, match="REST_CHANNEL"):
            check_rest_channel(settings_from(env))


def test_the_production_settings_turn_rest_off():
    from bot.prod.envfile import read_env_file
    from bot.prod.stack import ROOT

    values = read_env_file(ROOT / "deploy" / "prod.env.example")
    assert values["REST_CHANNEL"] == "off"
    assert values["RATE_LIMIT_STORAGE"].startswith("redis://")


async def test_rest_over_the_limit_gets_429_and_nothing_reaches_the_bot(settings):
    settings(RATE_LIMIT_CONVERSATION="2/minute")
    bot = FakeRasa()
    async with rest(bot) as client:
        got = [await client.post("/webhooks/rest/webhook", **_say("flood")) for _ in range(4)]
    assert [g.status_code for g in got] == [200, 200, 429, 429]
    assert int(got[2].headers["retry-after"]) > 0
    assert got[2].json()["text"] == limit_reply()
    assert len(bot.received) == 2


async def test_rest_new_conversations_are_limited_per_address(settings):
    settings(RATE_LIMIT_NEW_CONVERSATIONS="2/hour")
    bot = FakeRasa()
    async with rest(bot) as client:
        got = [await client.post("/webhooks/rest/webhook", **_say(f"s{n}")) for n in range(3)]
        again = await client.post("/webhooks/rest/webhook", **_say("s0"))  # not new
    assert [g.status_code for g in got] == [200, 200, 429]
    assert "new_conversations" in got[2].json()["error"]
    assert again.status_code == 200


async def test_behind_a_trusted_proxy_each_forwarded_address_counts_apart(settings):
    settings(RATE_LIMIT_NEW_CONVERSATIONS="1/hour", CHANNEL_TRUST_PROXY="true")
    async with rest(FakeRasa()) as client:
        codes = [
            (
                await client.post(
                    "/webhooks/rest/webhook",
                    headers={"X-Forwarded-For": f"203.0.113.{n}"},
                    **_say(f"p{n}"),
                )
            ).status_code
            for n in range(3)
        ]
    assert codes == [200, 200, 200]


# --- Web chat: the same limits over socket.io ----------------------------------------------


@contextlib.asynccontextmanager
async def web_chat(bot: FakeRasa) -> AsyncIterator[str]:
    channel = WebChatInput.from_credentials(
        {"user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered"}
    )
    async with sanic_app(channel.blueprint(bot), "") as url:
        try:
            yield url
        finally:
            await channel.sio.shutdown()  # its sockets' ping tasks end with it


@contextlib.asynccontextmanager
async def socket(url: str) -> AsyncIterator[tuple[socketio.AsyncClient, asyncio.Queue]]:
    client = socketio.AsyncClient(reconnection=False)
    replies: asyncio.Queue = asyncio.Queue()
    client.on("bot_uttered", replies.put)
    await client.connect(url, headers={"Origin": ORIGIN}, transports=["polling"])
    try:
        yield client, replies
    finally:  # drop it now: a polite polling disconnect waits out a long poll
        tasks = [t for t in (client.eio.read_loop_task, client.eio.write_loop_task) if t]
        await client.eio.disconnect(abort=True)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def test_web_messages_and_new_chats_over_the_limits_are_refused(settings):
    settings(
        RATE_LIMIT_CONVERSATION="2/minute",
        RATE_LIMIT_NEW_CONVERSATIONS="1/hour",
        WEB_ALLOWED_ORIGINS=ORIGIN,
        WEB_RELAY="off",
        RASA_WORKERS="1",
    )
    bot = FakeRasa()
    async with web_chat(bot) as url:
        async with socket(url) as (client, replies):
            said = [
                await client.call("user_uttered", {"message": f"hi {n}"}, timeout=10)
                for n in range(3)
            ]
            assert [s["status"] for s in said] == ["ok", "ok", "limited"]
            texts = [(await asyncio.wait_for(replies.get(), 5))["text"] for _ in range(3)]
            assert texts[-1] == limit_reply()
        async with socket(url) as (client, replies):  # a second new chat from this address
            said = await client.call("user_uttered", {"message": "hello"}, timeout=10)
            assert said["status"] == "limited"
            assert (await asyncio.wait_for(replies.get(), 5))["text"] == limit_reply()
    assert [m.text for m in bot.received] == ["hi 0", "hi 1"]


def test_rate_limit_module_keeps_no_address():
    # The counts hold keyed hashes only (the docstring's promise).
    key = rate_limits.caller_key("198.51.100.7")
    assert "198.51.100.7" not in key and len(key) == 32
