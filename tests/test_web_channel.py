"""The website's socket.io channel (bot/channels/web.py).

Unit tests for its pieces, then the real Rasa server spoken to with
python-socketio's client, the way the widget talks to it (no browser).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import socketio
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from bot.channels.guard import TOO_LONG_REPLY
from bot.channels.web import RecentIds, check_web_text, parse_origins
from bot.channels.web_history import transcript
from tests.servers import http

ALLOWED = "http://clinic.test"
REPLY_TIMEOUT = 90


# --- Pieces, no server ------------------------------------------------------------------


def test_origins_are_compared_as_browsers_send_them():
    assert parse_origins(" https://A.org/ ,http://b.org:8000,,") == {
        "https://a.org",
        "http://b.org:8000",
    }


def test_recent_ids_are_per_conversation_and_bounded():
    recent = RecentIds(per_session=2, sessions=2)
    assert not recent.seen("a", "1") and recent.seen("a", "1")
    assert not recent.seen("b", "1")  # another conversation's id is its own
    recent.seen("a", "2"), recent.seen("a", "3")  # "1" falls out of a's memory
    assert not recent.seen("a", "1")
    recent.seen("c", "x")  # three conversations: the least recent ("b") is forgotten
    assert not recent.seen("b", "1")


def test_web_limit_is_in_bytes_and_reuses_the_guard():
    assert check_web_text("é" * 10, max_bytes=19).reply == TOO_LONG_REPLY  # 20 bytes
    assert check_web_text("é" * 9, max_bytes=19).text == "é" * 9
    assert check_web_text('/deny{"x": 1}', max_bytes=100).text == 'deny{"x": 1}'
    assert check_web_text("/deny", max_bytes=100).text == "/deny"


def test_transcript_shows_what_the_caregiver_saw():
    buttons = [{"title": "Not now", "payload": "/deny"}, {"title": "Yes", "payload": "/affirm"}]
    events = [
        ActionExecuted("action_listen"),
        UserUttered("my son bites"),
        BotUttered("First part.\n\nWould you like to reflect?", {"buttons": buttons}),
        UserUttered("/deny"),
        UserUttered("EXTERNAL: reminder_due"),
        BotUttered("Okay."),
    ]
    assert transcript(events) == [
        {"sender": "user", "text": "my son bites", "quick_replies": []},
        {"sender": "bot", "text": "First part.", "quick_replies": []},
        {"sender": "bot", "text": "Would you like to reflect?", "quick_replies": buttons},
        {"sender": "user", "text": "Not now", "quick_replies": []},
        {"sender": "bot", "text": "Okay.", "quick_replies": []},
    ]


# --- Against the real server ------------------------------------------------------------


@pytest.fixture(scope="module")
def web_servers(shared_servers) -> Any:
    """The shared servers: they allow ALLOWED and http://other.test, 2000-byte messages."""
    assert ALLOWED in shared_servers.env["WEB_ALLOWED_ORIGINS"].split(",")
    assert shared_servers.env["WEB_MAX_MESSAGE_BYTES"] == "2000"
    return shared_servers.servers


@dataclass
class Chat:
    """One socket, as the widget uses it."""

    client: socketio.AsyncClient
    token: str = ""
    confirmed: asyncio.Queue = field(default_factory=asyncio.Queue)
    replies: asyncio.Queue = field(default_factory=asyncio.Queue)

    async def start(self, token: str | None = None) -> str:
        await self.client.emit("session_request", {"session_id": token})
        self.token = await asyncio.wait_for(self.confirmed.get(), 10)
        return self.token

    async def say(self, message: str, message_id: str | None = None) -> dict:
        data = {"message": message, "message_id": message_id, "session_id": self.token}
        return await self.client.call("user_uttered", data, timeout=REPLY_TIMEOUT)

    async def reply(self) -> dict:
        return await asyncio.wait_for(self.replies.get(), REPLY_TIMEOUT)

    @property
    def conversation(self) -> str:
        return self.token.rpartition(".")[0]


async def close(client: socketio.AsyncClient) -> None:
    """Drop the connection now: a polite polling disconnect waits out a 25 s long poll."""
    tasks = [t for t in (client.eio.read_loop_task, client.eio.write_loop_task) if t]
    await client.eio.disconnect(abort=True)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


@asynccontextmanager
async def chat(url: str, origin: str | None = ALLOWED) -> AsyncIterator[Chat]:
    client = socketio.AsyncClient(reconnection=False)
    session = Chat(client)
    client.on("session_confirm", session.confirmed.put)
    client.on("bot_uttered", session.replies.put)
    headers = {"Origin": origin} if origin else {}
    # Polling: this python-engineio's websocket client needs a newer aiohttp than Rasa's.
    await client.connect(url, headers=headers, transports=["polling"], wait_timeout=10)
    try:
        yield session
    finally:
        await close(client)


def user_texts(servers: Any, conversation: str) -> list[str]:
    tracker = httpx.get(
        f"{servers.rasa_url}/conversations/{conversation}/tracker",
        headers=servers.api_headers(),
        timeout=30,
    )
    return [e["text"] for e in tracker.json()["events"] if e["event"] == "user"]


@pytest.mark.server
async def test_a_page_not_allowed_cannot_connect(web_servers):
    client = socketio.AsyncClient(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.connect(
            web_servers.rasa_url,
            headers={"Origin": "http://evil.test"},
            transports=["polling"],
            wait_timeout=5,
        )
    await close(client)


@pytest.mark.server
def test_a_socket_without_an_origin_is_refused(web_servers):
    # Spoken as raw engine.io polling: the socket.io client, refused, disconnects politely
    # and waits out a 25 s long poll first.
    url = f"{web_servers.rasa_url}/socket.io/?EIO=4&transport=polling"
    opened = http().get(url, timeout=10)
    assert opened.status_code == 200 and opened.text.startswith("0"), opened.text
    sid = json.loads(opened.text[1:])["sid"]
    assert http().post(f"{url}&sid={sid}", content="40", timeout=10).status_code == 200
    answer = http().get(f"{url}&sid={sid}", timeout=10).text
    assert answer.startswith("44"), answer  # socket.io CONNECT_ERROR: refused


@pytest.mark.server
async def test_a_page_not_allowed_cannot_open_a_websocket(web_servers):
    import websockets

    url = web_servers.rasa_url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"
    with pytest.raises(websockets.exceptions.InvalidStatusCode):
        async with websockets.connect(url, origin="http://evil.test"):
            pass
    async with websockets.connect(url, origin=ALLOWED) as ws:  # engine.io open, then
        assert (await ws.recv()).startswith("0")
        await ws.send("40")  # socket.io CONNECT
        assert (await ws.recv()).startswith("40")


@pytest.mark.server
async def test_every_allowed_origin_can_connect(web_servers):
    async with chat(web_servers.rasa_url, origin="http://other.test") as session:
        assert await session.start()


@pytest.mark.server
async def test_a_client_chosen_session_id_is_replaced(web_servers):
    async with chat(web_servers.rasa_url) as session:
        for forged in ("caregiver-42", "caregiver-42.0123456789abcdef0123456789abcdef", 7):
            token = await session.start(forged)
            assert not token.startswith("caregiver-42")
        assert (await session.say("what is cpp", "m-1"))["status"] == "ok"
    assert user_texts(web_servers, session.conversation) == ["what is cpp"]
    assert user_texts(web_servers, "caregiver-42") == []


@pytest.mark.server
async def test_a_message_names_no_other_conversation(web_servers):
    async with chat(web_servers.rasa_url) as mine, chat(web_servers.rasa_url) as theirs:
        await mine.start()
        await theirs.start()
        mine.token = theirs.token  # a client claiming someone else's (valid) token
        assert (await mine.say("hello", "m-1"))["status"] == "ok"
    assert user_texts(web_servers, theirs.conversation) == []


@pytest.mark.server
async def test_a_valid_token_keeps_the_conversation_and_its_history(web_servers):
    async with chat(web_servers.rasa_url) as first:
        token = await first.start()
        await first.say("what is cpp", "m-1")
    async with chat(web_servers.rasa_url) as again:
        assert await again.start(token) == token
        history = (await again.client.call("history", {}, timeout=30))["messages"]
    assert history[0] == {"sender": "user", "text": "what is cpp", "quick_replies": []}
    assert any(m["sender"] == "bot" and "CPP" in m["text"] for m in history[1:])


@pytest.mark.server
async def test_a_too_long_message_gets_a_clear_reply_and_is_not_processed(web_servers):
    async with chat(web_servers.rasa_url) as session:
        await session.start()
        assert (await session.say("what is cpp " * 200, "m-1"))["status"] == "replied"
        assert (await session.reply())["text"] == TOO_LONG_REPLY
    assert user_texts(web_servers, session.conversation) == []


@pytest.mark.server
async def test_the_same_message_sent_twice_is_handled_once(web_servers):
    async with chat(web_servers.rasa_url) as first:
        token = await first.start()
        assert (await first.say("what is cpp", "m-1"))["status"] == "ok"
    async with chat(web_servers.rasa_url) as reconnected:  # e.g. after a dropped connection
        await reconnected.start(token)
        assert (await reconnected.say("what is cpp", "m-1"))["status"] == "duplicate"
        assert (await reconnected.say("what is cpp", "m-2"))["status"] == "ok"
    assert user_texts(web_servers, first.conversation) == ["what is cpp", "what is cpp"]


@pytest.mark.server
async def test_only_the_bots_own_button_payloads_are_intents(web_servers):
    async with chat(web_servers.rasa_url) as session:
        await session.start()
        await session.say('/request_person{"reason": "x"}', "m-1")
        await session.say("/deny", "m-2")
    tracker = httpx.get(
        f"{web_servers.rasa_url}/conversations/{session.conversation}/tracker",
        headers=web_servers.api_headers(),
        timeout=30,
    ).json()
    users = [e for e in tracker["events"] if e["event"] == "user"]
    assert users[0]["text"] == 'request_person{"reason": "x"}'
    assert users[0]["parse_data"]["entities"] == []
    assert users[1]["parse_data"]["intent"]["name"] == "deny"
