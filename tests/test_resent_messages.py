"""A message its client re-sends is run once, whichever Rasa process gets the copy.

The web widget re-sends a message that was not acknowledged after a reconnect, with
the same id. The web channel remembers ids per process; with two workers (or instances,
or after a restart) the copy can reach a process that never saw the first, so the
processor checks the conversation itself (bot.tracking.agent_hooks). Two agents loaded
from the real model on one SQLite tracker store stand for two workers.
"""

from __future__ import annotations

from rasa.core.agent import load_agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.events import UserUttered
from rasa.utils.endpoints import EndpointConfig

from bot.tracking.agent_hooks import client_message_id
from tests.servers import MODEL


def _say(text: str, conversation: str, message_id: str | None) -> UserMessage:
    return UserMessage(
        text,
        CollectingOutputChannel(),
        conversation,
        input_channel="socketio",
        message_id=message_id,
    )


async def test_a_resent_message_reaching_another_worker_is_not_run_again(tmp_path):
    store = EndpointConfig(
        type="bot.tracking.store.StrictSQLTrackerStore", dialect="sqlite", db=str(tmp_path / "t.db")
    )
    first, other = [
        await load_agent(model_path=str(MODEL), endpoints=AvailableEndpoints(tracker_store=store))
        for _ in range(2)
    ]
    named = client_message_id("m-1")

    answered = await first.handle_message(_say("what is cpp", "c", named))
    again = await other.handle_message(_say("what is cpp", "c", named))
    second = client_message_id("m-2")
    next_one = await other.handle_message(_say("how much does it cost", "c", second))
    # Without a client's id (REST, SMS) the same words are a new message.
    unnamed = await other.handle_message(_say("what is cpp", "c", None))

    assert answered and next_one and unnamed
    assert again == []
    tracker = await other.tracker_store.retrieve("c")
    users = [e for e in tracker.events if isinstance(e, UserUttered)]
    assert [e.text for e in users] == ["what is cpp", "how much does it cost", "what is cpp"]
    assert [e.message_id for e in users][:2] == [named, second]
