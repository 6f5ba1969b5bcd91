"""A whole reflection, the journal and reminders through the real Rasa and action
servers, with the caregiver's real words (the test stories only check the paths)."""

from __future__ import annotations

import uuid

import pytest

from bot.db.migrate import upgrade
from bot.reflection.journal import list_entries
from bot.reflection.owners import primary_key
from tests.servers import run_servers

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def reflection_servers(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("reflection")
    db = f"sqlite:///{workdir / 'app.db'}"
    upgrade(db)
    with run_servers(workdir, env={"DATABASE_URL": db}) as servers:
        yield servers, db


def _say(servers, sender: str, text: str) -> str:
    resp = servers.say(sender, text)
    assert resp.status_code == 200, resp.text
    return "\n".join(m.get("text", "") for m in resp.json())


def test_behavior_question_to_a_saved_and_shared_reflection(reflection_servers):
    servers, db = reflection_servers
    sender = f"r-{uuid.uuid4().hex[:8]}"
    offer = _say(servers, sender, "my 3 year old bites other kids at daycare, why?")
    assert "behavior has meaning" in offer and "reflect" in offer
    first = _say(servers, sender, "yes")
    assert "what happened?" in first.lower() and "skip" in first
    assert "just before" in _say(servers, sender, "she bit a boy who took her truck")
    assert "feeling" in _say(servers, sender, "skip")
    assert "what did you feel" in _say(servers, sender, "maybe she was scared he'd keep it")
    assert "next time" in _say(servers, sender, "I felt embarrassed and really frustrated")
    summary = _say(servers, sender, "stay closer when she plays with the trucks")
    # The reflect-back names their feelings in their words, without advice.
    assert "frustrated" in summary and "embarrassed" in summary, summary
    assert "should" not in summary.lower()
    assert "save" in summary.lower()
    assert "share" in _say(servers, sender, "yes")
    done = _say(servers, sender, "yes")
    assert "saved" in done and "shared" in done
    [entry] = list_entries([primary_key("rest", sender)], url=db)
    # 3 years is 36 months: the first month of the preschool band (3-6)
    assert entry.shared and entry.theme == "biting_hitting" and entry.age_band == "preschool"
    assert entry.answers["before"] is None  # skipped
    assert entry.answers["what_happened"] == "she bit a boy who took her truck"
    assert "frustrated" in entry.feelings


def test_journal_show_and_delete_with_confirmation(reflection_servers):
    servers, db = reflection_servers
    sender = f"r-{uuid.uuid4().hex[:8]}"
    assert "haven't saved" in _say(servers, sender, "show my reflections")
    _say(servers, sender, "give me something to reflect on")
    for answer in ["he cried at drop off", "skip", "skip", "I felt guilty", "skip"]:
        _say(servers, sender, answer)
    _say(servers, sender, "yes")  # save
    _say(servers, sender, "no")  # not shared
    shown = _say(servers, sender, "show my reflections")
    assert "1. " in shown and "guilty" in shown and "shared" not in shown
    assert "can't be undone" in _say(servers, sender, "delete my reflections")
    assert "kept" in _say(servers, sender, "no")
    assert list_entries([primary_key("rest", sender)], url=db)
    _say(servers, sender, "delete my reflections")
    assert "deleted 1 saved reflection" in _say(servers, sender, "yes")
    assert list_entries([primary_key("rest", sender)], url=db) == []


def test_leaving_a_reflection_saves_nothing(reflection_servers):
    servers, db = reflection_servers
    sender = f"r-{uuid.uuid4().hex[:8]}"
    _say(servers, sender, "can we do a reflection")
    _say(servers, sender, "she hid behind the couch when the doorbell rang")
    assert "Nothing was saved" in _say(servers, sender, "stop")
    assert list_entries([primary_key("rest", sender)], url=db) == []


def test_reminders_need_a_channel_that_can_reach_the_caregiver(reflection_servers):
    servers, _ = reflection_servers
    sender = f"r-{uuid.uuid4().hex[:8]}"
    reply = _say(servers, sender, "remind me to reflect on Mondays and Thursdays at 7pm")
    assert "website chat or by text message" in reply
