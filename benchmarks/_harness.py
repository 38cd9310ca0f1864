"""What every benchmark reports: measures with a target each, several runs, min/median, pass or fail.

A benchmark module has ``NAME``, ``TITLE`` and ``run(options) -> list[Measure]``. A measure's verdict
is its **median** against its target (a single lucky run does not pass), or its worst run for a limit
that no run may break (``worst=True``: sign-ins per cycle); a run that hit its time cap counts as "more
than the cap". In ``--quick`` mode the sizes are small and the targets that depend on
the size are dropped (the measure is shown, it decides nothing); targets per unit (per label, per
shipment, a stall, a preview) stay.
"""

from __future__ import annotations

import json
import math
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal


@dataclass(frozen=True)
class Target:
    limit: float
    #: "at_most": lower is better (times, counts); "at_least": higher is better
    kind: Literal["at_most", "below", "at_least"] = "below"
    source: str = "issue 14"  # where the number comes from

    def met(self, value: float) -> bool:
        if self.kind == "at_least":
            return value >= self.limit
        if self.kind == "at_most":
            return value <= self.limit
        return value < self.limit

    def text(self, unit: str) -> str:
        sign = {"at_most": "≤", "below": "<", "at_least": "≥"}[self.kind]
        return f"{sign} {_number(self.limit)}{unit}"


@dataclass
class Measure:
    name: str
    unit: str  # " s", " ms", " MB", "" (a count or a ratio)
    target: Target | None
    samples: list[float] = field(default_factory=list)
    capped: int = 0  # runs stopped at their time cap: their sample is the cap, a lower bound
    notes: list[str] = field(default_factory=list)
    worst: bool = False  # judged by the worst run, not the median

    def add(self, value: float, *, capped: bool = False) -> None:
        self.samples.append(float(value))
        self.capped += capped

    @property
    def minimum(self) -> float:
        return min(self.samples) if self.samples else math.nan

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else math.nan

    @property
    def judged(self) -> float:
        """The value the verdict is about: the median, or the worst run."""
        if not self.worst or not self.samples:
            return self.median
        low = self.target is not None and self.target.kind == "at_least"
        return min(self.samples) if low else max(self.samples)

    @property
    def verdict(self) -> str:
        if not self.samples:
            return "NO DATA"
        if self.target is None:
            return "info"
        return "pass" if self.target.met(self.judged) else "FAIL"

    @property
    def failed(self) -> bool:
        return self.verdict in ("FAIL", "NO DATA")

    def shown(self, value: float) -> str:
        return f"{_number(value)}{self.unit}"

    def line(self) -> str:
        target = self.target.text(self.unit) if self.target else "—"
        runs = f"{len(self.samples)} run{'s' if len(self.samples) != 1 else ''}"
        if self.capped:
            runs += f", {self.capped} stopped at the cap"
        if self.worst:
            runs += f", worst {self.shown(self.judged)}"
        return (f"{self.name:<64} {target:>12}  min {self.shown(self.minimum):>10}  median "
                f"{self.shown(self.median):>10}  ({runs})  {self.verdict}")


def _number(value: float) -> str:
    if math.isnan(value):
        return "—"
    if math.isinf(value):
        return "∞"
    if value == int(value):
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


@dataclass(frozen=True)
class Options:
    quick: bool = False
    runs: int = 3
    latency_ms: int = 100
    #: ``[sync]`` settings other than the shipped defaults, "KEY=VALUE" (to try a change)
    sync_settings: tuple[str, ...] = ()
    #: only this size where a benchmark has several (packages, rows), to try one quickly
    only_size: int = 0

    def sizes(self, full: list[int], quick: list[int]) -> list[int]:
        if self.only_size:
            return [self.only_size]
        return quick if self.quick else full

    def size(self, full: int, quick: int) -> int:
        return quick if self.quick else full

    def target(self, limit: float, kind: Literal["at_most", "below", "at_least"] = "below", *,
               scales_with_size: bool = False, source: str = "issue 14") -> Target | None:
        """The target; none in quick mode when the limit is for the full size."""
        if self.quick and scales_with_size:
            return None
        return Target(limit, kind, source)


# -- output -------------------------------------------------------------------------------------------
def say(text: str) -> None:
    print(text, flush=True)


def report(measures: list[Measure]) -> None:
    for measure in measures:
        say("  " + measure.line())
        for note in measure.notes:
            say("      " + note)


def to_json(measures: list[Measure]) -> list[dict[str, Any]]:
    rows = []
    for m in measures:
        row = asdict(m)
        row.update(verdict=m.verdict, minimum=m.minimum, median=m.median)
        rows.append(row)
    return rows


def from_json(rows: list[dict[str, Any]]) -> list[Measure]:
    measures = []
    for row in rows:
        target = Target(**row["target"]) if row.get("target") else None
        measures.append(Measure(row["name"], row["unit"], target, list(row["samples"]), int(row["capped"]),
                                list(row["notes"]), bool(row.get("worst", False))))
    return measures


# -- measuring ----------------------------------------------------------------------------------------
@contextmanager
def stopwatch() -> Iterator[Callable[[], float]]:
    """``with stopwatch() as elapsed: ...; elapsed()`` gives the seconds, also after the block."""
    started = time.perf_counter()
    ended: list[float] = []

    def elapsed() -> float:
        return (ended[0] if ended else time.perf_counter()) - started

    try:
        yield elapsed
    finally:
        ended.append(time.perf_counter())


def machine() -> str:
    """One line about the machine the numbers were taken on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(next(line for line in Path("/proc/meminfo").read_text().splitlines()
                       if line.startswith("MemTotal")).split()[1])
        memory = f", {kib / 1024 / 1024:.1f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    cores = len(_affinity())
    return (f"{cpu}, {cores} core{'s' if cores != 1 else ''}{memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}")


def _affinity() -> set[int]:
    try:
        import os

        return os.sched_getaffinity(0)
    except (AttributeError, OSError):
        return {0}


def load_average() -> str:
    try:
        import os

        one, five, fifteen = os.getloadavg()
        return f"{one:.2f} {five:.2f} {fifteen:.2f}"
    except (AttributeError, OSError):
        return "unknown"


def run_child(module: str, args: list[str], *, timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m module args`` with this interpreter; its stderr passes through."""
    return subprocess.run([sys.executable, "-m", module, *args], stdout=subprocess.PIPE, text=True,
                          timeout=timeout, check=False)


def last_json_line(output: str) -> dict[str, Any]:
    """The last line of ``output`` that is a JSON object (what a child process reports)."""
    for line in reversed(output.splitlines()):
        if line.startswith("{"):
            parsed: dict[str, Any] = json.loads(line)
            return parsed
    raise RuntimeError("the child process reported nothing:\n" + output[-2000:])
