"""The failure tests' own judge (tests/prod/checks.py) on conversations written here.

The checks read Rasa's ``events`` table with plain SQL, so a SQLite table of the same
shape stands in for PostgreSQL.
"""

from __future__ import annotations

import json
import sqlite3

from bot.channels.rest import conversation_id
from tests.prod.checks import loss_problems
from tests.prod.traffic import INTRO_START

INTRO = f"{INTRO_START} the clinic, not a therapist."


def _store(path, sender: str, turns: list[tuple[str, list[str]]]) -> str:
    """``turns``: (user text, bot texts); no bot texts: the turn was never answered."""
    events = [{"event": "action", "name": "action_listen"}]
    for user, bots in turns:
        events.append({"event": "user", "text": user})
        events += [{"event": "bot", "text": t} for t in bots]
        if bots:
            events.append({"event": "action", "name": "action_listen"})
    for n, event in enumerate(events):
        event["timestamp"] = 1_800_000_000 + n  # as Rasa stores them: each its own time
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id, data)")
        conn.executemany(
            "INSERT INTO events (sender_id, data) VALUES (?, ?)",
            [(conversation_id(sender), json.dumps(e)) for e in events],
        )
    return f"sqlite:///{path}"


def test_the_intro_after_a_first_message_that_died_unanswered_is_no_problem(tmp_path):
    # The instance died mid-turn: the message was stored first, never answered.
    url = _store(
        tmp_path / "t.db", "a", [("what is cpp", []), ("who is it for", [INTRO, "Families."])]
    )
    assert loss_problems(url, "a", []) == []


def test_a_second_intro_is_reported(tmp_path):
    url = _store(
        tmp_path / "t.db",
        "b",
        [("what is cpp", [INTRO, "CPP is..."]), ("x", ["y"]), ("who is it for", [INTRO])],
    )
    [problem] = loss_problems(url, "b", [])
    assert "turn 2 ('who is it for') repeats the first-message intro" in problem
