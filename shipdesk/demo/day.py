"""The command line's demo day: one pair of sandboxes that outlives each ``shipdesk --demo COMMAND``.

Each command is its own process, so sandboxes started inside it would end with it and the next command
would meet a fresh day (``--demo ship --all-ready``, then ``--demo list``: "0 shipment(s)"). The first
``--demo`` command therefore starts the sandboxes in a process of their own (``shipdesk demo-day
FOLDER``), which writes their addresses to ``FOLDER/sandboxes.json``; later commands find them there and work
on the same day, with the same data folder. ``shipdesk --demo reset`` deletes the folder: the day process
sees its file gone and stops (no process id is signalled, so nothing else can be hit), and the next command
starts the seeded day again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import requests

from shipdesk.errors import ShipdeskError
from shipdesk.i18n import _

if TYPE_CHECKING:
    from shipdesk.sandbox import Sandboxes

log = logging.getLogger(__name__)

DAY_FOLDER = "demo-day"  # apart from the desktop demo's folder ("demo"), which each app start empties
DAY_FILE = "sandboxes.json"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
WATCH_S = 0.5  # how often the day process looks for its file
IDLE_STOP_S = 4 * 3600.0  # a day no command used for this long ends: no process is left running for ever
ANSWER_TIMEOUT_S = 2.0


@dataclass(frozen=True)
class DemoDay:
    acumatica_url: str
    ups_url: str
    folder: Path


def day_folder(data_dir: Path) -> Path:
    return Path(data_dir) / DAY_FOLDER


def current_day(data_dir: Path) -> DemoDay:
    """The running demo day, started now (on an empty folder: the seeded day) when none answers."""
    folder = day_folder(data_dir)
    running = _running(folder)
    if running is not None:
        return running
    if folder.exists():  # a day whose process has gone (a reboot): its data no longer matches any sandbox
        shutil.rmtree(folder)
    return _start(folder)


def end_day(data_dir: Path) -> bool:
    """Delete the demo day's folder and wait for its process to stop. True when a day was running."""
    folder = day_folder(data_dir)
    running = _running(folder)
    if folder.exists():
        shutil.rmtree(folder)
    if running is None:
        return False
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while _answers(running.ups_url) and time.monotonic() < deadline:
        time.sleep(0.1)  # another process: nothing to wait on but its answers
    return True


def _running(folder: Path) -> DemoDay | None:
    try:
        data = json.loads((folder / DAY_FILE).read_text(encoding="utf-8"))
        day = DemoDay(str(data["acumatica_url"]), str(data["ups_url"]), folder)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return day if _answers(day.ups_url) else None


def _answers(ups_url: str) -> bool:
    try:
        return requests.get(ups_url.rstrip("/") + "/_sandbox/clock", timeout=ANSWER_TIMEOUT_S).ok
    except requests.RequestException:
        return False


def _start(folder: Path) -> DemoDay:
    folder.mkdir(parents=True, exist_ok=True)
    detached: dict[str, object] = (
        {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.DETACHED_PROCESS}  # type: ignore[attr-defined]
        if sys.platform == "win32" else {"start_new_session": True})  # Ctrl+C in this terminal does not end it
    # beside the folder, not in it: a reset deletes the folder while the day process still writes here
    with open(folder.parent / (DAY_FOLDER + ".log"), "ab") as errors:
        process = subprocess.Popen([*_this_program(), "demo-day", str(folder)],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors,
                                   **detached)  # type: ignore[call-overload]
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        day = _running(folder)
        if day is not None:
            log.info("demo day started in process %d: %s, %s", process.pid, day.acumatica_url, day.ups_url)
            return day
        if process.poll() is not None:
            break
        time.sleep(0.05)  # another process: nothing to wait on but its file
    with contextlib.suppress(OSError):
        process.kill()
    raise ShipdeskError(_("The demo sandboxes did not start."),
                        hint=_("See {file}.").format(file=folder.parent / (DAY_FOLDER + ".log")))


def _this_program() -> list[str]:
    """How to run shipdesk's command line again: the frozen program itself, else this Python with the package."""
    return [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "shipdesk"]


def serve(folder: Path) -> None:
    """The day process: start the sandboxes, announce them, run until the file is gone (or SIGTERM)."""
    from shipdesk.sandbox import start_sandboxes  # only this process imports the sandboxes

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with start_sandboxes() as sandboxes:
        announced = folder / DAY_FILE
        partial = folder / (DAY_FILE + ".partial")
        partial.write_text(json.dumps({"acumatica_url": sandboxes.acumatica_url, "ups_url": sandboxes.ups_url,
                                       "pid": os.getpid()}), encoding="utf-8")
        partial.replace(announced)  # whole or not at all: a command never reads half an address
        served, used_at = -1, time.monotonic()
        while announced.exists() and not stop.wait(WATCH_S):
            now_served = _requests_served(sandboxes)
            if now_served != served:
                served, used_at = now_served, time.monotonic()
            elif time.monotonic() - used_at > IDLE_STOP_S:
                log.info("demo day unused for %.0f s: it ends (the next --demo command starts a new one)", IDLE_STOP_S)
                announced.unlink(missing_ok=True)
                break


def _requests_served(sandboxes: Sandboxes) -> int:
    """Every API request both sandboxes answered so far (a command using the day asks them something)."""
    return sum(sum(box.stats_payload()["requests"].values()) for box in (sandboxes.acumatica, sandboxes.ups))
