"""The clinic website's chat: Rasa's socket.io channel, hardened.

Rasa's own SocketIOInput lets any web page connect, uses whatever session id the
client names (anyone who guesses or copies one can read and write that
conversation), processes any size of message, passes "/intent{...}" text straight
to the dialogue and processes a message again when a client re-sends it after a
reconnect. This channel keeps its protocol and its name ("socketio": reminders
push to that output channel) and changes what it trusts:

* connect: only origins in ``WEB_ALLOWED_ORIGINS`` (engine.io checks the Origin
  header of every request too; a socket without one is refused here);
* ``session_request`` {"session_id": token?} -> ``session_confirm`` token: the
  conversation id is made by the server and handed out signed
  (``bot.identity.sign``, purpose "web"); a token is accepted back only if it
  verifies, anything else gets a fresh conversation. Messages always go to the
  conversation bound to the socket, whatever ``session_id`` they carry;
* ``user_uttered`` {"message", "message_id"?}: over ``WEB_MAX_MESSAGE_BYTES`` gets
  a "too long" reply (bot.channels.guard, including its crisis scan); only the
  bot's own button payloads pass as intents; a ``message_id`` already seen in this
  conversation is not processed again. The acknowledgement says what happened
  ("limited": over a rate limit, not stored, bot.channels.rate_limits; a socket's
  caller is its address, hashed, and a fresh conversation counts against it);
* ``history`` -> the conversation so far, from the tracker store
  (bot.channels.web_history), so the page can re-render it after a reload.

With several Sanic workers (``RASA_WORKERS``) only websocket transport is offered:
a long-poll's requests are separate connections that can reach different workers,
which don't share socket.io sessions (the widget uses websockets only; the production
proxy refuses long-polling for the same reason), and events for a conversation are
relayed to the sockets of the other processes (``WEB_RELAY``, bot.channels.web_relay).

When the conversation store is down (bot.tracking), a message gets the kind "try
again" text (acknowledgement status "unavailable", and its id is forgotten so a
re-send is handled) and ``history`` answers ``{"messages": [], "error": "unavailable"}``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.channels.guard import TOO_LONG_REPLY, Checked, check_text, crisis_excerpt
from bot.channels.rate_limits import (
    caller_address,
    caller_key,
    check_message,
    check_new_conversation,
    limit_reply,
)
from bot.channels.web_history import transcript
from bot.channels.web_relay import client_manager
from bot.identity import sign, verify
from bot.settings import get_settings
from bot.tracking.agent_hooks import client_message_id
from bot.tracking.unavailable import TrackerStoreUnavailable, try_again_text

logger = logging.getLogger(__name__)

TOKEN_PURPOSE = "web"
MAX_MESSAGE_ID_CHARS = 64
FAILURE_REPLY = (
    "Sorry, something went wrong on our side and I couldn't read your message. "
    "Please try again in a moment."
)


def engineio_transports(env: Mapping[str, str] = os.environ) -> list[str]:
    """Websocket only when Rasa runs several worker processes (SANIC_WORKERS, set by
    bot.prod.rasa_run before the channels are built)."""
    if int(env.get("SANIC_WORKERS") or 1) > 1:
        return ["websocket"]
    return ["polling", "websocket"]


def parse_origins(text: str) -> frozenset[str]:
    """``"https://a.org, https://b.org/"`` -> the origins as browsers send them."""
    return frozenset(o.strip().rstrip("/").lower() for o in text.split(",") if o.strip())


def check_web_text(text: str, max_bytes: int) -> Checked:
    """The guard's checks, with the web's limit counted in UTF-8 bytes.

    An over-long message is scanned for danger by the guard first, so a
    disclosure buried in it still reaches the safety response.
    """
    if len(text.encode("utf-8")) > max_bytes:
        excerpt = crisis_excerpt(text)
        return Checked(text=excerpt) if excerpt else Checked(text=None, reply=TOO_LONG_REPLY)
    return check_text(text)


class RecentIds:
    """The last ``per_session`` client message ids of the last ``sessions`` conversations.

    Bounded and in memory (per Rasa process; a restart forgets it), which is enough
    for its job: a widget re-sending an unacknowledged message after a reconnect.
    """

    def __init__(self, per_session: int = 100, sessions: int = 10_000) -> None:
        self.per_session, self.sessions = per_session, sessions
        self._ids: OrderedDict[str, deque[str]] = OrderedDict()

    def seen(self, conversation: str, message_id: str) -> bool:
        """True if already recorded; otherwise record it (no await: no race)."""
        ids = self._ids.get(conversation)
        if ids is None:
            ids = self._ids[conversation] = deque(maxlen=self.per_session)
            if len(self._ids) > self.sessions:
                self._ids.popitem(last=False)
        self._ids.move_to_end(conversation)
        if message_id in ids:
            return True
        ids.append(message_id)
        return False

    def forget(self, conversation: str, message_id: Any) -> None:
        """Un-record a message that could not be handled, so its re-send is processed."""
        ids = self._ids.get(conversation)
        if ids is not None and message_id in ids:
            ids.remove(message_id)


class _AppBlueprint(SocketBlueprint):
    """Remembers the Sanic app, whose agent holds the tracker store for ``history``."""

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        self.ctx.app = app
        super().register(app, options)


class WebChatInput(SocketIOInput):
    """socket.io at /socket.io for the website widget (web/widget/widget.js)."""

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebChatInput:
        credentials = credentials or {}
        return cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            True,  # always: replies go to the conversation's room, on every open tab
            credentials.get("socketio_path", "/socket.io"),
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = get_settings()
        self.allowed_origins = parse_origins(settings.web_allowed_origins)
        self.max_message_bytes = settings.web_max_message_bytes
        self.recent_ids = RecentIds()

    def origin_allowed(self, origin: str | None) -> bool:
        return bool(origin) and origin.strip().rstrip("/").lower() in self.allowed_origins

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=lambda origin: self.origin_allowed(origin),
            # Room for a too-long message to get its reply, not for megabytes.
            max_http_buffer_size=max(64 * 1024, 16 * self.max_message_bytes),
            transports=engineio_transports(),
            # Events reach sockets held by the other workers or instances (a reminder,
            # a second tab): bot.channels.web_relay.
            client_manager=client_manager(get_settings()),
        )
        hook = _AppBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio  # get_output_channel() uses it for reminders
        namespace = self.namespace

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=namespace)
        async def connect(sid: str, environ: dict, auth: Any = None) -> bool:
            if not self.origin_allowed(environ.get("HTTP_ORIGIN")):
                logger.info("web chat: refused a socket from a page not in WEB_ALLOWED_ORIGINS")
                return False
            address = caller_address(
                environ.get("REMOTE_ADDR", ""),
                environ.get("HTTP_X_FORWARDED_FOR"),
                get_settings().channel_trust_proxy,
            )
            await sio.save_session(sid, {"caller": caller_key(address)}, namespace=namespace)
            return True

        async def bind(sid: str, token: Any) -> str | None:
            """The socket's conversation: the token's if it verifies, else a fresh one
            (None when the caller has started too many conversations this hour)."""
            session = await sio.get_session(sid, namespace=namespace)
            conversation = verify(token, TOKEN_PURPOSE) if isinstance(token, str) else None
            conversation = conversation or session.get("conversation")
            if conversation is None:
                caller = session.get("caller")
                if caller and await check_new_conversation(self.name(), caller) is not None:
                    await SocketIOOutput(sio, self.bot_message_evt).send_text_message(
                        sid, limit_reply()
                    )
                    return None
                conversation = uuid.uuid4().hex
            if session.get("conversation") not in (None, conversation):
                await sio.leave_room(sid, session["conversation"], namespace=namespace)
            await sio.save_session(
                sid, {**session, "conversation": conversation}, namespace=namespace
            )
            await sio.enter_room(sid, conversation, namespace=namespace)
            await sio.emit(
                "session_confirm", sign(conversation, TOKEN_PURPOSE), to=sid, namespace=namespace
            )
            return conversation

        async def conversation_of(sid: str, data: dict) -> tuple[str | None, str | None]:
            """The socket's conversation (None: refused) and its caller's hashed address."""
            session = await sio.get_session(sid, namespace=namespace)
            conversation = session.get("conversation") or await bind(sid, data.get("session_id"))
            return conversation, session.get("caller")

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            await bind(sid, data.get("session_id") if isinstance(data, dict) else None)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: str, data: Any = None) -> dict[str, str]:
            data = data if isinstance(data, dict) else {}
            conversation, caller = await conversation_of(sid, data)
            if conversation is None:  # too many new conversations: already told
                return {"status": "limited"}
            message_id = data.get("message_id")
            if not (isinstance(message_id, str) and 0 < len(message_id) <= MAX_MESSAGE_ID_CHARS):
                message_id = None
            elif self.recent_ids.seen(conversation, message_id):
                return {"status": "duplicate"}
            text = data.get("message")
            if not isinstance(text, str):
                return {"status": "invalid"}
            output = SocketIOOutput(sio, self.bot_message_evt)
            # Counted before anything reads the text; a refused message is not stored.
            if await check_message(self.name(), caller, conversation) is not None:
                self.recent_ids.forget(conversation, message_id)  # a later re-send may pass
                await output.send_text_message(conversation, limit_reply())
                return {"status": "limited"}
            # A long message is scanned with spaCy: keep that off the event loop.
            checked = await asyncio.to_thread(check_web_text, text, self.max_message_bytes)
            if checked.reply is not None:
                await output.send_text_message(conversation, checked.reply)
                return {"status": "replied"}
            try:
                # A named message is stored with its id, so a re-send that reaches
                # another worker (or this one after a restart) is recognised there
                # (bot.tracking.agent_hooks).
                await on_new_message(
                    UserMessage(
                        checked.text,
                        output,
                        conversation,
                        input_channel=self.name(),
                        message_id=client_message_id(message_id) if message_id else None,
                    )
                )
            except TrackerStoreUnavailable:  # already alerted by the store
                self.recent_ids.forget(conversation, message_id)  # a re-send must go through
                await output.send_text_message(conversation, try_again_text())
                return {"status": "unavailable"}
            except Exception as exc:  # keep the caregiver's words out of the log
                logger.error("web chat failed to handle a message: %s", type(exc).__name__)
                await output.send_text_message(conversation, FAILURE_REPLY)
                return {"status": "failed"}
            return {"status": "ok"}

        @sio.on("history", namespace=namespace)
        async def history(sid: str, data: Any = None) -> dict[str, Any]:
            session = await sio.get_session(sid, namespace=namespace)
            conversation = session.get("conversation")
            app = getattr(hook.ctx, "app", None)
            agent = getattr(app.ctx, "agent", None) if app else None
            if not conversation or agent is None or agent.tracker_store is None:
                return {"messages": []}
            try:
                tracker = await agent.tracker_store.retrieve(conversation)
            except TrackerStoreUnavailable:
                return {"messages": [], "error": "unavailable"}
            return {"messages": transcript(tracker.events if tracker else [])}

        return hook
