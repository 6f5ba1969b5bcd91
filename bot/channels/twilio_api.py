"""Sending text messages through Twilio's REST API, without blocking the event loop.

Every part gets a row in ``sms_messages`` before it is sent (queued) and its outcome
after (sent with Twilio's sid, failed with an error code, or blocked_opt_out), so a
message that could not be sent stays visible to staff. Network errors, timeouts, 429
and 5xx are retried with exponential backoff; other 4xx (a bad or opted-out number)
are final. Logs name a masked conversation and an error code, never the text or number.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from bot.channels import sms_store
from bot.reminders.repository import is_opted_out
from bot.safety.alerts import mask_conversation
from bot.settings import get_settings
from bot.tls import tls_context

logger = logging.getLogger(__name__)

BACKOFF_SECONDS = 0.5  # first wait between attempts; doubled each time


@dataclass(frozen=True)
class Outcome:
    """What became of one part."""

    status: str  # sent, failed, blocked_opt_out
    message_sid: str | None = None
    error_code: str | None = None
    attempts: int = 0


def _from_number() -> str:
    from bot.clinic import get_profile

    return get_settings().twilio_from_number or get_profile().sms_number or ""


def _error_code(resp: httpx.Response) -> str:
    """Twilio's own error code (e.g. 21610) when the body has one, else the HTTP status."""
    try:
        code = resp.json().get("code")
    except (ValueError, AttributeError):
        code = None
    return str(code or resp.status_code)[:32]


def _retryable(resp: httpx.Response) -> bool:
    return resp.status_code == 429 or resp.status_code >= 500


class TwilioSender:
    """Sends the parts of one reply in order over one HTTP client."""

    def __init__(self, backoff_seconds: float = BACKOFF_SECONDS) -> None:
        settings = get_settings()
        self.account_sid = settings.twilio_account_sid
        self.auth_token = settings.twilio_auth_token
        self.base_url = settings.twilio_api_base_url.rstrip("/")
        self.timeout = settings.sms_send_timeout_seconds
        self.attempts = max(1, settings.sms_send_attempts)
        self.backoff_seconds = backoff_seconds

    @property
    def url(self) -> str:
        return f"{self.base_url}/2010-04-01/Accounts/{self.account_sid}/Messages.json"

    async def send(self, conversation: str, phone: str, parts: Sequence[str]) -> list[Outcome]:
        """Send ``parts`` to ``phone`` unless the number opted out; stop at the first
        part that fails (the rest are recorded as failed too: "skipped")."""
        if await asyncio.to_thread(is_opted_out, "sms", conversation):
            return [await self._record(conversation, Outcome("blocked_opt_out")) for _ in parts]
        if not (self.account_sid and self.auth_token):
            return [await self._record(conversation, Outcome("failed", None, "not_configured"))]
        outcomes: list[Outcome] = []
        async with httpx.AsyncClient(
            timeout=self.timeout, auth=(self.account_sid, self.auth_token), verify=tls_context()
        ) as client:
            for part in parts:
                if outcomes and outcomes[-1].status != "sent":
                    outcomes.append(
                        await self._record(conversation, Outcome("failed", None, "skipped"))
                    )
                    continue
                row = await asyncio.to_thread(sms_store.start_outbound, conversation)
                outcome = await self._post(client, phone, part)
                await asyncio.to_thread(
                    sms_store.finish_outbound,
                    row,
                    outcome.status,
                    message_sid=outcome.message_sid,
                    error_code=outcome.error_code,
                    attempts=outcome.attempts,
                )
                if outcome.status == "failed":
                    logger.error(
                        "sms to %s not sent after %s attempt(s): %s",
                        mask_conversation(conversation),
                        outcome.attempts,
                        outcome.error_code,
                    )
                outcomes.append(outcome)
        return outcomes

    async def _record(self, conversation: str, outcome: Outcome) -> Outcome:
        """A part that was never posted: record it, and say why in the log."""
        await asyncio.to_thread(
            sms_store.finish_outbound,
            await asyncio.to_thread(sms_store.start_outbound, conversation, outcome.status),
            outcome.status,
            error_code=outcome.error_code,
        )
        level = logging.INFO if outcome.status == "blocked_opt_out" else logging.ERROR
        logger.log(
            level,
            "sms to %s not sent: %s",
            mask_conversation(conversation),
            outcome.error_code or outcome.status,
        )
        return outcome

    async def _post(self, client: httpx.AsyncClient, phone: str, body: str) -> Outcome:
        form = {"To": phone, "From": _from_number(), "Body": body}
        error = "unknown"
        for attempt in range(1, self.attempts + 1):
            if attempt > 1:
                await asyncio.sleep(self.backoff_seconds * 2 ** (attempt - 2))
            try:
                resp = await client.post(self.url, data=form)
            except httpx.TimeoutException:
                error = "timeout"
                continue
            except httpx.TransportError as exc:
                error = type(exc).__name__[:32]
                continue
            if resp.is_success:
                try:
                    sid = resp.json().get("sid")
                except (ValueError, AttributeError):
                    sid = None
                return Outcome("sent", sid, None, attempt)
            error = _error_code(resp)
            if not _retryable(resp):
                return Outcome("failed", None, error, attempt)
        return Outcome("failed", None, error, self.attempts)
