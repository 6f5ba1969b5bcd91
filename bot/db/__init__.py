"""The project's own database (safety flags, bookings, reflections...).

Rasa's conversations live in its tracker store; these tables hold what the
clinic's workflows need. One engine per process, created on first use; one
session per operation through ``session_scope()``.
"""

from bot.db.engine import get_engine, reset_engine, session_scope

__all__ = ["get_engine", "reset_engine", "session_scope"]
