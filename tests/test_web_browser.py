"""The clinic page and its chat widget in real headless Chromium.

Real Rasa and action servers, the real page server (`python -m bot web`) and
Debian's chromium driven by Playwright: what a caregiver does, end to end.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.servers import BIN, ROOT

pytestmark = [pytest.mark.server, pytest.mark.browser]

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "results" / "screenshots"
REPLY_MS = 90_000


@pytest.fixture(scope="module")
def page_url(tmp_path_factory, shared_servers) -> Iterator[str]:
    """The page server talking to the shared Rasa, on the port that Rasa allows."""
    if not CHROMIUM.exists():
        pytest.skip(f"no chromium at {CHROMIUM}: `make browser` installs Debian's chromium")
    workdir = tmp_path_factory.mktemp("web-browser")
    url = shared_servers.page_origin
    port = url.rpartition(":")[2]
    env = {"WEB_ALLOWED_ORIGINS": url}
    rasa_url = shared_servers.servers.rasa_url
    log = (workdir / "web.log").open("w")
    page_server = subprocess.Popen(
        [BIN / "python", "-m", "bot", "web", "--port", port, "--socket-url", rasa_url],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(50):
            try:
                if httpx.get(url, timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield url
    finally:
        page_server.terminate()
        page_server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(page_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()


def _wait_idle(page) -> None:
    """Until every sent message is acknowledged (the typing indicator is gone)."""
    page.locator(".cppchat-typing-on").wait_for(state="detached", timeout=REPLY_MS)


def test_a_caregiver_chats_clicks_a_button_and_keeps_the_history(browser, page_url):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(page_url)

    # Keyboard: the launcher opens the chat and puts focus in the labelled message box.
    page.get_by_role("button", name="Chat with us").focus()
    page.keyboard.press("Enter")
    box = page.get_by_label("Your message")
    expect(box).to_be_focused()
    expect(page.get_by_role("log", name="Conversation")).to_be_visible()
    expect(page.locator(".cppchat-note")).to_contain_text("In an emergency, call 911")
    expect(page.locator(".cppchat-note")).to_contain_text("read only by clinic staff")

    box.fill("what is cpp")
    box.press("Enter")
    bot = page.locator(".cppchat-bot")
    expect(bot.nth(1)).to_be_visible(timeout=REPLY_MS)  # the intro, then the answer
    _wait_idle(page)
    expect(bot.first).to_contain_text("automated assistant")
    assert "CPP" in bot.nth(1).inner_text() or "Psychotherapy" in bot.nth(1).inner_text()

    box.fill("my son bites at daycare, why?")
    box.press("Enter")
    not_now = page.locator(".cppchat-replies").get_by_role("button", name="Not now")
    expect(not_now).to_be_visible(timeout=REPLY_MS)
    bots_before = bot.count()
    not_now.click()
    expect(page.locator(".cppchat-user").last).to_have_text("You said: Not now")
    expect(not_now).to_have_count(0)  # the buttons go once one is used
    _wait_idle(page)
    assert bot.count() > bots_before  # the bot answered the click

    box.fill("what's your phone number?")
    box.press("Enter")
    _wait_idle(page)
    expect(bot.last.locator('a[href^="tel:"]').first).to_be_visible()

    messages = page.locator(".cppchat-msg")
    before = messages.all_text_contents()
    page.reload()
    expect(page.get_by_role("log", name="Conversation")).to_be_visible()  # still open
    expect(messages).to_have_count(len(before), timeout=10_000)  # re-rendered from the server
    assert messages.all_text_contents() == before
    expect(page.locator(".cppchat-user").first).to_have_text("You said: what is cpp")

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "web-chat.png"))
    assert not problems, problems  # no script errors, no Content-Security-Policy violations
    page.close()


def test_bot_text_is_never_markup(browser, page_url):
    page = browser.new_page()
    page.goto(page_url)
    page.wait_for_function("window.cppChat !== undefined")
    page.evaluate(
        """() => window.cppChat.addBotMessage({
            text: '<img src=x onerror="window.pwned=1"> '
                + 'see https://example.org/a?b=1. or 1-800-422-4453 or a.b@clinic.example.',
            quick_replies: [{title: '<b>Yes</b>', payload: '/affirm'}]})"""
    )
    message = page.locator(".cppchat-bot").last
    assert message.locator("img").count() == 0
    assert "<img src=x" in message.inner_text()
    assert message.locator("a").nth(0).get_attribute("href") == "https://example.org/a?b=1"
    assert message.locator("a").nth(1).get_attribute("href") == "tel:18004224453"
    assert message.locator("a").nth(2).get_attribute("href") == "mailto:a.b@clinic.example"
    assert page.locator(".cppchat-reply").inner_text() == "<b>Yes</b>"
    assert page.evaluate("window.pwned") is None
    page.close()


def test_the_chat_fills_a_phone_screen(browser, page_url):
    page = browser.new_page(viewport={"width": 375, "height": 740}, is_mobile=True)
    page.goto(page_url)
    page.get_by_role("button", name="Chat with us").click()
    box = page.locator(".cppchat-panel").bounding_box()
    assert box and box["width"] == 375 and box["height"] == 740
    send = page.get_by_role("button", name="Send").bounding_box()
    assert send and send["y"] + send["height"] <= 740  # the send button is on screen
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "web-chat-phone.png"))
    page.close()
