"""The tracking rate: shared by every worker, growing while UPS answers, halved when UPS pushes back.

The rate tests run on a fake clock that moves only when someone sleeps or the test says so; the last
one runs a sync against the sandboxes.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest

from shipdesk.core.settings.config import SyncConfig, parse_config
from shipdesk.core.tracking.throttle import FLOOR, HOLD_SECONDS, TokenBucket

from .conftest import ship


class FakeTime:
    """A clock that only moves when someone sleeps (or the test moves it)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.lock = threading.Lock()

    def clock(self) -> float:
        with self.lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.now += seconds


def bucket_on(fake: FakeTime, rate: float, **options: float) -> TokenBucket:
    return TokenBucket(rate, clock=fake.clock, sleep=fake.sleep, **options)


def ask_for(bucket: TokenBucket, fake: FakeTime, seconds: float) -> int:
    """Workers ask as fast as the bucket lets them for ``seconds``, and UPS answers every request."""
    sent = 0
    end = fake.now + seconds
    while fake.now < end:
        bucket.acquire()
        bucket.succeeded()
        sent += 1
    return sent


def test_requests_are_spaced_at_the_starting_rate():
    fake = FakeTime()
    bucket = bucket_on(fake, 5.0, ceiling=5.0)
    for _ in range(11):
        bucket.acquire()
    assert fake.now == pytest.approx(2.0)  # the first is free, then one every 0.2 s


def test_a_burst_is_allowed_up_to_its_size_then_the_rate_holds():
    fake = FakeTime()
    bucket = bucket_on(fake, 2.0, ceiling=2.0, burst=4)
    for _ in range(4):
        bucket.acquire()
    assert fake.now == 0.0
    bucket.acquire()
    assert fake.now == pytest.approx(0.5)


def test_while_ups_answers_the_rate_grows_by_the_increase_every_second():
    fake = FakeTime()
    bucket = bucket_on(fake, 10.0, increase=10.0)

    ask_for(bucket, fake, 5.0)

    # additive: about 10 more each second, so ~60 after 5 s (not doubling every second)
    assert 50.0 <= bucket.rate <= 62.0


def test_the_rate_never_grows_past_its_ceiling():
    fake = FakeTime()
    bucket = bucket_on(fake, 10.0, ceiling=25.0)

    sent = ask_for(bucket, fake, 20.0)

    assert bucket.rate == pytest.approx(25.0)
    assert sent <= 25.0 * 20.0 + 1


def test_the_rate_does_not_grow_while_the_workers_are_the_limit():
    fake = FakeTime()
    bucket = bucket_on(fake, 10.0, burst=10)
    for _ in range(100):  # one request every 0.5 s: the bucket always has tokens to spare
        fake.sleep(0.5)
        bucket.acquire()
        bucket.succeeded()
    assert bucket.rate == pytest.approx(10.0)


def test_a_push_back_halves_the_rate_once_for_the_requests_in_flight():
    fake = FakeTime()
    bucket = bucket_on(fake, 40.0)
    for _ in range(16):  # the 16 requests in flight all answer 429 at about the same time
        bucket.answered(429)
    assert bucket.rate == pytest.approx(20.0)
    fake.sleep(HOLD_SECONDS)
    bucket.answered(503)
    assert bucket.rate == pytest.approx(10.0)


def test_after_a_push_back_the_next_requests_wait_for_the_lower_rate():
    fake = FakeTime()
    bucket = bucket_on(fake, 10.0, burst=10)
    bucket.answered(429)  # 5 per second now, and the burst saved up is gone
    started = fake.now
    for _ in range(5):
        bucket.acquire()
    assert fake.now - started == pytest.approx(1.0)


@pytest.mark.parametrize("status", [200, 201, 204, 400, 401, 404])
def test_answers_that_are_not_push_backs_leave_the_rate_alone(status):
    bucket = TokenBucket(10.0)
    bucket.answered(status)
    assert bucket.rate == pytest.approx(10.0)


def test_after_a_storm_the_rate_climbs_back_linearly():
    fake = FakeTime()
    bucket = bucket_on(fake, 40.0, increase=10.0)
    bucket.answered(429)
    assert bucket.rate == pytest.approx(20.0)

    ask_for(bucket, fake, 2.0)

    assert 35.0 <= bucket.rate <= 42.0  # back near 40 after 2 s at +10 a second


def test_the_rate_never_falls_below_its_floor():
    fake = FakeTime()
    bucket = bucket_on(fake, 10.0)
    for _ in range(50):
        bucket.slow_down()
        fake.sleep(HOLD_SECONDS)
    assert bucket.rate == pytest.approx(FLOOR)


def test_the_settings_give_the_start_and_the_ceiling():
    fast = TokenBucket.for_settings(SyncConfig())
    assert fast.rate == pytest.approx(SyncConfig().start_requests_per_second)
    assert fast.ceiling == float("inf")  # the shipped default: no ceiling, the rate adapts

    limited = TokenBucket.for_settings(replace(SyncConfig(), requests_per_second=3.0))
    assert limited.rate == pytest.approx(3.0)  # a ceiling below the start: start there
    assert limited.ceiling == pytest.approx(3.0)


def test_threads_share_one_rate():
    """20 requests from 4 threads at 50 a second: each gets its own slot, 1/50 s after the one before."""
    waits: list[float] = []
    lock = threading.Lock()

    def note(seconds: float) -> None:  # the clock stands still: the slots are handed out, not waited for
        with lock:
            waits.append(seconds)

    bucket = TokenBucket(50.0, ceiling=50.0, clock=lambda: 0.0, sleep=note)
    threads = [threading.Thread(target=lambda: [bucket.acquire() for _ in range(5)]) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(waits) == pytest.approx([k / 50 for k in range(1, 20)])  # the first one is free


def test_a_cancelled_wait_returns_without_a_token():
    bucket = TokenBucket(0.1)
    bucket.acquire()  # the free one
    cancel = threading.Event()
    cancel.set()
    assert bucket.acquire(cancel) is False


# -- the settings -------------------------------------------------------------------------------------
def sync_settings(table: dict[str, object]) -> SyncConfig:
    return parse_config({"sync": table}, Path("config.toml")).sync


def test_the_shipped_defaults_adapt_the_rate_without_a_ceiling():
    settings = sync_settings({})
    assert settings.requests_per_second == 0.0  # no ceiling
    assert settings.start_requests_per_second > 5.0 and settings.concurrency > 4  # faster than the old fixed 5/s


def test_a_rate_an_older_config_file_fixed_stays_a_ceiling():
    """``requests_per_second`` was a fixed rate: an admin who lowered it for an account UPS throttles keeps
    that limit, and the rate starts there."""
    bucket = TokenBucket.for_settings(sync_settings({"requests_per_second": 2.0}))
    assert bucket.ceiling == 2.0 and bucket.rate == 2.0


# -- against the UPS sandbox --------------------------------------------------------------------------
def test_a_429_the_transport_retried_away_still_slows_the_sync_down(sandboxes, make_context, make_service):
    context = make_context()
    ship(context, "SH000101")
    sandboxes.advance(hours=5)  # picked up: due for a poll
    sandboxes.ups.add_fault(route="/api/track", status=429, count=1)
    service = make_service(context, bucket=TokenBucket(40.0))

    report = service.run_cycle()

    assert report.ok and report.polled == 1  # the retry got the answer...
    assert service.bucket.rate == pytest.approx(20.0)  # ...and the 429 before it halved the rate
