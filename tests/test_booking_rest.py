"""A whole booking, a handoff and a crisis inside the form, through the REST channel
against the real Rasa server and action server (as `make run` starts them)."""

from __future__ import annotations

import uuid

import pytest

from bot.booking.bookings import list_bookings
from bot.booking.handoffs import list_handoffs
from bot.channels.rest import conversation_id as rest_conversation
from bot.safety.flags import list_flags

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def booking_servers(shared_servers):
    """The shared servers; their project database has the demo team's open times."""
    return shared_servers.servers, shared_servers.db


def test_a_full_booking_lands_in_the_database(booking_servers):
    servers, db = booking_servers
    sender = f"b-{uuid.uuid4().hex[:8]}"
    assert "first name" in servers.reply(sender, "I'd like to book a first visit")
    assert "related to the child" in servers.reply(sender, "my name is Maria")
    assert "How old" in servers.reply(sender, "I'm his mom")
    assert "what has been going on" in servers.reply(sender, "he's 3")
    assert "phone number or email" in servers.reply(sender, "he has nightmares since we moved")
    reply = servers.reply(sender, "555-12")
    assert "doesn't look like a phone number" in reply
    assert "days and times" in servers.reply(sender, "312-555-0147")
    reply = servers.reply(sender, "how much does it cost?")
    assert "Medicaid" in reply and "days and times" in reply  # answered, then the form goes on
    offer = servers.reply(sender, "weekday mornings")
    assert "1. " in offer and "AM" in offer, offer
    confirmation = servers.reply(sender, "2")
    assert "You're booked" in confirmation, confirmation
    [booking] = [b for b in list_bookings(url=db) if b.conversation_id == rest_conversation(sender)]
    assert booking.status == "confirmed" and booking.reference in confirmation
    assert booking.caregiver_first_name == "Maria" and booking.child_age_months == 36


def test_leaving_the_form_books_nothing(booking_servers):
    servers, db = booking_servers
    sender = f"b-{uuid.uuid4().hex[:8]}"
    servers.reply(sender, "can i book an appointment")
    servers.reply(sender, "Sam")
    assert "nothing was booked" in servers.reply(sender, "forget it")
    assert not [b for b in list_bookings(url=db) if b.conversation_id == rest_conversation(sender)]


def test_asking_for_a_person_creates_a_handoff(booking_servers):
    servers, db = booking_servers
    sender = f"b-{uuid.uuid4().hex[:8]}"
    assert "first name" in servers.reply(sender, "can i talk to a real person")
    assert "phone number or email" in servers.reply(sender, "Jo")
    assert "good time" in servers.reply(sender, "jo@example.org")
    assert "what would you like to talk about" in servers.reply(sender, "after 3pm")
    assert "someone will contact you" in servers.reply(sender, "my son's intake paperwork")
    [handoff] = [h for h in list_handoffs(url=db) if h.conversation_id == rest_conversation(sender)]
    assert (handoff.reason, handoff.first_name, handoff.preferred_contact, handoff.topic) == (
        "asked_for_person",
        "Jo",
        "jo@example.org",
        "my son's intake paperwork",
    )


def test_a_person_asked_for_after_a_booking_is_not_asked_for_a_name_again(booking_servers):
    servers, db = booking_servers
    sender = f"b-{uuid.uuid4().hex[:8]}"
    servers.reply(sender, "i want to book a visit")
    servers.reply(sender, "Ana")
    servers.reply(sender, "stop")
    reply = servers.reply(sender, "i'd rather talk to a real person")
    assert "first name" not in reply and "phone number or email" in reply
    servers.reply(sender, "312-555-0147")
    servers.reply(sender, "mornings")
    assert "someone will contact you" in servers.reply(sender, "skip")
    [handoff] = [h for h in list_handoffs(url=db) if h.conversation_id == rest_conversation(sender)]
    assert (handoff.first_name, handoff.topic) == ("Ana", None)


def test_a_crisis_inside_the_form_wins(booking_servers):
    servers, db = booking_servers
    sender = f"b-{uuid.uuid4().hex[:8]}"
    servers.reply(sender, "i want to book a visit")
    servers.reply(sender, "Ana")
    reply = servers.reply(sender, "he is hitting me right now and i am scared")
    assert "1-800-799-7233" in reply and "988" in reply and "related to the child" not in reply
    assert [f.category for f in list_flags(conversation_id=rest_conversation(sender), url=db)] == [
        "domestic_violence"
    ]


def test_a_cancel_without_the_code_is_not_asked_a_third_time(booking_servers):
    servers, _ = booking_servers
    sender = f"b-{uuid.uuid4().hex[:8]}"
    first = servers.reply(sender, "i need to cancel my appointment")
    assert "reference code" in first and "doesn't look like" not in first
    assert "doesn't look like" in servers.reply(sender, "it was something like 4411")
    reply = servers.reply(sender, "the code is 4411B i think")
    assert "call us at" in reply and "What is the reference code" not in reply
