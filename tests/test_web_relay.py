"""The web relay's backends (bot/channels/web_relay.py) on their own.

The relay at work between real Rasa processes is tested in tests/test_rasa_workers.py
(SQLite, two workers) and tests/test_prod_stack.py (Redis, two instances).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time

import pytest
import redis
from socketio import AsyncRedisManager, AsyncServer

from bot.channels import web_relay
from bot.channels.web_relay import RedisRelayManager, SQLiteRelayManager, client_manager
from bot.settings import Settings


async def _take(listener, count: int, timeout: float = 5.0) -> list[str]:
    got: list[str] = []

    async def run() -> None:
        async for body in listener:
            got.append(body)
            if len(got) == count:
                return

    await asyncio.wait_for(run(), timeout)
    return got


async def test_sqlite_relay_delivers_what_was_published_after_listening_in_order(tmp_path):
    db = tmp_path / "relay.db"
    sender, receiver = SQLiteRelayManager(db), SQLiteRelayManager(db)
    await sender._publish({"n": 0})  # before the receiver listens: not delivered
    listener = receiver._listen()
    first = asyncio.ensure_future(_take(listener, 3))
    await asyncio.sleep(2 * web_relay.POLL_SECONDS)
    for n in (1, 2, 3):
        await sender._publish({"n": n})
    bodies = await first
    assert [receiver.json.loads(b)["n"] for b in bodies] == [1, 2, 3]


async def test_sqlite_relay_keeps_channels_apart(tmp_path):
    db = tmp_path / "relay.db"
    ours, theirs = SQLiteRelayManager(db, "a"), SQLiteRelayManager(db, "b")
    listener = theirs._listen()
    waiting = asyncio.ensure_future(_take(listener, 1))
    await asyncio.sleep(2 * web_relay.POLL_SECONDS)
    await ours._publish({"channel": "a"})
    await SQLiteRelayManager(db, "b")._publish({"channel": "b"})
    [body] = await waiting
    assert theirs.json.loads(body)["channel"] == "b"


async def test_sqlite_relay_prunes_old_rows(tmp_path, monkeypatch):
    db = tmp_path / "relay.db"
    relay = SQLiteRelayManager(db)
    for n in range(3):
        await relay._publish({"n": n})
    monkeypatch.setattr(web_relay, "KEEP_SECONDS", -1.0)  # every row is old now
    relay._published = web_relay.PRUNE_EVERY  # the next publish prunes
    await relay._publish({"n": 3})
    rows = relay._connect().execute("SELECT body FROM web_relay").fetchall()
    assert rows == []


async def test_a_socket_that_joined_after_the_event_was_sent_does_not_get_it(tmp_path):
    """A widget that reconnects at once joins the room while an event of its last
    reply is still in the table; polling would hand it that reply again."""
    relay = SQLiteRelayManager(tmp_path / "relay.db")
    server = AsyncServer(client_manager=relay)
    delivered: list[str] = []

    async def send(eio_sid: str, _packet: object) -> None:
        delivered.append(eio_sid)

    server._send_eio_packet = send  # the socket's transport: nothing to send it over
    early = await relay.connect("eio-early", "/")
    relay.basic_enter_room(early, "/", "conversation")
    sent_at = time.monotonic()
    late = await relay.connect("eio-late", "/")
    relay.basic_enter_room(late, "/", "conversation")
    event = {
        "method": "emit",
        "event": "bot_uttered",
        "data": [{"text": "hi"}],
        "namespace": "/",
        "room": "conversation",
        "skip_sid": None,
        "callback": None,
        "host_id": "another-process",
        "sent_at": sent_at,
    }
    await relay._handle_emit(event)
    assert delivered == ["eio-early"]
    delivered.clear()
    await relay._handle_emit({**event, "sent_at": time.monotonic()})
    assert sorted(delivered) == ["eio-early", "eio-late"]
    relay.basic_disconnect(late, "/")
    assert ("/", late) not in relay._joined


def _host_id_in_child(relay: SQLiteRelayManager, out: multiprocessing.Queue) -> None:
    out.put(relay.host_id)


def test_each_process_has_its_own_host_id(tmp_path):
    """Sanic forks the workers after the manager is made; an id shared by two workers
    would make each drop the other's events as its own."""
    relay = SQLiteRelayManager(tmp_path / "relay.db")
    mine = relay.host_id
    assert relay.host_id == mine
    out: multiprocessing.Queue = multiprocessing.get_context("fork").Queue()
    child = multiprocessing.get_context("fork").Process(target=_host_id_in_child, args=(relay, out))
    child.start()
    theirs = out.get(timeout=30)
    child.join(30)
    assert theirs != mine and len(theirs) == 32


def test_the_setting_picks_the_backend(tmp_path):
    relay = client_manager(Settings(web_relay="sqlite", web_relay_db=str(tmp_path / "r.db")))
    assert isinstance(relay, SQLiteRelayManager) and relay.path == tmp_path / "r.db"
    assert client_manager(Settings(web_relay="off")) is None
    prod = client_manager(
        Settings(web_relay="Redis", redis_port=6390, redis_lock_db=3, redis_key_prefix="x")
    )
    assert isinstance(prod, RedisRelayManager) and isinstance(prod, AsyncRedisManager)
    assert prod.redis_url == "redis://127.0.0.1:6390/3" and prod.channel == "x:3:web-relay"
    with pytest.raises(ValueError, match="WEB_RELAY"):
        client_manager(Settings(web_relay="kafka"))


def _redis_up() -> bool:
    try:
        return redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="Redis does not answer on 127.0.0.1:6379")
async def test_redis_relay_publishes_on_its_channel():
    channel = f"cpptest:{time.time_ns()}:web-relay"
    relay = RedisRelayManager("redis://127.0.0.1:6379/0", channel=channel)
    listener = RedisRelayManager("redis://127.0.0.1:6379/0", channel=channel)
    waiting = asyncio.ensure_future(_take(listener._listen(), 1))
    await asyncio.sleep(0.5)  # subscribed
    await relay._publish({"method": "emit", "room": "r"})
    [body] = await waiting
    assert listener.json.loads(body) == {"method": "emit", "room": "r"}
