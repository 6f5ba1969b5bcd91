"""Text messages (SMS) through Twilio: POST /webhooks/sms/webhook, channel name "sms".

The webhook checks Twilio's signature against the public URL (SMS_PUBLIC_URL), answers
at once with empty TwiML, and handles the message afterwards in a background task:
Twilio gives up after 15 s, and a reply may take longer than that. Replies go out
through Twilio's REST API (bot/channels/twilio_api.py), not in the TwiML, so a slow
bot, a retried send or a reminder all take the same path.

The conversation id is the keyed hash of the caregiver's number (bot.identity), never
the number; carrier keywords (STOP, START, HELP...) are handled here, before Rasa.
A number over its rate limit (bot.channels.rate_limits; carrier keywords are never
limited) is not stored and gets one "too fast" reply an hour in the TwiML.

When the conversation store is down (bot.tracking), a message (other than a carrier
keyword, which does not need it) is answered in the webhook's own TwiML with the kind
"try again" text, status 200 so Twilio delivers it (Twilio does not retry a failed
messaging webhook; the caregiver sends again). A store failure while the message is
being handled gets the same text through the REST API.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot.channels import sms_store
from bot.channels.guard import EMPTY_REPLY, check_text
from bot.channels.rate_limits import check_message, limit_reply
from bot.channels.sms_text import chosen_payload, keyword, split, with_options
from bot.channels.twilio_api import TwilioSender
from bot.reminders.repository import is_opted_out, record_opt_in, record_opt_out
from bot.safety.alerts import mask_conversation
from bot.settings import get_settings
from bot.tracking.unavailable import TrackerStoreUnavailable, try_again_text

logger = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
PICTURE_REPLY = (
    "Thank you for sending that. I can only read text, so I can't see pictures. "
    "Could you tell me in words what you'd like to know?"
)


def _clinic() -> Any:
    from bot.clinic import get_profile

    return get_profile()


def help_reply() -> str:
    clinic = _clinic()
    return (
        f"{clinic.name}: this is our automated assistant for questions about Child-Parent "
        f"Psychotherapy. To talk with a person, call {clinic.phone}. In an emergency, "
        f"{clinic.crisis.emergency.instruction}. Reply STOP to stop messages."
    )


def start_reply() -> str:
    return (
        f"You'll get messages from {_clinic().short_name} again. Reminders stay off until "
        "you ask for them. Reply HELP for help, STOP to stop."
    )


def failure_reply() -> str:
    return (
        "Sorry, something went wrong on our side. Please try again in a moment, or call "
        f"{_clinic().phone}."
    )


def message_twiml(text: str) -> str:
    """TwiML that answers the incoming message with ``text``."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<Response><Message>{escape(text)}</Message></Response>"
    )


async def tracker_down(request: Request) -> bool:
    """The agent's tracker store cannot be reached now (only a strict store can tell)."""
    agent = getattr(request.app.ctx, "agent", None)
    ping = getattr(getattr(agent, "tracker_store", None), "ping", None)
    if ping is None:
        return False
    try:
        await asyncio.to_thread(ping)  # logs the alert line itself
    except TrackerStoreUnavailable:
        return True
    return False


def form_fields(request: Request) -> RequestParameters:
    """The posted form, keeping empty values: Twilio signs an empty Body too, and
    Sanic's own ``request.form`` drops it."""
    if not request.content_type.startswith("application/x-www-form-urlencoded"):
        return RequestParameters()
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return RequestParameters()
    return RequestParameters(parse_qs(text, keep_blank_values=True))


def signature_ok(request: Request, form: RequestParameters) -> bool:
    """Twilio signed this request with our auth token, for our public URL."""
    settings = get_settings()
    signature = request.headers.get("X-Twilio-Signature", "")
    if not settings.twilio_auth_token or not signature:
        return False
    url = settings.sms_public_url
    if request.query_string and "?" not in url:
        url = f"{url}?{request.query_string}"
    return RequestValidator(settings.twilio_auth_token).validate(url, form, signature)


class SmsOutput(OutputChannel):
    """Sends the bot's messages as SMS to the number behind a conversation id.

    Needs no request: Rasa's trigger_intent (reminders) finds it by name ("sms").
    """

    @classmethod
    def name(cls) -> str:
        return "sms"

    def __init__(self, sender: TwilioSender | None = None) -> None:
        self.sender = sender or TwilioSender()

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        crisis = str(kwargs.get("utter_action") or "").startswith("utter_crisis_")
        await self.send_parts(recipient_id, split(text, crisis=crisis))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await asyncio.to_thread(sms_store.offer_buttons, recipient_id, buttons)
        await self.send_text_message(recipient_id, with_options(text, buttons), **kwargs)

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """Custom payloads are for graphical channels; a text message cannot show them."""
        logger.debug("sms: custom payload not sent to %s", mask_conversation(recipient_id))

    async def send_parts(self, recipient_id: str, parts: list[str]) -> None:
        if not parts:
            return
        phone = await asyncio.to_thread(sms_store.contact_phone, recipient_id)
        if phone is None:  # not an SMS conversation we know: keep a trace for staff
            for _ in parts:
                row = await asyncio.to_thread(sms_store.start_outbound, recipient_id, "failed")
                await asyncio.to_thread(
                    sms_store.finish_outbound, row, "failed", error_code="no_contact"
                )
            logger.error("sms: no number for conversation %s", mask_conversation(recipient_id))
            return
        await self.sender.send(recipient_id, phone, parts)


class TwilioSmsInput(InputChannel):
    """Twilio's messaging webhook (form fields From, To, Body, MessageSid, NumMedia...)."""

    @classmethod
    def name(cls) -> str:
        return "sms"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()  # everything comes from bot.settings

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task] = set()
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    def get_output_channel(self) -> OutputChannel:
        return SmsOutput()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            form = form_fields(request)
            if not signature_ok(request, form):
                logger.warning("sms webhook refused: missing or invalid Twilio signature")
                return response.text("invalid signature", status=403)
            fields = {key: form.get(key) or "" for key in form}
            if not fields.get("From") or not fields.get("MessageSid"):
                return response.text("From and MessageSid are required", status=400)
            word = keyword(fields.get("Body", ""))
            if word is None:  # STOP, START and HELP always go through
                conversation = sms_store.conversation_id(fields["From"].strip())
                over = await check_message(self.name(), None, conversation)
                if over is not None:  # not stored; one reply per hour, not one per text
                    text = message_twiml(limit_reply()) if over.first else EMPTY_TWIML
                    return response.text(text, content_type="text/xml")
            if word is None and await tracker_down(request):
                return response.text(message_twiml(try_again_text()), content_type="text/xml")
            self._start(self.handle(fields, on_new_message))
            return response.text(EMPTY_TWIML, content_type="text/xml")

        return hook

    def _start(self, work: Awaitable[None]) -> None:
        """Run after the response; keep a reference so the task is not collected midway."""
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def wait_idle(self) -> None:
        """Wait for messages being handled (tests, and a clean shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    @contextlib.asynccontextmanager
    async def _in_order(self, conversation: str) -> AsyncIterator[None]:
        """One message at a time per conversation, in arrival order (asyncio locks are
        FIFO); the lock is dropped when no message of that conversation waits."""
        lock, users = self._locks.get(conversation, (asyncio.Lock(), 0))
        self._locks[conversation] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[conversation]
            if users <= 1:
                del self._locks[conversation]
            else:
                self._locks[conversation] = (lock, users - 1)

    async def handle(
        self, fields: Mapping[str, str], on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        """One incoming message, once per MessageSid, in arrival order per conversation."""
        number, sid = fields["From"].strip(), fields["MessageSid"]
        conversation = sms_store.conversation_id(number)
        masked = mask_conversation(conversation)
        async with self._in_order(conversation):
            try:
                if not await asyncio.to_thread(sms_store.claim_inbound, sid, conversation):
                    logger.info("sms: duplicate delivery ignored (%s)", masked)
                    return
                await asyncio.to_thread(sms_store.remember_contact, conversation, number)
                await self._respond(fields, conversation, on_new_message)
                status, error = "processed", None
            except Exception as exc:  # keep the caregiver's words and number out of the log
                logger.error("sms: message in %s failed: %s", masked, type(exc).__name__)
                status, error = "failed", type(exc).__name__[:32]
                store_down = isinstance(exc, TrackerStoreUnavailable)
                await self._safe_reply(
                    conversation, try_again_text() if store_down else failure_reply()
                )
            try:
                await asyncio.to_thread(sms_store.finish_inbound, sid, status, error)
            except Exception as exc:
                logger.error(
                    "sms: status of a message in %s not saved: %s", masked, type(exc).__name__
                )

    async def _respond(
        self,
        fields: Mapping[str, str],
        conversation: str,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        body = fields.get("Body", "")
        out = SmsOutput()
        word = keyword(body)
        now = datetime.now(timezone.utc)
        if word == "stop":  # no reply at all: the carrier (or Twilio) confirms
            await asyncio.to_thread(record_opt_out, "sms", conversation, now)
            return
        if word == "start" or (
            word == "yes" and await asyncio.to_thread(is_opted_out, "sms", conversation)
        ):
            await asyncio.to_thread(record_opt_in, "sms", conversation, now)
            await out.send_parts(conversation, split(start_reply()))
            return
        if word == "help":
            await out.send_parts(conversation, split(help_reply()))
            return
        if not body.strip():
            media = str(fields.get("NumMedia") or "0").strip()
            picture = media.isdigit() and int(media) > 0
            await out.send_parts(conversation, split(PICTURE_REPLY if picture else EMPTY_REPLY))
            return
        offered = await asyncio.to_thread(sms_store.take_buttons, conversation)
        text = chosen_payload(body, offered) if offered else None
        if text is None:  # typed words: the same checks as every other channel
            checked = await asyncio.to_thread(check_text, body)  # may load spaCy (long text)
            if checked.reply is not None:
                await out.send_parts(conversation, split(checked.reply))
                return
            text = checked.text
        await on_new_message(UserMessage(text, out, conversation, input_channel=self.name()))

    async def _safe_reply(self, conversation: str, text: str) -> None:
        try:
            await SmsOutput().send_parts(conversation, split(text))
        except Exception as exc:
            logger.error(
                "sms: could not tell %s about a failure: %s",
                mask_conversation(conversation),
                type(exc).__name__,
            )
