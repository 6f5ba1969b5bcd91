"""What the bot had just asked when a message came in, as the safety layer reads it.

Why: "he threw his cup at me" answers "what happened?" in a reflection about a toddler,
or "what has been going on for your child?" in the booking questions; sent cold, the
same words may be about a partner. Inside such a question the safety layer still
answers every danger, but what only the n-gram model saw, and a partner's violence
read from a bare "he" or "she", get the gentle check ("is anyone in danger right
now?") instead of the full protocol, and the encoder's vague concern alone asks
nothing (such stories are what the question asked for). The form and slot arrive in the message's
metadata (bot.rasa_context puts them there before Rasa parses the message).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

ASKED_KEY = "cpp_asked"  # in a message's metadata: {"form": ..., "slot": ..., "after": ...}
# Replies whose next message may plainly change what they did ("make it 8:15 pm" after a
# reminder was set): with no form active, NLU is told the bot's last action was one.
FOLLOWED_REPLIES = frozenset({"action_save_reminder", "action_show_reminders"})

# Questions whose answers are stories about the child (None: every slot of the form).
ABOUT_THE_CHILD: dict[str, frozenset[str] | None] = {
    "reflection_form": None,
    "booking_form": frozenset({"concern"}),
    "handoff_form": frozenset({"handoff_about"}),
}
# An adult named as the one who hurts: then "he hit me" is not read as the child.
ADULT_NAMED = re.compile(
    r"\b(husband|hubby|wife|boy ?friend|girl ?friend|bf|gf|partner|ex|spouse|fianc\w*|"
    r"baby ?(daddy|dad|mama|mom)|step ?(dad|father|mom|mother)|roommate|my man)\b",
    re.I,
)  # not "his dad": "his dad got locked up and since then he hits me" is the child


# A bare "he"/"she" hurting a baby or a sibling, in a story about the child: most likely
# the child's own behaviour towards a brother or sister.
SIBLING_HURT = re.compile(
    r"\b(he|she|hes|shes|he's|she's)\b[^.!?]{0,30}\b(hit|hits|hitting|bite|bites|biting|push|"
    r"pushes|pushing|kick|kicks|kicking|pinch|pinches|pinching|scratch\w*)\b[^.!?]{0,12}"
    r"\b(the|his|her|our|my) (new |little |baby )?(baby|brother|sister|sibling)\b",
    re.I,
)


# The older child told of as such in the same message ("my 3 yo", "since the new baby
# came", "jealous"): then a bare "he hits the baby" sent cold is the child's behaviour
# more likely than an adult's, and is checked rather than answered with the full protocol.
CHILD_TOLD_OF = re.compile(
    r"\b(new (baby|brother|sister)|baby (brother|sister)|big (brother|sister)|jealous\w*|"
    r"toddler|preschooler|my (son|daughter|boy|girl|kid|child|little one|lil one|oldest)|"
    r"\d+\s*(yo|y/o|yrs?|years?)\b(\s*old)?|since the baby (came|was born|arrived)|"
    r"(brother|sister|baby) (was|got) born)",
    re.I,
)


def sibling_story(category: str, source: str | None, text: str) -> bool:
    """Whether a danger the rules read in a message sent cold is a child hurting a baby
    or a sibling, told as a story about the child ("new baby came in july and since then
    he hits the baby" got the full protocol and an alert)."""
    return (
        category == "harm_to_child"
        and source in ("rules", "both")
        and bool(SIBLING_HURT.search(text))
        and bool(CHILD_TOLD_OF.search(text))
        and not ADULT_NAMED.search(text)
    )


@dataclass(frozen=True)
class Asked:
    form: str | None = None
    slot: str | None = None
    after: str | None = None  # with no form: the bot's last action ("action_save_reminder")
    repeat: bool = False  # the caregiver's previous message was this very text

    @property
    def about_the_child(self) -> bool:
        """The question on screen asks for a story about the child (or the caregiver)."""
        if self.form not in ABOUT_THE_CHILD:
            return False
        slots = ABOUT_THE_CHILD[self.form]
        return slots is None or self.slot in slots


def asked_in(metadata: Any) -> Asked:
    """The form and slot from a message's metadata; empty when there was no form."""
    asked = (metadata or {}).get(ASKED_KEY) if isinstance(metadata, dict) else None
    if not isinstance(asked, dict):
        return Asked()
    return Asked(
        form=asked.get("form") or None,
        slot=asked.get("slot") or None,
        after=asked.get("after") or None,
        repeat=bool(asked.get("repeat")),
    )


def child_reading(asked: Asked, category: str, source: str | None, text: str) -> bool:
    """Whether a full-protocol danger is better checked, given the question it answers.

    Inside a story about the child: a danger only the n-gram model saw, and violence
    at home or a baby or sibling hurt, found by the rules from a bare "he" or "she" with
    no adult named (the "he" is most likely the child).
    """
    if not asked.about_the_child:
        return False
    if source == "model":
        return True
    if category == "harm_to_child" and SIBLING_HURT.search(text):
        return not ADULT_NAMED.search(text)  # "since the new baby came he hits the baby"
    return category == "domestic_violence" and not ADULT_NAMED.search(text)
