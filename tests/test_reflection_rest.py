"""A whole reflection, the journal and reminders through the real Rasa and action
servers, with the caregiver's real words (the test stories only check the paths)."""

from __future__ import annotations

import uuid

import pytest

from bot.channels.rest import conversation_id as rest_conversation
from bot.reflection.journal import list_entries
from bot.reflection.owners import primary_key

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def reflection_servers(shared_servers):
    return shared_servers.servers, shared_servers.db


def test_behavior_question_to_a_saved_and_shared_reflection(reflection_servers):
    servers, db = reflection_servers
    sender = f"r-{uuid.uuid4().hex[:8]}"
    offer = servers.reply(sender, "my 3 year old bites other kids at daycare, why?")
    assert "behavior has meaning" in offer and "reflect" in offer
    first = servers.reply(sender, "yes")
    assert "what happened?" in first.lower() and "skip" in first
    assert "just before" in servers.reply(sender, "she bit a boy who took her truck")
    assert "feeling" in servers.reply(sender, "skip")
    assert "what did you feel" in servers.reply(sender, "maybe she was scared he'd keep it")
    assert "next time" in servers.reply(sender, "I felt embarrassed and really frustrated")
    summary = servers.reply(sender, "stay closer when she plays with the trucks")
    # The reflect-back names their feelings in their words, without advice.
    assert "frustrated" in summary and "embarrassed" in summary, summary
    assert "should" not in summary.lower()
    assert "save" in summary.lower()
    assert "share" in servers.reply(sender, "yes")
    done = servers.reply(sender, "yes")
    assert "saved" in done and "shared" in done
    [entry] = list_entries([primary_key("rest", rest_conversation(sender))], url=db)
    # 3 years is 36 months: the first month of the preschool band (3-6)
    assert entry.shared and entry.theme == "biting_hitting" and entry.age_band == "preschool"
    assert entry.answers["before"] is None  # skipped
    assert entry.answers["what_happened"] == "she bit a boy who took her truck"
    assert "frustrated" in entry.feelings


def test_journal_show_and_delete_with_confirmation(reflection_servers):
    servers, db = reflection_servers
    sender = f"r-{uuid.uuid4().hex[:8]}"
    assert "haven't saved" in servers.reply(sender, "show my reflections")
    servers.reply(sender, "give me something to reflect on")
    for answer in ["he cried at drop off", "skip", "skip", "I felt guilty", "skip"]:
        servers.reply(sender, answer)
    servers.reply(sender, "yes")  # save
    servers.reply(sender, "no")  # not shared
    shown = servers.reply(sender, "show my reflections")
    assert "1. " in shown and "guilty" in shown and "shared" not in shown
    assert "can't be undone" in servers.reply(sender, "delete my reflections")
    assert "kept" in servers.reply(sender, "no")
    assert list_entries([primary_key("rest", rest_conversation(sender))], url=db)
    servers.reply(sender, "delete my reflections")
    assert "deleted 1 saved reflection" in servers.reply(sender, "yes")
    assert list_entries([primary_key("rest", rest_conversation(sender))], url=db) == []


def test_leaving_a_reflection_saves_nothing(reflection_servers):
    servers, db = reflection_servers
    sender = f"r-{uuid.uuid4().hex[:8]}"
    servers.reply(sender, "can we do a reflection")
    servers.reply(sender, "she hid behind the couch when the doorbell rang")
    assert "Nothing was saved" in servers.reply(sender, "stop")
    assert list_entries([primary_key("rest", rest_conversation(sender))], url=db) == []


def test_reminders_need_a_channel_that_can_reach_the_caregiver(reflection_servers):
    servers, _ = reflection_servers
    sender = f"r-{uuid.uuid4().hex[:8]}"
    reply = servers.reply(sender, "remind me to reflect on Mondays and Thursdays at 7pm")
    assert "website chat or by text message" in reply
