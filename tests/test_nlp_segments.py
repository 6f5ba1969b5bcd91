"""Greetings set aside and parts split, as the classifier sees a message."""

from __future__ import annotations

import pytest

from bot.nlp.segments import gives_only_a_contact, is_question, segment


@pytest.mark.parametrize(
    ("text", "main"),
    [
        ("hi, do u take medicaid", "do u take medicaid"),
        ("Good morning! sorry to bother you. How long is a session?", "How long is a session?"),
        ("hey there quick question: where are you", "where are you"),
        ("Hello again, I'd like to book a visit", "I'd like to book a visit"),
        # Nothing after the greeting worth reading alone: the whole message.
        ("hi", "hi"),
        ("hello there!", "hello there!"),
        ("thank you so much!", "thank you so much!"),
        ("ok thanks bye", "ok thanks bye"),
        # Words that only start like a greeting are not one.
        ("hiking with kids?", "hiking with kids?"),
        ("yesterday he bit me", "yesterday he bit me"),
    ],
)
def test_an_opening_greeting_is_set_aside(text, main):
    assert segment(text).main == main


def test_the_greeting_flag_and_where_the_request_starts():
    text = "hi, I want to book"
    result = segment(text)
    assert result.greeting and text[result.main_start :] == "I want to book"
    assert not segment("I want to book").greeting


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("how long is each session and how much does it cost?",
         ("how long is each session", "how much does it cost?")),
        ("my son is 4. he bites. what is cpp?", ("my son is 4.", "he bites.", "what is cpp?")),
        ("my son and daughter both come", ("my son and daughter both come",)),
        ("yes", ()),
    ],
)  # fmt: skip
def test_parts_are_sentences_and_joined_questions(text, parts):
    assert segment(text).parts == parts


def test_a_very_long_message_keeps_its_opening_and_its_end():
    text = " ".join(f"Sentence number {i} is here." for i in range(20))
    parts = segment(text).parts
    assert len(parts) == 6
    assert parts[0].startswith("Sentence number 0") and parts[-1].startswith("Sentence number 19")


@pytest.mark.parametrize(
    ("part", "asks"),
    [
        ("i would like to set up a first appointment please", True),
        ("id like to book", True),
        ("we really need someone to call us", True),
        ("pls book us in", True),
        ("i love her so much", False),
        ("since then shes been waking up screaming every night", False),
    ],
)
def test_a_request_said_as_a_wish_asks_like_a_question(part, asks):
    # After long context the request is what the message asks, not the backstory.
    assert is_question(part) is asks


@pytest.mark.parametrize(
    ("text", "last"),
    [
        ("she hides under the table when anybody raises their voice and somebody at church "
         "told me about you all and I would like to get her an appointment",
         "I would like to get her an appointment"),
        ("My wife booked a first visit for our daughter but we need to cancel it - we're moving",
         "we need to cancel it - we're moving"),
        ("he is 3 so can you help us", "can you help us"),
    ],
)  # fmt: skip
def test_a_request_joined_to_a_story_is_a_part_of_its_own(text, last):
    assert segment(text).parts[-1] == last


def test_a_wish_inside_a_story_is_not_split():
    assert segment("he cries and i want to scream").parts == ("he cries and i want to scream",)


@pytest.mark.parametrize(
    ("part", "only"),
    [("Contact used: 312-555-0111.", True), ("my email is ana@example.org", True),
     ("call me at 312-555-0111", False), ("text me on 312 555 0111", False),
     ("I have duty that day.", False),
     ("my number is 312 555 0111 and i need someone to talk to about my son", False)],
)  # fmt: skip
def test_a_part_that_only_hands_over_a_contact_asks_for_nothing(part, only):
    assert gives_only_a_contact(part) is only
