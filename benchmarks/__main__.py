"""``python -m benchmarks``: every target of issue 14 against the sandboxes, measured against its target.

    python -m benchmarks                      # everything (about 40 minutes: the 10,000-package sync is long)
    python -m benchmarks --quick              # small sizes, 1 run, size-bound targets off (about 2 minutes)
    python -m benchmarks sync zpl             # only the benchmarks whose names contain these words
    python -m benchmarks --list               # their names
    python -m benchmarks --quick --smoke      # exit 1 only when one breaks (the test suite runs this)
    python -m benchmarks sync --set concurrency=8 --set start_requests_per_second=40

Each benchmark runs in a process of its own (and starts the sandboxes in another), prints what it
does, and ends with its measures: target, min and median over the runs, pass or FAIL. The summary
table at the end repeats them; the exit status is 1 when any target is missed (or a benchmark broke).
"""

from __future__ import annotations

import argparse
import json
import pkgutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from benchmarks._harness import Measure, Options, from_json, load_average, machine, say


def available() -> list[str]:
    here = Path(__file__).parent
    return sorted(m.name.removeprefix("bench_") for m in pkgutil.iter_modules([str(here)])
                  if m.name.startswith("bench_"))


def _title(name: str) -> str:
    import importlib

    return str(getattr(importlib.import_module(f"benchmarks.bench_{name}"), "TITLE", name))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="run only the benchmarks whose names contain one of these")
    parser.add_argument("--quick", action="store_true", help="small sizes, one run, size-bound targets off")
    parser.add_argument("--runs", type=int, help="runs per measure (default 3; --quick: 1)")
    parser.add_argument("--latency-ms", type=int, default=100, help="added to every API call (default 100)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a [sync] setting instead of the shipped default, for the sync processes "
                        "(acumatica.KEY=VALUE: an [acumatica] one, e.g. acumatica.order_note=every_change)")
    parser.add_argument("--size", type=int, default=0, help="only this size (packages, rows) where there are several")
    parser.add_argument("--json", type=Path, help="also write every measure to this file")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    parser.add_argument("--smoke", action="store_true",
                        help="exit 1 only when a benchmark breaks, whatever it measures (the test suite runs "
                        "--quick --smoke, so a benchmark the code left behind is seen the day it breaks)")
    args = parser.parse_args(argv)
    names = [n for n in available() if not args.names or any(a in n for a in args.names)]
    if args.list:
        for name in available():
            say(f"{name:<18} {_title(name)}")
        return 0
    if not names:
        say(f"No benchmark matches {' '.join(args.names)}; there are: {', '.join(available())}.")
        return 2
    options = Options(quick=args.quick, runs=args.runs or (1 if args.quick else 3), latency_ms=args.latency_ms,
                      sync_settings=tuple(args.set), only_size=args.size)
    say(f"shipdesk benchmarks{' (quick)' if args.quick else ''}: {options.runs} run(s) per measure, "
        f"{options.latency_ms} ms API latency")
    say(f"machine: {machine()}; load average at start {load_average()}")
    results: dict[str, list[Measure]] = {}
    broken: list[str] = []
    started = time.perf_counter()
    for name in names:
        say(f"\n== {name}: {_title(name)}")
        begun = time.perf_counter()
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "measures.json"
            done = subprocess.run([sys.executable, "-m", "benchmarks._run_one", name, json.dumps(asdict(options)),
                                   str(out)], check=False)
            if done.returncode != 0 or not out.exists():
                broken.append(name)
                say(f"   {name} broke (exit {done.returncode}): see above")
                continue
            results[name] = from_json(json.loads(out.read_text(encoding="utf-8")))
        say(f"   ({time.perf_counter() - begun:.0f} s)")
    say(f"\n== summary ({time.perf_counter() - started:.0f} s; load average now {load_average()})")
    failed = list(broken)
    for name, measures in results.items():
        say(f"{name}:")
        for measure in measures:
            say("  " + measure.line())
            if measure.failed:
                failed.append(f"{name}: {measure.name}")
    if args.json:
        args.json.write_text(json.dumps({name: [asdict(m) | {"verdict": m.verdict} for m in ms]
                                         for name, ms in results.items()}, indent=1), encoding="utf-8")
    if args.smoke:
        failed = broken
    if failed:
        say(f"\n{len(failed)} target(s) missed or benchmark(s) broken:")
        for item in failed:
            say(f"  - {item}")
        return 1
    say("\nEvery target met.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
