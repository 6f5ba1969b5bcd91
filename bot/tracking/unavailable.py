"""The error a channel sees when the conversation store cannot be reached, and what
the caregiver is told then (one text for every channel)."""

from __future__ import annotations


class TrackerStoreUnavailable(Exception):
    """The conversation could not be read or written; nothing was kept in memory instead.

    It carries only the operation and the database error's type name: the driver's
    message can quote the SQL parameters, which hold what the caregiver wrote.
    """

    def __init__(self, operation: str, cause: str) -> None:
        super().__init__(f"tracker store {operation} failed: {cause}")
        self.operation = operation
        self.cause = cause


def try_again_text() -> str:
    """The kind answer to a message that could not be recorded.

    It names the clinic's phone and the emergency line: someone in crisis may be the
    one who meets the outage.
    """
    from bot.clinic import get_profile

    clinic = get_profile()
    return (
        "Sorry, I can't reach our records right now, so I couldn't take in your message. "
        "Please try again in a few minutes. If it can't wait, call "
        f"{clinic.phone}; in an emergency, {clinic.crisis.emergency.instruction}."
    )
