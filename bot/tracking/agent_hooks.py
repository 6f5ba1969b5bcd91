"""Changes to how Rasa's agent uses a strict tracker store (``STRICT = True``).

Rasa has no setting for either, so ``install()`` (called when a strict store is
constructed, which Rasa does before it builds the agent) replaces two names in
``rasa.core.agent``; both behave exactly as before for every other tracker store:

* ``Agent._create_tracker_store`` wraps every store in ``FailSafeTrackerStore``; a
  strict store is now used as it is, so its errors reach the channel;
* ``MessageProcessor`` becomes ``InboundFirstProcessor``, which saves the tracker right
  after the user's message is parsed and logged, before the dialogue runs any action.
  Rasa saves the whole turn only at its end, so a crash or a lost action server in
  between lost the message. The end-of-turn save then appends only the newer events.
  It also skips a message whose client re-sent it (the web widget re-sends what was
  not acknowledged after a reconnect) when the conversation already holds it: the
  channel's own memory of message ids is per process, and the re-send may reach another
  Rasa worker or instance, or the same one after a restart.

Both run inside the agent's per-conversation lock (Redis in production), so with
several Rasa instances one turn at a time writes to a conversation.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core import agent as rasa_agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

# Marks a message id its client chose and may send again (bot/channels/web.py).
CLIENT_ID_PREFIX = "client:"


def client_message_id(client_id: str) -> str:
    """The Rasa message id of a message the client named ``client_id``."""
    return CLIENT_ID_PREFIX + client_id


def is_strict(store: Any) -> bool:
    return bool(getattr(store, "STRICT", False))


class InboundFirstProcessor(MessageProcessor):
    """Rasa's processor, saving the user's message before the bot acts on it."""

    async def handle_message(self, message: UserMessage) -> list[dict[str, Any]] | None:
        # Inside the agent's conversation lock: an earlier copy is stored by now.
        if await self._handled_before(message):
            logger.info("a re-sent message was handled before; it is not run again")
            return [] if isinstance(message.output_channel, CollectingOutputChannel) else None
        return await super().handle_message(message)

    async def _handled_before(self, message: UserMessage) -> bool:
        """A client-named message already in the conversation (this session)."""
        if not str(message.message_id).startswith(CLIENT_ID_PREFIX):
            return False
        tracker = await self.tracker_store.retrieve(message.sender_id)
        return tracker is not None and any(
            isinstance(event, UserUttered) and event.message_id == message.message_id
            for event in tracker.events
        )

    async def log_message(
        self, message: UserMessage, should_save_tracker: bool = True
    ) -> DialogueStateTracker:
        # handle_message asks for no save here (it saves at the end of the turn).
        save = should_save_tracker or is_strict(self.tracker_store)
        return await super().log_message(message, should_save_tracker=save)


_original_create_tracker_store = rasa_agent.Agent._create_tracker_store


def _create_tracker_store(store: TrackerStore | None, domain: Domain) -> TrackerStore:
    if is_strict(store):
        store.domain = domain
        return store
    return _original_create_tracker_store(store, domain)


def install() -> None:
    """Idempotent; see the module docstring."""
    rasa_agent.Agent._create_tracker_store = staticmethod(_create_tracker_store)
    rasa_agent.MessageProcessor = InboundFirstProcessor


def installed() -> bool:
    return rasa_agent.MessageProcessor is InboundFirstProcessor
