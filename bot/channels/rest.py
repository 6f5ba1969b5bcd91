"""The REST channel, hardened.

Rasa's own RestInput trusts the client's ``input_channel`` and metadata, passes
any ``/intent{...}`` text straight to the dialogue, accepts any size, and logs
the message text when something fails. This one validates the request, applies
the shared text checks, and never logs what the caregiver wrote. When the
conversation store is down (bot.tracking) it answers 503 with
``{"error": ..., "text": <kind "try again" text>}``: the turn was not (or not fully)
recorded, so the client shows the text and the caregiver sends the message again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.guard import check_text
from bot.tracking.unavailable import TrackerStoreUnavailable, try_again_text

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 128
FAILURE_REPLY = (
    "Sorry, something went wrong on our side and I couldn't read your message. "
    "Please try again in a moment."
)


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


class CaregiverRestInput(RestInput):
    """POST /webhooks/rest/webhook with {"sender": "...", "message": "..."}."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:  # sanic raises its own error type for bad JSON
                body = None
            if not isinstance(body, dict):
                return _error(400, 'send a JSON object: {"sender": "...", "message": "..."}')
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not sender.strip():
                return _error(400, '"sender" must be a non-empty string')
            if len(sender) > MAX_SENDER_CHARS:
                return _error(400, f'"sender" must be at most {MAX_SENDER_CHARS} characters')
            if not isinstance(text, str):
                return _error(400, '"message" must be a string')

            # Off the event loop: an over-long message is scanned for danger (spaCy over
            # its pieces), and every other conversation of this worker must go on meanwhile.
            checked = await asyncio.to_thread(check_text, text)
            if checked.reply is not None:
                return response.json([{"recipient_id": sender, "text": checked.reply}])

            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(checked.text, collector, sender, input_channel=self.name())
                )
            except TrackerStoreUnavailable:  # already alerted by the store
                return response.json(
                    {"error": "conversation store unavailable", "text": try_again_text()},
                    status=503,
                )
            except Exception as exc:  # keep the caregiver's words out of the log
                logger.error("rest channel failed to handle a message: %s", type(exc).__name__)
                return response.json(
                    [*collector.messages, {"recipient_id": sender, "text": FAILURE_REPLY}],
                    status=503,
                )
            return response.json(collector.messages)

        return hook
