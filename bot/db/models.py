"""Tables of the project's own database. Migrations live in bot/db/migrations."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import declarative_base
from sqlalchemy.types import TypeDecorator

Base = declarative_base()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC that always reads back timezone-aware UTC.

    SQLite keeps no offset, so plain DateTime(timezone=True) reads back naive
    there; this type makes both databases hand back the same values. Naive
    datetimes are refused: their time zone would be a guess.
    """

    impl = DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware datetime (UTC)")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class SafetyFlag(Base):
    """A message that showed danger; staff acknowledge and resolve it in the console."""

    __tablename__ = "safety_flags"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    category = Column(String(32), nullable=False)
    evidence = Column(JSON, nullable=False, default=list)
    source = Column(String(16), nullable=False)  # "rules", "model" or "both"
    # "full": the crisis protocol ran (alert sent); "check": the gentle check was asked,
    # logged for review without an alert.
    tier = Column(String(8), nullable=False, default="full", server_default="full")
    status = Column(String(16), nullable=False, default="new", index=True)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow)
    updated_by = Column(String(64))
    note = Column(Text)
    acknowledged_by = Column(String(64))
    acknowledged_at = Column(UTCDateTime())
    resolved_by = Column(String(64))
    resolved_at = Column(UTCDateTime())


class Clinician(Base):
    """A clinician whose first-consultation times the bot may offer."""

    __tablename__ = "clinicians"
    __table_args__ = (UniqueConstraint("name", name="uq_clinicians_name"),)

    id = Column(Integer, primary_key=True)
    name = Column(String(120), nullable=False)  # staff name them in the CLI
    credentials = Column(String(32), nullable=False, default="")  # e.g. "LCSW"
    languages = Column(JSON, nullable=False, default=list)
    active = Column(Boolean, nullable=False, default=True)


class AvailabilitySlot(Base):
    """One bookable time of one clinician; booking flips status open -> booked."""

    __tablename__ = "availability_slots"
    __table_args__ = (
        UniqueConstraint("clinician_id", "starts_at", name="uq_availability_slots_clinician_start"),
        Index("ix_availability_slots_status_starts_at", "status", "starts_at"),
    )

    id = Column(Integer, primary_key=True)
    clinician_id = Column(
        Integer,
        ForeignKey("clinicians.id", name="fk_availability_slots_clinician_id"),
        nullable=False,
    )
    starts_at = Column(UTCDateTime(), nullable=False)
    ends_at = Column(UTCDateTime(), nullable=False)
    kind = Column(String(32), nullable=False, default="first_consultation")  # or "session"
    status = Column(String(16), nullable=False, default="open")  # open, booked, removed
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)


class Caregiver(Base):
    """Who booked: only what staff need to reach them, and their consent to store it."""

    __tablename__ = "caregivers"

    id = Column(Integer, primary_key=True)
    first_name = Column(String(80), nullable=False)
    relationship = Column(String(40))  # to the child: "mother", "grandparent"...
    phone = Column(String(20))  # E.164
    email = Column(String(254))
    channel_identities = Column(JSON, nullable=False, default=dict)  # {"rest": "sender-id"}
    consent = Column(Boolean, nullable=False, default=False)
    consent_at = Column(UTCDateTime())
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)


class Booking(Base):
    """A first consultation booked by a caregiver; the reference is what they quote later."""

    __tablename__ = "bookings"
    __table_args__ = (
        UniqueConstraint("reference", name="uq_bookings_reference"),
        # The database's own guard against a double booking, beside the guarded UPDATE.
        Index(
            "uq_bookings_confirmed_slot",
            "slot_id",
            unique=True,
            sqlite_where=text("status = 'confirmed'"),
            postgresql_where=text("status = 'confirmed'"),
        ),
    )

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), nullable=False)
    slot_id = Column(
        Integer, ForeignKey("availability_slots.id", name="fk_bookings_slot_id"), nullable=False
    )
    caregiver_id = Column(
        Integer, ForeignKey("caregivers.id", name="fk_bookings_caregiver_id"), nullable=False
    )
    child_age_months = Column(Integer, nullable=False)
    concern_summary = Column(Text)
    status = Column(String(16), nullable=False, default="confirmed")  # cancelled, rescheduled
    conversation_id = Column(String(128), index=True)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow)
    cancelled_at = Column(UTCDateTime())


class HandoffRequest(Base):
    """A caregiver who should hear from a person; staff work these new -> contacted -> closed."""

    __tablename__ = "handoff_requests"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    reason = Column(String(32), nullable=False)  # "asked_for_person", "no_times_fit"...
    preferred_contact = Column(Text)
    preferred_time = Column(Text)
    first_name = Column(String(80))  # whom to ask for when calling back
    topic = Column(Text)  # what it is about, in the caregiver's words
    channel = Column(String(32))
    # Asked for right after a crisis reply: staff call back first; flag_id is that flag.
    urgent = Column(Boolean, nullable=False, default=False, server_default=false())
    flag_id = Column(Integer)
    status = Column(String(16), nullable=False, default="new", index=True)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow)
    updated_by = Column(String(64))  # the staff member who last changed the status
    resolved_at = Column(UTCDateTime())


class ReflectionEntry(Base):
    """A guided reflection the caregiver chose to save; shared ones are visible to staff.

    ``owner_key`` is a keyed hash of the caregiver's channel identity (bot.identity), never
    a raw phone number, so a caregiver's journal follows them across web and SMS where
    the same person is known on both.
    """

    __tablename__ = "reflection_entries"

    id = Column(Integer, primary_key=True)
    owner_key = Column(String(64), nullable=False, index=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(32))
    prompt_id = Column(String(64))  # bot/reflection/prompts.yml
    age_band = Column(String(16))  # baby, toddler, preschool
    theme = Column(String(32))
    answers = Column(JSON, nullable=False, default=dict)  # step -> caregiver's words or None
    feelings = Column(JSON, nullable=False, default=list)  # feeling words found in them
    summary = Column(Text)  # the reflect-back the bot gave
    shared = Column(Boolean, nullable=False, default=False)
    shared_at = Column(UTCDateTime())
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)


class Reminder(Base):
    """A caregiver's explicit opt-in to reflection reminders on chosen days and a time.

    ``next_due_at`` (UTC) is what the scheduler looks at; it is recomputed from the
    weekdays and local time in the clinic's time zone after every send or skip.
    """

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_active_next_due", "active", "next_due_at"),)

    id = Column(Integer, primary_key=True)
    owner_key = Column(String(64), nullable=False, index=True)
    conversation_id = Column(String(128), nullable=False)  # whom Rasa's API addresses
    channel = Column(String(32), nullable=False)  # output channel: socketio, callback, sms
    weekdays = Column(JSON, nullable=False)  # [0..6], Monday is 0
    local_time = Column(String(5), nullable=False)  # "19:00", clinic time zone
    active = Column(Boolean, nullable=False, default=True)
    next_due_at = Column(UTCDateTime())
    opted_in_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    stopped_at = Column(UTCDateTime())
    stop_reason = Column(String(32))  # "asked", "sms_opt_out"
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow)


class ReminderDelivery(Base):
    """One due time of one reminder. The unique (reminder, due time) row is the claim:
    whoever inserts it first sends; a second scheduler or a restart cannot send it again."""

    __tablename__ = "reminder_deliveries"
    __table_args__ = (
        UniqueConstraint("reminder_id", "due_at", name="uq_reminder_deliveries_reminder_due"),
    )

    id = Column(Integer, primary_key=True)
    reminder_id = Column(
        Integer,
        ForeignKey("reminders.id", name="fk_reminder_deliveries_reminder_id", ondelete="CASCADE"),
        nullable=False,
    )
    due_at = Column(UTCDateTime(), nullable=False)
    # claimed -> sent | failed; or skipped_late / skipped_quiet / skipped_opt_out
    status = Column(String(24), nullable=False, default="claimed")
    claimed_by = Column(String(64))  # scheduler instance (host:pid)
    claimed_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    finished_at = Column(UTCDateTime())
    error = Column(String(200))  # the error's type and status only, never message text


class ChannelOptOut(Base):
    """An address that asked for no more messages (SMS STOP). Outbound sends check it."""

    __tablename__ = "channel_opt_outs"
    __table_args__ = (UniqueConstraint("channel", "owner_key", name="uq_channel_opt_outs"),)

    id = Column(Integer, primary_key=True)
    channel = Column(String(32), nullable=False)
    owner_key = Column(String(64), nullable=False)
    opted_out = Column(Boolean, nullable=False, default=True)
    changed_at = Column(UTCDateTime(), nullable=False, default=utcnow)


class SmsMessage(Base):
    """One text message in or out, without its text: staff see what failed, and the
    unique (direction, Twilio sid) row is the claim that a webhook Twilio delivers
    twice (or to two Rasa instances) is processed once."""

    __tablename__ = "sms_messages"
    __table_args__ = (
        UniqueConstraint("direction", "message_sid", name="uq_sms_messages_direction_sid"),
        Index("ix_sms_messages_status_created_at", "status", "created_at"),
    )

    id = Column(Integer, primary_key=True)
    direction = Column(String(3), nullable=False)  # "in" or "out"
    message_sid = Column(String(64))  # Twilio's sid; empty for an outbound not accepted
    conversation_id = Column(String(64), nullable=False, index=True)  # owner_key, not a number
    # in: received -> processed | failed; out: queued -> sent | failed | blocked_opt_out
    status = Column(String(24), nullable=False)
    error_code = Column(String(32))  # Twilio's error code, an HTTP status or an error type
    attempts = Column(Integer, nullable=False, default=0)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow)


class SmsContact(Base):
    """The number behind an SMS conversation id (a keyed hash of it): needed to reply,
    and to send what the bot starts itself (reminders), when no webhook is in hand."""

    __tablename__ = "sms_contacts"

    conversation_id = Column(String(64), primary_key=True)
    phone = Column(String(32), nullable=False)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    last_seen_at = Column(UTCDateTime(), nullable=False, default=utcnow)


class SmsButtons(Base):
    """The options last offered in an SMS conversation, so "2" or "no" picks a payload
    (kept in the database: the reply may reach another Rasa instance)."""

    __tablename__ = "sms_buttons"

    conversation_id = Column(String(64), primary_key=True)
    buttons = Column(JSON, nullable=False, default=list)  # [{"title", "payload"}]
    offered_at = Column(UTCDateTime(), nullable=False, default=utcnow)


# --- Staff console (bot/console) ---


class StaffAccount(Base):
    """A clinic staff member who may sign in to the console; created only from the CLI."""

    __tablename__ = "staff_accounts"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    role = Column(String(16), nullable=False)  # "clinician" or "admin"
    password_hash = Column(String(255), nullable=False)  # Argon2id, never the password
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    password_changed_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    last_login_at = Column(UTCDateTime())


class StaffSession(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored,
    so a copy of the database cannot be used to sign in."""

    __tablename__ = "staff_sessions"

    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    staff_id = Column(
        Integer,
        ForeignKey("staff_accounts.id", name="fk_staff_sessions_staff_id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    last_seen_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    ended_at = Column(UTCDateTime())  # logout, idle expiry, account disabled


class LoginAttempt(Base):
    """One sign-in try, kept for rate limiting per account and per address."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_address_at", "address", "at"),
    )

    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False)
    address = Column(String(64), nullable=False)
    succeeded = Column(Boolean, nullable=False)
    at = Column(UTCDateTime(), nullable=False, default=utcnow)


class AuditEntry(Base):
    """Who viewed, exported or changed what, and when. Append-only: database triggers
    refuse UPDATE and DELETE (see the migration), so no page or script can rewrite it."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True)
    at = Column(UTCDateTime(), nullable=False, default=utcnow, index=True)
    staff_id = Column(Integer)  # None for the command line (purge, staff add)
    actor = Column(String(64), nullable=False)  # username, or "cli:<user>"
    action = Column(String(48), nullable=False, index=True)  # "view_transcript", "export"...
    conversation_id = Column(String(128), index=True)
    target = Column(String(64))  # "safety_flag:12", "handoff:3", "staff:alice"
    detail = Column(JSON, nullable=False, default=dict)  # counts, filters; never message text


class ConversationReview(Base):
    """A conversation's review status in the console (absent row: not reviewed)."""

    __tablename__ = "conversation_reviews"

    conversation_id = Column(String(128), primary_key=True)
    status = Column(String(16), nullable=False, default="reviewed")  # "reviewed"
    reviewed_by = Column(String(64), nullable=False)
    reviewed_at = Column(UTCDateTime(), nullable=False, default=utcnow)


class ConversationTag(Base):
    """A short label staff put on a conversation ("good answer", "missed intent")."""

    __tablename__ = "conversation_tags"
    __table_args__ = (
        UniqueConstraint("conversation_id", "tag", name="uq_conversation_tags_conversation_tag"),
    )

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    tag = Column(String(48), nullable=False)
    added_by = Column(String(64), nullable=False)
    added_at = Column(UTCDateTime(), nullable=False, default=utcnow)


class ConversationNote(Base):
    """A staff note on a conversation, with who wrote it and when."""

    __tablename__ = "conversation_notes"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    author = Column(String(64), nullable=False)
    text = Column(Text, nullable=False)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)
