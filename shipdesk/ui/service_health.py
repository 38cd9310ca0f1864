"""Whether Acumatica and UPS answered lately, as the status bar shows it ("connected", "unreachable since
10:02"...). Each call that reaches a service tells; a change is published on the core's event bus as a
``ServiceStatusChanged``, and the sync's own outages and recoveries (published there too) are heard.
Runs on worker threads (a dict per service: each write is one atomic assignment)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from shipdesk.core.events import EventBus, ServiceStatusChanged
from shipdesk.core.tracking.outages import OutageWatch
from shipdesk.errors import RemoteError, Service, ServiceDown
from shipdesk.ui.store_views import local_time

CONNECTED, NOT_CONNECTED = "connected", "not connected"


class ServiceHealth:
    def __init__(self, events: EventBus, refused: Callable[[Service], int] = lambda _service: 0) -> None:
        """``refused``: how many calls to a service the breaker refused so far (``ServiceBreakers.refused``):
        a call that returned after one of its steps was refused did not hear from that service."""
        self._events = events
        self._refused = refused
        self._state = {service: NOT_CONNECTED for service in Service}
        self._failures = {service: 0 for service in Service}  # failures told so far, per service
        events.subscribe(ServiceStatusChanged, self._heard)

    @contextmanager
    def talking_to(self, *services: Service) -> Iterator[None]:
        """Around a call to ``services``: each answered, or the one in the error did not."""
        failures = dict(self._failures)
        refused = {service: self._refused(service) for service in services}
        try:
            yield
        except ServiceDown:
            raise  # not sent: the service is down already, and the status bar says so
        except RemoteError as exc:
            self._note(exc.service, "unreachable" if exc.retryable else "problem", str(exc))
            raise
        for service in services:
            # a failure told while the call ran (UPS failing inside a ship outcome), or a step the breaker
            # refused (a batch while the service is down), is the truth, not the return
            if self._failures[service] == failures[service] and self._refused(service) == refused[service]:
                self._note(service, CONNECTED)

    def answered(self, service: Service) -> None:
        self._note(service, CONNECTED)

    def shown(self, service: Service) -> str:
        """An outage the sync recorded (in the store: the CLI's sync counts too) beats an older answer; a
        service that answered since (the breaker closed) is connected again."""
        since = OutageWatch(service, datetime.now).since
        if since and self._state[service] != CONNECTED:
            return f"unreachable since {local_time(since, '%H:%M')}"
        return self._state[service]

    def close(self) -> None:
        self._events.unsubscribe(ServiceStatusChanged, self._heard)

    def _note(self, service: Service, state: str, sentence: str = "") -> None:
        if self._state[service] != state:
            self._state[service] = state
            self._events.publish(ServiceStatusChanged(service, reachable=state == CONNECTED, sentence=sentence))

    def _heard(self, event: ServiceStatusChanged) -> None:
        if not event.reachable:
            self._failures[event.service] += 1
        if (self._state[event.service] == CONNECTED) != event.reachable:  # not one of our own
            self._state[event.service] = CONNECTED if event.reachable else "unreachable"
