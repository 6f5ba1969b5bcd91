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
