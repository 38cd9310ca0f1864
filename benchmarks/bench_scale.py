"""How long a stable weight takes from a serial scale simulated on a pty. Prints numbers; asserts nothing.

    .venv/bin/python benchmarks/bench_scale.py [ROUNDS]

For each protocol: one request/answer round trip through pyserial and the pty; a stable weight
from a scale that has already settled (3 equal readings, the default); and one where the box was
just put down (3 answers in motion first). The wait between two requests (`poll_interval`, 0.1 s,
about a scale's display rate) is most of it; a real scale at 9600 baud adds about 20 ms of line
time per answer (an 18-byte SICS answer is 19 ms at 10 bits a byte).
"""

from __future__ import annotations

import statistics
import sys
import time
from decimal import Decimal

from shipdesk.devices.scales import ScaleKind, ScaleSettings, open_scale, read_stable
from shipdesk.devices.scales.simulator import SerialScaleSimulator


def _ms(samples: list[float]) -> str:
    return f"median {1000 * statistics.median(samples):7.1f} ms, max {1000 * max(samples):7.1f} ms"


def main(rounds: int = 20) -> None:
    for protocol in ("sics", "nci"):
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
        for label, samples in (("one request/answer", trips), ("stable weight, box already settled", settled),
                               ("stable weight, box just put down", put_down)):
            print(f"{protocol.upper():<5} {f'{label} ({len(samples)}x)':<44} {_ms(samples)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
