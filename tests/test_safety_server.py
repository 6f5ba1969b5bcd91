"""Safety through the real servers: crisis replies, flags, and no action server at all."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from bot.channels.rest import conversation_id as rest_conversation
from bot.safety.flags import list_flags
from tests.servers import run_servers

pytestmark = pytest.mark.server


def _texts(resp) -> list[str]:
    assert resp.status_code == 200, resp.text
    return [m.get("text", "") for m in resp.json()]


def test_crisis_reply_from_any_point_and_a_stored_flag(shared_servers):
    servers, db = shared_servers.servers, shared_servers.db
    sender = f"s-{uuid.uuid4().hex[:8]}"
    _texts(servers.say(sender, "how much does it cost"))
    texts = _texts(servers.say(sender, "honestly i want to kill myself"))
    crisis = [t for t in texts if "988" in t]
    assert len(crisis) == 1 and "911" in crisis[0]
    texts = _texts(servers.say(sender, "you misunderstood, i'm fine"))
    assert any("are you and your child safe right now" in t for t in texts), texts
    flags = list_flags(conversation_id=rest_conversation(sender), url=db)
    assert [f.category for f in flags] == ["self_harm"]


def test_crisis_reply_goes_out_with_the_action_server_down(tmp_path_factory):
    workdir: Path = tmp_path_factory.mktemp("no-actions")
    with run_servers(workdir, with_actions=False) as servers:
        sender = f"s-{uuid.uuid4().hex[:8]}"
        texts = _texts(servers.say(sender, "my baby is not breathing"))
        assert any("911" in t and "988" in t for t in texts), texts
        texts = _texts(servers.say(sender, "he says he will kill me tonight"))
        assert any("1-800-799-7233" in t for t in texts), texts


def test_a_hypothetical_gets_the_answer_and_the_gentle_check_and_yes_the_protocol(
    shared_servers,
):
    servers, db = shared_servers.servers, shared_servers.db
    sender = f"s-{uuid.uuid4().hex[:8]}"
    texts = _texts(
        servers.say(
            sender, "if my kid swallowed a battery would i call poison control or 911 first"
        )
    )
    joined = "\n".join(texts)
    assert "is anyone in danger right now" in joined.lower(), texts
    assert "1-800-222-1222" in joined and "988" not in joined  # the practical answer only
    cid = rest_conversation(sender)
    assert [(f.tier, f.category) for f in list_flags(conversation_id=cid, url=db)] == [
        ("check", "medical_emergency")
    ]
    texts = _texts(servers.say(sender, "yes"))
    assert any("emergency" in t and "911" in t for t in texts), texts
    tiers = sorted((f.tier, f.category) for f in list_flags(conversation_id=cid, url=db))
    assert tiers == [("check", "medical_emergency"), ("full", "medical_emergency")]


def test_safe_at_the_gentle_check_gets_warmth(shared_servers):
    servers = shared_servers.servers
    sender = f"s-{uuid.uuid4().hex[:8]}"
    servers.say(sender, "if my kid swallowed a battery would i call poison control or 911 first")
    texts = _texts(servers.say(sender, "/i_am_safe"))
    assert any("glad you're safe" in t for t in texts), texts


def test_worn_out_after_a_crisis_reply_gets_warmth_and_one_check(shared_servers):
    servers = shared_servers.servers
    sender = f"s-{uuid.uuid4().hex[:8]}"
    _texts(servers.say(sender, "i want to kill myself"))
    texts = _texts(servers.say(sender, "no im not going to do anything, just exhausted"))
    joined = "\n".join(texts)
    assert "safe right now" in joined and "behavior" not in joined.lower(), texts


def test_someone_to_call_after_a_crisis_reply_is_an_urgent_handoff(shared_servers):
    from bot.booking.handoffs import list_handoffs

    servers, db = shared_servers.servers, shared_servers.db
    sender = f"s-{uuid.uuid4().hex[:8]}"
    _texts(servers.say(sender, "he choked me last night and said he will kill me"))
    texts = _texts(servers.say(sender, "can someone call me?"))
    joined = "\n".join(texts)
    assert "safe for us to call or text" in joined, texts  # after the violence reply
    _texts(servers.say(sender, "312-555-0147 text is ok, no voicemail"))
    _texts(servers.say(sender, "after 3pm"))
    cid = rest_conversation(sender)
    [handoff] = list_handoffs(conversation_id=cid, url=db)
    [flag] = [f for f in list_flags(conversation_id=cid, url=db) if f.tier == "full"]
    assert (handoff.urgent, handoff.flag_id, handoff.reason) == (
        True,
        flag.id,
        "after_crisis_reply",
    )
    assert "no voicemail" in handoff.preferred_contact  # staff see how it is safe to reach them


def test_danger_repeated_in_one_conversation_is_one_flag(shared_servers):
    servers, db = shared_servers.servers, shared_servers.db
    sender = f"s-{uuid.uuid4().hex[:8]}"
    _texts(servers.say(sender, "i want to kill myself"))
    _texts(servers.say(sender, "i really do want to end my life tonight"))
    _texts(servers.say(sender, "/self_harm"))  # a typed intent never raises a flag
    [flag] = list_flags(conversation_id=rest_conversation(sender), url=db)
    assert flag.category == "self_harm" and len(flag.evidence) >= 2
