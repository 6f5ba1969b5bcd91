"""Conversations as CSV (one row per transcript item) and JSON, optionally redacted.

Exports only ever carry the masked conversation id. With ``redact`` the words people
typed, slot values, entity values and staff notes lose phone numbers, emails and names
(the conversation's own name slots and booking first names are known names too).
CSV cells that a spreadsheet would run as a formula are prefixed with a quote.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from bot.console.conversations import ConversationDetail
from bot.console.redact import names_in
from bot.console.redact import redact as redact_text
from bot.console.tracker import TranscriptItem

CSV_COLUMNS = ("conversation", "channel", "time", "speaker", "text", "intent", "confidence")
SPEAKERS = {"user": "caregiver", "bot": "bot", "action": "action", "slot": "slot"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def known_names(detail: ConversationDetail) -> set[str]:
    """Names to redact everywhere in this conversation: name slots, booking first names,
    and names the caregiver introduced in any message."""
    names = {b.caregiver_first_name for b in detail.bookings if b.caregiver_first_name}
    for item in detail.transcript:
        if item.kind == "slot" and "name" in (item.slot or "") and isinstance(item.value, str):
            names.add(item.value)
        if item.kind == "user" and item.text:
            names |= names_in(item.text)
    return names


class _Cleaner:
    """Applies redaction (or not) with one conversation's known names."""

    def __init__(self, detail: ConversationDetail, enabled: bool) -> None:
        self.enabled = enabled
        self.names = known_names(detail) if enabled else set()

    def text(self, value: str | None) -> str | None:
        return redact_text(value, self.names) if self.enabled and value else value

    def value(self, value: Any) -> Any:
        if not self.enabled or value is None or isinstance(value, (bool, int, float)):
            return value
        if isinstance(value, str):
            return self.text(value)
        return self.text(json.dumps(value, ensure_ascii=False))

    def entities(self, entities: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        if not self.enabled:
            return [dict(e) for e in entities]
        # Offsets point into the original text, which redaction changes.
        return [{"entity": e.get("entity"), "value": self.value(e.get("value"))} for e in entities]


def _item_text(item: TranscriptItem, clean: _Cleaner) -> str:
    if item.kind in ("user", "bot"):
        return clean.text(item.text) or ""
    if item.kind == "action":
        return item.action or ""
    if item.kind == "slot":
        value = clean.value(item.value)
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        return f"{item.slot}={shown}"
    return "session started"


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(conversations: list[ConversationDetail], redact: bool) -> str:
    """One row per transcript item of every conversation, in order."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for detail in conversations:
        clean = _Cleaner(detail, redact)
        row = detail.row
        for item in detail.transcript:
            confidence = "" if item.confidence is None else f"{item.confidence:.3f}"
            cells = (
                row.masked_id,
                row.summary.channel or "",
                item.at.isoformat(),
                SPEAKERS.get(item.kind, item.kind),
                _item_text(item, clean),
                item.intent or "" if item.kind == "user" else "",
                confidence if item.kind == "user" else "",
            )
            writer.writerow([_cell(c) for c in cells])
    return out.getvalue()


def _message(item: TranscriptItem, clean: _Cleaner) -> dict[str, Any]:
    message: dict[str, Any] = {
        "at": item.at.isoformat(),
        "speaker": SPEAKERS.get(item.kind, item.kind),
    }
    if item.kind in ("user", "bot"):
        message["text"] = clean.text(item.text)
    if item.kind == "user":
        message.update(
            intent=item.intent, confidence=item.confidence, entities=clean.entities(item.entities)
        )
    if item.kind == "bot" and item.buttons:
        message["buttons"] = [b.get("title") for b in item.buttons]
    if item.kind == "action":
        message["action"] = item.action
    if item.kind == "slot":
        message.update(slot=item.slot, value=clean.value(item.value))
    return message


def _conversation(detail: ConversationDetail, redact: bool) -> dict[str, Any]:
    clean = _Cleaner(detail, redact)
    summary = detail.row.summary
    return {
        "conversation": detail.row.masked_id,
        "channel": summary.channel,
        "first_at": summary.first_at.isoformat(),
        "last_at": summary.last_at.isoformat(),
        "turns": summary.turns,
        "intents": list(summary.intents),
        "has_fallback": summary.has_fallback,
        "min_confidence": summary.min_confidence,
        "reviewed": detail.row.reviewed,
        "tags": [tag.tag for tag in detail.tags],
        "safety_flags": [
            {"category": f.category, "status": f.status, "created_at": f.created_at.isoformat()}
            for f in detail.flags
        ],
        "handoff_requests": [
            {"reason": h.reason, "status": h.status, "created_at": h.created_at.isoformat()}
            for h in detail.handoffs
        ],
        "bookings": [{"status": b.status} for b in detail.bookings],
        "shared_reflections": len(detail.shared_reflections),
        "notes": [
            {"author": n.author, "at": n.created_at.isoformat(), "text": clean.text(n.text)}
            for n in detail.notes
        ],
        "messages": [_message(item, clean) for item in detail.transcript],
    }


def to_json(conversations: list[ConversationDetail], redact: bool) -> str:
    """A JSON list: each conversation's metadata and its messages, actions and slots."""
    return json.dumps(
        [_conversation(d, redact) for d in conversations], ensure_ascii=False, indent=2
    )
