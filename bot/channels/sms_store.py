"""What the SMS channel keeps in the project database (blocking calls: run them in a thread).

A conversation is known by ``conversation_id(number)``, the keyed hash of the number
(bot.identity), the same key reminders and opt-outs use. The number itself is kept
only in ``sms_contacts``, so the bot can reply and send reminders. Messages are
recorded by status, never by text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from bot.booking.contact import normalize_phone
from bot.db import session_scope
from bot.db.models import SmsButtons, SmsContact, SmsMessage
from bot.identity import owner_key

_UPSERT_ATTEMPTS = 3


def _now() -> datetime:
    return datetime.now(timezone.utc)


def conversation_id(number: str) -> str:
    """The conversation id (and reminder/opt-out owner key) of an SMS number."""
    return owner_key("phone", normalize_phone(number) or number.strip())


@dataclass(frozen=True)
class SmsRecord:
    """One recorded message, as staff see it (no text, no number)."""

    id: int
    direction: str
    message_sid: str | None
    conversation_id: str
    status: str
    error_code: str | None
    attempts: int
    created_at: datetime


def claim_inbound(message_sid: str, conversation: str, url: str | None = None) -> bool:
    """Record an incoming message; False when its sid was already claimed (a redelivery)."""
    try:
        with session_scope(url) as session:
            session.add(
                SmsMessage(
                    direction="in",
                    message_sid=message_sid,
                    conversation_id=conversation,
                    status="received",
                    attempts=1,
                )
            )
            session.flush()
    except IntegrityError:
        return False
    return True


def finish_inbound(
    message_sid: str, status: str, error_code: str | None = None, url: str | None = None
) -> None:
    with session_scope(url) as session:
        session.execute(
            update(SmsMessage)
            .where(SmsMessage.direction == "in", SmsMessage.message_sid == message_sid)
            .values(status=status, error_code=error_code, updated_at=_now())
            .execution_options(synchronize_session=False)
        )


def start_outbound(conversation: str, status: str = "queued", url: str | None = None) -> int:
    """A row for one outbound part before it is sent, so a crash still leaves a trace."""
    with session_scope(url) as session:
        row = SmsMessage(direction="out", conversation_id=conversation, status=status)
        session.add(row)
        session.flush()
        return row.id


def finish_outbound(
    row_id: int,
    status: str,
    *,
    message_sid: str | None = None,
    error_code: str | None = None,
    attempts: int = 0,
    url: str | None = None,
) -> None:
    with session_scope(url) as session:
        session.execute(
            update(SmsMessage)
            .where(SmsMessage.id == row_id)
            .values(
                status=status,
                message_sid=message_sid,
                error_code=error_code,
                attempts=attempts,
                updated_at=_now(),
            )
            .execution_options(synchronize_session=False)
        )


def messages(
    conversation: str | None = None, status: str | None = None, url: str | None = None
) -> list[SmsRecord]:
    """Recorded messages, oldest first (e.g. ``status="failed"`` for staff)."""
    query = select(SmsMessage).order_by(SmsMessage.id)
    if conversation is not None:
        query = query.where(SmsMessage.conversation_id == conversation)
    if status is not None:
        query = query.where(SmsMessage.status == status)
    with session_scope(url) as session:
        return [
            SmsRecord(
                id=r.id,
                direction=r.direction,
                message_sid=r.message_sid,
                conversation_id=r.conversation_id,
                status=r.status,
                error_code=r.error_code,
                attempts=r.attempts,
                created_at=r.created_at,
            )
            for r in session.scalars(query)
        ]


def _upsert(model: Any, conversation: str, values: dict[str, Any], url: str | None) -> None:
    """Update the conversation's row or insert it; two racing inserts retry as an update."""
    for attempt in range(_UPSERT_ATTEMPTS):
        try:
            with session_scope(url) as session:
                changed = session.execute(
                    update(model)
                    .where(model.conversation_id == conversation)
                    .values(**values)
                    .execution_options(synchronize_session=False)
                )
                if changed.rowcount == 0:
                    session.add(model(conversation_id=conversation, **values))
                    session.flush()
            return
        except IntegrityError:
            if attempt == _UPSERT_ATTEMPTS - 1:
                raise


def remember_contact(conversation: str, phone: str, url: str | None = None) -> None:
    _upsert(SmsContact, conversation, {"phone": phone.strip(), "last_seen_at": _now()}, url)


def contact_phone(conversation: str, url: str | None = None) -> str | None:
    """The number to text for a conversation id, or None if it never texted us."""
    with session_scope(url) as session:
        return session.execute(
            select(SmsContact.phone).where(SmsContact.conversation_id == conversation)
        ).scalar()


def offer_buttons(conversation: str, buttons: list[dict[str, Any]], url: str | None = None) -> None:
    """Remember the options just sent (title and payload only)."""
    kept = [
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))} for b in buttons
    ]
    _upsert(SmsButtons, conversation, {"buttons": kept, "offered_at": _now()}, url)


def take_buttons(conversation: str, url: str | None = None) -> list[dict[str, str]]:
    """The options last offered, forgotten once read: they answer only the next message."""
    with session_scope(url) as session:
        found = session.execute(
            select(SmsButtons.buttons).where(SmsButtons.conversation_id == conversation)
        ).scalar()
        if found is not None:
            session.execute(delete(SmsButtons).where(SmsButtons.conversation_id == conversation))
        return list(found or [])
