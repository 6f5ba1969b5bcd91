"""Conversation ticket locks that several Rasa processes can share safely.

Rasa 3.6's ``RedisLockStore`` changes a conversation's ticket lock by GET, change in
Python, SET. Two instances doing that at the same moment overwrite each other's
tickets: both can be "now serving" one conversation (its turns run at once and their
events interleave in the tracker store), or a waiter's ticket vanishes and its message
fails with ``LockError``. Its tickets also expire ``TICKET_LOCK_LIFETIME`` after they
were issued, even while their message still waits in the queue, so the tail of a burst
of messages fails; and a lock left with no tickets makes its waiters poll forever.

``AtomicTicketLockStore`` fixes all of that above one primitive, ``_change``: read the
lock, change it, write it back (or delete it when no tickets are left) as one atomic
step of the shared store. All processes share one queue per conversation, and a thread
renews this process's tickets, waiting or being served, until their turn ends. Only the
tickets of a process that died expire, so the lifetime just bounds how long a
conversation waits for a process that crashed mid-turn (deploy/prod.env.example: 10 s).

Two stores implement ``_change``: ``AtomicRedisLockStore`` here (a Redis optimistic
transaction, for the production stack's instances) and ``SQLiteLockStore`` in
bot/tracking/sqlite_lock_store.py (``BEGIN IMMEDIATE``, for the embedded default's
Sanic workers). Their calls are synchronous, as in Rasa's own stores (one short step).
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

T = TypeVar("T")
Change = Callable[[TicketLock | None], T]


class AtomicTicketLockStore(LockStore):
    """Rasa's ticket-lock protocol over an atomic ``_change`` of the stored lock."""

    # What a failed store call raises: the renewal thread logs these and tries again.
    store_errors: ClassVar[tuple[type[Exception], ...]] = ()

    def __init__(self) -> None:
        # Our tickets (issued, not yet cleaned up) and their lifetimes, for the renewal
        # thread; the thread runs while there are any.
        self._lifetimes: dict[tuple[str, int], float] = {}
        self._guard = threading.Lock()
        self._renewer: threading.Thread | None = None

    def _change(self, conversation_id: str, change: Change[T], create: bool = False) -> T:
        """Run ``change`` on the stored lock and store the result, atomically.

        ``change`` edits the lock in place (it gets None when there is none, unless
        ``create``); a lock left without tickets is deleted, so no one waits on it.
        """
        raise NotImplementedError

    @staticmethod
    def _apply(
        conversation_id: str, raw: str | bytes | None, change: Change[T], create: bool
    ) -> tuple[T, TicketLock | None]:
        """``change`` applied to a stored lock (JSON or None): the result and the new lock
        to store (None: delete it), shared by the stores' ``_change``."""
        lock = TicketLock.from_dict(json.loads(raw)) if raw else None
        if lock is None and create:
            lock = TicketLock(conversation_id)
        result = change(lock)
        return result, (lock if lock is not None and lock.tickets else None)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """A place in the conversation's queue, kept alive by the renewal thread."""

        def issue(lock: TicketLock | None) -> int:
            assert lock is not None  # create=True
            return lock.issue_ticket(lock_lifetime)

        try:
            ticket = self._change(conversation_id, issue, create=True)
        except Exception as exc:
            raise LockError(f"Error while acquiring lock. Error:\n{exc}") from exc
        with self._guard:
            self._lifetimes[(conversation_id, ticket)] = lock_lifetime
            if self._renewer is None:
                self._renewer = threading.Thread(
                    target=self._renew_while_tickets_are_out, name="lock-renewal", daemon=True
                )
                self._renewer.start()
        return ticket

    def _renew_while_tickets_are_out(self) -> None:
        """The renewal thread: every third of the shortest lifetime, renew our tickets.

        A thread, not a task: a live instance's event loop can stall longer than the
        lifetime (the first turn after start builds TensorFlow functions in the loop,
        >10 s on a busy host), and its tickets must not expire meanwhile.
        """
        while True:
            with self._guard:
                if not self._lifetimes:
                    self._renewer = None
                    return
                tickets = list(self._lifetimes.items())
            time.sleep(min(lifetime for _, lifetime in tickets) / 3)
            for (conversation_id, ticket), lifetime in tickets:
                try:
                    self._change(conversation_id, self._renewal(ticket, lifetime))
                except self.store_errors as exc:  # the next round may work; the turn goes on
                    logger.warning("could not renew a conversation lock: %s", type(exc).__name__)

    @staticmethod
    def _renewal(ticket: int, lifetime: float) -> Change[TicketLock | None]:
        def renew(lock: TicketLock | None) -> TicketLock | None:
            """Drop expired tickets and renew ours; the lock as it is now, or None."""
            if lock is None:
                return None
            lock.remove_expired_tickets()
            for held in lock.tickets:
                if held.number == ticket:
                    held.expires = time.time() + lifetime
            return lock

        return renew

    async def _acquire_lock(
        self, conversation_id: str, ticket: int, wait_time_in_seconds: float
    ) -> TicketLock:
        """Wait for our turn (the poll drops expired tickets); LockError if ours is gone."""
        lifetime = self._lifetimes.get((conversation_id, ticket), LOCK_LIFETIME)
        renew = self._renewal(ticket, lifetime)
        while True:
            lock = self._change(conversation_id, renew)
            if lock is None or all(t.number != ticket for t in lock.tickets):
                raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
            if not lock.is_locked(ticket):
                return lock
            await asyncio.sleep(wait_time_in_seconds)

    def update_lock(self, conversation_id: str) -> None:
        """Rasa's update (drop expired tickets), atomically."""

        def drop_expired(lock: TicketLock | None) -> None:
            if lock is not None:
                lock.remove_expired_tickets()

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Rasa's, atomically; the lock goes with its last ticket."""

        def drop_ticket(lock: TicketLock | None) -> None:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)

        self._change(conversation_id, drop_ticket)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # finish_serving already deletes a lock whose last ticket it removed.
        with self._guard:
            self._lifetimes.pop((conversation_id, ticket_number), None)
        self.finish_serving(conversation_id, ticket_number)


class AtomicRedisLockStore(AtomicTicketLockStore, RedisLockStore):
    """``type: bot.tracking.lock_store.AtomicRedisLockStore``, with RedisLockStore's keys."""

    store_errors = (RedisError,)

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        # Rasa builds a custom lock store as cls(endpoint_config=...), where "url" is the
        # host. An empty ${VAR} in the YAML arrives as "": treat it as not given, so the
        # Redis defaults apply (no password, Rasa's key prefix, localhost).
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
        RedisLockStore.__init__(self, **{k: v for k, v in kwargs.items() if v not in (None, "")})
        AtomicTicketLockStore.__init__(self)

    def _change(self, conversation_id: str, change: Change[T], create: bool = False) -> T:
        """One Redis optimistic transaction (WATCH, read, MULTI, write, EXEC), retried by
        redis-py when another process changed the key in between."""
        key = self.key_prefix + conversation_id

        def transaction(pipe: Any) -> T:
            raw = pipe.get(key)
            result, lock = self._apply(conversation_id, raw, change, create)
            pipe.multi()
            if lock is not None:
                pipe.set(key, lock.dumps())
            elif raw is not None:
                pipe.delete(key)
            return result

        return self.red.transaction(transaction, key, value_from_callable=True)
