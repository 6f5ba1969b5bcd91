"""Exports carry masked ids only, and with redaction no phone, email or name."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone

import pytest

from bot.console import review
from bot.console.conversations import ListFilters, conversation_detail, details_matching
from bot.console.export import CSV_COLUMNS, to_csv, to_json
from tests.console_seed import seeded_store

NOW = datetime(2025, 6, 2, 15, 0, tzinfo=timezone.utc)
PERSONAL = ("555-0134", "dana.k@example.com", "Dana", "Maria")


@pytest.fixture
def seeded(db_url, tmp_path):
    with seeded_store(db_url, tmp_path, NOW) as seeded:
        yield seeded


def _details(seeded, *names):
    return [conversation_detail(seeded.ids[n], seeded.url, seeded.tracker_url) for n in names]


def test_csv_has_one_row_per_transcript_item(seeded):
    details = _details(seeded, "script", "sms")
    rows = list(csv.reader(io.StringIO(to_csv(details, redact=False))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) - 1 == sum(len(d.transcript) for d in details)
    by_speaker = [r for r in rows[1:] if r[3] == "caregiver"]
    first = by_speaker[0]
    assert first[0] == details[0].row.masked_id and first[1] == "socketio"
    assert "<script>alert(1)</script>" in first[4] and "dana.k@example.com" in first[4]
    assert (first[5], first[6]) == ("caregiver_stress", "0.700")
    assert datetime.fromisoformat(first[2]).tzinfo is not None
    assert any(r[3] == "bot" for r in rows[1:]) and any(r[3] == "slot" for r in rows[1:])
    sms = [r for r in rows[1:] if r[0] == details[1].row.masked_id and r[3] == "caregiver"]
    assert sms[0][5] == "faq/what_is_cpp"


def test_exports_never_contain_raw_conversation_ids(seeded):
    details = details_matching(ListFilters(), url=seeded.url, tracker_url=seeded.tracker_url)
    assert len(details) == 9
    text = to_csv(details, redact=False) + to_json(details, redact=False)
    for name in ("crisis", "sms", "script", "old"):
        assert seeded.ids[name] not in text


@pytest.mark.parametrize("export", [to_csv, to_json])
def test_redaction_removes_phone_email_and_names(seeded, export):
    review.add_note(
        seeded.ids["script"], "Dana asked for a call on 617-555-0134", "alice", seeded.url
    )
    details = _details(seeded, "script", "booking")
    plain = export(details, redact=False)
    for item in PERSONAL:
        assert item in plain
    redacted = export(details, redact=True)
    for item in PERSONAL:
        assert item not in redacted
    assert "[phone]" in redacted and "[email]" in redacted and "[name]" in redacted
    assert "&lt;" not in redacted and "<script>alert(1)</script>" in redacted  # data, not HTML


def test_json_structure(seeded):
    review.add_tag(seeded.ids["crisis"], "urgent", "alice", url=seeded.url)
    details = _details(seeded, "crisis", "booking")
    data = json.loads(to_json(details, redact=True))
    assert [c["conversation"] for c in data] == [d.row.masked_id for d in details]
    crisis, booking = data
    assert crisis["channel"] == "socketio" and crisis["turns"] == 2
    assert crisis["tags"] == ["urgent"]
    assert crisis["safety_flags"][0] == {
        "category": "self_harm",
        "status": "new",
        "created_at": crisis["safety_flags"][0]["created_at"],
    }
    user = [m for m in crisis["messages"] if m["speaker"] == "caregiver"]
    assert user[1]["intent"] == "self_harm" and user[1]["confidence"] == 1.0
    assert booking["bookings"] == [{"status": "confirmed"}]
    slot = next(m for m in booking["messages"] if m.get("slot") == "caregiver_name")
    assert slot["value"] == "[name]"
    age = next(m for m in booking["messages"] if m.get("entities"))
    assert age["entities"] == [{"entity": "CHILD_AGE", "value": "3 years"}]


def test_formula_cells_are_neutralised(seeded):
    details = _details(seeded, "sms")
    item = details[0].transcript[1]
    forged = type(item)(kind="user", at=item.at, text='=HYPERLINK("http://x")')
    details[0].transcript.insert(1, forged)
    rows = list(csv.reader(io.StringIO(to_csv(details, redact=False))))
    assert rows[2][4] == '\'=HYPERLINK("http://x")'


def test_empty_export():
    assert to_csv([], redact=True).strip() == ",".join(CSV_COLUMNS)
    assert json.loads(to_json([], redact=True)) == []
