"""The token bucket: the configured rate across threads, slower after a storm, back up gradually."""

from __future__ import annotations

import threading
import time

import pytest

from shipdesk.core.tracking.throttle import TokenBucket


class FakeTime:
    """A clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.lock = threading.Lock()

    def clock(self) -> float:
        with self.lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.now += seconds


def test_requests_are_spaced_at_the_configured_rate():
    fake = FakeTime()
    bucket = TokenBucket(5.0, clock=fake.clock, sleep=fake.sleep)
    for _ in range(11):
        bucket.acquire()
    assert fake.now == pytest.approx(2.0)  # the first is free, then one every 0.2 s


def test_a_burst_is_allowed_up_to_its_size_then_the_rate_holds():
    fake = FakeTime()
    bucket = TokenBucket(2.0, burst=4, clock=fake.clock, sleep=fake.sleep)
    for _ in range(4):
        bucket.acquire()
    assert fake.now == 0.0
    bucket.acquire()
    assert fake.now == pytest.approx(0.5)


def test_a_storm_halves_the_rate_and_successes_bring_it_back_gradually():
    bucket = TokenBucket(10.0)
    bucket.slow_down()
    assert bucket.rate == pytest.approx(5.0)
    for _ in range(5):
        bucket.succeeded()
    assert 5.0 < bucket.rate < 10.0
    for _ in range(100):
        bucket.succeeded()
    assert bucket.rate == pytest.approx(10.0)


def test_the_rate_never_falls_below_its_floor():
    bucket = TokenBucket(10.0)
    for _ in range(50):
        bucket.slow_down()
    assert bucket.rate == pytest.approx(0.5)


def test_threads_share_one_rate():
    bucket = TokenBucket(50.0)  # real time: 20 requests take at least 19 / 50 s whatever the threads
    threads = [threading.Thread(target=lambda: [bucket.acquire() for _ in range(5)]) for _ in range(4)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert time.monotonic() - started >= 19 / 50 - 0.01


def test_a_cancelled_wait_returns_without_a_token():
    bucket = TokenBucket(0.1)
    bucket.acquire()  # the free one
    cancel = threading.Event()
    cancel.set()
    assert bucket.acquire(cancel) is False
