"""Safety flag storage (SQLite and PostgreSQL) and the alert hook."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from bot.safety.alerts import alert_payload, mask_conversation, send_alert
from bot.safety.flags import acknowledge_flag, list_flags, record_flag, resolve_flag


def test_record_list_and_update(db_url):
    flag = record_flag("conv-1", "self_harm", ["kill myself"], "rules", url=db_url)
    assert flag.status == "new" and flag.id
    other = record_flag("conv-2", "medical_emergency", ["not breathing"], "both", url=db_url)
    assert [f.id for f in list_flags(url=db_url)] == [other.id, flag.id]
    assert [f.id for f in list_flags(conversation_id="conv-1", url=db_url)] == [flag.id]
    done = acknowledge_flag(flag.id, by="nurse.kim", url=db_url)
    assert (done.status, done.acknowledged_by, done.updated_by) == (
        "acknowledged",
        "nurse.kim",
        "nurse.kim",
    )
    assert [f.id for f in list_flags(status="new", url=db_url)] == [other.id]
    assert [f.id for f in list_flags(status="open", url=db_url)] == [other.id, flag.id]
    closed = resolve_flag(other.id, by="dr.lee", note="called back", url=db_url)
    assert (closed.status, closed.resolved_by, closed.acknowledged_by) == (
        "resolved",
        "dr.lee",
        "dr.lee",
    )
    assert closed.note == "called back" and closed.resolved_at is not None


def test_bad_category_status_and_id_are_refused(db_url):
    with pytest.raises(ValueError):
        record_flag("c", "sadness", [], "rules", url=db_url)
    flag = record_flag("c", "self_harm", [], "rules", url=db_url)
    with pytest.raises(ValueError):
        list_flags(status="deleted", url=db_url)
    assert acknowledge_flag(flag.id, by="x", url=db_url).status == "acknowledged"
    with pytest.raises(LookupError):
        resolve_flag(999_999, by="x", url=db_url)


def test_alert_payload_carries_no_words_or_raw_ids(db_url):
    flag = record_flag("+15551234567", "domestic_violence", ["he hits me"], "rules", url=db_url)
    payload = alert_payload(flag)
    text = json.dumps(payload)
    assert "he hits me" not in text and "5551234567" not in text
    assert payload["conversation"] == mask_conversation("+15551234567")


class _Recorder(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Recorder.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


async def test_alert_is_posted_to_the_webhook(db_url, caplog):
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        flag = record_flag("conv-9", "harm_to_child", ["shake the baby"], "model", url=db_url)
        url = f"http://127.0.0.1:{server.server_port}/hook"
        assert await send_alert(flag, webhook_url=url) is True
    finally:
        server.shutdown()
    assert _Recorder.received[-1]["flag_id"] == flag.id
    assert _Recorder.received[-1]["category"] == "harm_to_child"
    assert "SAFETY FLAG" in caplog.text and "conv-9" not in caplog.text


async def test_unreachable_webhook_is_reported_not_raised(db_url, caplog):
    flag = record_flag("conv-10", "self_harm", [], "rules", url=db_url)
    assert await send_alert(flag, webhook_url="http://127.0.0.1:9/nothing") is False
    assert "could not be delivered" in caplog.text


def test_one_unread_flag_per_conversation_and_category(db_url):
    first = record_flag("conv-d", "self_harm", ["end it"], "rules", url=db_url)
    again = record_flag("conv-d", "self_harm", ["end it", "pills"], "model", url=db_url)
    assert (again.id, again.repeated, first.repeated) == (first.id, True, False)
    assert again.evidence == ["end it", "pills"]  # each phrase once, the latest kept
    other_kind = record_flag("conv-d", "domestic_violence", ["he hits"], "rules", url=db_url)
    assert other_kind.id != first.id and not other_kind.repeated
    for n in range(30):  # a flood of detections: still one flag, bounded evidence
        record_flag("conv-d", "self_harm", [f"phrase {n}"], "rules", url=db_url)
    flags = list_flags(conversation_id="conv-d", url=db_url)
    assert sorted(f.category for f in flags) == ["domestic_violence", "self_harm"]
    [flag] = [f for f in flags if f.category == "self_harm"]
    assert len(flag.evidence) == 10 and flag.evidence[-1] == "phrase 29"


def test_after_staff_acknowledge_a_new_detection_is_a_new_flag(db_url):
    first = record_flag("conv-e", "harm_to_child", ["hit him"], "rules", url=db_url)
    acknowledge_flag(first.id, by="nurse.kim", url=db_url)
    second = record_flag("conv-e", "harm_to_child", ["hit him again"], "rules", url=db_url)
    assert second.id != first.id and not second.repeated


def test_a_gentle_check_is_kept_apart_from_the_full_protocol(db_url):
    from bot.safety.flags import latest_open_flag

    check = record_flag("conv-f", "self_harm", ["thoughts back then"], "check", url=db_url,
                        tier="check")  # fmt: skip
    assert check.tier == "check" and latest_open_flag("conv-f", url=db_url) is None
    full = record_flag("conv-f", "self_harm", ["end it"], "rules", url=db_url)
    assert full.id != check.id and not full.repeated and full.tier == "full"
    assert latest_open_flag("conv-f", url=db_url).id == full.id
    resolve_flag(full.id, by="nurse.kim", url=db_url)
    assert latest_open_flag("conv-f", url=db_url) is None
    with pytest.raises(ValueError):
        record_flag("conv-f", "self_harm", [], "rules", url=db_url, tier="maybe")


async def test_many_alerts_at_once_go_out_as_one_digest(db_url):
    from bot.safety.alerts import DIGEST_AFTER, flush_digest

    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/hook"
    _Recorder.received.clear()
    try:
        flags = [
            record_flag(f"conv-flood-{n}", "self_harm", [], "rules", url=db_url)
            for n in range(DIGEST_AFTER + 4)
        ]
        same = record_flag("conv-flood-0", "domestic_violence", [], "rules", url=db_url)
        for flag in [*flags, same]:
            assert await send_alert(flag, webhook_url=url) is True
        assert len(_Recorder.received) == DIGEST_AFTER  # the first ones, one by one
        assert await flush_digest(webhook_url=url) is True
    finally:
        server.shutdown()
    digest = _Recorder.received[-1]
    assert digest["type"] == "digest" and digest["count"] == 5
    # The second alert of one conversation waited too, even inside the minute's budget.
    assert same.id in [f["flag_id"] for f in digest["flags"]]
    assert digest["categories"] == ["domestic_violence", "self_harm"]
