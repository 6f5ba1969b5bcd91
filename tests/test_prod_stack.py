"""The production stack (bot/prod): two Rasa instances on PostgreSQL and Redis, the
action server and nginx, started for real by ``running_stack``.

Marked ``prod`` and run only when asked for (`make test-prod`, `pytest -m prod`, or
CPP_PROD_TESTS=1): it needs PostgreSQL, Redis and nginx, and takes a few minutes.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.prod_stores import REST_HEADERS

ROOT = Path(__file__).resolve().parents[1]
# Its own database (created when missing) and Redis db, emptied at the start; the failure
# tests in tests/prod use others, so the two never share stores.
TRACKER_DB = os.environ.get("PROD_TEST_DB", "cpp_stack_test")
REDIS_DB = int(os.environ.get("PROD_TEST_REDIS_DB", "14"))
ORIGIN = "http://127.0.0.1:8000"  # in the default WEB_ALLOWED_ORIGINS
REPLY_TIMEOUT = 90

pytestmark = pytest.mark.prod


@pytest.fixture(scope="module")
def stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    markexpr = request.config.getoption("markexpr", "") or ""
    asked = ("prod" in markexpr and "not prod" not in markexpr) or os.environ.get(
        "CPP_PROD_TESTS", ""
    ) in ("1", "true", "yes")
    if not asked:
        pytest.skip("production stack test: run `make test-prod` (or pytest -m prod)")
    from bot.prod.stack import running_stack
    from tests.prod_stores import reset_stores, rest_env
    from tests.servers import MODEL

    pg_url = reset_stores(TRACKER_DB, REDIS_DB)
    env = {
        "TRACKER_DB": TRACKER_DB,
        "DATABASE_URL": pg_url,
        "REDIS_LOCK_DB": str(REDIS_DB),
        "REDIS_KEY_PREFIX": "cppstacktest",
        **rest_env(REDIS_DB),
    }
    with running_stack(
        tmp_path_factory.mktemp("stack"), instances=2, env=env, model=MODEL
    ) as running:
        yield running


def upstreams(stack) -> list[str]:
    """The instance (host:port) nginx sent each logged request to, in order."""
    log = (stack.log_dir / "nginx-access.log").read_text()
    return re.findall(r"upstream=(\S+)", log)


def say(stack, sender: str, text: str) -> httpx.Response:
    return httpx.post(
        f"{stack.proxy_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": text},
        headers=REST_HEADERS,
        timeout=REPLY_TIMEOUT,
    )


def test_rest_messages_through_nginx_are_answered_by_both_instances(stack):
    for n in range(4):
        got = say(stack, f"stack-rest-{n}", "what is cpp")
        assert got.status_code == 200, got.text
        assert "Child-Parent Psychotherapy" in " ".join(m.get("text", "") for m in got.json())
    instances = {url.removeprefix("http://") for url in stack.instance_urls}
    assert set(upstreams(stack)[-4:]) == instances  # round robin: each served some

    # One conversation over both instances: the shared tracker store has every turn.
    assert say(stack, "stack-rest-0", "how long does it take").status_code == 200
    for url in stack.instance_urls:
        tracker = httpx.get(
            f"{url}/conversations/rest:stack-rest-0/tracker",
            headers=stack.api_headers(),
            timeout=30,
        )
        texts = [e["text"] for e in tracker.json()["events"] if e["event"] == "user"]
        assert texts == ["what is cpp", "how long does it take"]


@pytest.mark.parametrize(
    "path",
    [
        "/conversations/stack-rest-0/tracker",
        "/status",
        "/version",
        "/domain",
        "/model/parse",
        "/auth",
        "/",
    ],
)
def test_nginx_exposes_no_part_of_the_http_api(stack, path):
    # Even with a valid token: the API is for this host's own processes only.
    got = httpx.get(f"{stack.proxy_url}{path}", headers=stack.api_headers(), timeout=10)
    assert got.status_code == 404
    assert "rasa" not in got.text.lower()


def test_health_and_the_api_on_an_instance(stack):
    assert httpx.get(f"{stack.proxy_url}/health", timeout=10).text.startswith("Hello from Rasa")
    instance = stack.instance_urls[0]
    assert httpx.get(f"{instance}/status", timeout=10).status_code == 401
    assert httpx.get(f"{instance}/status", headers=stack.api_headers(), timeout=10).is_success


def test_socketio_long_polling_is_refused_by_the_proxy(stack):
    got = httpx.get(
        f"{stack.proxy_url}/socket.io/?EIO=4&transport=polling",
        headers={"Origin": ORIGIN},
        timeout=10,
    )
    assert got.status_code == 400


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_action_server_runs_workers_on_localhost_only(stack):
    assert httpx.get(f"{stack.action_url}/health", timeout=10).is_success
    # Sanic's main process with one child per worker (ACTION_WORKERS, 2 in prod.env).
    assert len(_children(stack.procs["actions"].pid)) == 2
    port = int(stack.action_url.rsplit(":", 1)[1])
    # This host's other IPv4 addresses (Debian's `hostname -I`): the port is closed there.
    listed = subprocess.run(["hostname", "-I"], capture_output=True, text=True, check=False)
    others = {a for a in listed.stdout.split() if "." in a and not a.startswith("127.")}
    if not others:
        pytest.skip("this host has no non-loopback IPv4 address to try")
    for address in others:
        with pytest.raises(OSError), socket.create_connection((address, port), timeout=2):
            pass


# --- The chat widget's socket.io, through nginx, websocket transport only ---------------


class SocketChat:
    """The widget's protocol (bot/channels/web.py) spoken over one raw websocket:
    engine.io v4 packets carrying socket.io packets ("40" connect, "42" event, "43" ack).
    python-socketio's own websocket client needs a newer aiohttp than Rasa allows."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.next_ack = 0
        self.events: list[tuple[str, Any]] = []

    @classmethod
    async def open(cls, proxy_url: str) -> SocketChat:
        import websockets

        url = proxy_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        ws = await websockets.connect(url, origin=ORIGIN)
        chat = cls(ws)
        assert (await chat.packet()).startswith("0")  # engine.io open
        await ws.send("40")
        assert (await chat.packet()).startswith("40")  # socket.io connected
        return chat

    async def packet(self) -> str:
        while True:
            data = await asyncio.wait_for(self.ws.recv(), REPLY_TIMEOUT)
            if data == "2":  # engine.io ping
                await self.ws.send("3")
                continue
            return data

    async def emit(self, event: str, data: Any) -> Any:
        """Send an event with an ack id; collect events until its ack, return the ack."""
        ack = self.next_ack
        self.next_ack += 1
        await self.ws.send(f"42{ack}{json.dumps([event, data])}")
        while True:
            data = await self.packet()
            match = re.match(r"4([23])(\d*)(.*)", data, re.S)
            assert match, data
            kind, number, body = match.groups()
            if kind == "3" and number == str(ack):
                return json.loads(body)[0]
            if kind == "2":
                name, *args = json.loads(body)
                self.events.append((name, args[0] if args else None))

    async def start(self, token: str | None = None) -> str:
        await self.ws.send(f"42{json.dumps(['session_request', {'session_id': token}])}")
        return await self.next_event("session_confirm")

    async def next_event(self, name: str) -> Any:
        """The data of the next event ``name`` (collected already, or still to come
        within REPLY_TIMEOUT: engine.io pings keep a socket busy, never silent)."""
        for n, (event, data) in enumerate(self.events):
            if event == name:
                del self.events[n]
                return data

        async def wait() -> Any:
            while True:
                match = re.match(r"42(.*)", await self.packet(), re.S)
                if match:
                    event, *args = json.loads(match.group(1))
                    if event == name:
                        return args[0] if args else None

        return await asyncio.wait_for(wait(), REPLY_TIMEOUT)

    async def close(self) -> None:
        await self.ws.close()


async def test_a_chat_session_works_through_the_proxy_and_across_instances(stack):
    first = await SocketChat.open(stack.proxy_url)
    token = await first.start()
    assert await first.emit("user_uttered", {"message": "what is cpp", "message_id": "m-1"}) == {
        "status": "ok"
    }
    texts = [data.get("text", "") for name, data in first.events if name == "bot_uttered"]
    assert any("Child-Parent Psychotherapy" in t for t in texts)
    await first.close()
    await asyncio.sleep(0.5)  # nginx logs a websocket when it closes
    served = upstreams(stack)[-1]

    # Reconnect with the session token until nginx picks the other instance: the
    # conversation (shared tracker store) and the signed token work there too.
    for _ in range(4):
        again = await SocketChat.open(stack.proxy_url)
        assert await again.start(token) == token
        history = await again.emit("history", {})
        await again.close()
        await asyncio.sleep(0.5)
        if upstreams(stack)[-1] != served:
            break
    assert upstreams(stack)[-1] != served, "every reconnect went to the same instance"
    said = [m for m in history["messages"] if m.get("sender") == "user"]
    assert [m["text"] for m in said] == ["what is cpp"], history


async def test_a_reminder_sent_through_one_instance_reaches_a_chat_on_the_other(stack):
    """The reminder scheduler calls instance 0's API; the caregiver's chat socket may be
    on instance 1. The reply is relayed through Redis (WEB_RELAY=redis,
    bot.channels.web_relay), as is a reply to the same conversation in a second tab."""
    first, second = stack.instance_urls
    chat = await SocketChat.open(second)  # directly on instance 1, as nginx may place it
    token = await chat.start()
    conversation = token.rpartition(".")[0]
    async with httpx.AsyncClient(timeout=REPLY_TIMEOUT) as client:
        got = await client.post(
            f"{first}/conversations/{conversation}/trigger_intent",
            params={"output_channel": "socketio"},
            json={"name": "EXTERNAL_reflection_reminder", "entities": {}},
            headers=stack.api_headers(),
        )
    assert got.status_code == 200, got.text
    reply = await chat.next_event("bot_uttered")
    assert "reminder you asked for" in reply["text"], reply

    # A second tab of the same conversation, on instance 0: its reply reaches both tabs.
    tab = await SocketChat.open(first)
    assert await tab.start(token) == token
    assert await tab.emit("user_uttered", {"message": "what is cpp", "message_id": "t-1"}) == {
        "status": "ok"
    }
    tab_texts = [data.get("text", "") for name, data in tab.events if name == "bot_uttered"]
    assert tab_texts and any("Child-Parent Psychotherapy" in t for t in tab_texts), tab_texts
    # The same replies, in order, on the first tab's instance.
    chat_texts = [(await chat.next_event("bot_uttered")).get("text", "") for _ in tab_texts]
    assert chat_texts == tab_texts
    await tab.close()
    await chat.close()
