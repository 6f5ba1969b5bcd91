"""The no-silent-loss and turn-order checks shared by the failure and worker tests.

A message answered with 200 was accepted: it must be in the tracker store exactly
once, followed by the replies its caller received, with the turn finished. A message
that got an error status may or may not be stored (the inbound record may have kept
it), but never twice.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

from bot.channels.rest import conversation_id
from tests.prod.stored import duplicate_rows, read_events, split_turns
from tests.prod.traffic import INTRO_START, Outcome


def loss_problems(tracker_url: str, sender: str, outcomes: list[Outcome]) -> list[str]:
    """Everything wrong with how ``sender``'s conversation was stored (empty: all good)."""
    problems: list[str] = []
    events = read_events(tracker_url, conversation_id(sender))
    if duplicate_rows(events):
        problems.append(f"{sender}: {len(duplicate_rows(events))} events stored twice")
    _, turns = split_turns(events)
    stored = Counter(turn.user_text for turn in turns)
    problems += [f"{sender}: {text!r} stored {n} times" for text, n in stored.items() if n > 1]
    by_text = {turn.user_text: turn for turn in turns}
    for outcome in outcomes:
        if not outcome.replied:
            continue
        turn = by_text.get(outcome.text)
        if turn is None:
            problems.append(f"LOST: {outcome.describe()} is not in the tracker store")
        elif turn.bot_texts != list(outcome.texts):
            problems.append(f"{outcome.describe()}: stored replies differ from the ones sent")
        elif not turn.finished:
            problems.append(f"{outcome.describe()}: stored turn does not end with action_listen")
    # The intro comes with the first reply the caregiver gets. That is turn 0's, unless
    # turn 0 died with its instance (stored, never answered: an error status), and then
    # turn 1's. A second intro means the bot answered as if the conversation were empty.
    introduced = False
    for n, turn in enumerate(turns):
        intro = any(t.startswith(INTRO_START) for t in turn.bot_texts)
        if intro and introduced:
            problems.append(
                f"{sender}: turn {n} ({turn.user_text!r}) repeats the first-message intro "
                "(the bot answered from an empty conversation)"
            )
        introduced = introduced or intro
    return problems


def order_problems(tracker_url: str, sender: str, outcomes: list[Outcome], tie: float) -> list[str]:
    """Turns stored in another order than they were answered (the lock's queue order).

    Answers that arrived within ``tie`` seconds of each other may be stored either way.
    """
    _, turns = split_turns(read_events(tracker_url, conversation_id(sender)))
    position = {turn.user_text: n for n, turn in enumerate(turns)}
    answered = sorted((o for o in outcomes if o.text in position), key=lambda o: o.finished)
    return [
        f"{later.text!r} was stored before {earlier.text!r} but answered clearly after it"
        for earlier, later in pairwise(answered)
        if position[earlier.text] > position[later.text]
        and later.finished - earlier.finished >= tie
    ]
