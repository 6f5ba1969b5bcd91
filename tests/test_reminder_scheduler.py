"""Reminders on real databases (SQLite and PostgreSQL): opt-in, opt-out, and the scheduler's
exactly-once claim under concurrency, crashes, downtime and quiet hours; plus the Rasa call."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.clinic import QuietHours
from bot.db import reset_engine, session_scope
from bot.db.models import ChannelOptOut
from bot.reminders import claims
from bot.reminders.repository import (
    ReminderRecord,
    ReminderRefused,
    deliveries,
    get_active,
    is_opted_out,
    list_reminders,
    opt_in,
    record_opt_in,
    record_opt_out,
    stop,
)
from bot.reminders.schedule import ALL_DAYS, Schedule
from bot.reminders.scheduler import RasaTrigger, RunReport, run_forever, run_once
from tests.http_stub import http_stub as rasa_stub

CHICAGO = ZoneInfo("America/Chicago")
UTC = timezone.utc
QUIET = ("20:30", "08:00")
NOW = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)  # Monday 8:00 AM in Chicago
MON_THU_7PM = Schedule((0, 3), time(19))
FIRST_DUE = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # Monday Nov 30, 7:00 PM CST
THURSDAY_DUE = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)  # Thursday Dec 3, 7:00 PM CST
MINUTE = timedelta(minutes=1)


class Crash(BaseException):
    """Stands in for the process dying mid-send (not an Exception: nothing catches it)."""


@dataclass
class Recorder:
    """A fake async sender: remembers every reminder it was asked to send."""

    fail: BaseException | None = None
    calls: list[ReminderRecord] = field(default_factory=list)

    async def __call__(self, reminder: ReminderRecord) -> None:
        self.calls.append(reminder)
        await asyncio.sleep(0.01)  # let a concurrent scheduler run meanwhile
        if self.fail is not None:
            raise self.fail


def _opt_in(url: str, owner: str = "owner-1", **kwargs) -> ReminderRecord:
    values = {
        "conversation_id": "conv-1",
        "channel": "socketio",
        "schedule": MON_THU_7PM,
        "now": NOW,
    } | kwargs
    return opt_in(
        owner,
        values["conversation_id"],
        values["channel"],
        values["schedule"],
        values["now"],
        tz=CHICAGO,
        quiet_hours=QUIET,
        url=url,
    )


async def _run(url: str, now: datetime, send: Recorder, profile) -> RunReport:
    return await run_once(now, send, url=url, instance="s1", profile=profile)


# --- Opt-in, stop, opt-out ---------------------------------------------------------------


def test_opt_in_stores_the_reminder_and_its_first_due_time(db_url):
    record = _opt_in(db_url)
    assert record.active and record.weekdays == (0, 3) and record.local_time == "19:00"
    assert record.next_due_at == FIRST_DUE and record.next_due_at.tzinfo is not None
    assert record.opted_in_at == NOW and record.schedule == MON_THU_7PM
    assert get_active("owner-1", url=db_url) == record
    assert get_active("someone-else", url=db_url) is None


def test_opt_in_twice_updates_the_one_reminder(db_url):
    first = _opt_in(db_url)
    later = NOW + timedelta(days=1)
    second = _opt_in(
        db_url,
        conversation_id="conv-2",
        channel="twilio",
        schedule=Schedule((5, 6), time(10, 30)),
        now=later,
    )
    assert second.id == first.id
    assert (second.conversation_id, second.channel) == ("conv-2", "twilio")
    assert second.weekdays == (5, 6) and second.local_time == "10:30"
    assert second.next_due_at == datetime(2026, 12, 5, 16, 30, tzinfo=UTC)  # Sat 10:30 CST
    assert second.opted_in_at == later and second.created_at == first.created_at
    assert list_reminders(url=db_url) == [second]
    _opt_in(db_url, owner="owner-2")
    assert len(list_reminders(url=db_url)) == 2


def test_opt_in_during_quiet_hours_is_refused_kindly(db_url):
    with pytest.raises(ReminderRefused) as refused:
        _opt_in(db_url, schedule=Schedule(ALL_DAYS, time(21)))
    assert refused.value.reason == "quiet_hours"
    assert "8:30 PM" in str(refused.value) and "8:00 AM" in str(refused.value)
    assert isinstance(refused.value, ValueError)
    with pytest.raises(ReminderRefused):  # quiet hours from the clinic profile (clinic.yml)
        opt_in(
            "owner-1", "conv-1", "socketio", Schedule((0,), time(6)), NOW, tz=CHICAGO, url=db_url
        )
    assert list_reminders(url=db_url) == []
    # Just outside the window is fine.
    assert _opt_in(db_url, schedule=Schedule((0,), time(8))).local_time == "08:00"


def test_stop_ends_reminders_and_nothing_is_sent(db_url, profile):
    _opt_in(db_url)
    assert stop("owner-1", NOW, url=db_url) == 1
    assert stop("owner-1", NOW, url=db_url) == 0
    assert get_active("owner-1", url=db_url) is None
    [stopped] = list_reminders(url=db_url)
    assert (stopped.active, stopped.stop_reason, stopped.stopped_at) == (False, "asked", NOW)
    assert list_reminders(active_only=True, url=db_url) == []
    send = Recorder()
    assert asyncio.run(_run(db_url, FIRST_DUE + MINUTE, send, profile)) == RunReport()
    assert send.calls == [] and deliveries(url=db_url) == []
    with pytest.raises(ValueError):
        stop("owner-1", NOW, reason="Because!", url=db_url)


def test_sms_opt_out_stops_reminders_and_start_does_not_restart_them(db_url, profile):
    _opt_in(db_url, channel="twilio")
    _opt_in(db_url, owner="owner-2", channel="twilio")
    assert record_opt_out("sms", "owner-1", NOW, url=db_url) == 1
    assert record_opt_out("twilio", "owner-1", NOW, url=db_url) == 0  # twice: still one row
    assert is_opted_out("sms", "owner-1", url=db_url)
    assert is_opted_out("twilio", "owner-1", url=db_url)  # twilio texts: the SMS list governs
    assert not is_opted_out("socketio", "owner-1", url=db_url)
    assert not is_opted_out("sms", "owner-2", url=db_url)
    assert get_active("owner-1", url=db_url) is None
    assert list_reminders(url=db_url)[0].stop_reason == "sms_opt_out"

    send = Recorder()
    report = asyncio.run(_run(db_url, FIRST_DUE + MINUTE, send, profile))
    assert [r.owner_key for r in send.calls] == ["owner-2"] and report.sent == 1

    with pytest.raises(ReminderRefused) as refused:  # texting again needs START first
        _opt_in(db_url, channel="sms")
    assert refused.value.reason == "opted_out"
    assert _opt_in(db_url, channel="socketio").active  # the web is another channel

    stop("owner-1", NOW, url=db_url)
    record_opt_in("sms", "owner-1", NOW, url=db_url)
    assert not is_opted_out("sms", "owner-1", url=db_url)
    assert get_active("owner-1", url=db_url) is None  # START alone restarts nothing
    assert _opt_in(db_url, channel="sms").active  # a new explicit opt-in does
    record_opt_in("sms", "never-opted-out", NOW, url=db_url)
    assert not is_opted_out("sms", "never-opted-out", url=db_url)


def test_scheduler_checks_opt_outs_itself(db_url, profile):
    reminder = _opt_in(db_url, channel="twilio")
    with session_scope(db_url) as session:  # an opt-out that stopped nothing (written elsewhere)
        session.add(ChannelOptOut(channel="sms", owner_key="owner-1", opted_out=True))
    send = Recorder()
    report = asyncio.run(_run(db_url, FIRST_DUE + MINUTE, send, profile))
    assert send.calls == []
    assert report == RunReport(skipped_opt_out=1)
    [delivery] = deliveries(reminder.id, url=db_url)
    assert delivery.status == "skipped_opt_out" and delivery.due_at == FIRST_DUE
    [stopped] = list_reminders(url=db_url)
    assert not stopped.active and stopped.stop_reason == "sms_opt_out"


# --- The scheduler ---------------------------------------------------------------------


def test_a_due_reminder_is_sent_once(db_url, profile):
    reminder = _opt_in(db_url)
    send = Recorder()
    report = asyncio.run(_run(db_url, FIRST_DUE + MINUTE, send, profile))
    assert report == RunReport(sent=1)
    assert [(r.id, r.conversation_id, r.channel) for r in send.calls] == [
        (reminder.id, "conv-1", "socketio")
    ]
    [delivery] = deliveries(url=db_url)
    assert (delivery.reminder_id, delivery.due_at, delivery.status) == (
        reminder.id,
        FIRST_DUE,
        "sent",
    )
    assert delivery.claimed_by == "s1" and delivery.finished_at == FIRST_DUE + MINUTE
    assert delivery.error is None
    assert get_active("owner-1", url=db_url).next_due_at == THURSDAY_DUE
    again = asyncio.run(_run(db_url, FIRST_DUE + 2 * MINUTE, send, profile))
    assert again == RunReport() and len(send.calls) == 1
    asyncio.run(_run(db_url, THURSDAY_DUE, send, profile))  # due exactly now: sent
    assert len(send.calls) == 2 and len(deliveries(reminder.id, url=db_url)) == 2


def test_nothing_is_sent_before_it_is_due(db_url, profile):
    _opt_in(db_url)
    send = Recorder()
    report = asyncio.run(_run(db_url, FIRST_DUE - timedelta(seconds=1), send, profile))
    assert report == RunReport() and send.calls == [] and deliveries(url=db_url) == []
    assert get_active("owner-1", url=db_url).next_due_at == FIRST_DUE


def test_quiet_hours_skip_and_move_on(db_url, profile):
    reminder = _opt_in(db_url)
    stricter = profile.copy(update={"quiet_hours": QuietHours(start="18:00", end="08:00")})
    send = Recorder()
    report = asyncio.run(_run(db_url, FIRST_DUE + MINUTE, send, stricter))
    assert report == RunReport(skipped_quiet=1) and send.calls == []
    [delivery] = deliveries(url=db_url)
    assert delivery.status == "skipped_quiet" and delivery.finished_at is not None
    assert get_active("owner-1", url=db_url).next_due_at == THURSDAY_DUE
    # Due at 8 PM but only noticed at 8:45 PM (within grace): now is quiet, so not sent.
    _opt_in(db_url, schedule=Schedule((0, 3), time(20)), now=THURSDAY_DUE - timedelta(hours=2))
    late = THURSDAY_DUE + timedelta(minutes=105)  # Thursday 8:45 PM CST
    report = asyncio.run(_run(db_url, late, send, profile))
    assert report == RunReport(skipped_quiet=1) and send.calls == []
    assert [d.status for d in deliveries(reminder.id, url=db_url)] == ["skipped_quiet"] * 2


def test_a_scheduler_down_for_three_days_sends_at_most_one(db_url, profile):
    _opt_in(db_url, schedule=Schedule(ALL_DAYS, time(19)))
    back = FIRST_DUE + timedelta(days=3, minutes=30)  # Thursday 7:30 PM, four due times missed
    send = Recorder()
    report = asyncio.run(_run(db_url, back, send, profile))
    assert report == RunReport(sent=1, skipped_late=1) and len(send.calls) == 1
    assert [(d.due_at, d.status) for d in deliveries(url=db_url)] == [
        (FIRST_DUE, "skipped_late"),
        (FIRST_DUE + timedelta(days=3), "sent"),  # the latest one, 30 minutes late
    ]
    assert get_active("owner-1", url=db_url).next_due_at == FIRST_DUE + timedelta(days=4)
    assert asyncio.run(_run(db_url, back + MINUTE, send, profile)) == RunReport()


def test_missed_by_more_than_the_grace_nothing_is_sent(db_url, profile):
    _opt_in(db_url, schedule=Schedule(ALL_DAYS, time(19)))
    back = FIRST_DUE + timedelta(days=3, hours=17)  # Friday noon: last due time 17 hours ago
    send = Recorder()
    report = asyncio.run(_run(db_url, back, send, profile))
    assert report == RunReport(skipped_late=1) and send.calls == []
    assert get_active("owner-1", url=db_url).next_due_at == FIRST_DUE + timedelta(days=4)
    # The grace is a setting: with a day of it, Thursday's time would still have been sent.
    _opt_in(db_url, schedule=Schedule(ALL_DAYS, time(19)), now=back - timedelta(days=1))
    report = asyncio.run(
        run_once(back, send, url=db_url, instance="s1", profile=profile, grace=timedelta(days=1))
    )
    assert report == RunReport(sent=1) and len(send.calls) == 1


def test_two_schedulers_at_once_send_each_reminder_exactly_once(db_url, profile):
    ids = [_opt_in(db_url, owner=f"owner-{i}", conversation_id=f"conv-{i}").id for i in range(6)]
    send = Recorder()

    async def both() -> list[RunReport]:
        return await asyncio.gather(
            *(
                run_once(FIRST_DUE + MINUTE, send, url=db_url, instance=f"s{i}", profile=profile)
                for i in range(2)
            )
        )

    reports = asyncio.run(both())
    assert sorted(r.id for r in send.calls) == ids
    assert sum(r.sent for r in reports) == 6
    assert sum(r.failed + r.skipped_late + r.skipped_quiet for r in reports) == 0
    assert sorted(d.reminder_id for d in deliveries(url=db_url)) == ids
    assert {d.status for d in deliveries(url=db_url)} == {"sent"}


def test_schedulers_in_separate_threads_send_each_reminder_exactly_once(db_url, profile):
    ids = [_opt_in(db_url, owner=f"owner-{i}", conversation_id=f"conv-{i}").id for i in range(6)]
    count = 3
    barrier = threading.Barrier(count)
    sends: list[Recorder] = [Recorder() for _ in range(count)]
    reports: list[RunReport] = [RunReport()] * count

    def scheduler(i: int) -> None:
        barrier.wait()
        reports[i] = asyncio.run(
            run_once(FIRST_DUE + MINUTE, sends[i], url=db_url, instance=f"t{i}", profile=profile)
        )

    threads = [threading.Thread(target=scheduler, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    sent = sorted(r.id for s in sends for r in s.calls)
    assert sent == ids
    assert sum(r.sent for r in reports) == 6
    assert len(deliveries(url=db_url)) == 6


def test_a_claim_left_by_a_crash_is_not_sent_again(db_url, profile):
    reminder = _opt_in(db_url)
    with pytest.raises(Crash):
        asyncio.run(_run(db_url, FIRST_DUE + MINUTE, Recorder(fail=Crash()), profile))
    [claimed] = deliveries(url=db_url)
    assert claimed.status == "claimed" and claimed.finished_at is None
    restarted = Recorder()
    report = asyncio.run(_run(db_url, FIRST_DUE + 2 * MINUTE, restarted, profile))
    assert report == RunReport() and restarted.calls == []
    report = asyncio.run(_run(db_url, FIRST_DUE + 10 * MINUTE, restarted, profile))
    assert report == RunReport(abandoned=1) and restarted.calls == []
    [abandoned] = deliveries(url=db_url)
    assert abandoned.status == "abandoned" and abandoned.due_at == FIRST_DUE
    assert get_active("owner-1", url=db_url).next_due_at == THURSDAY_DUE
    asyncio.run(_run(db_url, THURSDAY_DUE + MINUTE, restarted, profile))
    assert [r.id for r in restarted.calls] == [reminder.id]  # the next time comes as usual


def test_a_failed_send_is_recorded_without_its_message(db_url, profile):
    _opt_in(db_url)
    secret = RuntimeError("conv-1: Jo said bedtime is so hard")
    send = Recorder(fail=secret)
    report = asyncio.run(_run(db_url, FIRST_DUE + MINUTE, send, profile))
    assert report == RunReport(failed=1) and len(send.calls) == 1
    [failed] = deliveries(url=db_url)
    assert failed.status == "failed" and failed.error == "RuntimeError"
    assert asyncio.run(_run(db_url, FIRST_DUE + 2 * MINUTE, send, profile)) == RunReport()

    request = httpx.Request("POST", "http://rasa/conversations/conv-1/trigger_intent")
    send.fail = httpx.HTTPStatusError(
        "Server error for conv-1", request=request, response=httpx.Response(500, request=request)
    )
    report = asyncio.run(_run(db_url, THURSDAY_DUE + MINUTE, send, profile))
    assert report == RunReport(failed=1)
    errors = [d.error for d in deliveries(url=db_url)]
    assert errors == ["RuntimeError", "HTTPStatusError 500"]
    assert not any("conv" in e or "Jo" in e for e in errors)


def test_an_opt_in_landing_on_a_handled_time_moves_on(db_url, profile):
    _opt_in(db_url)
    send = Recorder()
    asyncio.run(_run(db_url, FIRST_DUE + MINUTE, send, profile))
    # Another process with a slightly slow clock opts the caregiver in again: the first
    # due time is the one already sent. It must not be sent twice nor block the reminder.
    assert _opt_in(db_url, now=FIRST_DUE - MINUTE).next_due_at == FIRST_DUE
    report = asyncio.run(_run(db_url, FIRST_DUE + 2 * MINUTE, send, profile))
    assert report == RunReport(lost_race=1) and len(send.calls) == 1
    assert get_active("owner-1", url=db_url).next_due_at == THURSDAY_DUE


def test_a_reminder_stopped_after_it_was_read_is_not_claimed(db_url, profile):
    _opt_in(db_url)
    [due] = claims.due_reminders(FIRST_DUE + MINUTE, 10, url=db_url)
    stop("owner-1", NOW, url=db_url)  # committed between the scheduler's read and its claim
    rules = claims.Rules(CHICAGO, *QUIET, timedelta(minutes=90))
    assert claims.claim(due, FIRST_DUE + MINUTE, "s1", rules, url=db_url) is None
    assert deliveries(url=db_url) == []


async def test_run_forever_polls_until_stopped_and_logs_counts_only(db_url, profile, caplog):
    _opt_in(db_url)
    times = iter([FIRST_DUE - MINUTE, FIRST_DUE + MINUTE, FIRST_DUE + 2 * MINUTE])
    stop_event = asyncio.Event()
    reports: list[RunReport] = []

    def seen(report: RunReport) -> None:
        reports.append(report)
        if len(reports) == 3:
            stop_event.set()

    send = Recorder()
    with caplog.at_level("INFO", logger="bot.reminders"):
        passes = await run_forever(
            send,
            poll_seconds=0.01,
            stop_event=stop_event,
            clock=lambda: next(times),
            url=db_url,
            profile=profile,
            on_report=seen,
        )
    assert passes == 3 and [r.sent for r in reports] == [0, 1, 0] and len(send.calls) == 1
    assert "reminder pass: sent=1 failed=0" in caplog.text
    assert "conv-1" not in caplog.text


async def test_run_forever_survives_a_failing_pass(tmp_path, profile, caplog):
    errors: list[Exception] = []
    stop_event = asyncio.Event()

    def failed(exc: Exception) -> None:
        errors.append(exc)
        if len(errors) == 2:
            stop_event.set()

    url = f"sqlite:///{tmp_path / 'not-migrated.db'}"
    try:
        passes = await run_forever(
            Recorder(),
            poll_seconds=0.01,
            stop_event=stop_event,
            url=url,
            profile=profile,
            on_error=failed,
        )
    finally:
        reset_engine()
    assert passes == 2 and all(type(e).__name__ == "OperationalError" for e in errors)
    assert "reminder pass failed: OperationalError" in caplog.text
    assert "no such table" not in caplog.text  # the type only, never the message


# --- Rasa's HTTP API ------------------------------------------------------------------


def _reminder(conversation_id: str = "+15550101234", channel: str = "twilio") -> ReminderRecord:
    return ReminderRecord(
        id=1,
        owner_key="owner-1",
        conversation_id=conversation_id,
        channel=channel,
        weekdays=(0,),
        local_time="19:00",
        active=True,
        next_due_at=FIRST_DUE,
        opted_in_at=NOW,
        stopped_at=None,
        stop_reason=None,
        created_at=NOW,
        updated_at=NOW,
    )


async def test_rasa_trigger_posts_the_external_intent():
    with rasa_stub() as rasa:
        async with RasaTrigger(rasa.url) as trigger:
            await trigger(_reminder())
            await trigger(_reminder("web:a b/c", "socketio"))
    first, second = rasa.requests
    assert first["path"] == "/conversations/+15550101234/trigger_intent?output_channel=twilio"
    assert json.loads(first["body"]) == {"name": "EXTERNAL_reflection_reminder", "entities": {}}
    assert first["headers"]["Content-Type"] == "application/json"
    assert second["path"] == "/conversations/web:a%20b/c/trigger_intent?output_channel=socketio"


async def test_rasa_trigger_raises_on_an_error_status_without_retrying():
    with rasa_stub() as rasa:
        rasa.statuses.extend([500, 404])
        async with RasaTrigger(rasa.url, backoff_seconds=0) as trigger:
            with pytest.raises(httpx.HTTPStatusError) as error:
                await trigger(_reminder())
            assert error.value.response.status_code == 500
            assert len(rasa.requests) == 1  # Rasa may have acted on it: never sent twice
            with pytest.raises(httpx.HTTPStatusError):
                await trigger(_reminder())
    assert len(rasa.requests) == 2


async def test_rasa_trigger_retries_connection_errors_three_times():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    attempts: list[httpx.Request] = []

    async def count(request: httpx.Request) -> None:
        attempts.append(request)

    async with httpx.AsyncClient(timeout=2, event_hooks={"request": [count]}) as client:
        trigger = RasaTrigger(f"http://127.0.0.1:{port}", client=client, backoff_seconds=0)
        with pytest.raises(httpx.ConnectError):
            await trigger(_reminder())
    assert len(attempts) == 3


def test_run_once_through_rasa_trigger(db_url, profile):
    reminder = _opt_in(db_url, conversation_id="+15550101234", channel="twilio")

    async def one_pass(url: str, now: datetime) -> RunReport:
        async with RasaTrigger(url) as trigger:
            return await run_once(now, trigger, url=db_url, profile=profile)

    with rasa_stub() as rasa:
        assert asyncio.run(one_pass(rasa.url, FIRST_DUE + MINUTE)) == RunReport(sent=1)
        rasa.statuses.append(503)
        assert asyncio.run(one_pass(rasa.url, FIRST_DUE + 2 * MINUTE)) == RunReport()
        assert len(rasa.requests) == 1  # already sent: no second request
        later = asyncio.run(one_pass(rasa.url, THURSDAY_DUE + MINUTE))
    assert later == RunReport(failed=1)
    assert [r["path"] for r in rasa.requests] == [
        "/conversations/+15550101234/trigger_intent?output_channel=twilio"
    ] * 2
    assert [d.status for d in deliveries(reminder.id, url=db_url)] == ["sent", "failed"]
    assert deliveries(reminder.id, url=db_url)[1].error == "HTTPStatusError 503"
