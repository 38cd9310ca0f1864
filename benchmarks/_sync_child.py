"""One sync cycle in a process of its own, as ``shipdesk sync --once`` would run it: prints one JSON line.

    python -m benchmarks._sync_child --data DIR --acumatica URL --ups URL [--cap SECONDS] [--set KEY=VALUE ...]

The app's settings are the demo's against the given sandboxes with the shipped ``[sync]`` defaults
(``--set concurrency=16`` etc. try others). ``--cap`` stops the cycle after that many seconds the way
the sync stops when asked to (what was done is kept). The line says the wall time, the process's CPU
time, its peak resident memory, the cycle's report, and when UPS was last asked (the tracking's end:
read from the UPS sandbox's counters four times a second by a thread, which costs the process next to
nothing).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import threading
import time
from dataclasses import fields, replace
from pathlib import Path

import requests

from benchmarks._product import DEMO_SECRETS, AppContext, Config, SandboxClock, SyncConfig, SyncService, demo_config


def sync_settings(pairs: list[str]) -> SyncConfig:
    """The shipped defaults with ``KEY=VALUE`` changes (numbers only; ``acumatica.KEY`` pairs are left out)."""
    types = {f.name: f.type for f in fields(SyncConfig)}
    changes: dict[str, object] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if key.startswith(ACUMATICA):
            continue
        if key not in types:
            raise SystemExit(f"[sync] has no {key}")
        changes[key] = float(value) if "." in value else int(value)
    return replace(SyncConfig(), **changes)  # type: ignore[arg-type]


ACUMATICA = "acumatica."


def acumatica_settings(config: Config, pairs: list[str]) -> Config:
    """``config`` with the ``acumatica.KEY=VALUE`` changes (text values, e.g. ``acumatica.order_note=every_change``)."""
    names = {f.name for f in fields(type(config.acumatica))}
    changes: dict[str, object] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if not key.startswith(ACUMATICA):
            continue
        name = key.removeprefix(ACUMATICA)
        if name not in names:
            raise SystemExit(f"[acumatica] has no {name}")
        changes[name] = value
    return replace(config, acumatica=replace(config.acumatica, **changes))  # type: ignore[arg-type]


class TrackingWatch:
    """When the UPS sandbox last counted a new track request, in seconds since ``started``."""

    def __init__(self, ups_url: str, started: float) -> None:
        self.last_asked = 0.0
        self._url = ups_url.rstrip("/") + "/_sandbox/stats"
        self._started = started
        self._session = requests.Session()
        self._session.trust_env = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        seen = -1
        while not self._stop.wait(0.25):
            try:
                asked = int(self._session.get(self._url, timeout=5).json()["track_requests"])
            except (requests.RequestException, ValueError, KeyError):
                continue
            if asked != seen:
                if seen >= 0:
                    self.last_asked = time.perf_counter() - self._started
                seen = asked

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._session.close()


def _peak_kib() -> float:
    """This process's peak resident memory. On Linux from VmHWM: ``ru_maxrss`` keeps the high-water mark across
    exec, so a child of the benchmark reported the benchmark's own peak (it holds the seeded day) when larger."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return float(line.split()[1])
    except OSError:
        pass
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KiB on Linux, bytes on macOS


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--acumatica", required=True)
    parser.add_argument("--ups", required=True)
    parser.add_argument("--cap", type=float, default=0.0)
    parser.add_argument("--set", action="append", default=[])
    args = parser.parse_args(argv)
    config = acumatica_settings(replace(demo_config(args.acumatica, args.ups), sync=sync_settings(args.set)),
                                args.set)
    context = AppContext.from_config(config, data_dir=Path(args.data), demo=True, secret_values=DEMO_SECRETS,
                                     now=SandboxClock(args.ups))  # the demo day the benchmark moves on
    service = SyncService(context)
    capped = threading.Event()

    def stop_at_cap() -> None:
        capped.set()
        service.stop(timeout=0)

    timer = threading.Timer(args.cap, stop_at_cap) if args.cap > 0 else None
    cpu = time.process_time()
    started = time.perf_counter()
    watch = TrackingWatch(args.ups, started)
    if timer is not None:
        timer.start()
    try:
        report = service.run_cycle()
    finally:
        if timer is not None:
            timer.cancel()
        watch.stop()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    context.close()
    peak_kib = _peak_kib()
    print(json.dumps({"seconds": elapsed, "cpu_seconds": cpu, "peak_mb": peak_kib / 1024, "capped": capped.is_set(),
                      "report": report.to_json(), "concurrency": config.sync.concurrency,
                      "tracking_seconds": watch.last_asked}, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
