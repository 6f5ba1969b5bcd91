"""A reminder arrives: opt in over Rasa's callback channel, let the scheduler find it
due (controlled clock), and see the real Rasa server push the reminder to the
caregiver's channel through POST /conversations/{id}/trigger_intent."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import httpx
import pytest

from bot.reflection.owners import primary_key
from bot.reminders.repository import deliveries, get_active
from bot.reminders.scheduler import RasaTrigger, run_once
from tests.http_stub import wait_for_text

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def callback_servers(shared_servers):
    """The shared servers; their callback channel posts to ``inbox`` (the caregiver's side)."""
    return shared_servers.servers, shared_servers.inbox, shared_servers.db


def _send(servers, sender: str, text: str) -> None:
    resp = httpx.post(
        f"{servers.rasa_url}/webhooks/callback/webhook",
        json={"sender": sender, "message": text},
        timeout=60,
    )
    assert resp.status_code == 200, resp.text


async def _run_scheduler(rasa_url: str, now, db: str):
    async with RasaTrigger(rasa_url) as send:
        return await run_once(now, send, url=db)


def test_a_stored_reminder_arrives_through_the_real_server(callback_servers):
    servers, inbox, db = callback_servers
    sender = f"cb-{uuid.uuid4().hex[:8]}"
    start = len(inbox.requests)
    _send(servers, sender, "remind me to reflect on Mondays and Thursdays at 7pm")
    wait_for_text(inbox, "Mondays and Thursdays at 7:00 PM", start)
    reminder = get_active(primary_key("callback", sender), url=db)
    assert reminder is not None and reminder.channel == "callback"

    # The clock moves to just after the due time; the scheduler sends through Rasa.
    start = len(inbox.requests)
    now = reminder.next_due_at + timedelta(minutes=1)
    report = asyncio.run(_run_scheduler(servers.rasa_url, now, db))
    # The database is shared with the other server tests: a reminder the dev conversation
    # sets saved for the same day and time is due too. This one's delivery is checked below.
    assert report.sent >= 1
    wait_for_text(inbox, "reminder you asked for", start)
    [delivery] = deliveries(reminder.id, url=db)
    assert delivery.status == "sent"

    # A second pass at the same moment (or a second scheduler) sends nothing more.
    again = asyncio.run(_run_scheduler(servers.rasa_url, now, db))
    assert again.sent == 0

    # "yes" to the reminder starts a reflection in the same conversation.
    start = len(inbox.requests)
    _send(servers, sender, "yes")
    wait_for_text(inbox, "what happened?", start)
    _send(servers, sender, "stop")
    start = len(inbox.requests)
    _send(servers, sender, "stop reminders")
    wait_for_text(inbox, "stopped your reminders", start)
    assert get_active(primary_key("callback", sender), url=db) is None


def test_reminders_are_listed_changed_and_explained(callback_servers):
    """Which reminder is on and where, a change of time that keeps the days, quiet hours
    explained and the closest time used, and "text me instead" answered instead of switching off."""
    servers, inbox, db = callback_servers
    sender = f"cb-{uuid.uuid4().hex[:8]}"
    key = primary_key("callback", sender)

    start = len(inbox.requests)
    _send(servers, sender, "which reminders do i have")
    wait_for_text(inbox, "don't have any reminders on", start)

    start = len(inbox.requests)
    _send(servers, sender, "yes")
    wait_for_text(inbox, "Which days and what time", start)
    start = len(inbox.requests)
    _send(servers, sender, "tuesdays at 11pm")
    wait_for_text(inbox, "evenings and nights stay quiet", start)
    wait_for_text(inbox, "Tuesdays at 8:00 PM", start)  # the closest time outside them
    reminder = get_active(key, url=db)
    assert reminder is not None and reminder.local_time == "20:00"

    start = len(inbox.requests)
    _send(servers, sender, "move my reminder to 6pm")
    wait_for_text(inbox, "changed your reminder", start)
    reminder = get_active(key, url=db)
    assert (
        reminder is not None and tuple(reminder.weekdays) == (1,) and reminder.local_time == "18:00"
    )

    start = len(inbox.requests)
    _send(servers, sender, "can you text me the reminder instead")
    wait_for_text(inbox, "text us at", start)
    assert get_active(key, url=db) is not None  # not switched off

    start = len(inbox.requests)
    _send(servers, sender, "what reminders are on")
    said = wait_for_text(inbox, "Tuesdays at 6:00 PM", start)
    assert "chat on our website" in said
