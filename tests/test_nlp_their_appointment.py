"""An appointment the caregiver already has, to cancel or move, read from the words when
the classifier read the message as something else (bot.nlp.reading_rules)."""

from __future__ import annotations

import pytest

from bot.nlp.relabel import asks_about_their_appointment


# Written for this test (2026-12-07, #22), after the kinds the dev set bc22/bc23 missed.
@pytest.mark.parametrize(
    ("text", "label", "wanted"),
    [
        ("tengo una cita para mi hijo, I need change the day. code WG-7K3F9Q", "out_of_scope",
         "reschedule_booking"),
        ("need to push my appointment, work called me in", "book_appointment",
         "reschedule_booking"),
        ("I must ask to move our son's first appointment, I have jury duty", "inform",
         "reschedule_booking"),
        ("tengo que cancelar la cita de mi hija, nos mudamos", "out_of_scope", "cancel_booking"),
        ("I want to book my son's first visit, I can't change my work days", "book_appointment",
         None),
        ("can I cancel later if something comes up", "faq/cancellation", None),
        ("can we book something next week", "book_appointment", None),
        ("my appointment was great, thank you", "thank", None),
    ],
)  # fmt: skip
def test_their_own_appointment_to_cancel_or_move(text, label, wanted):
    assert asks_about_their_appointment(text, label) == wanted


@pytest.mark.parametrize(
    ("text", "label", "starts"),
    [("how do we get started?", "faq/referrals", True),
     ("how do I sign him up", "faq/referrals", True),
     ("who can refer us?", "faq/referrals", False),
     ("how do we start", "faq/phases", True),
     ("how do we start", "faq/cost", False)],
)  # fmt: skip
def test_how_to_start_is_a_booking(text, label, starts):
    from bot.nlp.reading_rules import asks_how_to_start

    assert asks_how_to_start(text, label, "faq") is starts


def test_a_question_about_a_visit_already_booked_is_not_a_booking():
    """'i got an intake scheduled, anything i need to have with me' was read as a wish to
    book (NLU dev set dev_composed, 2026-12-07)."""
    from bot.nlp.relabel import asks_about_a_visit_they_have

    text = "i got an intake scheduled, anything i need to have with me"
    assert asks_about_a_visit_they_have(text, "book_appointment")
    assert not asks_about_a_visit_they_have(text, "faq/cost")
    another = "i have an appointment booked, can i book another for my daughter"
    assert not asks_about_a_visit_they_have(another, "book_appointment")
    assert not asks_about_a_visit_they_have("i want to book, what do i bring", "book_appointment")
