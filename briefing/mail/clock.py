"""The time a send sees, passed in so that tests of backoff and rate limits run in no time."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, with a time zone."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary start, never going back (for pacing)."""

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


SYSTEM_CLOCK = SystemClock()


class Pace:
    """At most ``per_second`` messages a second: each waits until 1/per_second after the last."""

    def __init__(self, per_second: float, clock: Clock) -> None:
        self._gap = 1.0 / per_second
        self._clock = clock
        self._next: float | None = None

    def wait(self) -> None:
        now = self._clock.monotonic()
        if self._next is not None and self._next > now:
            self._clock.sleep(self._next - now)
            now = self._next
        self._next = now + self._gap
