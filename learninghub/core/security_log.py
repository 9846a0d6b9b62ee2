"""Security events anyone on the internet can cause: the application log, rate limited.

An anonymous request refused with 403 (a forged or expired form, a page needing a sign-in),
a failed sign-in for an address that has no account, an attempt refused while a lockout
holds: each costs an attacker one request. As permanent audit rows they would let a stranger
grow the append-only, hash-chained log without limit, with text of their choosing (issue 6,
finding 5). They go to the `learninghub.security` logger instead, where operators' log
shipping and retention apply, at most `LINES_PER_MINUTE` lines a minute in each process; the
lines held back are counted and the count is written when the next minute starts.

What a signed-in person is refused, and failed sign-ins and lockouts of real accounts, stay
in the audit log: those name someone, and lockout bounds them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

LINES_PER_MINUTE = 60
WINDOW_SECONDS = 60.0

logger = logging.getLogger("learninghub.security")


class RateLimitedLog:
    def __init__(
        self,
        target: logging.Logger,
        *,
        per_minute: int = LINES_PER_MINUTE,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.target = target
        self.per_minute = per_minute
        self.clock = clock
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._window_started = self.clock()
            self._written = 0
            self._suppressed = 0

    def warning(self, message: str, *args) -> bool:
        """Log a line unless this minute's allowance is spent; True if it was written."""
        with self._lock:
            now = self.clock()
            held_back = 0
            if now - self._window_started >= WINDOW_SECONDS:
                held_back, self._suppressed = self._suppressed, 0
                self._window_started, self._written = now, 0
            write = self._written < self.per_minute
            if write:
                self._written += 1
            else:
                self._suppressed += 1
        if held_back:
            self.target.warning(
                "%d more security events in the last minute were not logged (rate limit %d a "
                "minute)",
                held_back,
                self.per_minute,
            )
        if write:
            self.target.warning(message, *args)
        return write


security_log = RateLimitedLog(logger)
