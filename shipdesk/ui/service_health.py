"""Whether Acumatica and UPS answered lately, as the status bar shows it ("connected", "unreachable since
10:02"...). Each call that reaches a service tells; a change is published on the core's event bus as a
``ServiceStatusChanged``, and the sync's own outages and recoveries (published there too) are heard.
Runs on worker threads (a dict per service: each write is one atomic assignment)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from shipdesk.core.events import EventBus, ServiceStatusChanged
from shipdesk.core.tracking.outages import OutageWatch
from shipdesk.errors import RemoteError, Service
from shipdesk.ui.store_views import local_time

CONNECTED, NOT_CONNECTED = "connected", "not connected"


class ServiceHealth:
    def __init__(self, events: EventBus) -> None:
        self._events = events
        self._state = {service: NOT_CONNECTED for service in Service}
        events.subscribe(ServiceStatusChanged, self._heard)

    @contextmanager
    def talking_to(self, *services: Service) -> Iterator[None]:
        """Around a call to ``services``: each answered, or the one in the error did not."""
        try:
            yield
        except RemoteError as exc:
            self._note(exc.service, "unreachable" if exc.retryable else "problem", str(exc))
            raise
        for service in services:
            self._note(service, CONNECTED)

    def answered(self, service: Service) -> None:
        self._note(service, CONNECTED)

    def shown(self, service: Service) -> str:
        """An outage the sync recorded (in the store: the CLI's sync counts too) beats the last answer."""
        since = OutageWatch(service, datetime.now).since
        return f"unreachable since {local_time(since, '%H:%M')}" if since else self._state[service]

    def close(self) -> None:
        self._events.unsubscribe(ServiceStatusChanged, self._heard)

    def _note(self, service: Service, state: str, sentence: str = "") -> None:
        if self._state[service] != state:
            self._state[service] = state
            self._events.publish(ServiceStatusChanged(service, reachable=state == CONNECTED, sentence=sentence))

    def _heard(self, event: ServiceStatusChanged) -> None:
        if (self._state[event.service] == CONNECTED) != event.reachable:  # not one of our own
            self._state[event.service] = CONNECTED if event.reachable else "unreachable"
