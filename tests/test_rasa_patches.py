"""The cached check of action-server responses behaves as Rasa's own check."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
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
