"""The core's events as Qt signals: the one place where what the core publishes reaches the widgets.

The core publishes on its :class:`~shipdesk.core.events.EventBus` from whatever thread did the work (a
bridge worker, the sync). :class:`CoreEvents` subscribes once and re-emits each event as a typed signal,
always through a queued hop onto the GUI thread, so every handler may touch widgets, whoever connects
to it and however (Electrum's ``qt_event_listener`` idea).

    events = CoreEvents(services.events, parent=window)
    events.service_status_changed.connect(status_bar.show_service)
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot

from shipdesk.core.events import Event, EventBus, ServiceStatusChanged, ShipmentsChanged, SyncFinished


class CoreEvents(QObject):
    shipments_changed = Signal(ShipmentsChanged)
    service_status_changed = Signal(ServiceStatusChanged)
    sync_finished = Signal(SyncFinished)
    _arrived = Signal(object)  # any Event, emitted on the publisher's thread

    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bus = bus
        self._signals: dict[type[Event], Callable[[Event], object]] = {
            ShipmentsChanged: self.shipments_changed.emit,
            ServiceStatusChanged: self.service_status_changed.emit,
            SyncFinished: self.sync_finished.emit,
        }
        # queued even when published on the GUI thread: a handler never runs inside the core's call
        self._arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._publish: Callable[[Event], None] = self._arrived.emit
        for kind in self._signals:
            bus.subscribe(kind, self._publish)
        self.destroyed.connect(_detacher(bus, list(self._signals), self._publish))

    def detach(self) -> None:
        """Stop listening (the window is closing; the bus may outlive it). Done anyway when this is deleted."""
        _detacher(self._bus, list(self._signals), self._publish)()

    @Slot(object)
    def _deliver(self, event: Event) -> None:
        emit = self._signals.get(type(event))
        if emit is not None:
            emit(event)


def _detacher(bus: EventBus, kinds: list[type[Event]], handler: Callable[[Event], None]) -> Callable[..., None]:
    """Unsubscribes ``handler``; holds no reference to the adapter, so it can run while that is deleted."""

    def detach(*_args: object) -> None:
        for kind in kinds:
            bus.unsubscribe(kind, handler)

    return detach
