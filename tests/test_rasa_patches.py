"""The patched Rasa internals behave as Rasa's own: action-response check, event lookup."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import BotUttered, Event, SlotSet, UserUttered, deserialise_events
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_patches


@pytest.fixture
def action(monkeypatch) -> RemoteAction:
    monkeypatch.setattr(
        RemoteAction, "_validate_action_result", RemoteAction._validate_action_result
    )
    rasa_patches.install()
    return RemoteAction("action_faq_followup", EndpointConfig("http://127.0.0.1:1/webhook"))


def test_installing_replaces_rasas_check(action):
    assert rasa_patches.installed()


def test_a_well_formed_response_passes(action):
    result = {
        "events": [{"event": "slot", "name": "child_age", "value": 3, "timestamp": None}],
        "responses": [{"text": "Thanks"}],
    }
    assert action._validate_action_result(result) is True


@pytest.mark.parametrize(
    "result",
    [
        {"events": [{"event": "no_such_event"}]},
        {"events": "not a list"},
        {"responses": ["not an object"]},
    ],
)
def test_a_malformed_response_fails_as_in_rasa(action, result):
    with pytest.raises(ValidationError) as ours:
        action._validate_action_result(result)
    with pytest.raises(ValidationError) as rasas:
        rasa_patches._original(action, result)
    assert ours.value.message == rasas.value.message
    assert "Failed to validate Action server response" in ours.value.message


@pytest.fixture
def patched_events(monkeypatch) -> None:
    monkeypatch.setattr(Event, "resolve_by_type", staticmethod(rasa_patches._original_resolve))
    rasa_patches.install()


def test_event_names_resolve_to_the_classes_rasa_finds(patched_events):
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert len(names) > 20
    for name in names:
        assert Event.resolve_by_type(name) is rasa_patches._original_resolve(name)


def test_unknown_event_names_behave_as_in_rasa(patched_events):
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=UserUttered) is UserUttered
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")


def test_an_event_class_defined_later_is_found(patched_events):
    assert Event.resolve_by_type("bot") is BotUttered  # the table is built

    class LateEvent(SlotSet):
        type_name = "late_event_for_the_test"

    assert Event.resolve_by_type("late_event_for_the_test") is LateEvent


def test_a_stored_conversation_reads_back_the_same(patched_events):
    events = [UserUttered("hi", {"name": "greet"}), BotUttered("hello"), SlotSet("x", 1)]
    read = deserialise_events([e.as_dict() for e in events])
    assert read == events


async def test_the_model_is_warmed_up_as_soon_as_it_is_loaded(monkeypatch, tmp_path):
    """The first parse (DIET's TensorFlow graph, seconds) runs at start, in each worker,
    not on a caregiver's first message; nothing is stored by it."""
    from rasa.core.agent import Agent
    from rasa.core.utils import AvailableEndpoints

    from tests.servers import MODEL

    parsed: list[str] = []
    parse = Agent.parse_message

    async def recording_parse(self: Agent, text: str) -> dict:
        parsed.append(text)
        return await parse(self, text)

    monkeypatch.setattr(Agent, "parse_message", recording_parse)
    endpoints = AvailableEndpoints(
        tracker_store=EndpointConfig(
            type="bot.tracking.store.StrictSQLTrackerStore",
            dialect="sqlite",
            db=str(tmp_path / "t.db"),
        )
    )
    app = SimpleNamespace(ctx=SimpleNamespace())
    rasa_patches.install()

    from rasa.core import run as rasa_run

    agent = await rasa_run.load_agent_on_start(str(MODEL), endpoints, None, app, None)
    assert app.ctx.agent is agent and agent.is_ready()
    assert parsed == [rasa_patches.WARM_UP_TEXT]
    assert list(await agent.tracker_store.keys()) == []
