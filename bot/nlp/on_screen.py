"""A message that plainly answers the question on screen is read as that answer.

Why: "The reference number is WG-YJAR5G" read as a question about referrals, and "this
number" (to "can the clinic reach you at the number you're texting from?") as a
question about how to contact the clinic, so the forms answered them and asked again,
in a loop. The question on screen reaches NLU in the message's metadata
(bot.rasa_context).
"""

from __future__ import annotations

import re
from typing import Any

from bot.booking.contact import looks_like_a_number, parse_contact, refuses_calls
from bot.booking.corrections import is_correction
from bot.booking.known_facts import when_said
from bot.booking.picks import picked_index
from bot.booking.preferences import parse_preference
from bot.booking.reference import reference_in
from bot.booking.said_who import name_introduced, name_leading
from bot.nlp.booking_words import CANCEL_SAID, MOVE_WORDS
from bot.nlp.short_replies import yes_or_no
from bot.reminders.schedule import changed_hour, parse_schedule
from bot.safety.asked import FOLLOWED_REPLIES, asked_in

_STOP = re.compile(
    r"\b(stop|cancel|(?:turn|switch|shut)\b.{0,25}\boff|no more|unsubscribe|delete|"
    r"don'?t (?:want|need)|dont (?:want|need)|without)\b",
    re.I,
)
# Right after a reminder reply: stop the reminders ("stop those", "turn it off", "cancel
# them", "no more reminders").
_STOP_THEM = re.compile(
    r"\b(?:stop|cancel|end|delete|turn off|switch off|shut off)\s+(?:those|them|it|that|these|"
    r"the reminders?|my reminders?|reminders?)\b|\b(?:turn|switch|shut)\s+(?:those|them|it|that)"
    r"\s+off\b|\bno more reminders\b",
    re.I,
)
# At the list of times: none of them, or others ("none of these work, anything later").
_NONE_FIT = re.compile(
    r"\b(none|neither|nothing|(?:don'?t|doesn'?t|dont|doesnt|won'?t|wont|can'?t|cant)\b|"
    r"not\b|other|different|instead|later|earlier)",
    re.I,
)
# "this number", "same one", "use this phone", "the one im texting from": yes, this one.
_THIS_NUMBER = re.compile(
    r"^\W*(?:(?:yes|yeah|yea|ok|sure)[\s,]+)?(?:(?:use|text|call|try|reach me at)\s+)?"
    r"(?:this|that|same|my|the)\s+(?:same\s+)?(?:number|one|phone|cell|#)"
    r"(?:\s+(?:is fine|works|is good|is best|please|pls|i'?m texting (?:from|on)|"
    r"im texting (?:from|on)|i'?m using))?\W*$",
    re.IGNORECASE,
)


_MOVE_INSTEAD = re.compile(
    rf"\b(?:{MOVE_WORDS}|change the (?:day|time|date)|another (?:day|time))\b", re.I
)


# A name introduced at the name question, with more beside it ("Tamsin here by the way.
# Best number is 312-310-4471, texting is fine" was read as a question and the name asked
# again; "Yes let's book. I'm Hannah, her mom. Easiest to reach me at..." as a request for
# a person; dev set bc32, 2026-12-07).
MAX_NAME_ANSWER_WORDS = 30
# A message said twice is read as the answer only when it is answer-sized.
MAX_REPEATED_WORDS = 40


def said_again(text: str, metadata: Any) -> str | None:
    """ "inform" for the same words said again to the same question, else None.

    Why: they are the caregiver's answer. "after the kids are down so like 8:30 ish" to
    "when is a good time?", read as stress, was answered as stress and the question asked
    again, fourteen times (dev set bc35, 2026-12-07). The form's own checks then take it
    or say what is missing. Not for the safety layers (a danger said twice stays one).
    """
    asked = asked_in(metadata)
    if asked.slot and asked.repeat and "?" not in text and len(text.split()) <= MAX_REPEATED_WORDS:
        return "inform"
    return None


def answer_on_screen(text: str, metadata: Any) -> str | None:
    """The intent of a plain answer to the question on screen ("inform" for a reference
    code, "affirm" for "this number" at the contact question, "inform" for days and times
    at the time question, "choose_slot" for "sorry, I meant wednesday not monday" at the
    list of times), else None."""
    asked = asked_in(metadata)
    if asked.slot == "booking_reference" and reference_in(text) is not None:
        return "inform"
    if (
        asked.slot == "confirm_manage"
        and _MOVE_INSTEAD.search(text)
        and not CANCEL_SAID.search(text)
    ):
        # "wait no actually can i just move it instead?" at "do you want to cancel it?"
        # read as a no, and the appointment was only kept (dev set bc34, 2026-12-07).
        return "reschedule_booking"
    if asked.slot == "confirm_manage" and (said := yes_or_no(None, text)) is not None:
        # "Yes that's what I said. Cancel it." at "do you want to cancel it?" read as
        # stopping, and the appointment was kept (dev set bc30, 2026-12-07).
        return "affirm" if said == "yes" else "deny"
    if asked.slot == "contact" and _THIS_NUMBER.match(text):
        return "affirm"
    if asked.slot == "contact" and refuses_calls(text):
        return "inform"  # the form says a text or an email is fine (check_contact)
    if (
        asked.slot == "contact"
        and "?" not in text
        and (parse_contact(text) is not None or looks_like_a_number(text))
    ):
        # "312-913-2274 text first pls i dont pick up unknown numbers" is the answer, not
        # a question about how to contact the clinic; so is a number the phone library
        # refuses ("my home phone is 555-0142"): the form then says what is missing.
        return "inform"
    if (
        asked.slot == "caregiver_name"
        and "?" not in text
        and len(text.split()) <= MAX_NAME_ANSWER_WORDS
        and (name_introduced(text) or name_leading(text)) is not None
    ):
        # "Sam here (Alexis is reading over my shoulder)" to "what's your first name?"
        # read as stress was answered as stress and the name asked again, in a loop.
        return "inform"
    if (
        asked.slot == "time_preference"
        and not asks_something(text)
        and parse_preference(text) is not None
    ):
        # "Any weekday afternoon. I'm retired, so quite flexible" answers the question,
        # even where its words read as stress (answered, then asked again, in a loop).
        return "inform"
    if asked.slot == "handoff_time" and "?" not in text and when_said(text) is not None:
        # "weekdays between 12 and 1, that's my lunch break" to "when is a good time to
        # reach you?": the answer, not stress (read as stress, it was asked again forever).
        return "inform"
    if (
        asked.after in FOLLOWED_REPLIES
        and "?" not in text
        and _STOP_THEM.search(text)
        and parse_schedule(text) is None  # "stop them at the weekend" changes the days
    ):
        # "actually no. stop those. phone goes off enough" right after a reminder was set
        # got "I lost the thread" (dev set bc24, 2026-12-07).
        return "stop_reminders"
    if (
        asked.after in FOLLOWED_REPLIES
        and "?" not in text
        and not _STOP.search(text)
        and (parse_schedule(text) is not None or changed_hour(text) is not None)
    ):
        # "On second thought, please change it to 8:15 pm" right after a reminder was set
        # or listed: a change to it, even where its words read as picking a time.
        return "set_reminder"
    if asked.slot == "slot_pick" and is_correction(text) and parse_preference(text) is not None:
        # A day or time corrected at the list is a new preference (fresh times are
        # offered), not "none of these work" and a person.
        return "choose_slot"
    if (
        asked.slot == "slot_pick"
        and "?" not in text
        and not _NONE_FIT.search(text)
        and parse_preference(text) is not None
    ):
        # "The Wednesday appointment would be perfect. Thank you very much." at the list
        # of new times was read as a booking, and the booking questions began again.
        return "choose_slot"
    if (
        asked.slot == "slot_pick"
        and "?" not in text
        and not _NONE_FIT.search(text)
        and picked_index(text, _OFFERED) is not None
    ):
        # "whichever one is the earliest" at the list was read as a question about the
        # first visit, answered, and the list shown again (dev set bc26, 2026-12-07).
        return "choose_slot"
    return None


_OFFERED = [{}, {}, {}]  # a pick by position or "earliest" needs no labels
# A sentence that asks: a question word or an auxiliary first ("do you have evenings?"),
# not a hesitation ("hmm not sure, maybe afternoons?").
_ASKING = re.compile(
    r"^\W*(?:what|when|where|who|why|how|which|do|does|did|can|could|would|will|is|are|am|"
    r"should|may|have|has|any)\b",
    re.I,
)


def asks_something(text: str) -> bool:
    """Whether one of the message's sentences ending in '?' is a question."""
    sentences = re.findall(r"[^.!?]*\?", text)
    return any(_ASKING.search(s) for s in sentences)
