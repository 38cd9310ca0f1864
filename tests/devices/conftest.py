"""Fixtures for the scale tests: serial scales served on a pseudo-terminal, speaking SICS or NCI."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from shipdesk.devices.scales.simulator import Protocol, SerialScaleSimulator


@pytest.fixture
def serial_scale() -> Iterator[Callable[[Protocol], SerialScaleSimulator]]:
    """Start a simulated scale of the given protocol; every one started is stopped after the test."""
    started: list[SerialScaleSimulator] = []

    def start(protocol: Protocol) -> SerialScaleSimulator:
        if not hasattr(os, "openpty"):
            pytest.skip("pseudo-terminals are POSIX only")
        simulator = SerialScaleSimulator(protocol).start()
        started.append(simulator)
        return simulator

    yield start
    for simulator in started:
        simulator.stop()


class TickingClock:
    """A clock that moves ``step`` seconds each time it is read: timeouts run out after a known number of reads."""

    def __init__(self, step: float = 1.0) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.fixture
def ticking_clock() -> TickingClock:
    return TickingClock()
