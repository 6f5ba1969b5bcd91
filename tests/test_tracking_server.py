"""No silent loss, against the real Rasa server on PostgreSQL.

Rasa reaches the test database (TEST_POSTGRES_URL) through ``TcpProxy``, so the test
can take the database away and bring it back without touching the shared server. The
server starts while it is away. The action server is a stub that can hold a request,
standing in for a slow or stuck action server; Twilio is the project's fake.

Rasa reads ``endpoints.yml`` (the embedded default, whose strict store gets only
dialect and db): libpq's PGHOST/PGPORT/PGUSER point ``postgresql:///<that database>``
at the proxy.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
import yaml

from bot.channels import sms_store
from bot.channels.rest import conversation_id as rest_conversation
from bot.db.migrate import upgrade
from bot.identity import reset_key_cache
from bot.settings import get_settings
from bot.tracking.unavailable import try_again_text
from tests.pg_run import postgres_reachable
from tests.servers import Servers, run_servers
from tests.test_web_channel import ALLOWED, chat
from tests.tracker_db import PG, PG_URL, TcpProxy, drop_events_table
from tests.twilio_fake import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio, fake_twilio, inbound, signed

pytestmark = pytest.mark.server

PUBLIC_URL = "https://bot.example.org/webhooks/sms/webhook"
ALERT = "ALERT tracker store unavailable"
INTRO = "automated assistant"


@dataclass
class ActionStub:
    """Answers every action with no events; while ``hold`` is set, waits for ``release``."""

    url: str = ""
    actions: list[str] = field(default_factory=list)
    hold: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def wait_for(self, action: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while action not in self.actions:
            assert time.monotonic() < deadline, f"{action} never called: {self.actions}"
            time.sleep(0.1)


@pytest.fixture(scope="module")
def action_stub() -> Iterator[ActionStub]:
    stub = ActionStub()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            stub.actions.append(body.get("next_action", ""))
            if stub.hold.is_set():
                stub.release.wait(120)
            payload = json.dumps({"events": [], "responses": []}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stub.url = f"http://127.0.0.1:{server.server_address[1]}/webhook"
    yield stub
    stub.release.set()
    server.shutdown()
    server.server_close()


@dataclass
class Stack:
    servers: Servers
    proxy: TcpProxy
    twilio: FakeTwilio
    actions: ActionStub

    def db_up(self) -> None:
        if not self.proxy.running:
            self.proxy.start()

    def log(self) -> str:
        return (self.servers.log_dir / "rasa.log").read_text(errors="replace")


@pytest.fixture(scope="module")
def stack(tmp_path_factory, action_stub) -> Iterator[Stack]:
    if not postgres_reachable():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    drop_events_table()
    proxy = TcpProxy((PG.host, PG.port or 5432))  # not started: the database is "down"
    workdir: Path = tmp_path_factory.mktemp("tracking")
    app_db = f"sqlite:///{workdir / 'app.db'}"
    upgrade(app_db)
    credentials = {
        "bot.channels.rest.CaregiverRestInput": None,
        "bot.channels.web.WebChatInput": {
            "user_message_evt": "user_uttered",
            "bot_message_evt": "bot_uttered",
        },
        "bot.channels.sms.TwilioSmsInput": None,
    }
    (workdir / "credentials.yml").write_text(yaml.safe_dump(credentials))
    with fake_twilio() as twilio:
        env = {
            "TRACKER_DIALECT": "postgresql",
            "TRACKER_DB": PG.database,
            "PGHOST": PG.host,
            "PGPORT": str(proxy.port),
            "PGUSER": PG.username or "postgres",
            "ACTION_ENDPOINT_URL": action_stub.url,
            "DATABASE_URL": app_db,
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_API_BASE_URL": twilio.url,
            "SMS_PUBLIC_URL": PUBLIC_URL,
            "IDENTITY_HASH_KEY": "tracking-server-test-key",
            "WEB_ALLOWED_ORIGINS": ALLOWED,
        }
        mine = ("DATABASE_URL", "IDENTITY_HASH_KEY")  # this process reads them too
        saved = {name: os.environ.get(name) for name in mine}
        os.environ.update({name: env[name] for name in mine})
        get_settings.cache_clear()
        reset_key_cache()
        try:
            with run_servers(
                workdir, with_actions=False, env=env, credentials=workdir / "credentials.yml"
            ) as servers:
                yield Stack(servers, proxy, twilio, action_stub)
        finally:
            proxy.stop()
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            get_settings.cache_clear()
            reset_key_cache()


def stored(conversation: str) -> list[tuple[str, dict]]:
    """(type, event) of every stored event of a conversation, in order, read directly."""
    engine = sa.create_engine(PG_URL)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"),
                {"s": conversation},
            ).all()
    finally:
        engine.dispose()
    return [(row.type_name, json.loads(row.data)) for row in rows]


def user_texts(conversation: str) -> list[str]:
    return [event["text"] for kind, event in stored(conversation) if kind == "user"]


def assert_no_duplicates(conversation: str) -> None:
    events = [json.dumps(event, sort_keys=True) for _, event in stored(conversation)]
    assert len(events) == len(set(events)), "an event was stored twice"


def assert_try_again(resp: httpx.Response) -> None:
    assert resp.status_code == 503, resp.text
    assert resp.json() == {"error": "conversation store unavailable", "text": try_again_text()}


def texts(resp: httpx.Response) -> str:
    assert resp.status_code == 200, resp.text
    return "\n".join(m.get("text", "") for m in resp.json())


def _sender() -> str:
    return f"caregiver-{uuid.uuid4().hex[:8]}"


def test_starts_with_the_database_down_answers_503_then_recovers(stack):
    """Runs first: the server came up while the database was unreachable."""
    assert not stack.proxy.running
    sender = _sender()
    alerts_before = stack.log().count(ALERT)
    assert_try_again(stack.servers.say(sender, "what is cpp"))
    assert_try_again(stack.servers.say(sender, "what is cpp"))  # still no conversation
    log = stack.log()
    # Alerted at start-up or for these messages: one line per 30 s during an outage.
    assert log.count(ALERT) >= max(alerts_before, 1)
    assert sender not in log and "what is cpp" not in log

    stack.db_up()
    assert INTRO in texts(stack.servers.say(sender, "what is cpp"))
    assert user_texts(rest_conversation(sender)) == [
        "what is cpp"
    ]  # the refused ones were not kept anywhere
    assert "tracker store reachable again" in stack.log()


def test_an_outage_mid_conversation_keeps_nothing_in_memory(stack):
    stack.db_up()
    sender = _sender()
    assert INTRO in texts(stack.servers.say(sender, "what is cpp"))

    stack.proxy.stop()
    alerts_before = stack.log().count(ALERT)
    assert_try_again(stack.servers.say(sender, "how long is each session"))
    assert stack.log().count(ALERT) == alerts_before + 1  # the outage's first failure alerts

    stack.proxy.start()
    reply = texts(stack.servers.say(sender, "do you take medicaid"))
    # Rasa's fail-safe store would have started a new, in-memory conversation during
    # the outage; here the conversation continues from the database: no second intro.
    assert INTRO not in reply
    assert user_texts(rest_conversation(sender)) == ["what is cpp", "do you take medicaid"]
    assert_no_duplicates(rest_conversation(sender))


# An FAQ that names a child's age: its answer calls the follow-up action (age check).
QUESTION_WITH_AGE = "is cpp right for my 4 year old son"


def test_the_message_is_stored_before_the_bot_replies(stack):
    """The action server is stuck: the user's message is already in the database."""
    stack.db_up()
    sender = _sender()
    assert INTRO in texts(stack.servers.say(sender, "hello"))
    stack.actions.hold.set()
    stack.actions.release.clear()
    result: dict[str, httpx.Response] = {}
    worker = threading.Thread(
        target=lambda: result.update(resp=stack.servers.say(sender, QUESTION_WITH_AGE, timeout=180))
    )
    calls_before = len(stack.actions.actions)
    worker.start()
    try:
        deadline = time.monotonic() + 60
        while "action_faq_followup" not in stack.actions.actions[calls_before:]:
            assert time.monotonic() < deadline, stack.actions.actions
            time.sleep(0.1)
        # Mid-turn: the bot has answered in memory and is waiting for its action.
        assert user_texts(rest_conversation(sender)) == ["hello", QUESTION_WITH_AGE]
        kinds_after_message = [k for k, _ in stored(rest_conversation(sender))][-1]
        assert kinds_after_message == "user"  # the turn's replies are not saved yet
    finally:
        stack.actions.hold.clear()
        stack.actions.release.set()
        worker.join(180)
    assert "Child-Parent Psychotherapy" in texts(result["resp"]) or "CPP" in texts(result["resp"])
    assert user_texts(rest_conversation(sender)) == [
        "hello",
        QUESTION_WITH_AGE,
    ]  # once, not again at the end
    assert [k for k, _ in stored(rest_conversation(sender))].count("bot") >= 2
    assert_no_duplicates(rest_conversation(sender))


def _sms(stack: Stack, body: str, number: str) -> httpx.Response:
    fields = inbound(body, f"SM{time.time_ns():032d}", number=number)
    content, headers = signed(PUBLIC_URL, fields)
    return httpx.post(
        f"{stack.servers.rasa_url}/webhooks/sms/webhook",
        content=content,
        headers=headers,
        timeout=30,
    )


def test_sms_gets_a_twiml_try_again_while_the_database_is_down(stack):
    from xml.sax.saxutils import escape

    stack.proxy.stop()
    number = f"+1312555{uuid.uuid4().int % 10_000:04d}"
    sent_before = len(stack.twilio.sent)
    alerts_before = stack.log().count(ALERT)
    try:
        resp = _sms(stack, "what is cpp", number)
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith("text/xml")
        assert f"<Message>{escape(try_again_text())}</Message>" in resp.text
        assert stack.log().count(ALERT) == alerts_before + 1
        # STOP does not need the conversation store: it is still honoured at once.
        assert "<Response/>" in _sms(stack, "STOP", number).text
        time.sleep(1)
        assert len(stack.twilio.sent) == sent_before
    finally:
        stack.db_up()
    conversation = sms_store.conversation_id(number)
    assert user_texts(conversation) == []
    assert number not in stack.log()


async def test_web_chat_gets_the_kind_text_while_the_database_is_down(stack):
    stack.db_up()
    async with chat(stack.servers.rasa_url) as session:
        await session.start()
        stack.proxy.stop()
        try:
            assert (await session.say("what is cpp", "m-1"))["status"] == "unavailable"
            assert (await session.reply())["text"] == try_again_text()
            history = await session.client.call("history", {}, timeout=30)
            assert history == {"messages": [], "error": "unavailable"}
        finally:
            stack.db_up()
        # The refused message's id was forgotten: the widget's re-send is handled.
        assert (await session.say("what is cpp", "m-1"))["status"] == "ok"
    assert user_texts(session.conversation) == ["what is cpp"]
    assert_no_duplicates(session.conversation)
