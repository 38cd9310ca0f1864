"""The tracking workers' shared request rate, found by asking: additive increase, multiplicative decrease.

UPS publishes no rate limit and sends no Retry-After (FACTS.md); it answers 429 to a client it finds too
fast and raises the limit on request. So the rate is not a fixed cap but found the way TCP finds a
network's capacity (AIMD):
- it starts at ``[sync] start_requests_per_second``;
- while UPS answers and the rate is what holds the workers back, each answer adds ``increase / rate``,
  so the rate climbs by about ``increase`` requests per second every second (linear, not exponential);
  while the workers themselves are the limit it stays put (no credit piles up for a later burst);
- a 429 or 5xx answer halves it (down to a floor), at most once per ``HOLD_SECONDS``: the requests
  already in flight answer 429 too, and that is one signal, not sixteen;
- never above ``[sync] requests_per_second`` when set (an account UPS limits; 0, the default: no ceiling).
The workers call :meth:`TokenBucket.acquire` before each request, so the process as a whole keeps the
rate however many workers run. Time and sleeping are injected so tests run without waiting.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from shipdesk.core.settings.config import SyncConfig

#: never slower than this (requests per second), so the sync always makes progress
FLOOR = 0.5
#: a push-back halves the rate at most once in this many seconds
HOLD_SECONDS = 1.0
#: the rate counts as what held the workers back for this long after a worker had to wait for it
HELD_BACK_SECONDS = 2.0


def pushed_back(status: int) -> bool:
    """An answer that means "slower": 429 Too Many Requests, or the service failing (5xx)."""
    return status == 429 or status >= 500


class TokenBucket:
    def __init__(
        self,
        rate: float,
        *,
        ceiling: float | None = None,
        increase: float | None = None,
        burst: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """``rate``: requests per second to start with; ``ceiling``: never above it (None: no ceiling);
        ``increase``: requests per second the rate gains each second while it holds the workers back
        (default: the starting rate); ``burst``: requests allowed back to back after a quiet spell."""
        if rate <= 0 or (ceiling is not None and ceiling <= 0):
            raise ValueError("rates must be positive")  # i18n: a bug
        self.ceiling = float(ceiling) if ceiling is not None else math.inf
        self._rate = min(float(rate), self.ceiling)
        self._increase = float(increase) if increase is not None else self._rate
        self._burst = max(1.0, float(burst))
        self._tokens = self._burst
        self._clock = clock
        self._sleep = sleep
        self._last = clock()
        self._held_back_at = -math.inf
        self._decreased_at = -math.inf
        self._lock = threading.Lock()

    @classmethod
    def for_settings(cls, sync: SyncConfig) -> TokenBucket:
        """The bucket the ``[sync]`` settings describe."""
        ceiling = sync.requests_per_second or None
        start = min(sync.start_requests_per_second, ceiling or math.inf)
        return cls(start, ceiling=ceiling, burst=min(start, sync.concurrency))

    @property
    def rate(self) -> float:
        """Requests per second allowed right now."""
        with self._lock:
            return self._rate

    def acquire(self, cancel: threading.Event | None = None) -> bool:
        """Wait for a token. Returns False (without a token) when ``cancel`` is set while waiting.

        Tokens go into debt under the lock, so concurrent callers get consecutive slots and the
        waiting happens outside it.
        """
        with self._lock:
            now = self._refill()
            self._tokens -= 1.0
            wait = 0.0 if self._tokens >= 0 else -self._tokens / self._rate
            if wait > 0:
                self._held_back_at = now
        if wait <= 0:
            return True
        if cancel is None:
            self._sleep(wait)
            return True
        if cancel.wait(wait):
            with self._lock:
                self._tokens += 1.0  # give the slot back to the callers still waiting
            return False
        return True

    def succeeded(self) -> None:
        """UPS answered a request: the additive increase, while the rate is what holds the workers back."""
        with self._lock:
            now = self._refill()
            if self._rate < self.ceiling and now - self._held_back_at <= HELD_BACK_SECONDS:
                self._rate = min(self.ceiling, self._rate + self._increase / self._rate)

    def slow_down(self) -> None:
        """UPS pushed back (429 or 5xx): the multiplicative decrease, once per push-back."""
        with self._lock:
            now = self._refill()
            if now - self._decreased_at < HOLD_SECONDS:
                return
            self._decreased_at = now
            self._rate = max(min(FLOOR, self.ceiling), self._rate / 2.0)
            self._tokens = min(self._tokens, 0.0)  # no burst right after a push-back

    def answered(self, status: int) -> None:
        """Every HTTP answer from UPS, retried ones included (the UPS client calls it): push-backs slow down."""
        if pushed_back(status):
            self.slow_down()

    def _refill(self) -> float:
        now = self._clock()
        self._tokens = min(self._burst, self._tokens + (now - self._last) * self._rate)
        self._last = now
        return now
