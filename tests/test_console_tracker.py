"""The console reads what Rasa's own SQLTrackerStore wrote (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from bot.console import conversations, overview, review, tracker
from bot.console.conversations import ListFilters, list_conversations
from tests.console_seed import CRISIS_EVIDENCE, SCRIPT_TEXT, seeded_store

NOW = datetime(2025, 6, 2, 15, 0, tzinfo=timezone.utc)  # a Monday afternoon


@pytest.fixture
def seeded(db_url, tmp_path):
    with seeded_store(db_url, tmp_path, NOW) as seeded:
        yield seeded


def test_missing_events_table_gives_empty_results(tmp_path):
    url = f"sqlite:///{tmp_path / 'no-tracker.db'}"
    assert tracker.summaries(url) == []
    assert tracker.transcript("anyone", url) == []
    assert tracker.conversation_ids_last_before(NOW, url) == []
    assert tracker.delete_conversations(["anyone"], url) == 0
    assert tracker.user_messages(NOW - timedelta(days=1), tracker_url=url) == []


def test_summaries_aggregate_each_conversation(seeded):
    found = {s.conversation_id: s for s in tracker.summaries(seeded.tracker_url)}
    ids = seeded.ids
    assert len(found) == 9
    assert found[ids["sms"]].channel == "sms"
    assert found[ids["socketio"]].channel == "socketio"
    assert found[ids["handoff"]].channel == "rest"
    assert found[ids["booking"]].turns == 3
    assert found[ids["socketio"]].intents == ("behavior_question", "faq")
    assert found[ids["fallback"]].has_fallback is True
    assert [cid for cid, s in found.items() if s.has_fallback] == [ids["fallback"]]
    assert found[ids["reflection"]].min_confidence == pytest.approx(0.6)
    crisis = found[ids["crisis"]]
    assert crisis.first_at == NOW - timedelta(hours=2)
    assert crisis.last_at > crisis.first_at and crisis.last_at.tzinfo is not None
    ordered = [s.conversation_id for s in tracker.summaries(seeded.tracker_url)]
    assert ordered[0] == ids["script"] and ordered[-1] == ids["old"]


def test_summaries_filters(seeded):
    ids, url = seeded.ids, seeded.tracker_url

    def only(**kwargs):
        return {s.conversation_id for s in tracker.summaries(url, **kwargs)}

    assert only(channel="sms") == {ids["sms"]}
    assert only(intent="faq") == {ids["sms"], ids["socketio"], ids["old"]}
    assert only(search="SCRIPT>alert") == {ids["script"]}  # any case, in the text itself
    assert only(search="1 9") == set()
    assert only(search="%") == set()  # a wildcard character is searched for literally
    assert only(search="It sounds") == set()
    assert only(search="sounds hard") == {ids["script"]}  # the bot's side too
    recent = only(since=NOW - timedelta(days=1, hours=1))
    assert recent == {ids["crisis"], ids["handoff"], ids["script"]}
    assert only(until=NOW - timedelta(days=300)) == {ids["old"]}
    assert only(conversation_id=ids["sms"]) == {ids["sms"]}


def test_transcript_items(seeded):
    items = tracker.transcript(seeded.ids["reflection"], seeded.tracker_url)
    kinds = [item.kind for item in items]
    assert kinds[0] == "session"
    assert "action_listen" not in {item.action for item in items}
    user = [item for item in items if item.kind == "user"]
    assert [u.text for u in user] == [
        "can we do a reflection",
        "he threw his cup at dinner",
        "/affirm",
    ]
    assert user[0].intent == "start_reflection" and user[0].confidence == pytest.approx(0.97)
    share = next(item for item in items if item.buttons)
    assert share.kind == "bot" and share.buttons[0]["title"] == "Yes"
    assert [item.at for item in items] == sorted(item.at for item in items)

    booking = tracker.transcript(seeded.ids["booking"], seeded.tracker_url)
    slot = next(item for item in booking if item.kind == "slot" and item.slot == "child_age")
    assert slot.value == 36
    age = next(item for item in booking if item.entities)
    assert age.entities[0]["entity"] == "CHILD_AGE"

    sms = tracker.transcript(seeded.ids["sms"], seeded.tracker_url)
    assert [i.intent for i in sms if i.kind == "user"] == ["faq/what_is_cpp"]
    script = tracker.transcript(seeded.ids["script"], seeded.tracker_url)
    assert script[1].text == SCRIPT_TEXT  # stored and returned as is; the page escapes it


def test_old_conversations_and_deleting_them(seeded):
    url, ids = seeded.tracker_url, seeded.ids
    cutoff = NOW - timedelta(days=365)
    assert tracker.conversation_ids_last_before(cutoff, url) == [ids["old"]]
    stored = tracker.count_events([ids["old"]], tracker_url=url)
    assert stored == tracker.count_events([ids["old"]], before=cutoff, tracker_url=url) > 0
    assert tracker.delete_conversations([ids["old"]], url, before=cutoff) == stored
    assert tracker.transcript(ids["old"], url) == []
    assert len(tracker.summaries(url)) == 8


def test_user_messages_for_the_charts(seeded):
    found = tracker.user_messages(NOW - timedelta(days=10), tracker_url=seeded.tracker_url)
    assert len(found) == 15  # every caregiver message but the year-old ones
    topics = {m.topic for m in found}
    assert {"faq/what_is_cpp", "faq/fees", "self_harm"} <= topics
    assert "faq" not in topics
    assert {m.channel for m in found} == {"socketio", "rest", "sms"}


def test_list_puts_unacknowledged_flags_first_then_acknowledged(seeded):
    ids, url, turl = seeded.ids, seeded.url, seeded.tracker_url
    rows, total = list_conversations(ListFilters(), url=url, tracker_url=turl)
    assert total == 9
    top = rows[0]
    assert top.summary.conversation_id == ids["crisis"]
    assert (top.urgent, top.open_flags, top.flag_categories) == (True, 1, ("self_harm",))
    assert rows[1].summary.conversation_id == ids["script"]  # then newest first

    review.acknowledge_flag(ids["flag_id"], "alice", url=url)
    later = NOW - timedelta(minutes=1)
    rows, _ = list_conversations(ListFilters(since=later.date()), url=url, tracker_url=turl)
    assert rows[0].summary.conversation_id == ids["crisis"]
    assert (rows[0].urgent, rows[0].open_flags) == (False, 1)

    review.resolve_flag(ids["flag_id"], "alice", url=url)
    rows, _ = list_conversations(ListFilters(), url=url, tracker_url=turl)
    assert rows[0].summary.conversation_id == ids["script"]
    flagged, count = list_conversations(ListFilters(flagged=True), url=url, tracker_url=turl)
    assert count == 1 and flagged[0].open_flags == 0  # still shown as once flagged


def test_list_badges_filters_and_pages(seeded):
    ids, url, turl = seeded.ids, seeded.url, seeded.tracker_url
    rows = {
        r.summary.conversation_id: r
        for r in list_conversations(ListFilters(), per_page=50, url=url, tracker_url=turl)[0]
    }
    assert rows[ids["handoff"]].has_handoff and not rows[ids["crisis"]].has_handoff
    assert rows[ids["booking"]].has_booking
    assert rows[ids["reflection"]].has_shared_reflection
    assert not rows[ids["old"]].has_shared_reflection  # its entry was not shared

    review.mark_reviewed(ids["sms"], "alice", url=url)
    review.add_tag(ids["sms"], "good answer", "alice", url=url)

    def count(**kwargs):
        return list_conversations(ListFilters(**kwargs), url=url, tracker_url=turl)[1]

    assert count(review="reviewed") == 1 and count(review="unreviewed") == 8
    assert count(channel="rest") == 3
    assert count(intent="faq", review="unreviewed") == 2
    assert count(search="toddler bite") == 1
    assert count(since=date(2025, 5, 31), until=date(2025, 6, 1)) == 2  # booking, handoff
    assert count(since=date(2025, 5, 30), until=date(2025, 5, 30)) == 1  # the reflection
    page1, total = list_conversations(ListFilters(), 1, 4, url, turl)
    page3, _ = list_conversations(ListFilters(), 3, 4, url, turl)
    assert total == 9 and len(page1) == 4 and len(page3) == 1
    tagged = list_conversations(ListFilters(review="reviewed"), url=url, tracker_url=turl)[0]
    assert tagged[0].tags == ("good answer",) and tagged[0].reviewed
    with pytest.raises(ValueError):
        list_conversations(ListFilters(review="maybe"), url=url, tracker_url=turl)


def test_masked_ids_resolve_and_never_show_the_raw_id(seeded):
    ids = seeded.ids
    masked = conversations.masked_id(ids["sms"])
    assert masked.startswith("c-") and len(masked) == 12
    assert masked == conversations.masked_id(ids["sms"])
    assert ids["sms"] not in masked
    found = conversations.resolve_masked(masked, seeded.url, seeded.tracker_url)
    assert found == ids["sms"]
    assert conversations.resolve_masked("c-0000000000", seeded.url, seeded.tracker_url) is None
    assert conversations.resolve_masked(ids["sms"], seeded.url, seeded.tracker_url) is None


def test_conversation_detail_links_everything(seeded):
    ids, url, turl = seeded.ids, seeded.url, seeded.tracker_url
    crisis = conversations.conversation_detail(conversations.masked_id(ids["crisis"]), url, turl)
    assert crisis.conversation_id == ids["crisis"]
    assert crisis.evidence == (CRISIS_EVIDENCE,)
    assert [f.id for f in crisis.flags] == [ids["flag_id"]]
    assert any(CRISIS_EVIDENCE in (item.text or "") for item in crisis.transcript)

    booking = conversations.conversation_detail(ids["booking"], url, turl)
    assert [b.reference for b in booking.bookings] == [ids["booking_reference"]]
    reflection = conversations.conversation_detail(ids["reflection"], url, turl)
    assert [r.id for r in reflection.shared_reflections] == [ids["reflection_id"]]
    handoff = conversations.conversation_detail(ids["handoff"], url, turl)
    assert [h.id for h in handoff.handoffs] == [ids["handoff_id"]]

    review.add_note(ids["handoff"], "Called back, left a message.", "bob", url=url)
    review.mark_reviewed(ids["handoff"], "bob", url=url)
    again = conversations.conversation_detail(ids["handoff"], url, turl)
    assert [n.text for n in again.notes] == ["Called back, left a message."]
    assert again.review.reviewed_by == "bob" and again.row.reviewed
    assert conversations.conversation_detail("c-0000000000", url, turl) is None
    assert conversations.conversation_detail("nobody", url, turl) is None


def test_filtered_details_for_export(seeded):
    found = conversations.details_matching(
        ListFilters(channel="rest"), url=seeded.url, tracker_url=seeded.tracker_url
    )
    assert {d.conversation_id for d in found} == {
        seeded.ids["handoff"],
        seeded.ids["fallback"],
        seeded.ids["old"],
    }
    assert all(d.transcript for d in found)


def test_overview_counts(seeded):
    result = overview.overview(days=7, now=NOW, url=seeded.url, tracker_url=seeded.tracker_url)
    assert set(result.per_day_by_channel) == {"socketio", "rest", "sms"}
    socketio = dict(result.per_day_by_channel["socketio"])
    assert len(socketio) == 7 and sum(socketio.values()) == 5
    assert dict(result.per_day_by_channel["sms"])[date(2025, 5, 28)] == 1
    topics = dict(result.top_topics)
    assert topics["faq/what_is_cpp"] == 1 and "greet" not in topics and "faq" not in topics
    rates = dict(result.fallback_rate_by_day)
    assert rates[date(2025, 5, 29)] == 1.0  # the only message that day fell back
    assert rates[date(2025, 6, 2)] == 0.0
    assert (result.open_flags, result.urgent_flags, result.open_handoffs) == (1, 1, 1)
    assert result.conversations == 8  # the year-old one is outside the window

    review.acknowledge_flag(seeded.ids["flag_id"], "alice", url=seeded.url)
    review.resolve_handoff(seeded.ids["handoff_id"], "alice", url=seeded.url)
    later = overview.overview(days=1, now=NOW, url=seeded.url, tracker_url=seeded.tracker_url)
    assert (later.open_flags, later.urgent_flags, later.open_handoffs) == (1, 0, 0)
    assert later.conversations == 2
