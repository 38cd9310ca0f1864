"""Demo mode's sync runs on the sandboxes' simulated time, read over their control API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shipdesk.demo.clock import SandboxClock


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_clock_follows_the_sandbox_when_it_is_moved_on(sandboxes):
    ticks = Ticks()
    clock = SandboxClock(sandboxes.ups_url, monotonic=ticks)
    assert abs(clock() - datetime.now(UTC)) < timedelta(seconds=5)

    sandboxes.advance(hours=40)
    assert clock() - datetime.now(UTC) < timedelta(hours=1)  # read at most once a second
    ticks.now += 1.5

    assert abs(clock() - sandboxes.clock.now()) < timedelta(seconds=5)


def test_without_a_sandbox_it_is_the_wall_clock():
    clock = SandboxClock("http://127.0.0.1:9")  # nothing listens on the discard port

    assert abs(clock() - datetime.now(UTC)) < timedelta(seconds=5)
