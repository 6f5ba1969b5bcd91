"""The staff console over HTTP: sign-in, cookies, CSRF, escaping, audit, roles, exports.

Starlette's TestClient drives the real app against a migrated project database
(SQLite and PostgreSQL) and a seeded SQLite tracker store; nothing of ours is mocked.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import update
from starlette.testclient import TestClient

from bot.console import accounts, audit, conversations
from bot.console.app import create_app
from bot.console.web_security import CONTENT_SECURITY_POLICY
from bot.db import session_scope
from bot.db.models import SafetyFlag, StaffSession, utcnow
from bot.settings import get_settings
from tests.console_seed import seed_conversations

PASSWORD = "a long enough password"
HTTPS = "https://testserver"


@dataclass
class Console:
    url: str
    tracker_url: str
    seed: dict

    def client(self, base_url: str = HTTPS, **kwargs) -> TestClient:
        app = create_app(url=self.url, tracker_url=self.tracker_url, **kwargs)
        return TestClient(app, base_url=base_url, follow_redirects=False)


@pytest.fixture
def console(db_url, tmp_path) -> Iterator[Console]:
    tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    seed = seed_conversations(tracker_url, db_url, utcnow())
    accounts.add_staff("ada", "admin", PASSWORD, url=db_url)
    accounts.add_staff("cleo", "clinician", PASSWORD, url=db_url)
    yield Console(db_url, tracker_url, seed)


def _hidden(html: str, name: str = "csrf_token") -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert match, f"no hidden {name} in the page"
    return match.group(1)


def login(client: TestClient, username: str = "ada", password: str = PASSWORD):
    form = client.get("/login")
    assert form.status_code == 200
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": _hidden(form.text)},
    )


def signed_in(console: Console, username: str = "ada", **kwargs) -> TestClient:
    client = console.client(**kwargs)
    response = login(client, username)
    assert response.status_code == 303, response.text
    return client


def csrf_of(client: TestClient, path: str = "/conversations") -> str:
    return _hidden(client.get(path).text)


def _flagged(console: Console) -> tuple[str, int]:
    """The seeded crisis conversation and its new self_harm flag."""
    return console.seed["crisis"], console.seed["flag_id"]


# --- Sign-in, cookies, sessions ---------------------------------------------------------


def test_pages_need_a_sign_in(console):
    client = console.client()
    for path in ("/", "/conversations", "/flags", "/admin/audit"):
        response = client.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")
    assert client.get("/conversations?flagged=1").headers["location"] == (
        "/login?next=%2Fconversations%3Fflagged%3D1"
    )


def test_login_sets_a_strict_http_only_secure_cookie_and_a_new_session_id(console):
    client = console.client()
    client.cookies.set("cpp_console", "planted-by-someone-else", domain="testserver.local")
    first = login(client)
    assert first.status_code == 303 and first.headers["location"] == "/"
    cookie = next(c for c in first.headers.get_list("set-cookie") if c.startswith("cpp_console="))
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert {"httponly", "samesite=strict", "secure", "path=/"} <= flags
    token = cookie.split(";")[0].split("=", 1)[1]
    assert token != "planted-by-someone-else" and len(token) >= 40
    assert client.get("/").status_code == 200

    again = console.client()
    second = login(again)
    token2 = second.cookies.get("cpp_console")
    assert token2 and token2 != token  # each sign-in a brand-new session id


def test_no_secure_flag_over_plain_http_unless_configured(console, monkeypatch):
    plain = login(console.client(base_url="http://testserver"))
    cookie = next(c for c in plain.headers.get_list("set-cookie") if c.startswith("cpp_console="))
    assert "secure" not in cookie.lower() and "httponly" in cookie.lower()

    monkeypatch.setenv("CONSOLE_SECURE_COOKIE", "true")
    get_settings.cache_clear()
    try:
        # (a Secure cookie is never sent back over plain http, so only the form is checked)
        form = console.client(base_url="http://testserver").get("/login")
        assert "secure" in form.headers["set-cookie"].lower()
    finally:
        monkeypatch.delenv("CONSOLE_SECURE_COOKIE")
        get_settings.cache_clear()


def test_wrong_password_is_refused_then_locked(console):
    client = console.client()
    limit = get_settings().console_login_max_failures
    for _ in range(limit):
        response = login(client, password="not the password at all")
        assert response.status_code == 401
        assert "do not match" in response.text
        assert "cpp_console=" not in response.headers.get("set-cookie", "")
    locked = login(client)  # even the right password, once locked
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.text
    assert audit.count_audit("login_failed", url=console.url) == limit + 1


def test_login_form_needs_its_double_submit_token(console):
    client = console.client()
    client.get("/login")
    response = client.post(
        "/login", data={"username": "ada", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 403
    other = console.client()  # a token from another browser's form, without its cookie
    token = _hidden(console.client().get("/login").text)
    response = other.post(
        "/login", data={"username": "ada", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 403


def test_logout_ends_the_session_on_the_server(console):
    client = signed_in(console)
    token = client.cookies.get("cpp_console")
    response = client.post("/logout", data={"csrf_token": csrf_of(client)})
    assert response.status_code == 303 and response.headers["location"] == "/login?bye=1"
    assert (
        'cpp_console=""' in response.headers["set-cookie"]
        or "Max-Age=0" in (response.headers["set-cookie"])
    )
    replay = console.client()
    replay.cookies.set("cpp_console", token)
    assert replay.get("/").status_code == 303  # the old token no longer works


def test_logout_needs_the_csrf_token(console):
    client = signed_in(console)
    assert client.post("/logout", data={"csrf_token": "nope"}).status_code == 403
    assert client.get("/").status_code == 200  # still signed in


def test_an_idle_session_expires_with_a_message(console):
    client = signed_in(console)
    idle = timedelta(minutes=get_settings().console_idle_minutes, seconds=5)
    with session_scope(console.url) as s:  # as if the browser had sat idle that long
        s.execute(update(StaffSession).values(last_seen_at=utcnow() - idle))
    response = client.get("/conversations")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?expired=1")
    page = client.get(response.headers["location"])
    assert "signed out after" in page.text and "idle minutes" in page.text
    # and it stays ended: a fresh clock doesn't revive it
    with session_scope(console.url) as s:
        s.execute(update(StaffSession).values(last_seen_at=utcnow()))
    assert client.get("/").status_code == 303


def test_create_app_can_shorten_the_idle_limit(console):
    client = signed_in(console, idle_minutes=1 / 60)  # one second
    assert client.get("/conversations").status_code == 200
    time.sleep(1.5)
    response = client.get("/conversations")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?expired=1")


def test_security_headers_on_every_response(console):
    client = signed_in(console)
    for path in ("/login", "/", "/conversations", "/static/console.css", "/nowhere"):
        response = client.get(path)
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["cache-control"] == "no-store"
    assert client.get("/nowhere").status_code == 404


# --- Roles ------------------------------------------------------------------------------


def test_a_clinician_cannot_open_admin_pages(console):
    client = signed_in(console, "cleo")
    assert "/admin/staff" not in client.get("/").text  # not in the navigation either
    for path in ("/admin/audit", "/admin/staff"):
        response = client.get(path)
        assert response.status_code == 403
        assert "for administrators" in response.text
    cleo = accounts.find_staff("cleo", url=console.url)
    token = csrf_of(client)
    response = client.post(f"/admin/staff/{cleo.id}/disable", data={"csrf_token": token})
    assert response.status_code == 403
    assert accounts.find_staff("cleo", url=console.url).active


def test_an_admin_disables_an_account_and_its_sessions_end(console):
    cleo_client = signed_in(console, "cleo")
    admin = signed_in(console)
    page = admin.get("/admin/staff")
    assert page.status_code == 200 and "cleo" in page.text
    cleo = accounts.find_staff("cleo", url=console.url)
    response = admin.post(
        f"/admin/staff/{cleo.id}/disable", data={"csrf_token": _hidden(page.text)}
    )
    assert response.status_code == 303
    assert not accounts.find_staff("cleo", url=console.url).active
    assert cleo_client.get("/").status_code == 303  # signed out at once
    audit_page = admin.get("/admin/audit?action=staff_disable")
    assert audit_page.status_code == 200 and "staff:cleo" in audit_page.text


# --- Conversations ----------------------------------------------------------------------


def test_the_flagged_conversation_is_first_in_the_list(console):
    client = signed_in(console)
    flagged_id, _ = _flagged(console)
    page = client.get("/conversations")
    assert page.status_code == 200
    first = re.search(r'href="/conversations/(c-[0-9a-f]+)"', page.text).group(1)
    assert first == conversations.masked_id(flagged_id)
    assert "Urgent safety flag" in page.text
    assert flagged_id not in page.text  # only masked ids reach the page


def test_filters_narrow_the_list(console):
    client = signed_in(console)
    everything = client.get("/conversations").text
    sms = client.get("/conversations?channel=sms").text
    flagged = client.get("/conversations?flagged=1").text
    count = lambda html: len(re.findall(r'<tr(?: class="[^"]*")?>\s*<td><a href="/conv', html))  # noqa: E731
    assert 0 < count(sms) < count(everything)
    assert 0 < count(flagged) < count(everything)
    assert "Urgent safety flag" in flagged


def test_a_transcript_shows_script_as_text(console):
    client = signed_in(console)
    conversation_id = console.seed["script"]
    page = client.get(f"/conversations/{conversations.masked_id(conversation_id)}")
    assert page.status_code == 200
    assert "&lt;script&gt;" in page.text
    assert "<script" not in page.text.lower()


def test_viewing_a_transcript_writes_exactly_one_audit_row(console):
    client = signed_in(console)
    conversation_id, _ = _flagged(console)
    before = audit.count_audit(url=console.url)
    page = client.get(f"/conversations/{conversations.masked_id(conversation_id)}")
    assert page.status_code == 200
    assert audit.count_audit(url=console.url) == before + 1
    rows, _ = audit.list_audit(per_page=1, url=console.url)
    assert (rows[0].action, rows[0].actor, rows[0].conversation_id) == (
        "view_transcript",
        "ada",
        conversation_id,
    )


def test_the_transcript_highlights_safety_evidence_and_shows_intents(console):
    client = signed_in(console)
    conversation_id, _ = _flagged(console)
    page = client.get(f"/conversations/{conversations.masked_id(conversation_id)}").text
    assert "<mark>" in page
    assert 'class="msg msg-user"' in page and 'class="msg msg-bot"' in page
    assert re.search(r"intent <span class=\"mono\">[a-z_/]+</span>", page)


def test_unknown_conversation_is_404(console):
    client = signed_in(console)
    assert client.get("/conversations/c-0000000000").status_code == 404
    raw = console.seed["crisis"]  # a raw id is never accepted in a URL
    assert client.get(f"/conversations/{raw}").status_code == 404


def test_changes_need_the_csrf_token(console):
    client = signed_in(console)
    conversation_id, flag_id = _flagged(console)
    masked = conversations.masked_id(conversation_id)
    for path, data in (
        (f"/conversations/{masked}/note", {"text": "called back"}),
        (f"/conversations/{masked}/review", {}),
        (f"/flags/{flag_id}/resolve", {}),
    ):
        assert client.post(path, data=data).status_code == 403
        assert client.post(path, data={**data, "csrf_token": "wrong"}).status_code == 403
    with session_scope(console.url) as s:
        assert s.get(SafetyFlag, flag_id).status == "new"


def test_staff_actions_record_who_and_write_audit_rows(console):
    client = signed_in(console, "cleo")
    conversation_id, flag_id = _flagged(console)
    masked = conversations.masked_id(conversation_id)
    token = csrf_of(client)

    response = client.post(
        f"/conversations/{masked}/note", data={"csrf_token": token, "text": "Called the mother."}
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/conversations/{masked}?done=note"
    response = client.post(f"/flags/{flag_id}/acknowledge", data={"csrf_token": token})
    assert response.status_code == 303
    response = client.post(
        f"/flags/{flag_id}/resolve", data={"csrf_token": token, "note": "safety plan made"}
    )
    assert response.status_code == 303
    client.post(f"/conversations/{masked}/tag", data={"csrf_token": token, "tag": "crisis"})
    client.post(f"/conversations/{masked}/review", data={"csrf_token": token})

    with session_scope(console.url) as s:
        flag = s.get(SafetyFlag, flag_id)
        assert (flag.status, flag.resolved_by, flag.acknowledged_by) == ("resolved", "cleo", "cleo")
    page = client.get(f"/conversations/{masked}").text
    assert "Called the mother." in page and "#crisis" in page and "Reviewed" in page
    for action in ("note", "flag_acknowledge", "flag_resolve", "tag", "mark_reviewed"):
        assert audit.count_audit(action, url=console.url, conversation_id=conversation_id) == 1


def test_an_empty_note_is_refused_with_a_message(console):
    client = signed_in(console)
    conversation_id, _ = _flagged(console)
    masked = conversations.masked_id(conversation_id)
    response = client.post(
        f"/conversations/{masked}/note", data={"csrf_token": csrf_of(client), "text": "  "}
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.text


def test_a_form_cannot_send_staff_to_another_site(console):
    client = signed_in(console)
    _, flag_id = _flagged(console)
    response = client.post(
        f"/flags/{flag_id}/acknowledge",
        data={"csrf_token": csrf_of(client), "next": "//evil.example/"},
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/conversations/c-")


# --- Exports ----------------------------------------------------------------------------


def test_export_one_conversation_as_csv_and_json(console):
    client = signed_in(console)
    conversation_id = console.seed["script"]  # a phone number, an email, a name
    masked = conversations.masked_id(conversation_id)

    plain = client.get(f"/conversations/{masked}/export.csv")
    assert plain.status_code == 200
    assert plain.headers["content-type"].startswith("text/csv")
    assert "attachment" in plain.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(plain.text)))
    assert len(rows) > 2 and masked in plain.text

    redacted = client.get(f"/conversations/{masked}/export.csv?redact=1")
    assert redacted.status_code == 200 and "redacted" in redacted.headers["content-disposition"]
    for private in ("555-0134", "dana.k@example.com"):
        assert private in plain.text and private not in redacted.text
    assert "[phone]" in redacted.text and "[email]" in redacted.text

    as_json = client.get(f"/conversations/{masked}/export.json?redact=1")
    assert as_json.status_code == 200
    assert json.loads(as_json.text)  # valid JSON
    assert "555-0134" not in as_json.text and "[phone]" in as_json.text

    exports, _ = audit.list_audit(action="export", url=console.url)
    assert len(exports) == 3
    assert {(e.detail["format"], e.detail["redacted"], e.detail["count"]) for e in exports} == {
        ("csv", False, 1),
        ("csv", True, 1),
        ("json", True, 1),
    }
    assert all(e.conversation_id == conversation_id for e in exports)


def test_export_a_filtered_set(console):
    client = signed_in(console)
    everything = client.get("/export.json")
    assert everything.status_code == 200
    sms = client.get("/export.json?channel=sms")
    assert 0 < len(json.loads(sms.text)) < len(json.loads(everything.text))
    csv_rows = list(csv.DictReader(io.StringIO(client.get("/export.csv?flagged=1").text)))
    assert csv_rows
    assert client.get("/export.xml").status_code == 404
    entry = audit.list_audit(action="export", per_page=1, url=console.url)[0][0]
    assert entry.detail["filters"]["flagged"] is True and entry.detail["format"] == "csv"


# --- Other pages ------------------------------------------------------------------------


def test_overview_and_work_queues_render(console):
    client = signed_in(console, "cleo")
    overview = client.get("/")
    assert overview.status_code == 200
    assert overview.text.count("<svg") == 3 and "Conversations per day" in overview.text
    for path in ("/flags", "/flags?show=all", "/handoffs", "/handoffs?show=all", "/reflections"):
        assert client.get(path).status_code == 200, path
    for action in ("view_overview", "view_flags", "view_handoffs", "view_reflections"):
        assert audit.count_audit(action, url=console.url) >= 1


def test_the_audit_log_is_shown_to_admins_and_never_changed_by_pages(console):
    client = signed_in(console)
    client.get("/conversations")
    before = audit.count_audit(url=console.url)
    page = client.get("/admin/audit")
    assert page.status_code == 200 and "view list" in page.text
    assert audit.count_audit(url=console.url) == before + 1  # only its own view_audit row
    methods = {
        method
        for route in client.app.routes
        if getattr(route, "path", "").startswith("/admin/audit")
        for method in route.methods
    }
    assert methods <= {"GET", "HEAD"}


def test_no_message_text_or_personal_data_in_the_logs(console, caplog):
    """Sign in, search, read, export: the console's log lines carry none of the words."""
    from tests.console_seed import CRISIS_EVIDENCE

    caplog.set_level("DEBUG")
    client = signed_in(console)
    client.get("/conversations", params={"q": "end it all"})
    masked = conversations.masked_id(console.seed["script"])
    client.get(f"/conversations/{masked}")
    client.get(f"/conversations/{masked}/export.json")
    flagged, _ = _flagged(console)
    client.get(f"/conversations/{conversations.masked_id(flagged)}")
    logged = caplog.text
    assert caplog.records, "expected the console's own log lines (sign-in) to be captured"
    for private in (CRISIS_EVIDENCE, "end it all", "<script>", "Dana", console.seed["script"]):
        assert private not in logged


def test_requests_without_a_login_leave_nothing_behind(console):
    """Each request used to stay in a cache keyed on the request, never freed."""
    import gc
    import tracemalloc

    client = console.client()
    body = {"csrf_token": "x" * 50_000}  # under the body limit: the pages must see it
    for _ in range(10):  # warm-up: imports, pools, templates
        client.post("/logout", data=body)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for _ in range(100):
        client.post("/logout", data=body)
    gc.collect()
    growth = sum(s.size_diff for s in tracemalloc.take_snapshot().compare_to(before, "filename"))
    tracemalloc.stop()
    assert growth < 2_000_000, growth  # 100 requests of 50 KB each were kept before


@pytest.mark.parametrize("page", ["99999999999999999999", "9" * 5000, "-7", "2.5", "x"])
def test_any_page_number_gives_a_page(console, page):
    """A huge page number used to overflow the database's OFFSET: 500, without headers."""
    client = signed_in(console)
    for path in ("/admin/audit", "/reflections", "/conversations", "/flags", "/handoffs"):
        response = client.get(f"{path}?page={page}")
        assert response.status_code == 200, (path, response.status_code)
        assert response.headers["x-frame-options"] == "DENY"


def test_oversized_headers_and_bodies_are_refused_at_the_door(console):
    from bot.console.request_limits import MAX_BODY_BYTES, MAX_HEADER_BYTES, MAX_HEADERS

    client = console.client()
    many = {f"x-h{i}": "v" for i in range(MAX_HEADERS + 1)}
    assert client.get("/login", headers=many).status_code == 431
    big = {"x-big": "v" * (MAX_HEADER_BYTES + 1)}
    response = client.get("/login", headers=big)
    assert response.status_code == 431 and response.headers["x-frame-options"] == "DENY"
    body = {"csrf_token": "x" * (MAX_BODY_BYTES + 1)}
    assert client.post("/login", data=body).status_code == 413

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(MAX_BODY_BYTES // 1000 + 2):
            yield b"a=" + b"x" * 998

    streamed = client.post(
        "/logout", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert streamed.status_code == 413
    assert client.get("/login").status_code == 200  # and the console goes on
