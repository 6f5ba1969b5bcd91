"""The audit log: entries are appended and listed; the database refuses to change them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from bot.console import audit
from bot.db import session_scope
from bot.db.models import AuditEntry


def test_record_stores_who_what_which_conversation(db_url):
    entry = audit.record(
        "alice",
        "view_transcript",
        staff_id=3,
        conversation_id="conv-1",
        detail={"day": date(2026, 11, 23), "count": 2},
        url=db_url,
    )
    assert (entry.actor, entry.action, entry.conversation_id, entry.target) == (
        "alice",
        "view_transcript",
        "conv-1",
        None,
    )
    assert entry.detail == {"count": 2, "day": "2026-11-23"}  # JSON-safe
    assert entry.at.tzinfo is not None
    records, total = audit.list_audit(url=db_url)
    assert total == 1 and records == [entry]
    with session_scope(db_url) as s:
        assert s.execute(select(AuditEntry.staff_id)).scalar_one() == 3


def test_list_is_newest_first_paged_and_filtered(db_url):
    for i in range(7):
        audit.record("bob", "view_list" if i % 2 else "export", target=f"n:{i}", url=db_url)
    audit.record("bob", "note", conversation_id="conv-9", url=db_url)

    first, total = audit.list_audit(page=1, per_page=3, url=db_url)
    assert total == 8
    assert [r.action for r in first] == ["note", "export", "view_list"]
    last, _ = audit.list_audit(page=3, per_page=3, url=db_url)
    assert [r.target for r in last] == ["n:1", "n:0"]
    beyond, total = audit.list_audit(page=9, per_page=3, url=db_url)
    assert beyond == [] and total == 8

    exports, total = audit.list_audit(action="export", url=db_url)
    assert total == 4 and {r.action for r in exports} == {"export"}
    assert audit.count_audit(url=db_url) == 8
    assert audit.count_audit("view_list", url=db_url) == 3
    assert audit.count_audit(conversation_id="conv-9", url=db_url) == 1


def test_record_refuses_free_text_actions(db_url):
    with pytest.raises(ValueError):
        audit.record("carol", "Viewed <b>everything</b>", url=db_url)
    with pytest.raises(ValueError):
        audit.record("", "export", url=db_url)
    assert audit.count_audit(url=db_url) == 0
    assert "view_transcript" in audit.ACTIONS and "purge" in audit.ACTIONS


def _refused(url: str, statement) -> None:
    with pytest.raises(DBAPIError, match="append-only"), session_scope(url) as s:
        s.execute(statement)


def test_database_refuses_update_and_delete(db_url):
    entry = audit.record("dave", "export", detail={"count": 1}, url=db_url)
    _refused(db_url, update(AuditEntry).values(actor="someone else"))
    _refused(db_url, update(AuditEntry).where(AuditEntry.id == entry.id).values(detail={}))
    _refused(db_url, delete(AuditEntry).where(AuditEntry.id == entry.id))
    _refused(db_url, text("DELETE FROM audit_log"))
    if db_url.startswith("postgresql"):
        _refused(db_url, text("TRUNCATE audit_log"))

    # Through the ORM too, as a page's code would do it.
    with pytest.raises(DBAPIError, match="append-only"), session_scope(db_url) as s:
        s.delete(s.get(AuditEntry, entry.id))
    with pytest.raises(DBAPIError, match="append-only"), session_scope(db_url) as s:
        s.get(AuditEntry, entry.id).action = "login"

    records, total = audit.list_audit(url=db_url)
    assert total == 1 and records == [entry]
    # Appending still works after all those refusals.
    audit.record("dave", "logout", url=db_url)
    with session_scope(db_url) as s:
        assert s.execute(select(func.count(AuditEntry.id))).scalar_one() == 2
