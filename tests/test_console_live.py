"""The staff console over conversations the real Rasa server wrote.

The other console tests read a tracker store seeded with Rasa's classes; this one starts
the real Rasa server and action server (`tests/servers.py`), holds two conversations over
the REST channel, then signs in to the console and checks what staff see: the list, both
transcripts, the safety flag's evidence, acknowledging and resolving it, the overview's
topics and a CSV export.
"""

from __future__ import annotations

import csv
import html
import io
import re
import uuid

import pytest
from starlette.testclient import TestClient

from bot.channels.rest import conversation_id as rest_conversation
from bot.console import accounts, conversations
from bot.console.app import create_app
from bot.console.review import list_flags
from bot.db import reset_engine
from bot.db.migrate import upgrade
from tests.servers import run_servers

pytestmark = pytest.mark.server

PASSWORD = "a long enough password"
FAQ_MESSAGES = ("hi", "what is cpp", "how long does it take")
CRISIS_TEXT = "I want to end it all tonight"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """Two real conversations; yields (project db url, tracker url, faq id, crisis id, replies)."""
    workdir = tmp_path_factory.mktemp("console-live")
    db = f"sqlite:///{workdir / 'app.db'}"
    upgrade(db)
    faq_id, crisis_id = f"faq-{uuid.uuid4().hex[:8]}", f"crisis-{uuid.uuid4().hex[:8]}"
    replies: dict[str, list[str]] = {faq_id: [], crisis_id: []}
    with run_servers(workdir, env={"DATABASE_URL": db}) as servers:
        # The crisis comes first, so only its flag (not recency) can put it on top of the list.
        replies[crisis_id].append(servers.reply(crisis_id, "hi"))
        replies[crisis_id].append(servers.reply(crisis_id, CRISIS_TEXT))
        for text in FAQ_MESSAGES:
            replies[faq_id].append(servers.reply(faq_id, text))
        tracker_url = f"sqlite:///{servers.tracker_db}"
    accounts.add_staff("ada", "admin", PASSWORD, url=db)
    # From here on, the conversations as stored: REST senders live under "rest:".
    faq_conv, crisis_conv = rest_conversation(faq_id), rest_conversation(crisis_id)
    replies = {faq_conv: replies[faq_id], crisis_conv: replies[crisis_id]}
    yield db, tracker_url, faq_conv, crisis_conv, replies
    reset_engine()


def _hidden(page: str, name: str = "csrf_token") -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', page)
    assert match, f"no hidden {name} in the page"
    return match.group(1)


@pytest.fixture
def client(live) -> TestClient:
    db, tracker_url, *_ = live
    app = create_app(url=db, tracker_url=tracker_url)
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    form = client.get("/login")
    response = client.post(
        "/login",
        data={"username": "ada", "password": PASSWORD, "csrf_token": _hidden(form.text)},
    )
    assert response.status_code == 303, response.text
    return client


def _rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr[^>]*>.*?</tr>", body, flags=re.S)


def _raw_bubbles(page: str, kind: str) -> list[str]:
    """The HTML inside each caregiver ("user") or bot ("bot") bubble."""
    return re.findall(
        rf'<li class="msg msg-{kind}">\s*<div class="bubble">(.*?)</div>', page, flags=re.S
    )


def _text(fragment: str) -> str:
    """A bubble's words: tags stripped, entities decoded, quick-reply buttons left out."""
    words = re.sub(r'<ul class="buttons">.*?</ul>', "", fragment, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", words)).strip()


def _bubbles(page: str, kind: str) -> list[str]:
    """The text of each caregiver or bot bubble, tags stripped ("Caregiver: hi")."""
    return [_text(b) for b in _raw_bubbles(page, kind)]


def _intent_with_confidence(page: str, intent: str) -> bool:
    """The transcript shows ``intent`` on a caregiver message with a two-decimal confidence."""
    pattern = rf'intent <span class="mono">{re.escape(intent)}</span> <span class="conf[^"]*">'
    return re.search(pattern + r"[01]\.\d\d</span>", page) is not None


def test_the_bot_answered_and_flagged_for_real(live):
    db, _, faq_id, crisis_id, replies = live
    assert "988" in replies[crisis_id][1], replies[crisis_id]
    assert replies[faq_id][1] and replies[faq_id][2], replies[faq_id]
    [flag] = list_flags(conversation_id=crisis_id, url=db)
    assert flag.category == "self_harm" and flag.status == "new"
    assert not list_flags(conversation_id=faq_id, url=db)


def test_the_list_shows_both_rest_conversations_flagged_first(live, client):
    _, _, faq_id, crisis_id, _ = live
    page = client.get("/conversations")
    assert page.status_code == 200
    rows = _rows(page.text)
    assert len(rows) == 2
    crisis, faq = rows
    assert conversations.masked_id(crisis_id) in crisis
    assert conversations.masked_id(faq_id) in faq
    assert 'class="row-urgent"' in crisis and "badge-urgent" in crisis
    assert "Urgent safety flag: " in crisis
    assert "badge-urgent" not in faq
    for row in rows:
        assert "<td>rest</td>" in row
    for raw in (faq_id, crisis_id):  # only masked ids on the page
        assert raw not in page.text


def test_the_crisis_transcript_shows_intent_reply_and_evidence(live, client):
    db, _, _, crisis_id, replies = live
    page = client.get(f"/conversations/{conversations.masked_id(crisis_id)}")
    assert page.status_code == 200
    text = page.text
    users = _bubbles(text, "user")
    assert users == ["Caregiver: hi", f"Caregiver: {CRISIS_TEXT}"]
    # the caregiver's words with the flag's evidence highlighted
    [flag] = list_flags(conversation_id=crisis_id, url=db)
    assert flag.evidence
    for evidence in flag.evidence:
        assert f"<mark>{html.escape(evidence)}</mark>" in text
    [crisis_bubble] = [b for b in _raw_bubbles(text, "user") if "tonight" in b]
    assert "<mark>" in crisis_bubble and _text(crisis_bubble).endswith(CRISIS_TEXT)
    # the intent Rasa predicted, with its confidence
    assert _intent_with_confidence(text, "self_harm"), text
    # the bot's crisis reply, as Rasa sent it
    bots = _bubbles(text, "bot")
    crisis_replies = [b for b in bots if "988" in b]
    assert crisis_replies, bots
    assert any(b.removeprefix("Bot: ").strip() in replies[crisis_id][1] for b in crisis_replies)
    assert "Urgent safety flag" in text and "/acknowledge" in text


def test_the_faq_transcript_shows_the_retrieval_intent_and_the_answer(live, client):
    _, _, faq_id, _, replies = live
    page = client.get(f"/conversations/{conversations.masked_id(faq_id)}")
    assert page.status_code == 200
    users = _bubbles(page.text, "user")
    assert users == [f"Caregiver: {t}" for t in FAQ_MESSAGES]
    assert _intent_with_confidence(page.text, "faq/what_is_cpp"), page.text
    bots = " ".join(_bubbles(page.text, "bot"))
    answer = replies[faq_id][1]
    for line in answer.splitlines():
        if line.strip():
            assert line.strip() in bots, (line, bots)
    assert "No safety flags." in page.text


def test_a_post_without_the_csrf_token_changes_nothing(live, client):
    db, _, _, crisis_id, _ = live
    [before] = list_flags(conversation_id=crisis_id, url=db)
    response = client.post(f"/flags/{before.id}/resolve", data={"note": "no token"})
    assert response.status_code in (400, 403)
    [after] = list_flags(conversation_id=crisis_id, url=db)
    assert after.status == before.status


def test_the_overview_lists_a_faq_topic(live, client):
    page = client.get("/")
    assert page.status_code == 200
    charts = re.findall(r"<svg.*?</svg>", page.text, flags=re.S)
    assert len(charts) == 3
    [topics] = [svg for svg in charts if 'aria-label="Most-asked topics"' in svg]
    assert "<title>faq/what_is_cpp: 1</title>" in topics
    assert "self_harm" in topics and "greet" not in topics  # greetings are not topics
    assert '<span class="num">2</span> conversations' in page.text
    assert '<span class="num">1</span> open safety flag' in page.text


def test_a_csv_export_holds_the_caregivers_messages(live, client):
    _, _, faq_id, crisis_id, _ = live
    response = client.get("/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    said = {(row["conversation"], row["text"]) for row in rows if row["speaker"] == "caregiver"}
    faq, crisis = conversations.masked_id(faq_id), conversations.masked_id(crisis_id)
    for text in FAQ_MESSAGES:
        assert (faq, text) in said
    assert (crisis, CRISIS_TEXT) in said
    assert {row["channel"] for row in rows} == {"rest"}
    intents = {row["intent"] for row in rows if row["speaker"] == "caregiver"}
    assert {"self_harm", "faq/what_is_cpp"} <= intents
    assert faq_id not in response.text and crisis_id not in response.text


def test_acknowledging_and_resolving_the_flag_through_the_page(live, client):
    """Last in the file: it changes the flag the tests above see as new."""
    db, _, _, crisis_id, _ = live
    masked = conversations.masked_id(crisis_id)
    here = f"/conversations/{masked}"
    [flag] = list_flags(conversation_id=crisis_id, url=db)
    assert flag.status == "new"
    page = client.get(here).text
    response = client.post(
        f"/flags/{flag.id}/acknowledge",
        data={"csrf_token": _hidden(page), "next": f"{here}#flags"},
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith(here)
    [flag] = list_flags(conversation_id=crisis_id, url=db)
    assert flag.status == "acknowledged" and flag.acknowledged_by == "ada"
    page = client.get(here).text
    assert "Acknowledged by ada" in page and "Urgent safety flag" not in page

    page = client.get(here).text
    response = client.post(
        f"/flags/{flag.id}/resolve",
        data={"csrf_token": _hidden(page), "next": f"{here}#flags", "note": "called back"},
    )
    assert response.status_code == 303, response.text
    [flag] = list_flags(conversation_id=crisis_id, url=db)
    assert (flag.status, flag.resolved_by, flag.note) == ("resolved", "ada", "called back")
    page = client.get(here).text
    assert "Resolved by ada" in page and "Flag resolved" in page
