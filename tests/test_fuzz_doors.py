"""Random and hostile input at every door: nothing breaks, grows or is kept.

A bounded fuzz run (seeded: FUZZ_SEED repeats one; FUZZ_ROUNDS sets how many requests a
door gets) against the REST and SMS webhooks of the real Rasa server, the website
chat's socket.io endpoint, and the staff console (in-process, a real database). Every
answer must be a deliberate one (never a 5xx), the servers must keep answering, their
memory must stay bounded, and input that was refused must leave nothing stored.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import string
import tracemalloc
import uuid
from urllib.parse import quote

import httpx
import pytest

SEED = int(os.environ.get("FUZZ_SEED") or random.SystemRandom().randrange(1 << 30))
ROUNDS = int(os.environ.get("FUZZ_ROUNDS") or 120)
HOSTILE_TEXTS = [
    "/ /self_harm",
    "/\t/book_appointment",
    '/ /inform{"CHILD_AGE":"3"}',
    "\x00\x01\x02",
    "' OR 1=1; --",
    "<script>alert(1)</script>",
    "{{7*7}}",
    "%s%s%s%n",
    "\u202e\u200b\ufeff",
    "😀" * 500,
    "a" * 5000,
    "../../etc/passwd",
]


def _text(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return rng.choice(HOSTILE_TEXTS)
    if kind == 1:
        return "".join(rng.choice(string.printable) for _ in range(rng.randrange(1, 200)))
    if kind == 2:
        chars = (rng.randrange(1, 0x2FFFF) for _ in range(rng.randrange(1, 50)))
        return "".join(chr(c) for c in chars if not 0xD800 <= c <= 0xDFFF)  # no lone surrogates
    return rng.choice(["hi", "what is cpp", "yes", "2", "stop"]) + rng.choice(["", "?", " !!"])


def _json_value(rng: random.Random, depth: int = 0) -> object:
    kind = rng.randrange(7 if depth < 3 else 5)
    if kind == 0:
        return _text(rng)
    if kind == 1:
        return rng.choice([0, -1, 10**30, 1.5e308, True, None])
    if kind == 2:
        return ""
    if kind == 3:
        return [_text(rng)]
    if kind == 4:
        return rng.choice(HOSTILE_TEXTS)
    if kind == 5:
        return [_json_value(rng, depth + 1) for _ in range(rng.randrange(3))]
    return {_text(rng)[:20]: _json_value(rng, depth + 1) for _ in range(rng.randrange(3))}


def _rss_mb(pid: int) -> float:
    """The resident memory of a process and its children (Sanic workers)."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
            with open(f"/proc/{current}/task/{current}/children") as children:
                pids += [int(p) for p in children.read().split()]
        except (FileNotFoundError, StopIteration, ProcessLookupError):
            continue
    return total / 1024


def _stored_senders(tracker_db) -> set[str]:
    with sqlite3.connect(tracker_db) as db:
        return {row[0] for row in db.execute("SELECT DISTINCT sender_id FROM events")}


@pytest.mark.server
def test_fuzzing_the_rest_sms_and_chat_doors(shared_servers):
    print(f"FUZZ_SEED={SEED}")
    rng = random.Random(SEED)
    servers = shared_servers.servers
    base = servers.rasa_url
    before_mb = _rss_mb(servers.rasa_pid)
    refused: list[str] = []
    with httpx.Client(timeout=60) as client:
        for i in range(ROUNDS):
            sender = f"fuzz-{uuid.uuid4().hex[:8]}"
            shape = rng.randrange(4)
            if shape == 0:  # a well-formed envelope with any message
                body = json.dumps({"sender": sender, "message": _text(rng)})
            elif shape == 1:  # any JSON at all
                value = {"sender": sender, "message": _json_value(rng), "x": _json_value(rng)}
                body = json.dumps(value if rng.random() < 0.7 else _json_value(rng))
            elif shape == 2:  # not JSON
                body = _text(rng)
            else:  # a wrong sender
                body = json.dumps({"sender": _json_value(rng), "message": "hi"})
            headers = {"Content-Type": rng.choice(["application/json", "text/plain", "x/y"])}
            got = client.post(
                f"{base}/webhooks/rest/webhook", content=body.encode("utf-8"),
                headers=headers,
            )  # fmt: skip
            assert got.status_code < 500 or got.status_code == 503, (i, got.status_code)
            if got.status_code in (400, 413):
                refused.append(sender)
            # The SMS webhook: unsigned (refused) or with a random form.
            form = {"Body": _text(rng), "From": _text(rng)[:20], "MessageSid": _text(rng)[:40]}
            sms = client.post(f"{base}/webhooks/sms/webhook", data=form)
            assert sms.status_code in (400, 403, 413), (i, sms.status_code)
            # The website chat's handshake with random query strings.
            query = {"EIO": rng.choice(["4", "3", "x", ""]), "transport": _text(rng)[:30]}
            chat = client.get(f"{base}/socket.io/", params=query)
            assert chat.status_code < 500, (i, chat.status_code)
        assert client.post(
            f"{base}/webhooks/rest/webhook", json={"sender": "fuzz-after", "message": "what is cpp"}
        ).status_code == 200  # fmt: skip
    stored = _stored_senders(servers.tracker_db)
    assert not stored & set(refused), "a refused request was stored"
    assert _rss_mb(servers.rasa_pid) - before_mb < 150, "the Rasa server's memory grew"


def test_fuzzing_the_console(db_url, tmp_path):
    """Signed out and signed in, random paths, queries, headers and form fields."""
    from starlette.testclient import TestClient

    from bot.console import accounts, audit
    from bot.console.app import create_app
    from bot.db.models import utcnow
    from tests.console_seed import seed_conversations

    print(f"FUZZ_SEED={SEED}")
    rng = random.Random(SEED)
    tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    seed_conversations(tracker_url, db_url, utcnow())
    accounts.add_staff("ada", "admin", "a long enough password", url=db_url)
    app = create_app(url=db_url, tracker_url=tracker_url)
    paths = ["/", "/login", "/logout", "/conversations", "/flags", "/handoffs", "/reflections",
             "/admin/audit", "/admin/staff", "/export", "/static/console.css"]  # fmt: skip
    signed_out = TestClient(app, base_url="https://testserver", follow_redirects=False)
    signed_in = TestClient(app, base_url="https://testserver", follow_redirects=False)
    form = signed_in.get("/login").text
    token = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    signed_in.post(
        "/login",
        data={"username": "ada", "password": "a long enough password", "csrf_token": token},
    )
    audit_before = audit.count_audit(url=db_url)
    tracemalloc.start()
    for i in range(ROUNDS * 3):
        client = rng.choice([signed_out, signed_in])
        path = rng.choice(paths)
        if rng.random() < 0.3:
            junk = "".join(rng.choice(string.printable) for _ in range(rng.randrange(30)))
            path += "/" + quote(junk + rng.choice(["", "\x00", "%00", "../.."]), safe="/%.")
        params = {_text(rng)[:10]: _text(rng)[:100] for _ in range(rng.randrange(4))}
        headers = {f"x-{k}": "v" * rng.randrange(100) for k in range(rng.randrange(5))}
        if rng.random() < 0.5:
            data = {_text(rng)[:10]: _text(rng) for _ in range(rng.randrange(5))}
            got = client.post(path, params=params, data=data, headers=headers)
        else:
            got = client.get(path, params=params, headers=headers)
        assert got.status_code < 500, (i, path, got.status_code)
        assert got.headers.get("x-frame-options") == "DENY", (i, path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 200 * 1024 * 1024
    # Refused and anonymous requests add no audit entries beyond the pages staff looked at.
    assert audit.count_audit("login", url=db_url) == 1
    assert audit.count_audit(url=db_url) - audit_before <= ROUNDS * 3
