"""Issue 13's scripted station run: the real app in a real X window, a barcode scanner typing at full speed.

``python docs/scripted_station_run.py [--display :77] [--shots DIR]`` (Linux; needs ``Xvfb`` and ``xdotool``,
and ImageMagick's ``import`` for ``--shots``):

- starts the Acumatica and UPS sandboxes in this process, an ``Xvfb`` server (unless ``--display`` names a
  running one) and ``shipdesk --demo`` as its own process on them, in a throw-away data folder;
- turns scan-to-ship on (Ctrl+Shift+S, as a clerk does) and scans 30 shipments with ``xdotool type`` (a key
  every 4 ms, then Enter), as a keyboard-wedge scanner does, with clicks on table rows in between: the
  ambiguous address (SH000120), whose dialog is then answered by nobody but the next scan, and the
  shipments that need attention (a Ship Via not mapped to UPS, an address UPS does not know, a package
  with no weight, a missing postal code) among them;
- checks through the sandboxes what was bought: every scan was handled once (the app's log has one line
  per scan), at most one UPS shipment per scanned shipment, none for the ambiguous one, for those that need
  attention or for any shipment not scanned, and ``/_sandbox/stats`` agrees with the records;
- prints scan-to-label times (the scan's log line to the label's) and the longest UI stall (the app's
  ``SHIPDESK_UI_STALL_MS`` watch, ``shipdesk/ui/stall_watch.py``), as JSON.

Exit code 0 when every check held, 1 otherwise. ``tests/e2e/test_xvfb_station.py`` runs it (slow).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import requests

if __package__ in (None, ""):  # run as a script from a source checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shipdesk.sandbox import Sandboxes, start_sandboxes

AMBIGUOUS = "SH000120"
NEEDS_ATTENTION = ("SH000111", "SH000119", "SH000121", "SH000122")  # not mapped, unknown address, 0 lb, no ZIP
#: 30 scans in the order the boxes reach the station (SH000120's dialog is answered by the next scan)
SCANS = ("SH000101", "SH000102", "SH000103", "SH000111", "SH000104", "SH000105", "SH000110", "SH000118",
         "SH000120", "SH000123", "SH000124", "SH000125", "SH000119", "SH000128", "SH000129", "SH000130",
         "SH000131", "SH000132", "SH000121", "SH000135", "SH000106", "SH000108", "SH000122", "SH000126",
         "SH000127", "SH000134", "SH000107", "SH000109", "SH000112", "SH000116")
#: a click on a table row before these scans (the focus leaves the scan box, as a clerk's mouse takes it)
CLICK_BEFORE = {"SH000103", "SH000110", "SH000124", "SH000130", "SH000106", "SH000127"}
WINDOW_TITLE = "shipdesk — DEMO MODE"
KEY_DELAY_MS = 4
OUTCOME_WAIT_S = 90.0
LOG_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) \w+ \d+ [\w.]+: (.*)$")
HANDLED = re.compile(r"^scan (\S+): (shipment|order|tracking|not found)$")
OUTCOME = re.compile(r"^(ship|reprint|pack) (\S+): (done|not done|cancelled|failed.*)$")


@dataclass
class Run:
    """What the run saw: per scan, its outcome from the app's log; what the sandboxes recorded."""

    outcomes: dict[str, str] = field(default_factory=dict)
    scan_to_label_s: dict[str, float] = field(default_factory=dict)
    scan_lines: dict[str, int] = field(default_factory=dict)
    ups_shipments: dict[str, int] = field(default_factory=dict)
    ups_stats: dict[str, Any] = field(default_factory=dict)
    longest_stall_ms: float | None = None
    stalls_over_100_ms: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        times = sorted(self.scan_to_label_s.values())
        return {
            "scans": len(SCANS),
            "labels": len(times),
            "scan_to_label_s": {"median": round(statistics.median(times), 2) if times else None,
                                "max": round(max(times), 2) if times else None},
            "longest_ui_stall_ms": self.longest_stall_ms,
            "ui_stalls_over_100_ms": self.stalls_over_100_ms,
            "outcomes": self.outcomes,
            "ups_shipments_created": self.ups_stats.get("shipments_created"),
            "problems": self.problems,
        }


def _run(*cmd: str, env: dict[str, str], check: bool = True) -> str:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60, check=False)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {done.returncode}: {done.stderr.strip()}")
    return done.stdout.strip()


def _free_display() -> str:
    """A display number nobody uses, picked at random: two runs on one machine (a developer's and CI's, or two
    test sessions) that both took the first free one started one Xvfb between them, and the first run to end
    took the other's display away."""
    for number in random.sample(range(100, 1000), 900):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return f":{number}"
    raise RuntimeError("no free X display number between :100 and :999")


@contextmanager
def xvfb(display: str | None) -> Iterator[str]:
    """The display to use: ``display`` as given, or a fresh ``Xvfb`` at 1600×1000 stopped at the end."""
    if display:
        yield display
        return
    display = _free_display()
    # -noreset: no reset when the last client leaves (a reset between two apps sometimes left no display)
    server = subprocess.Popen(["Xvfb", display, "-screen", "0", "1600x1000x24", "-nolisten", "tcp", "-noreset"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        socket = Path(f"/tmp/.X11-unix/X{display[1:]}")
        deadline = time.monotonic() + 20
        while not socket.exists():
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Xvfb {display} did not start")
            time.sleep(0.05)
        yield display
    finally:
        server.terminate()
        server.wait(10)


class AppLog:
    """The app's log file read as it grows: (time, message) lines."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: list[tuple[datetime, str]] = []
        self._offset = 0

    def read(self) -> list[tuple[datetime, str]]:
        if self.path.exists():
            with self.path.open(encoding="utf-8") as file:
                file.seek(self._offset)
                chunk = file.read()
                self._offset = file.tell()
            for line in chunk.splitlines():
                if m := LOG_LINE.match(line):
                    self.lines.append((datetime.strptime(m[1], "%Y-%m-%d %H:%M:%S,%f"), m[2]))
        return self.lines

    def wait_for(self, wanted: Callable[[str], bool], timeout: float, since: int = 0) -> tuple[datetime, str] | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for stamp, message in self.read()[since:]:
                if wanted(message):
                    return stamp, message
            time.sleep(0.05)
        return None


class Station:
    """The real app on a display, driven with xdotool."""

    def __init__(self, display: str, data: Path, sandboxes: Sandboxes) -> None:
        self.env = {**os.environ, "DISPLAY": display, "SHIPDESK_DATA_DIR": str(data),
                    "SHIPDESK_CONFIG": str(data / "no-config.toml"),
                    "SHIPDESK_DEMO_ACUMATICA_URL": sandboxes.acumatica_url,
                    "SHIPDESK_DEMO_UPS_URL": sandboxes.ups_url, "SHIPDESK_UI_STALL_MS": "100"}
        self.env.pop("QT_QPA_PLATFORM", None)
        self.log = AppLog(data / "logs" / "shipdesk.log")
        self.process = subprocess.Popen([sys.executable, "-X", "faulthandler", "-m", "shipdesk", "--demo"],
                                        env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.window = ""

    def xdotool(self, *args: str, check: bool = True) -> str:
        return _run("xdotool", *args, env=self.env, check=check)

    def wait_until_up(self) -> None:
        found = self.log.wait_for(lambda m: m.startswith(("sync:", "sync failed")), 120)
        if found is None or self.process.poll() is not None:
            raise RuntimeError("the app did not start and sync within 120 s")
        self.window = self.xdotool("search", "--sync", "--onlyvisible", "--name", WINDOW_TITLE).split()[0]
        self.xdotool("windowfocus", "--sync", self.window)

    def key(self, *keys: str) -> None:
        self.xdotool("key", "--clearmodifiers", *keys)

    def scan(self, text: str) -> None:
        """A keyboard-wedge scanner: the characters ``KEY_DELAY_MS`` apart, then Enter."""
        self.xdotool("type", "--delay", str(KEY_DELAY_MS), text)
        self.xdotool("key", "Return")

    def click_row(self, row: int) -> None:
        geometry = self.xdotool("getwindowgeometry", "--shell", self.window)
        values = dict(line.split("=", 1) for line in geometry.splitlines())
        x, y = int(values["X"]), int(values["Y"])
        width = int(values["WIDTH"])
        # the table is the middle of the splitter; its rows start below the scan box and notice
        self.xdotool("mousemove", "--sync", str(x + width // 3), str(y + 190 + 26 * row), "click", "1")

    def dialog_open(self, title: str) -> bool:
        return bool(self.xdotool("search", "--onlyvisible", "--name", title, check=False))

    def shoot(self, path: Path) -> None:
        _run("import", "-window", "root", str(path), env=self.env)

    def close(self) -> str:
        if self.process.poll() is None:
            if self.window:
                self.xdotool("windowfocus", self.window, check=False)
                self.key("ctrl+q")
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                self.process.wait(30)
        out = self.process.stdout.read().decode("utf-8", "replace") if self.process.stdout else ""
        return out


def _stats(url: str) -> dict[str, Any]:
    root = "/".join(url.split("/")[:3])
    answer = requests.get(f"{root}/_sandbox/stats", timeout=5)
    answer.raise_for_status()
    payload: dict[str, Any] = answer.json()
    return payload


def ups_shipments_per_scan(sandboxes: Sandboxes) -> dict[str, int]:
    """How many UPS shipments were created for each shipment number (its references name it)."""
    counts: dict[str, int] = {}
    ups = sandboxes.ups
    with ups.lock:
        for record in ups.shipments.values():
            names = set(record.references) | {r for p in record.packages for r in p.references}
            for nbr in {n for n in names if re.fullmatch(r"SH\d{6}(/\w+)?", n)}:
                counts[nbr] = counts.get(nbr, 0) + 1
    return counts


def _scan_of(nbr: str) -> Callable[[str], bool]:
    return lambda message: message.startswith(f"scan {nbr}:")


def _outcome_of(nbr: str) -> Callable[[str], bool]:
    return lambda message: bool(OUTCOME.match(message)) and message.split()[1] == f"{nbr}:"


def drive(station: Station, run: Run, shots: Path | None) -> None:
    station.key("ctrl+shift+s")  # scan to ship on
    row = 0
    for i, nbr in enumerate(SCANS):
        if nbr in CLICK_BEFORE:
            station.click_row(row % 12)
            row += 3
        since = len(station.log.read())
        station.scan(nbr)
        scanned = station.log.wait_for(_scan_of(nbr), 20, since)
        if scanned is None:
            run.problems.append(f"the scan of {nbr} was not handled")
            continue
        if nbr == AMBIGUOUS:  # the next box arrives while the address dialog waits for a person
            deadline = time.monotonic() + OUTCOME_WAIT_S
            while not station.dialog_open(f"Ship-to address of {nbr}") and time.monotonic() < deadline:
                time.sleep(0.05)
            if shots is not None:
                station.shoot(shots / "xvfb-address-dialog.png")
            if i + 1 == len(SCANS):
                run.problems.append("the ambiguous shipment must not be the last scan")
        done = station.log.wait_for(_outcome_of(nbr), OUTCOME_WAIT_S if nbr != AMBIGUOUS else 0.3, since)
        if nbr == AMBIGUOUS:
            continue  # its outcome comes when the next scan closes the dialog
        if done is None:
            run.problems.append(f"{nbr}: no outcome within {OUTCOME_WAIT_S:.0f} s")
            continue
        run.outcomes[nbr] = OUTCOME.match(done[1])[3]  # type: ignore[index]
        if run.outcomes[nbr] == "done" and done[1].startswith("ship"):
            run.scan_to_label_s[nbr] = (done[0] - scanned[0]).total_seconds()
    ambiguous = station.log.wait_for(_outcome_of(AMBIGUOUS), 5)
    run.outcomes[AMBIGUOUS] = OUTCOME.match(ambiguous[1])[3] if ambiguous else "no outcome"  # type: ignore[index]
    if shots is not None:
        time.sleep(2)  # the detail pane of the last scan, and the table after its write-back, are shown
        station.shoot(shots / "xvfb-main-window.png")


def check(run: Run, log: AppLog, sandboxes: Sandboxes) -> None:
    for _stamp, message in log.read():
        if m := HANDLED.match(message):  # the scan box's line: one per scan handled
            run.scan_lines[m[1]] = run.scan_lines.get(m[1], 0) + 1
        elif m := re.match(r"longest UI stall: (\d+) ms", message):
            run.longest_stall_ms = float(m[1])
        elif message.startswith("UI stall:"):
            run.stalls_over_100_ms += 1
    for nbr in SCANS:
        if run.scan_lines.get(nbr) != 1:
            run.problems.append(f"{nbr} was handled {run.scan_lines.get(nbr, 0)} times, not once")
    extra = set(run.scan_lines) - set(SCANS)
    if extra:
        run.problems.append(f"scans nobody made were handled: {sorted(extra)}")
    run.ups_shipments = ups_shipments_per_scan(sandboxes)
    for nbr, count in run.ups_shipments.items():
        if nbr not in SCANS:
            run.problems.append(f"{nbr} was never scanned but UPS made {count} label(s) for it")
        elif count > 1:
            run.problems.append(f"{nbr}: {count} UPS shipments for one scan")
    for nbr in (AMBIGUOUS, *NEEDS_ATTENTION):
        if run.ups_shipments.get(nbr):
            run.problems.append(f"{nbr}: a label was bought that nobody decided on")
        if run.outcomes.get(nbr) == "done":
            run.problems.append(f"{nbr}: the app says it was shipped")
    for nbr, outcome in run.outcomes.items():
        if outcome == "done" and not run.ups_shipments.get(nbr) and nbr != "SH000116":
            run.problems.append(f"{nbr}: the app says done but UPS has no shipment for it")
    run.ups_stats = _stats(sandboxes.ups_url)
    if run.ups_stats.get("shipments_created") != sum(run.ups_shipments.values()):
        run.problems.append(f"UPS stats say {run.ups_stats.get('shipments_created')} shipments, "
                            f"its records {sum(run.ups_shipments.values())}")


def station_run(display: str | None = None, shots: Path | None = None) -> Run:
    missing = [tool for tool in ("xdotool", *(() if display else ("Xvfb",)), *(("import",) if shots else ()))
               if shutil.which(tool) is None]
    if missing:
        raise RuntimeError(f"missing tools: {', '.join(missing)}")
    run = Run()
    with tempfile.TemporaryDirectory(prefix="shipdesk-station-") as tmp, start_sandboxes() as sandboxes, \
            xvfb(display) as screen:
        station = Station(screen, Path(tmp) / "data", sandboxes)
        try:
            station.wait_until_up()
            drive(station, run, shots)
        finally:
            output = station.close()
        check(run, station.log, sandboxes)
        if station.process.returncode != 0:
            run.problems.append(f"the app exited {station.process.returncode}: {output[-2000:]}")
        crash = Path(tmp) / "data" / "logs" / "crash.log"
        if crash.exists() and crash.read_text(encoding="utf-8").strip():
            run.problems.append(f"crash.log: {crash.read_text(encoding='utf-8')[-2000:]}")
    return run


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--display", help="a running X display (default: start Xvfb)")
    parser.add_argument("--shots", type=Path, help="save screenshots of the screen in this folder")
    args = parser.parse_args(argv[1:])
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    run = station_run(args.display, args.shots)
    print(json.dumps(run.summary(), indent=2))
    return 1 if run.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
