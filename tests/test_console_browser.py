"""The staff console in real headless Chromium: what clinic staff do, end to end.

The real app (uvicorn, in a thread) over a seeded tracker store and a migrated SQLite
project database, driven by Playwright with Debian's chromium. Every page must load
without a script error or a Content-Security-Policy violation; the only console errors
allowed are the ones Chromium prints for the HTTP statuses a step expects (403, 401, 429).
Screenshots go to results/screenshots/console-*.png; with UPDATE_DOCS_SCREENSHOTS=1 the
README's docs/console-list.png and docs/console-transcript.png are refreshed too.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.console import accounts, conversations
from bot.db import reset_engine, session_scope
from bot.db.models import SafetyFlag, StaffSession, utcnow
from bot.settings import get_settings
from tests.console_seed import seed_conversations
from tests.servers import ROOT, free_port

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "results" / "screenshots"
DOCS = ROOT / "docs"
PASSWORD = "a long enough password"
VIEWPORT = {"width": 1280, "height": 860}


@dataclass
class Running:
    base: str
    url: str
    tracker_url: str
    flagged_id: str
    flag_id: int
    script_id: str

    @property
    def flagged_masked(self) -> str:
        return conversations.masked_id(self.flagged_id)


@pytest.fixture(scope="module")
def console(tmp_path_factory) -> Iterator[Running]:
    """The console on a free port over its own freshly seeded databases."""
    if not CHROMIUM.exists():
        pytest.skip(f"no chromium at {CHROMIUM}: `make browser` installs Debian's chromium")
    import uvicorn

    from bot.console.app import create_app
    from bot.db.migrate import upgrade

    workdir = tmp_path_factory.mktemp("console-browser")
    url = f"sqlite:///{workdir / 'app.db'}"
    tracker_url = f"sqlite:///{workdir / 'tracker.db'}"
    upgrade(url)
    seed = seed_conversations(tracker_url, url, utcnow())
    accounts.add_staff("ada", "admin", PASSWORD, url=url)
    accounts.add_staff("cleo", "clinician", PASSWORD, url=url)
    flagged_id, flag_id = seed["crisis"], seed["flag_id"]  # a new self_harm flag

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(url=url, tracker_url=tracker_url),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            ws="none",  # Rasa pins a websockets older than uvicorn's; the console needs none
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the console did not start"
        time.sleep(0.05)
    try:
        yield Running(
            f"http://127.0.0.1:{port}", url, tracker_url, flagged_id, flag_id, seed["script"]
        )
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        reset_engine()


@pytest.fixture(scope="module")
def browser(console):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()


class Watched:
    """A page whose console errors are collected; expected HTTP statuses are allowed."""

    def __init__(self, browser, base: str) -> None:
        self.context = browser.new_context(viewport=VIEWPORT, base_url=base, accept_downloads=True)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on(
            "console", lambda m: self.problems.append(m.text) if m.type == "error" else None
        )
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.page.on("dialog", lambda d: self.problems.append(f"a script ran: {d.message}"))

    def allow_status(self, status: int) -> None:
        """Chromium logs a page served with an error status; that one was expected."""
        needle = f"status of {status} "
        self.problems[:] = [p for p in self.problems if needle not in p]

    def check(self) -> None:
        # no script errors, no Content-Security-Policy violations, no unexpected status
        assert not self.problems, self.problems

    def close(self) -> None:
        self.check()
        self.context.close()


@pytest.fixture
def watched(browser, console) -> Iterator[Watched]:
    w = Watched(browser, console.base)
    yield w
    w.close()


def sign_in(w: Watched, username: str = "ada", password: str = PASSWORD) -> None:
    page = w.page
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def shot(w: Watched, name: str, docs: str | None = None, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    w.page.screenshot(path=str(SCREENSHOTS / f"console-{name}.png"), full_page=full_page)
    if docs and os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1":
        DOCS.mkdir(exist_ok=True)
        w.page.screenshot(path=str(DOCS / docs), full_page=False)


def list_rows(page):
    return page.locator("table.list tbody tr")


# --- Scenarios --------------------------------------------------------------------------


def test_sign_in_and_the_flagged_conversation_comes_first(watched, console):
    from playwright.sync_api import expect

    page = watched.page
    page.goto("/conversations")
    expect(page).to_have_url(re.compile(r"/login\?next="))  # not signed in yet
    shot(watched, "login")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/conversations$"))  # back where they were going
    expect(page.get_by_role("heading", name="Conversations")).to_be_visible()

    first = list_rows(page).first
    expect(first.get_by_role("link")).to_have_text(console.flagged_masked)
    expect(first).to_contain_text("Urgent safety flag")
    expect(first).to_have_class(re.compile("row-urgent"))
    assert console.flagged_id not in page.content()  # raw ids never reach the page
    shot(watched, "list", docs="console-list.png", full_page=False)

    page.get_by_role("link", name="Overview").click()
    expect(page.locator("svg.chart")).to_have_count(3)
    expect(page.get_by_role("link", name=re.compile("open safety flag"))).to_be_visible()
    shot(watched, "overview")


def test_filter_by_channel_and_by_flag(watched, console):
    from playwright.sync_api import expect

    page = watched.page
    sign_in(watched)
    page.goto("/conversations")
    everything = list_rows(page).count()

    page.get_by_label("Channel").select_option("sms")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"channel=sms"))
    sms = list_rows(page).count()
    assert 0 < sms < everything
    for row in list_rows(page).all():
        expect(row.locator("td").nth(1)).to_have_text("sms")
    shot(watched, "filter-sms")

    page.get_by_role("link", name="Clear").click()
    page.get_by_label("Flagged only").check()
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"flagged=1"))
    flagged = list_rows(page)
    assert 0 < flagged.count() < everything
    expect(flagged.first.get_by_role("link")).to_have_text(console.flagged_masked)
    shot(watched, "filter-flagged")


def test_open_a_transcript_add_a_note_and_resolve_the_flag(watched, console):
    from playwright.sync_api import expect

    page = watched.page
    sign_in(watched, "cleo")
    page.goto("/conversations")
    list_rows(page).first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/conversations/{console.flagged_masked}$"))
    expect(page.locator(".msg-user").first).to_be_visible()
    expect(page.locator(".msg-bot").first).to_be_visible()
    expect(page.locator(".bubble mark").first).to_be_visible()  # the safety evidence
    expect(page.locator(".msg-user .msg-meta").first).to_contain_text("intent")
    expect(page.locator("#flags")).to_contain_text("Urgent: new")

    page.get_by_label("Add a note").fill("Called the caregiver back; safety plan in place.")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_role("status")).to_have_text("Note added.")
    expect(page.locator(".notes")).to_contain_text("safety plan in place")
    expect(page.locator(".notes")).to_contain_text("cleo")
    shot(watched, "transcript", docs="console-transcript.png", full_page=False)
    shot(watched, "transcript-full")

    flag = page.locator("#flags .item").filter(has_text="Urgent: new").first
    flag.get_by_label(re.compile("Resolution note")).fill("Spoke with her; referred to 988.")
    flag.get_by_role("button", name="Resolve flag").click()
    expect(page.get_by_role("status")).to_have_text("Safety flag resolved.")
    expect(page.locator("#flags")).to_contain_text("Resolved by cleo")
    shot(watched, "flag-resolved")
    with session_scope(console.url) as s:
        flag_row = s.get(SafetyFlag, console.flag_id)
        assert (flag_row.status, flag_row.resolved_by) == ("resolved", "cleo")


def test_a_script_in_a_message_is_shown_as_text(watched, console):
    from playwright.sync_api import expect

    page = watched.page
    sign_in(watched, "cleo")
    page.goto(f"/conversations/{conversations.masked_id(console.script_id)}")
    bubble = page.locator(".msg-user .bubble").first
    expect(bubble).to_contain_text("<script>alert(1)</script>")
    assert bubble.locator("script").count() == 0
    shot(watched, "transcript-script")


def test_export_downloads_csv_and_redacted_json(watched, console, tmp_path):
    page = watched.page
    sign_in(watched)
    page.goto(f"/conversations/{console.flagged_masked}")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = info.value
    assert download.suggested_filename == f"conversation-{console.flagged_masked}.csv"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert len(rows) > 2

    page.goto("/conversations")
    with page.expect_download() as info:
        page.get_by_role("link", name="JSON, redacted").click()
    download = info.value
    assert download.suggested_filename.endswith("-redacted.json")
    download.save_as(tmp_path / "all.json")
    exported = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert len(exported) == list_rows(page).count() or len(exported) > 0
    shot(watched, "export")


def test_idle_staff_are_signed_out(watched, console):
    from playwright.sync_api import expect

    page = watched.page
    sign_in(watched)
    page.goto("/conversations")
    idle = get_settings().console_idle_minutes
    with session_scope(console.url) as s:  # as if the browser had sat idle that long
        s.execute(
            update(StaffSession)
            .where(StaffSession.ended_at.is_(None))
            .values(last_seen_at=utcnow() - timedelta(minutes=idle + 1))
        )
    page.get_by_role("link", name="Flags").click()
    expect(page).to_have_url(re.compile(r"/login\?expired=1"))
    expect(page.get_by_role("status")).to_contain_text(f"signed out after {idle} idle minutes")
    shot(watched, "idle-signed-out")
    page.goto("/flags")
    expect(page).to_have_url(re.compile(r"/login"))  # still signed out


def test_a_clinician_cannot_open_admin_pages(watched, console):
    from playwright.sync_api import expect

    page = watched.page
    sign_in(watched, "cleo")
    expect(page.get_by_role("navigation", name="Main")).not_to_contain_text("Admin")
    for path in ("/admin/staff", "/admin/audit"):
        response = page.goto(path)
        assert response is not None and response.status == 403
        expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
        watched.allow_status(403)
    shot(watched, "clinician-403")

    admin = Watched(page.context.browser, console.base)
    try:
        sign_in(admin, "ada")
        admin.page.get_by_role("link", name="Admin").click()
        expect(admin.page.get_by_role("heading", name="Staff accounts")).to_be_visible()
        admin.page.get_by_role("link", name="Audit log").click()
        expect(admin.page.locator("table.list")).to_contain_text("view transcript")
        shot(admin, "admin-audit")
    finally:
        admin.close()


def test_wrong_passwords_lock_the_account(watched, console):
    """Last in the module: the lock also holds for this address for the whole window."""
    from playwright.sync_api import expect

    page = watched.page
    limit = get_settings().console_login_max_failures
    for _ in range(limit):
        sign_in(watched, "cleo", "not the password, sorry")
        expect(page.get_by_role("alert")).to_contain_text("do not match")
        watched.allow_status(401)
    sign_in(watched, "cleo", PASSWORD)  # the right password, but locked now
    expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-ins")
    watched.allow_status(429)
    expect(page).to_have_url(re.compile(r"/login$"))
    shot(watched, "lockout")
