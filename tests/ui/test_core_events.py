"""The window is told what changed in the core (``ui/core_events.py``) instead of asking on a timer: the
status bar and the table follow events published on any thread."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QEvent, QTimer

from shipdesk.core.events import ServiceStatusChanged, ShipmentsChanged, SyncFinished
from shipdesk.errors import Service
from shipdesk.ui.core_events import CoreEvents
from shipdesk.ui.window.main_window import MainWindow
from tests.ui.fakes import FakeServices, generated_rows

WAIT = 5000
GUI_THREAD = threading.main_thread().ident


def publish_from_a_worker(services: FakeServices, event: object) -> None:
    worker = threading.Thread(target=services.events.publish, args=(event,))
    worker.start()
    worker.join()


def test_every_handler_runs_on_the_gui_thread_whoever_published(qtbot, fake_services):
    events = CoreEvents(fake_services.events)
    heard: list[tuple[object, int | None]] = []
    events.shipments_changed.connect(lambda e: heard.append((e, threading.get_ident())))  # a plain function
    event = ShipmentsChanged(("SH000001",))
    publish_from_a_worker(fake_services, event)
    qtbot.waitUntil(lambda: bool(heard), timeout=WAIT)
    assert heard == [(event, GUI_THREAD)]


def test_the_status_bar_shows_a_service_failing_and_coming_back_when_the_sync_says_so(qtbot, window,
                                                                                    fake_services):
    sentence = "UPS unreachable since 10:02: UPS cannot be reached."
    publish_from_a_worker(fake_services, ServiceStatusChanged(Service.UPS, reachable=False, sentence=sentence))
    qtbot.waitUntil(lambda: "UPS: unreachable" in window.status.ups.text(), timeout=WAIT)  # the settled state
    assert window.status.ups.toolTip() == sentence  # what happened, on hover
    assert "Acumatica: connected" in window.status.acumatica.text()  # only the service that failed

    publish_from_a_worker(fake_services, ServiceStatusChanged(Service.UPS, reachable=True,
                                                              sentence="UPS reachable again (out since 10:02)."))
    qtbot.waitUntil(lambda: "UPS: connected" in window.status.ups.text(), timeout=WAIT)


def test_the_table_is_read_again_when_shipments_changed(qtbot, window, fake_services):
    fake_services.rows = generated_rows(60)  # ten more arrived in the store
    reads = len(fake_services.called("listing"))
    with qtbot.waitSignal(window.listing_loaded, timeout=WAIT):
        publish_from_a_worker(fake_services, ShipmentsChanged())
    assert window.shipments.model.rowCount() == 60
    assert window.shipments.group_count("all") == 60
    assert len(fake_services.called("listing")) == reads + 1


def test_a_burst_of_changes_reads_the_table_at_most_twice(qtbot, window, fake_services):
    """A batch of labels tells of each one; the table is not read fifty times over."""
    reads = len(fake_services.called("listing"))
    release = threading.Event()
    real_listing = fake_services.listing

    def slow_listing():
        release.wait(5)
        return real_listing()

    fake_services.listing = slow_listing  # type: ignore[method-assign]
    for n in range(50):
        fake_services.events.publish(ShipmentsChanged((f"SH{n:06d}",)))
    qtbot.waitUntil(lambda: window.bridge.active_count > 0, timeout=WAIT)
    release.set()
    qtbot.waitUntil(lambda: window.bridge.active_count == 0, timeout=WAIT)
    assert len(fake_services.called("listing")) - reads <= 2


def test_a_finished_sync_refreshes_the_table_and_the_status(qtbot, window, fake_services):
    statuses = len(fake_services.called("status"))
    now = datetime.now(UTC)
    with qtbot.waitSignal(window.listing_loaded, timeout=WAIT):
        publish_from_a_worker(fake_services, SyncFinished(started_at=now, finished_at=now, ok=True,
                                                          summary="1 delivered."))
    qtbot.waitUntil(lambda: len(fake_services.called("status")) > statuses, timeout=WAIT)


def test_nothing_runs_on_a_timer_but_the_sync(window, fake_services):
    """No polling: the only timer left running is the sync's own (every interval_minutes)."""
    running = [t.interval() for t in window.findChildren(QTimer) if t.isActive()]
    assert running == [fake_services.config.sync.interval_minutes * 60_000]


def test_events_published_after_the_window_is_gone_bother_nobody(qtbot, fake_services, caplog):
    win = MainWindow(fake_services)
    win.show()
    win.close()
    qtbot.waitUntil(lambda: not win.isVisible(), timeout=WAIT)
    win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    with caplog.at_level(logging.ERROR):
        publish_from_a_worker(fake_services, ShipmentsChanged())
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
