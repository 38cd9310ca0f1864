"""The core's event bus: listeners hear the events they subscribed to, from any thread, and a broken
listener never stops the core's work."""

from __future__ import annotations

import threading

from shipdesk.core.events import EventBus, ServiceStatusChanged, ShipmentsChanged
from shipdesk.errors import Service


def test_a_listener_hears_only_the_events_it_subscribed_to():
    bus = EventBus()
    heard: list[object] = []
    bus.subscribe(ShipmentsChanged, heard.append)
    bus.publish(ServiceStatusChanged(Service.UPS, reachable=False, sentence="UPS unreachable since 10:02"))
    bus.publish(ShipmentsChanged(("SH000101",)))
    assert heard == [ShipmentsChanged(("SH000101",))]


def test_a_failing_listener_does_not_stop_the_others_or_the_publisher(caplog):
    bus = EventBus()
    heard: list[object] = []

    def broken(event: ShipmentsChanged) -> None:
        raise RuntimeError("listener bug")

    bus.subscribe(ShipmentsChanged, broken)
    bus.subscribe(ShipmentsChanged, heard.append)
    bus.publish(ShipmentsChanged(()))
    assert heard == [ShipmentsChanged(())]
    assert "listener bug" in caplog.text


def test_events_published_from_a_worker_thread_reach_the_listener_and_unsubscribe_stops_them():
    bus = EventBus()
    heard: list[object] = []
    bus.subscribe(ShipmentsChanged, heard.append)
    worker = threading.Thread(target=bus.publish, args=(ShipmentsChanged(("SH000102",)),))
    worker.start()
    worker.join()
    bus.unsubscribe(ShipmentsChanged, heard.append)
    bus.publish(ShipmentsChanged(("SH000103",)))
    assert heard == [ShipmentsChanged(("SH000102",))]
