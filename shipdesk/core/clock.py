"""The core's time, injected: ``Clock`` is any callable that answers "now" (timezone-aware).

Subscriptions, poll cadence and outage times read the clock the context was built with: the wall clock
by default. Whoever builds the context may hand another one in (the demo launcher hands in the sandboxes'
simulated clock, tests a fixed or advancing one); the core never asks which kind it got.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)
