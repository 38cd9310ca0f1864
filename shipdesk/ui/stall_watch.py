"""How long the window stopped answering: ``SHIPDESK_UI_STALL_MS=N`` logs every pause of the GUI thread's
event loop longer than N ms, and the longest one when the app closes.

Off unless asked for (a supervisor chasing "the station froze", the scripted station run in
``docs/scripted_station_run.py``): a timer ticks every ``TICK_MS`` on the GUI thread, and the gap between two
ticks, minus the tick, is how long nothing else could run there either.

Asked for that way it also says *why* (``StallSampler``): a thread of its own notices a tick that is late by
``report_ms`` and logs what the GUI thread was doing then (its Python stack; only Qt's own code when the
stack ends in the event loop: painting, layout) and, on Linux, how much of the stall the thread spent
running, waiting for a CPU (the machine overloaded), or neither (waiting for the GIL a worker holds)."""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
import traceback

from PySide6.QtCore import QObject, Qt, QTimer

log = logging.getLogger(__name__)

ENV = "SHIPDESK_UI_STALL_MS"
TICK_MS = 10


class StallWatch(QObject):
    """``longest_ms``: the worst pause so far; ``stalls``: each one over ``report_ms`` as (seconds since the
    start, ms), also logged; ``ticks``: how often the loop got to the timer (the tests and the ui_stall
    benchmark read all three)."""

    def __init__(self, report_ms: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.report_ms = report_ms
        self.longest_ms = 0.0
        self.ticks = 0
        self.stalls: list[tuple[float, float]] = []
        self._running = False
        self._started = self._last = time.perf_counter()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        self._started = self._last = time.perf_counter()
        self._running = True
        self._timer.start()

    def stop(self) -> None:
        self._running = False
        self._timer.stop()
        log.info("longest UI stall: %.0f ms", self.longest_ms)

    def _tick(self) -> None:
        now = time.perf_counter()
        stall = 1000 * (now - self._last) - TICK_MS
        self._last = now
        self.ticks += 1
        self.longest_ms = max(self.longest_ms, stall)
        if stall > self.report_ms:
            self.stalls.append((round(now - self._started, 2), round(stall, 1)))
            log.info("UI stall: %.0f ms", stall)


def stall_watch_from_env(parent: QObject | None = None) -> StallWatch | None:
    """A running watch when ``SHIPDESK_UI_STALL_MS`` is set to a number of ms, else None."""
    value = os.environ.get(ENV, "").strip()
    try:
        report_ms = float(value) if value else None
    except ValueError:
        log.warning("%s=%r is not a number of milliseconds: the UI stall watch stays off", ENV, value)
        return None
    if report_ms is None:
        return None
    watch = StallWatch(report_ms, parent)
    watch.start()
    StallSampler(watch).start()
    return watch


class StallSampler:
    """Logs, for each stall ``watch`` sees coming, the GUI thread's stack and where its time went."""

    def __init__(self, watch: StallWatch, thread: threading.Thread | None = None) -> None:
        self.watch = watch
        self._gui = thread or threading.main_thread()
        self._stop = threading.Event()
        self.reports: list[str] = []  # also logged; the tests read them

    def start(self) -> None:
        threading.Thread(target=self._run, name="ui-stall-sampler", daemon=True).start()
        self.watch.destroyed.connect(lambda *_: self._stop.set())

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        late_s = self.watch.report_ms / 1000 + TICK_MS / 1000
        seen = 0.0
        while not self._stop.wait(0.005):
            last = self.watch._last
            if not self.watch.running or last == seen or time.perf_counter() - last < late_s:
                continue
            seen = last
            frame = sys._current_frames().get(self._gui.ident or -1)
            stack = "".join(traceback.format_stack(frame, limit=12)) if frame is not None else "(no Python frame)"
            before = _scheduled(self._gui)
            while self.watch._last == last and self.watch.running and not self._stop.wait(0.002):
                pass
            if self.watch._last == last:
                continue  # stopped, not a stall
            after = _scheduled(self._gui)
            stalled = 1000 * (self.watch._last - last) - TICK_MS
            where = ""
            if before and after:
                where = (f"; from {self.watch.report_ms:.0f} ms in, the GUI thread ran {after[0] - before[0]:.0f} ms "
                         f"and waited for a CPU {after[1] - before[1]:.0f} ms (the rest: waiting, e.g. for the GIL)")
            report = f"UI stall of {stalled:.0f} ms{where}; the GUI thread was at:\n{stack}"
            self.reports.append(report)
            log.info("%s", report)


def _scheduled(thread: threading.Thread) -> tuple[float, float] | None:
    """Linux: ms a thread has run and has waited to run, so far; None elsewhere."""
    try:
        with open(f"/proc/self/task/{thread.native_id}/schedstat", encoding="ascii") as stats:
            ran, waited, _ = stats.read().split()
    except (OSError, ValueError):
        return None
    return int(ran) / 1e6, int(waited) / 1e6
