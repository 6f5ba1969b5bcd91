"""Three speed fixes for Rasa 3.6, installed by ``bot.prod.rasa_run`` before Rasa starts.

1. After every call to the action server, ``RemoteAction._validate_action_result`` runs
   ``jsonschema.validate(result, schema)``, which checks the schema itself against the
   JSON Schema meta-schema before it checks the result: about 23 ms of CPU per custom
   action with jsonschema 4.17, more than the rest of an FAQ turn's dialogue work. Here
   the validator is built once and checks only the result, with the same schema, the
   same ``ValidationError`` and the same message.
2. Every event read back (a conversation loaded from the tracker store at each turn, the
   events an action returns) is resolved by ``Event.resolve_by_type``, which walks the
   whole ``Event`` class tree and checks each class with ``inspect.isabstract``, about
   30 classes for each event. Here the name-to-class table is built once, in the same
   order, and rebuilt when a name is missing (an event class imported later).
3. The first message a Rasa process handles builds TensorFlow's graph for DIET and
   makes every lazy import on the path: seconds, paid by the first caregiver of each
   process (each Sanic worker). Here ``load_agent_on_start`` parses one message right
   after loading the model, so the process is warm before it takes traffic.

Re-check all three on any Rasa upgrade.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core import run as rasa_run
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

_original = RemoteAction._validate_action_result
_original_resolve = Event.resolve_by_type
_original_load_on_start = rasa_run.load_agent_on_start
WARM_UP_TEXT = "hello"


@lru_cache(maxsize=1)
def _validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, instead of once per action call
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    try:
        _validator().validate(result)
        return True
    except ValidationError as e:
        e.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise e


_event_classes: dict[str, type[Event]] = {}


def _index_event_classes() -> None:
    table: dict[str, type[Event]] = {}
    for cls in all_subclasses(Event):
        table.setdefault(cls.type_name, cls)  # the first match wins, as in Rasa's loop
    _event_classes.clear()
    _event_classes.update(table)


def _resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """``Event.resolve_by_type`` from a table instead of a walk of the class tree."""
    if type_name not in _event_classes:
        _index_event_classes()
    if type_name in _event_classes:
        return _event_classes[type_name]
    return _original_resolve(type_name, default)  # "topic", the default, or its error


async def _load_and_warm_agent_on_start(*args: Any, **kwargs: Any) -> Any:
    """Rasa's ``load_agent_on_start`` (a server listener), then one parse, not stored."""
    agent = await _original_load_on_start(*args, **kwargs)
    if agent is not None and agent.is_ready():
        await agent.parse_message(WARM_UP_TEXT)
    return agent


def install() -> None:
    """Idempotent; before ``rasa run`` registers its listeners."""
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_by_type)
    rasa_run.load_agent_on_start = _load_and_warm_agent_on_start


def installed() -> bool:
    return (
        RemoteAction._validate_action_result is _validate_action_result
        and Event.resolve_by_type is _resolve_by_type
        and rasa_run.load_agent_on_start is _load_and_warm_agent_on_start
    )
