"""Whether a message corrects something said before ("sorry I meant 4 not 3").

Why one home: the age and the contact are both corrected in the caregiver's own words,
and the two readers must agree on what a correction looks like.
"""

from __future__ import annotations

import re

# A correction of something said before. Strong cues count in any answer; the weak ones
# ("sorry", "actually") only in a short message, as a story told in answer to "what has
# been going on?" often has them without correcting anything.
STRONG_CUE = re.compile(
    r"\b(i meant|i mean|meant to (say|type|write|put)|typo|typed (it |that )?wrong|"
    r"correction|not \d{1,2}\b)",
    re.I,
)
WEAK_CUE = re.compile(r"\b(sorry|oops|actually|wrong|my bad|wait)\b", re.I)
SHORT_MESSAGE = 80


# Cues after which a phone number or email replaces the one before it ("312 772 0149. ay
# sorry i meant 312 772 0194"): any correction, plus how people redo a number.
CONTACT_CUE = re.compile(
    rf"{STRONG_CUE.pattern}|{WEAK_CUE.pattern}|\b(make that|no,? it'?s|wrong number)\b",
    re.I,
)


def is_correction(text: str) -> bool:
    """Whether a message reads as correcting something said before."""
    if STRONG_CUE.search(text):
        return True
    return len(text) <= SHORT_MESSAGE and bool(WEAK_CUE.search(text))
