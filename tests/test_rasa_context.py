"""The question on screen reaches the NLU pipeline in a copy of the message's metadata."""

from __future__ import annotations

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import ActiveLoop, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot import rasa_context
from bot.safety.asked import ASKED_KEY, Asked, asked_in


def test_a_message_inside_a_form_carries_the_form_and_slot():
    tracker = DialogueStateTracker.from_events(
        "c", [ActiveLoop("reflection_form"), SlotSet("requested_slot", "refl_before")]
    )
    message = UserMessage("he threw it", sender_id="c", metadata={"channel": "web"})
    seen = rasa_context.with_question(message, tracker)
    assert seen.metadata == {
        "channel": "web",
        ASKED_KEY: {"form": "reflection_form", "slot": "refl_before"},
    }
    assert message.metadata == {"channel": "web"}  # the stored message is not changed
    assert asked_in(seen.metadata) == Asked("reflection_form", "refl_before")


def test_a_message_outside_a_form_is_passed_as_it_is():
    message = UserMessage("hi", sender_id="c")
    assert rasa_context.with_question(message, DialogueStateTracker.from_events("c", [])) is message
    assert rasa_context.with_question(message, None) is message


def test_which_questions_ask_for_a_story_about_the_child():
    assert Asked("reflection_form", "refl_next_time").about_the_child
    assert Asked("booking_form", "concern").about_the_child
    assert not Asked("booking_form", "child_age").about_the_child
    assert not Asked().about_the_child
    assert asked_in({ASKED_KEY: "nonsense"}) == Asked()
    assert asked_in(None) == Asked()


def test_installing_wraps_rasas_parse():
    rasa_context.install()
    assert rasa_context.installed()


def test_a_message_right_after_a_reminder_was_set_carries_that_action():
    from rasa.shared.core.events import ActionExecuted

    tracker = DialogueStateTracker.from_events(
        "c",
        [ActionExecuted("reminder_form"), ActionExecuted("action_save_reminder"),
         ActionExecuted("action_listen")],
    )  # fmt: skip
    seen = rasa_context.with_question(UserMessage("make it 8:15 pm", sender_id="c"), tracker)
    assert asked_in(seen.metadata) == Asked(None, None, "action_save_reminder")
    after_faq = DialogueStateTracker.from_events(
        "c", [ActionExecuted("utter_faq"), ActionExecuted("action_listen")]
    )
    message = UserMessage("ok", sender_id="c")
    assert rasa_context.with_question(message, after_faq) is message
