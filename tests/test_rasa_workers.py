"""The embedded default's Rasa server with two Sanic worker processes (RASA_WORKERS=2).

Real Rasa, real SQLite tracker store, lock file and web relay, as `make run` starts
them. The workers share one port, so a caregiver's messages can land on either; the
shared lock file must still let one turn of a conversation run at a time, the web chat
must work over a websocket, which stays on one worker, and a reminder sent through the
other worker must still reach that websocket.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import websockets

from tests.prod.checks import loss_problems, order_problems
from tests.prod.traffic import QUESTIONS, send
from tests.servers import Servers, run_servers

pytestmark = pytest.mark.server

ORIGIN = "http://clinic.test"
MESSAGES = 20
STAGGER = 0.05  # seconds between sends
TIE = 0.25
WORKER_START_SECONDS = 480


@pytest.fixture(scope="module")
def workers(tmp_path_factory) -> Iterator[Servers]:
    env = {"RASA_WORKERS": "2", "WEB_ALLOWED_ORIGINS": ORIGIN}
    with run_servers(tmp_path_factory.mktemp("workers"), env=env) as servers:
        # /status answers once one worker is up; a worker listens once it has loaded
        # the model. Wait for both. Each worker loads the model on its own, and on a
        # loaded two-core machine the second one has taken over three minutes: the
        # deadline is generous because a slow start is not what this module tests.
        port = int(servers.rasa_url.rsplit(":", 1)[1])
        deadline = time.monotonic() + WORKER_START_SECONDS
        while len(listening_sockets(port)) < 2:
            assert time.monotonic() < deadline, (
                f"the second worker did not start listening within {WORKER_START_SECONDS} s"
            )
            time.sleep(0.5)
        yield servers


def worker_pids(pid: int) -> list[int]:
    """The Sanic workers: the children of Rasa's main process (from /proc)."""
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += [int(c) for c in (task / "children").read_text().split()]
    return sorted(children)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of one process (/proc/<pid>/stat, clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100


def tcp_sockets() -> Iterator[tuple[int, int, str, str]]:
    """(local port, remote port, state, inode) of each IPv4 TCP socket (/proc/net/tcp)."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = (int(f.split(":")[1], 16) for f in fields[1:3])
        yield local, remote, fields[3], fields[9]


def listening_sockets(port: int) -> set[str]:
    """Inodes of the sockets listening on 127.0.0.1:``port``."""
    return {inode for local, _, state, inode in tcp_sockets() if state == "0A" and local == port}


def sockets_of(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd) if fd.is_symlink() else ""
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def worker_of_connection(pids: list[int], port: int, client_port: int) -> int:
    """The worker that accepted the connection from 127.0.0.1:``client_port``.

    The server side of the connection is the socket from ``port`` to ``client_port``;
    the worker holding its inode among its open files accepted it.
    """
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for local, remote, _, inode in tcp_sockets():
            if (local, remote) == (port, client_port) and inode != "0":
                owners = [pid for pid in pids if inode in sockets_of(pid)]
                if owners:
                    return owners[0]
        time.sleep(0.05)  # not accepted yet
    raise AssertionError(f"no worker accepted the connection from port {client_port}")


def test_two_workers_each_accept_on_their_own_socket_of_the_port(workers):
    """One shared socket lets the worker that waited last take every new connection
    (measured: one worker ran a whole benchmark level, the other none); each worker
    listens on its own (bot.prod.reuseport) and the kernel spreads connections."""
    pids = worker_pids(workers.rasa_pid)
    assert len(pids) == 2
    listening = listening_sockets(int(workers.rasa_url.rsplit(":", 1)[1]))
    own = [sockets_of(pid) & listening for pid in pids]
    assert [len(s) for s in own] == [1, 1] and own[0] != own[1], own


async def test_one_conversation_across_both_workers_keeps_whole_turns_in_order(workers):
    pids = worker_pids(workers.rasa_pid)
    before = {pid: cpu_seconds(pid) for pid in pids}
    sender = f"workers-{uuid.uuid4().hex[:8]}"
    texts = QUESTIONS[:MESSAGES]

    async def staggered(n: int, text: str):
        await asyncio.sleep(n * STAGGER)
        # A connection of its own, like separate webhook calls: the kernel picks a
        # worker per connection, so 20 connections reach both.
        async with httpx.AsyncClient() as client:
            return await send(client, workers.rasa_url, sender, text)

    outcomes = await asyncio.gather(*(staggered(n, t) for n, t in enumerate(texts)))

    # Both workers ran turns of this one conversation (a turn is tens of ms of CPU).
    used = {pid: cpu_seconds(pid) - before[pid] for pid in pids}
    assert all(seconds >= 0.1 for seconds in used.values()), used
    failed = [o.describe() for o in outcomes if not (o.replied and o.texts)]
    assert not failed, "messages not answered:\n" + "\n".join(failed)
    tracker_url = f"sqlite:///{workers.tracker_db}"
    assert not loss_problems(tracker_url, sender, outcomes)
    assert not order_problems(tracker_url, sender, outcomes, TIE)


async def test_web_chat_is_websocket_only_and_answers(workers):
    polling = httpx.get(
        f"{workers.rasa_url}/socket.io/?EIO=4&transport=polling",
        headers={"Origin": ORIGIN},
        timeout=10,
    )
    assert polling.status_code == 400  # a long-poll could reach the other worker

    url = workers.rasa_url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"
    # Each message carries an ack id; the ack comes once the bot has sent every reply
    # to it, so no reply of one message can reach the socket opened for the next.
    async with websockets.connect(url, origin=ORIGIN) as ws:
        token = await _start(ws, {})
        await ws.send('420["user_uttered",{"message":"what is cpp","message_id":"m-1"}]')
        texts = await asyncio.wait_for(_replies_until_ack(ws, 0), timeout=60)
    assert any(t.startswith("Child-Parent Psychotherapy (CPP) is") for t in texts), texts

    # The widget re-sends an unacknowledged message after a reconnect, which may reach
    # the other worker: it is not run again there (bot.tracking.agent_hooks).
    for n in range(3):
        async with websockets.connect(url, origin=ORIGIN) as ws:
            assert await _start(ws, {"session_id": token}) == token
            await ws.send('421["user_uttered",{"message":"what is cpp","message_id":"m-1"}]')
            await ws.send(
                f'422["user_uttered",{{"message":"how much does it cost","message_id":"c-{n}"}}]'
            )
            texts = await asyncio.wait_for(_replies_until_ack(ws, 2), timeout=60)
            assert any(t.startswith("Here is how paying for CPP works") for t in texts), texts
    tracker = httpx.get(
        f"{workers.rasa_url}/conversations/{_conversation(token)}/tracker",
        headers=workers.api_headers(),
        timeout=30,
    ).json()
    users = [e["text"] for e in tracker["events"] if e["event"] == "user"]
    assert users == ["what is cpp"] + ["how much does it cost"] * 3


async def test_a_reminder_reaches_a_chat_open_on_the_other_worker(workers):
    """The scheduler's trigger_intent call may reach either worker; the chat's socket is
    on one of them. The reminder reaches the socket through the web relay
    (bot.channels.web_relay), from the other worker as from its own."""
    pids = worker_pids(workers.rasa_pid)
    port = int(workers.rasa_url.rsplit(":", 1)[1])
    url = workers.rasa_url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"
    async with websockets.connect(url, origin=ORIGIN) as ws:
        conversation = _conversation(await _start(ws, {}))
        chat_worker = worker_of_connection(pids, port, ws.local_address[1])
        other = next(pid for pid in pids if pid != chat_worker)
        for target in (other, chat_worker):
            status = await asyncio.to_thread(
                _trigger_reminder_on, target, pids, port, workers, conversation
            )
            assert status == 200
            reply = await asyncio.wait_for(_next_event(ws, "bot_uttered"), timeout=30)
            assert "reminder you asked for" in reply["text"], (target, reply)


def _trigger_reminder_on(
    worker: int, pids: list[int], port: int, workers: Servers, conversation: str
) -> int:
    """POST trigger_intent (as the reminder scheduler does) on a connection ``worker``
    accepted: new connections until the kernel hands one to that worker."""
    for _ in range(100):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.connect()
        if worker_of_connection(pids, port, conn.sock.getsockname()[1]) != worker:
            conn.close()
            continue
        conn.request(
            "POST",
            f"/conversations/{conversation}/trigger_intent?output_channel=socketio",
            body=json.dumps({"name": "EXTERNAL_reflection_reminder", "entities": {}}),
            headers={**workers.api_headers(), "Content-Type": "application/json"},
        )
        status = conn.getresponse().status
        conn.close()
        return status
    raise AssertionError(f"100 connections and none reached worker {worker}")


async def _start(ws, data: dict) -> str:
    """engine.io open, socket.io CONNECT, session_request: the session token."""
    assert (await ws.recv()).startswith("0")
    await ws.send("40")
    assert (await ws.recv()).startswith("40")
    await ws.send("42" + json.dumps(["session_request", data]))
    return await asyncio.wait_for(_next_event(ws, "session_confirm"), timeout=30)


async def _replies_until_ack(ws, ack: int) -> list[str]:
    """The texts of the bot_uttered events that come before the ack ``ack``."""
    texts: list[str] = []
    while True:
        packet = await ws.recv()
        if packet == "2":
            await ws.send("3")
        elif packet.startswith(f"43{ack}["):
            return texts
        elif packet.startswith("42"):
            event, data = json.loads(packet[2:])[:2]
            if event == "bot_uttered":
                texts.append(data.get("text", ""))


def _conversation(token: str) -> str:
    """The conversation id inside a session token ("<id>.<signature>", bot.identity)."""
    return token.rpartition(".")[0]


async def _next_event(ws, name: str) -> dict:
    """The data of the next socket.io event ``name`` (answering engine.io pings)."""
    while True:
        packet = await ws.recv()
        if packet == "2":
            await ws.send("3")
        elif packet.startswith("42"):
            event, data = json.loads(packet[2:])[:2]
            if event == name:
                return data


def test_worker_settings_as_rasa_reads_them():
    from bot.channels.web import engineio_transports
    from bot.prod.rasa_run import worker_environment

    two = worker_environment({}, 2)
    assert two == {"SANIC_WORKERS": "2"}
    assert engineio_transports(two) == ["websocket"]
    one = worker_environment({}, 1)
    assert one == {"SANIC_WORKERS": "1"}
    assert engineio_transports(one) == ["polling", "websocket"]  # as Rasa has it
    # The production stack's SANIC_WORKERS=1 per instance wins over RASA_WORKERS.
    assert worker_environment({"SANIC_WORKERS": "1"}, 2) == {"SANIC_WORKERS": "1"}
    assert worker_environment({}, 0) == {"SANIC_WORKERS": "1"}


def test_each_worker_computes_on_one_thread_unless_told_otherwise():
    from bot.prod.rasa_run import thread_environment

    assert thread_environment({}, 1) == {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    assert thread_environment({}, 2)["OMP_NUM_THREADS"] == "2"
    assert thread_environment({"OMP_NUM_THREADS": "4"}, 1)["OMP_NUM_THREADS"] == "4"
