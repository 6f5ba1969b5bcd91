"""The REST channel, hardened.

Rasa's own RestInput trusts the client's ``input_channel`` and metadata, passes
any ``/intent{...}`` text straight to the dialogue, accepts any size, and logs
the message text when something fails. This one validates the request, applies
the shared text checks and the rate limits (bot.channels.rate_limits), and never logs
what the caregiver wrote. It is for trusted clients: REST_CHANNEL=open (the embedded
default), token (a Bearer REST_CHANNEL_TOKEN) or off (production). Its conversations
are named ``rest:<sender>``, so a REST client can never write into a web chat (a bare
hex id) or an SMS conversation (a keyed hash), whatever sender it sends; replies carry
the sender as the client sent it. When the conversation store is down (bot.tracking)
it answers 503 with ``{"error": ..., "text": <kind "try again" text>}``: the turn was
not (or not fully) recorded, so the client shows the text and the caregiver sends the
message again.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.guard import check_text
from bot.channels.rate_limits import (
    caller_address,
    caller_key,
    check_message,
    limit_reply,
)
from bot.settings import get_settings
from bot.tracking.unavailable import TrackerStoreUnavailable, try_again_text

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 120  # with "rest:" within the tracker store's 128
CONVERSATION_PREFIX = "rest:"
FAILURE_REPLY = (
    "Sorry, something went wrong on our side and I couldn't read your message. "
    "Please try again in a moment."
)


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


def conversation_id(sender: str) -> str:
    """The conversation a REST sender writes to: its own namespace, never a chat's or a
    phone's."""
    return CONVERSATION_PREFIX + sender


def refused_by_mode(request: Request) -> HTTPResponse | None:
    """None when the REST channel lets this request in (REST_CHANNEL, REST_CHANNEL_TOKEN)."""
    settings = get_settings()
    mode = settings.rest_channel.strip().lower()
    if mode == "open":
        return None
    if mode == "token" and settings.rest_channel_token:
        sent = request.headers.get("authorization", "")
        expected = f"Bearer {settings.rest_channel_token}"
        if hmac.compare_digest(sent.encode(), expected.encode()):
            return None
        return _error(401, "send Authorization: Bearer <REST_CHANNEL_TOKEN>")
    return _error(404, "the REST channel is off on this server")


def _caller(request: Request) -> str:
    address = caller_address(
        request.remote_addr or request.ip or "",
        request.headers.get("x-forwarded-for"),
        get_settings().channel_trust_proxy,
    )
    return caller_key(address)


def _recipients_as_sent(messages: list[dict], sender: str) -> list[dict]:
    return [{**m, "recipient_id": sender} if "recipient_id" in m else m for m in messages]


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
            refused = refused_by_mode(request)
            if refused is not None:
                return refused
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

            # Counted before anything reads the text: a flood costs no parsing.
            conversation = conversation_id(sender)
            caller = _caller(request)
            over = await check_message(self.name(), caller, conversation, new_if_unseen=True)
            if over is not None:  # not stored, not read by the bot
                return response.json(
                    {"error": f"too many requests ({over.limit})", "text": limit_reply()},
                    status=429,
                    headers={"Retry-After": str(over.retry_after)},
                )

            # Off the event loop: an over-long message is scanned for danger (spaCy over
            # its pieces), and every other conversation of this worker must go on meanwhile.
            checked = await asyncio.to_thread(check_text, text)
            if checked.reply is not None:
                return response.json([{"recipient_id": sender, "text": checked.reply}])

            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(checked.text, collector, conversation, input_channel=self.name())
                )
            except TrackerStoreUnavailable:  # already alerted by the store
                return response.json(
                    {"error": "conversation store unavailable", "text": try_again_text()},
                    status=503,
                )
            except Exception as exc:  # keep the caregiver's words out of the log
                logger.error("rest channel failed to handle a message: %s", type(exc).__name__)
                return response.json(
                    [
                        *_recipients_as_sent(collector.messages, sender),
                        {"recipient_id": sender, "text": FAILURE_REPLY},
                    ],
                    status=503,
                )
            return response.json(_recipients_as_sent(collector.messages, sender))

        return hook
