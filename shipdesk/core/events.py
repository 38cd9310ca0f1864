"""Core events: what happened in the core, told to whoever listens (the desktop app, a test), never polled.

The core publishes typed events on the context's :class:`EventBus`; a listener subscribes to the event
types it cares about. Handlers run on the publisher's thread (a worker, the sync's thread), so a GUI
must hop to its own thread: the desktop app does that in ONE adapter (``ui/core_events.py``) that
re-emits every event as a Qt signal. A handler that raises is logged and never breaks the core's work.

    bus = EventBus()
    bus.subscribe(ShipmentsChanged, lambda event: print(event.shipment_nbrs))
    bus.publish(ShipmentsChanged(("SH000101",)))
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from shipdesk.errors import Service

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """Base of every core event."""


@dataclass(frozen=True)
class ShipmentsChanged(Event):
    """Shipments whose local state changed (pulled, labelled, voided, tracked); empty = many or unknown."""

    shipment_nbrs: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServiceStatusChanged(Event):
    """A service answered, failed or came back. ``sentence`` says what a person should know ("" when fine)."""

    service: Service
    reachable: bool
    sentence: str = ""


@dataclass(frozen=True)
class SyncFinished(Event):
    """One sync cycle ended; ``report`` is its ``CycleReport`` (typed loosely: events know no feature)."""

    started_at: datetime
    finished_at: datetime
    ok: bool
    summary: str
    report: Any = field(default=None, compare=False)


E = TypeVar("E", bound=Event)
Handler = Callable[[Any], None]


class EventBus:
    """Subscribe per event type; publish from any thread. Thread-safe, synchronous, never raises."""

    def __init__(self) -> None:
        self._handlers: dict[type[Event], list[Handler]] = {}
        self._lock = threading.Lock()

    def subscribe(self, kind: type[E], handler: Callable[[E], None]) -> None:
        with self._lock:
            self._handlers.setdefault(kind, []).append(handler)

    def unsubscribe(self, kind: type[E], handler: Callable[[E], None]) -> None:
        with self._lock:
            handlers = self._handlers.get(kind, [])
            if handler in handlers:
                handlers.remove(handler)

    def publish(self, event: Event) -> None:
        with self._lock:
            handlers = [h for kind, hs in self._handlers.items() if isinstance(event, kind) for h in hs]
        for handler in handlers:
            try:
                handler(event)
            except Exception:  # a listener's bug must not stop a label or a sync cycle
                log.exception("event handler %r failed on %r", handler, event)
