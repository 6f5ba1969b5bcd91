"""Tell operators the conversation store is failing, without flooding the log.

Like bot.safety.alerts, the lines carry no caregiver data: no message text, no
conversation id (which may be a phone number for the REST channel), only the operation
and the database error's type name. During an outage every message fails, dozens a
second, so the ALERT line is written at most once per ``ALERT_INTERVAL_SECONDS`` (per
process), with the number of failures not logged since the previous line. A
"reachable again" line follows the first success after a failure, so a log search
shows how long an outage lasted; the next failure after it alerts at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger("bot.tracking.alerts")

ALERT_INTERVAL_SECONDS = 30.0


@dataclass
class _Outage:
    """This process's current outage: when the last ALERT line was written, and since."""

    clock: Callable[[], float] = time.monotonic
    last_line: float | None = None
    suppressed: int = 0

    def should_log(self) -> bool:
        now = self.clock()
        if self.last_line is not None and now - self.last_line < ALERT_INTERVAL_SECONDS:
            self.suppressed += 1
            return False
        self.last_line = now
        return True


_outage = _Outage()


def store_unavailable(operation: str, cause: str) -> None:
    """An ALERT line for a failed operation, at most one per ALERT_INTERVAL_SECONDS."""
    if not _outage.should_log():
        return
    logger.error(
        "ALERT tracker store unavailable: %s failed (%s); messages get an error and a "
        "try-again text until it answers, nothing is kept in memory "
        "(%d more failures since the last alert line; at most one line per %gs)",
        operation,
        cause,
        _outage.suppressed,
        ALERT_INTERVAL_SECONDS,
    )
    _outage.suppressed = 0


def store_recovered() -> None:
    """The outage is over: say so, with how many failures were not logged, and reset."""
    global _outage
    hidden = _outage.suppressed
    _outage = _Outage(clock=_outage.clock)
    if hidden:
        logger.warning(
            "tracker store reachable again (%d failures after the last alert line)", hidden
        )
    else:
        logger.warning("tracker store reachable again")
