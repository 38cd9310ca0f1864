"""The retry policy both clients share: exponential backoff with full jitter, capped, with a budget.

Full jitter (wait = uniform(0, min(cap, base * 2**attempt))) spreads a crowd of clients apart after
a shared 429 storm; the per-wait cap keeps one wait short and the total budget bounds how long a
user waits before hearing "UPS is rate-limiting us".
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

#: statuses that mean "try again later" for an idempotent request
RETRY_STATUSES = frozenset({429, 502, 503, 504})
#: for a request that must not run twice (UPS Ship) only answers that prove it was not processed
SAFE_RETRY_STATUSES_NON_IDEMPOTENT = frozenset({429, 503})


@dataclass(frozen=True)
class RetryPolicy:
    base_seconds: float = 0.5
    max_wait_seconds: float = 8.0
    budget_seconds: float = 45.0
    max_attempts: int = 10
    honour_retry_after: bool = True
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def backoff(self, retry_index: int) -> float:
        """Seconds to wait before retry number ``retry_index`` (0-based), full jitter."""
        ceiling = min(self.max_wait_seconds, self.base_seconds * (2**retry_index))
        return self.rng.uniform(0.0, ceiling)

    def wait_for(self, retry_index: int, retry_after: str | None) -> float:
        """The wait before the next try: the server's Retry-After when given and honoured, else backoff."""
        if self.honour_retry_after and retry_after:
            seconds = parse_retry_after(retry_after)
            if seconds is not None:
                return min(seconds, self.budget_seconds)
        return self.backoff(retry_index)


def parse_retry_after(value: str) -> float | None:
    """Retry-After is either delta-seconds or an HTTP date; None when it is neither."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


#: a policy that never waits, for tests that count retries without sleeping
def no_wait_policy(max_attempts: int = 10) -> RetryPolicy:
    return RetryPolicy(base_seconds=0.0, max_wait_seconds=0.0, budget_seconds=1e9, max_attempts=max_attempts)
