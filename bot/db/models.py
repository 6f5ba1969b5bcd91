"""Tables of the project's own database. Migrations live in bot/db/migrations."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, Column, DateTime, Integer, String, Text
from sqlalchemy.orm import declarative_base

Base = declarative_base()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class SafetyFlag(Base):
    """A message that showed danger; staff acknowledge and resolve it in the console."""

    __tablename__ = "safety_flags"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    category = Column(String(32), nullable=False)
    evidence = Column(JSON, nullable=False, default=list)
    source = Column(String(16), nullable=False)  # "rules", "model" or "both"
    status = Column(String(16), nullable=False, default="new", index=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)
    updated_by = Column(String(64))
    note = Column(Text)
