"""The reminder scheduler: each pass claims what is due and starts those conversations.

Several schedulers may run at once (two hosts, a cron job beside a loop): the claim
in bot.reminders.claims makes each due time go to exactly one of them. Database work
runs in worker threads so a slow query never stalls the event loop, and the clock
is a parameter so tests decide what "now" is. Logs carry counts and reminder ids
only, never a conversation id or message text.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import quote

import httpx

from bot.api_auth import auth_headers
from bot.db.models import utcnow
from bot.reminders import claims
from bot.reminders.repository import ReminderRecord
from bot.settings import get_settings

if TYPE_CHECKING:
    from bot.clinic import ClinicProfile

logger = logging.getLogger(__name__)

Sender = Callable[[ReminderRecord], Awaitable[None]]
BATCH = 200  # reminders claimed per query; a pass keeps going while batches come back full
MAX_BATCHES = 50
MAX_CLAIMS_PER_REMINDER = 3  # a late skip, then the one send within grace: never more
TRIGGER_INTENT = "EXTERNAL_reflection_reminder"


@dataclass
class RunReport:
    """What one pass did, as counts (what the log line and the CLI print)."""

    sent: int = 0
    failed: int = 0
    skipped_late: int = 0
    skipped_quiet: int = 0
    skipped_opt_out: int = 0
    lost_race: int = 0
    abandoned: int = 0

    def line(self) -> str:
        """'sent=1 failed=0 skipped_late=0 ...'."""
        return " ".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self))


def default_instance() -> str:
    """'host:pid', recorded on each claim so staff can tell schedulers apart."""
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def error_label(exc: BaseException) -> str:
    """The error's type, plus the HTTP status if it has one: never its message, which
    could quote a conversation id or the server's reply."""
    status = getattr(getattr(exc, "response", None), "status_code", None)
    name = type(exc).__name__
    return (f"{name} {status}" if isinstance(status, int) else name)[:200]


def _rules(profile: ClinicProfile | None, grace: timedelta | None) -> claims.Rules:
    if profile is None:
        from bot.clinic import get_profile

        profile = get_profile()
    if grace is None:
        grace = timedelta(minutes=get_settings().reminder_grace_minutes)
    return claims.Rules(profile.tz, profile.quiet_hours.start, profile.quiet_hours.end, grace)


async def run_once(
    now: datetime,
    send: Sender,
    *,
    url: str | None = None,
    instance: str | None = None,
    profile: ClinicProfile | None = None,
    grace: timedelta | None = None,
) -> RunReport:
    """One pass at time ``now``: mark stale claims abandoned, then claim, skip or send
    every reminder that is due. ``profile`` (default: the clinic profile) gives the time
    zone and quiet hours; ``grace`` defaults to REMINDER_GRACE_MINUTES."""
    rules = _rules(profile, grace)
    instance = instance or default_instance()
    report = RunReport()
    report.abandoned = await asyncio.to_thread(claims.abandon_stale, now, url)
    for _ in range(MAX_BATCHES):
        due = await asyncio.to_thread(claims.due_reminders, now, BATCH, url)
        for reminder in due:
            await _handle(reminder, now, send, instance, rules, url, report)
        if len(due) < BATCH:
            break
    return report


async def _handle(
    reminder: ReminderRecord,
    now: datetime,
    send: Sender,
    instance: str,
    rules: claims.Rules,
    url: str | None,
    report: RunReport,
) -> None:
    """Claim the reminder's due time and act on it; again while it is still due (only
    after a late skip, for the latest time within grace)."""
    for _ in range(MAX_CLAIMS_PER_REMINDER):
        got = await asyncio.to_thread(claims.claim, reminder, now, instance, rules, url)
        if got is None:
            report.lost_race += 1
            return
        if got.outcome == claims.SEND:
            await _send(got, now, send, url, report)
        else:  # the skip outcomes are named like the report's counters
            setattr(report, got.outcome, getattr(report, got.outcome) + 1)
        reminder = got.reminder
        if not (reminder.active and reminder.next_due_at and reminder.next_due_at <= now):
            return


async def _send(
    got: claims.Claim, now: datetime, send: Sender, url: str | None, report: RunReport
) -> None:
    """Send a claimed reminder once. A failure is recorded, not retried: the next due
    time comes anyway, and retrying after an unclear failure risks a double message."""
    try:
        await send(got.reminder)
    except Exception as exc:
        label = error_label(exc)
        logger.warning("reminder %s: send failed (%s)", got.reminder.id, label)
        await asyncio.to_thread(claims.finish, got.delivery_id, "failed", now, label, url)
        report.failed += 1
        return
    await asyncio.to_thread(claims.finish, got.delivery_id, "sent", now, None, url)
    report.sent += 1


async def run_forever(
    send: Sender,
    *,
    poll_seconds: float,
    stop_event: asyncio.Event | None = None,
    clock: Callable[[], datetime] = utcnow,
    url: str | None = None,
    instance: str | None = None,
    profile: ClinicProfile | None = None,
    on_report: Callable[[RunReport], None] | None = None,
    on_error: Callable[[Exception], None] | None = None,
) -> int:
    """Run a pass every ``poll_seconds`` until ``stop_event`` is set; how many passes ran.

    A pass that fails (the database briefly away) is logged by error type and tried
    again at the next poll. Setting the event lets a pass in progress finish first.
    """
    stop_event = stop_event or asyncio.Event()
    instance = instance or default_instance()
    passes = 0
    while not stop_event.is_set():
        try:
            report = await run_once(clock(), send, url=url, instance=instance, profile=profile)
        except Exception as exc:
            logger.error("reminder pass failed: %s", type(exc).__name__)
            if on_error:
                on_error(exc)
        else:
            logger.info("reminder pass: %s", report.line())
            if on_report:
                on_report(report)
        passes += 1
        with contextlib.suppress(asyncio.TimeoutError):  # the poll interval is up
            await asyncio.wait_for(stop_event.wait(), timeout=poll_seconds)
    return passes


# Characters Rasa's route takes as they are (Sanic does not unquote path parameters, so
# escaping '+' or ':' would address a different conversation); the rest are escaped.
_ID_SAFE = "+:@!$&'()*,;=/"


class RasaTrigger:
    """Starts a reminder conversation: POST /conversations/{id}/trigger_intent on Rasa.

    Rasa runs the EXTERNAL_reflection_reminder intent and answers on the reminder's
    output channel; each request carries a fresh admin JWT (bot.api_auth). Only
    connection failures are retried (the request never arrived); a timeout after
    sending or an error status is raised at once, since Rasa may have acted on it and
    a retry could message the caregiver twice.
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        timeout: float | None = None,
        attempts: int = 3,
        backoff_seconds: float = 0.5,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        """``client``: a caller's own AsyncClient (then the caller closes it)."""
        settings = get_settings()
        self.base_url = (base_url or settings.rasa_url).rstrip("/")
        self.attempts = max(1, attempts)
        self.backoff_seconds = backoff_seconds
        self._owns_client = client is None
        self._client = client or httpx.AsyncClient(
            timeout=settings.reminder_send_timeout_seconds if timeout is None else timeout
        )

    def url_for(self, conversation_id: str) -> str:
        """The trigger_intent URL of one conversation."""
        path = quote(conversation_id, safe=_ID_SAFE)
        return f"{self.base_url}/conversations/{path}/trigger_intent"

    async def __call__(self, reminder: ReminderRecord) -> None:
        """Trigger the reminder intent; raises httpx errors (HTTPStatusError on non-2xx)."""
        for attempt in range(1, self.attempts + 1):
            try:
                response = await self._client.post(
                    self.url_for(reminder.conversation_id),
                    params={"output_channel": reminder.channel},
                    json={"name": TRIGGER_INTENT, "entities": {}},
                    headers=auth_headers(),  # Rasa's API takes only signed admin tokens
                )
            except (httpx.ConnectError, httpx.ConnectTimeout):
                if attempt == self.attempts:
                    raise
                await asyncio.sleep(self.backoff_seconds * attempt)
                continue
            response.raise_for_status()
            return

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> RasaTrigger:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
