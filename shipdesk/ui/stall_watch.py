"""How long the window stopped answering: ``SHIPDESK_UI_STALL_MS=N`` logs every pause of the GUI thread's
event loop longer than N ms, and the longest one when the app closes.

Off unless asked for (a supervisor chasing "the station froze", the scripted station run in
``docs/scripted_station_run.py``): a timer ticks every ``TICK_MS`` on the GUI thread, and the gap between two
ticks, minus the tick, is how long nothing else could run there either."""

from __future__ import annotations

import logging
import os
import time

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
        self._started = self._last = time.perf_counter()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._started = self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
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
    return watch
