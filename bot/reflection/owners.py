"""Which stored identities belong to the caregiver in this conversation.

A caregiver's own entries and reminders are keyed by ``bot.identity.owner_key`` of the
address they write from: their phone number over SMS, the conversation id elsewhere.
When the clinic knows both (a caregiver booked in the website chat and gave the phone
they later text from), both keys are theirs, so their journal follows them.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.db import session_scope
from bot.db.models import Booking, Caregiver
from bot.identity import owner_key

PHONE = "phone"


def primary_key(channel: str | None, sender_id: str, phone: str | None = None) -> str:
    """The key new entries are stored under: the phone when known, else this conversation."""
    if phone:
        return owner_key(PHONE, phone)
    return owner_key(channel or "rest", sender_id)


def owner_keys(
    channel: str | None, sender_id: str, phone: str | None = None, url: str | None = None
) -> list[str]:
    """Every key of this caregiver: the primary one first, then those linked by a booking."""
    keys = [primary_key(channel, sender_id, phone)]
    with session_scope(url) as session:
        people = list(
            session.scalars(
                select(Caregiver)
                .join(Booking, Booking.caregiver_id == Caregiver.id)
                .where(Booking.conversation_id == sender_id)
            )
        )
        if phone:
            people += list(session.scalars(select(Caregiver).where(Caregiver.phone == phone)))
        for person in people:
            if person.phone:
                keys.append(owner_key(PHONE, person.phone))
            for kind, address in (person.channel_identities or {}).items():
                keys.append(owner_key(kind, address))
    return list(dict.fromkeys(keys))
