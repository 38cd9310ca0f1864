"""SHIPDESK_UI_STALL_MS: the watch logs each stall of the window with what the GUI thread was doing then."""

from __future__ import annotations

import logging
import sys
import threading
import time
import traceback

from PySide6.QtCore import QTimer

from shipdesk.ui import stall_watch
from shipdesk.ui.stall_watch import StallSampler, StallWatch, stall_watch_from_env


def _label_drawn_slowly(sampled: threading.Event) -> None:
    """The GUI thread busy for at least 150 ms (a stand-in for a slow repaint: what the watch must catch), and
    until the sampler has looked at it: on a loaded machine the sampler's thread may get no CPU for longer."""
    time.sleep(0.15)
    sampled.wait(10)


def test_a_stall_is_logged_with_the_gui_threads_stack_and_where_its_time_went(qtbot, caplog, monkeypatch):
    sampled = threading.Event()
    measured = stall_watch._scheduled

    def scheduled_then_tell(thread: threading.Thread) -> tuple[float, float] | None:
        found = measured(thread)  # the sampler took the GUI thread's stack just before this
        frame = sys._current_frames().get(threading.main_thread().ident or -1)
        if frame is not None and "_label_drawn_slowly" in "".join(traceback.format_stack(frame)):
            sampled.set()  # this stall is the slow label's (an earlier one may be Qt starting up)
        return found

    monkeypatch.setattr(stall_watch, "_scheduled", scheduled_then_tell)
    watch = StallWatch(report_ms=40)
    sampler = StallSampler(watch)
    watch.start()
    sampler.start()
    caplog.set_level(logging.INFO, logger="shipdesk.ui.stall_watch")
    QTimer.singleShot(30, lambda: _label_drawn_slowly(sampled))
    # where the GUI thread was: the function that held it (a first stall may come before it: Qt starting up)
    qtbot.waitUntil(lambda: any("_label_drawn_slowly" in r for r in sampler.reports), timeout=5000)
    watch.stop()
    sampler.stop()
    report = next(r for r in sampler.reports if "_label_drawn_slowly" in r)
    assert int(report.split("UI stall of ")[1].split(" ms")[0]) >= 100
    if sys.platform.startswith("linux"):
        assert "waited for a CPU" in report
    assert any("_label_drawn_slowly" in r.getMessage() for r in caplog.records)


def test_a_stopped_watch_reports_no_stall(qtbot):
    watch = StallWatch(report_ms=20)
    sampler = StallSampler(watch)
    watch.start()
    sampler.start()
    watch.stop()
    qtbot.wait(150)  # the loop is idle and the timer stopped: no tick is late, none is expected
    sampler.stop()
    assert sampler.reports == []


def test_the_watch_is_off_unless_asked_for(qtbot, monkeypatch):
    monkeypatch.delenv("SHIPDESK_UI_STALL_MS", raising=False)
    assert stall_watch_from_env() is None
    monkeypatch.setenv("SHIPDESK_UI_STALL_MS", "soon")
    assert stall_watch_from_env() is None
    monkeypatch.setenv("SHIPDESK_UI_STALL_MS", "100")
    watch = stall_watch_from_env()
    assert watch is not None and watch.running
    watch.stop()
    watch.deleteLater()
