"""Staff actions on conversations, flags and handoffs record who and when."""

from __future__ import annotations

import pytest

from bot.booking.handoffs import create_handoff
from bot.console import review
from bot.safety.flags import record_flag


def test_mark_reviewed_and_clear(db_url):
    assert review.get_review("conv-1", db_url) is None
    first = review.mark_reviewed("conv-1", "alice", url=db_url)
    assert (first.status, first.reviewed_by) == ("reviewed", "alice")
    again = review.mark_reviewed("conv-1", "bob", url=db_url)
    assert again.reviewed_by == "bob" and again.reviewed_at >= first.reviewed_at
    assert review.get_review("conv-1", db_url).reviewed_by == "bob"
    assert review.clear_review("conv-1", url=db_url) is True
    assert review.clear_review("conv-1", url=db_url) is False
    with pytest.raises(ValueError):
        review.mark_reviewed("conv-1", "  ", url=db_url)


def test_tags_are_trimmed_unique_and_removable(db_url):
    tag = review.add_tag("conv-1", "  missed   intent ", "alice", url=db_url)
    assert tag.tag == "missed intent" and tag.added_by == "alice"
    same = review.add_tag("conv-1", "missed intent", "bob", url=db_url)
    assert same.added_by == "alice"  # already there: kept as it was
    review.add_tag("conv-1", "good answer", "bob", url=db_url)
    review.add_tag("conv-2", "good answer", "bob", url=db_url)
    assert [t.tag for t in review.list_tags("conv-1", db_url)] == ["good answer", "missed intent"]
    assert review.remove_tag("conv-1", "missed intent", url=db_url) is True
    assert review.remove_tag("conv-1", "missed intent", url=db_url) is False
    assert [t.tag for t in review.list_tags("conv-1", db_url)] == ["good answer"]
    for bad in ("", "   ", "x" * 49):
        with pytest.raises(ValueError):
            review.add_tag("conv-1", bad, "alice", url=db_url)
    assert len(review.add_tag("conv-1", "y" * 48, "alice", url=db_url).tag) == 48


def test_notes_keep_author_time_and_order(db_url):
    first = review.add_note("conv-1", "  Called the family.  ", "alice", url=db_url)
    assert first.text == "Called the family." and first.author == "alice"
    review.add_note("conv-1", "<b>not html</b>", "bob", url=db_url)
    review.add_note("conv-2", "other", "bob", url=db_url)
    notes = review.list_notes("conv-1", db_url)
    assert [n.text for n in notes] == ["Called the family.", "<b>not html</b>"]
    assert notes[0].created_at <= notes[1].created_at
    for bad in ("", "  ", "x" * 2001):
        with pytest.raises(ValueError):
            review.add_note("conv-1", bad, "alice", url=db_url)
    assert len(review.add_note("conv-1", "x" * 2000, "alice", url=db_url).text) == 2000


def test_acknowledge_then_resolve_a_flag(db_url):
    flag = record_flag("conv-1", "self_harm", ["end it all"], "rules", url=db_url)
    seen = review.acknowledge_flag(flag.id, "alice", url=db_url)
    assert (seen.status, seen.acknowledged_by) == ("acknowledged", "alice")
    assert seen.acknowledged_at is not None and seen.resolved_at is None
    assert review.acknowledge_flag(flag.id, "bob", url=db_url).acknowledged_by == "alice"
    done = review.resolve_flag(flag.id, "bob", note="Spoke to mum, safe.", url=db_url)
    assert (done.status, done.resolved_by, done.note) == ("resolved", "bob", "Spoke to mum, safe.")
    assert done.acknowledged_by == "alice" and done.resolved_at >= done.acknowledged_at
    assert done.evidence == ["end it all"]
    # Repeating is harmless: the first resolution stands, and acknowledging can't reopen.
    assert review.resolve_flag(flag.id, "carol", url=db_url).resolved_by == "bob"
    assert review.acknowledge_flag(flag.id, "carol", url=db_url).status == "resolved"


def test_resolving_a_new_flag_also_acknowledges_it(db_url):
    flag = record_flag("conv-1", "harm_to_child", ["hit him"], "model", url=db_url)
    done = review.resolve_flag(flag.id, "alice", url=db_url)
    assert done.status == "resolved" and done.note is None
    assert (done.acknowledged_by, done.acknowledged_at) == ("alice", done.resolved_at)


def test_list_flags_by_status_and_conversation(db_url):
    a = record_flag("conv-1", "self_harm", ["x"], "rules", url=db_url)
    b = record_flag("conv-2", "medical_emergency", ["y"], "rules", url=db_url)
    c = record_flag("conv-2", "domestic_violence", ["z"], "both", url=db_url)
    review.acknowledge_flag(b.id, "alice", url=db_url)
    review.resolve_flag(c.id, "alice", url=db_url)
    assert {f.id for f in review.list_flags("open", url=db_url)} == {a.id, b.id}
    assert [f.id for f in review.list_flags("new", url=db_url)] == [a.id]
    assert {f.id for f in review.list_flags(conversation_id="conv-2", url=db_url)} == {b.id, c.id}


def test_resolve_handoff(db_url):
    handoff = create_handoff("conv-1", "asked_for_person", "call", "mornings", "rest", url=db_url)
    assert [h.id for h in review.list_handoffs("open", url=db_url)] == [handoff.id]
    closed = review.resolve_handoff(handoff.id, "alice", url=db_url)
    assert (closed.status, closed.updated_by) == ("closed", "alice")
    assert closed.resolved_at is not None
    assert review.resolve_handoff(handoff.id, "bob", url=db_url).updated_by == "alice"
    assert review.list_handoffs("open", url=db_url) == []
    assert [h.id for h in review.list_handoffs(conversation_id="conv-1", url=db_url)] == [
        handoff.id
    ]


def test_unknown_ids_raise_lookup_error(db_url):
    with pytest.raises(LookupError):
        review.acknowledge_flag(999, "alice", url=db_url)
    with pytest.raises(LookupError):
        review.resolve_flag(999, "alice", url=db_url)
    with pytest.raises(LookupError):
        review.resolve_handoff(999, "alice", url=db_url)
