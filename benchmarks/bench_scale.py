"""How long a stable weight takes from a serial scale simulated on a pty.

For each protocol: one request/answer round trip through pyserial and the pty; a stable weight
from a scale that has already settled (3 equal readings, the default); and one where the box was
just put down (3 answers in motion first). The wait between two requests (`poll_interval`, 0.1 s,
about a scale's display rate) is most of it; a real scale at 9600 baud adds about 20 ms of line
time per answer (an 18-byte SICS answer is 19 ms at 10 bits a byte). No issue sets a target: the
limits guard what a packer would notice (a weight within half a second of a settled box).
"""

from __future__ import annotations

import statistics
import time
from decimal import Decimal
from typing import Literal

from benchmarks._harness import Measure, Options
from shipdesk.devices.scales import ScaleKind, ScaleSettings, open_scale, read_stable
from shipdesk.devices.scales.simulator import SerialScaleSimulator

NAME = "scale"
TITLE = "a stable weight from a serial scale on a pty (MT-SICS, NCI)"
GUARD = "guard: what a packer notices"


def run(options: Options) -> list[Measure]:
    rounds = 5 if options.quick else 20
    measures: list[Measure] = []
    protocols: tuple[Literal["sics", "nci"], ...] = ("sics", "nci")
    for protocol in protocols:
        trip = Measure(f"{protocol.upper()}: one request/answer", " ms", options.target(5, source=GUARD))
        settled = Measure(f"{protocol.upper()}: stable weight, box already settled", " s",
                          options.target(0.5, source=GUARD))
        put_down = Measure(f"{protocol.upper()}: stable weight, box just put down", " s",
                           options.target(1.0, source=GUARD))
        for _ in range(options.runs):
            trips, settles, puts = _one_run(protocol, rounds)
            trip.add(1000 * statistics.median(trips))
            settled.add(statistics.median(settles))
            put_down.add(statistics.median(puts))
        measures += [trip, settled, put_down]
    return measures


def _one_run(protocol: Literal["sics", "nci"], rounds: int) -> tuple[list[float], list[float], list[float]]:
    with SerialScaleSimulator(protocol) as sim:
        settings = ScaleSettings(kind=ScaleKind(protocol), port=sim.port)
        scale = open_scale(settings)
        try:
            sim.put(Decimal("3.42"))
            trips = []
            for _ in range(200):
                started = time.perf_counter()
                scale.read()
                trips.append(time.perf_counter() - started)
            settled, put_down = [], []
            for _ in range(rounds):
                started = time.perf_counter()
                read_stable(scale, settings)
                settled.append(time.perf_counter() - started)
                sim.put(Decimal("3.42"), settle=3)
                started = time.perf_counter()
                read_stable(scale, settings)
                put_down.append(time.perf_counter() - started)
        finally:
            scale.close()
    return trips, settled, put_down
