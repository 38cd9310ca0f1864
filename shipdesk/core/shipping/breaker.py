"""Fail fast while a service is known to be down: one small circuit breaker per service.

Without it, a scan during an Acumatica outage showed "Creating label…" for the whole retry budget (35 s
and more) before failing, while the status bar already said "unreachable". The breaker is fed by what
the core already knows: the outage the sync recorded (``OutageWatch``, kept in the store, so a sync in
another process counts too) and every ``ServiceStatusChanged`` told on the event bus (the sync, the
desktop app's calls, the ship flow itself). While a service is down:

- ``check(service)`` raises :class:`~shipdesk.errors.ServiceDown` at once, naming the outage ("Acumatica
  is unreachable since 10:02: …"): nothing is sent;
- except one call every ``probe_every`` (and the next one after ``let_next_through``, a person's Retry),
  which goes through to learn whether the service is back: its answer closes the breaker (``answered``,
  told by the ship flow as soon as the service answered, so the rest of a batch goes on) or keeps it open.

Only the desktop app uses it (``ShipFlow(breakers=...)``): a command someone types is always tried.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from shipdesk.core.events import EventBus, ServiceStatusChanged
from shipdesk.core.tracking.outages import OutageWatch
from shipdesk.errors import Service, ServiceDown

PROBE_EVERY = timedelta(seconds=60)


@dataclass
class Outage:
    since: datetime
    sentence: str  # what failed, as the sync or the failing call told it
    probe_at: datetime  # the next call let through to see whether the service is back


class ServiceBreakers:
    def __init__(self, events: EventBus, now: Callable[[], datetime], *,
                 probe_every: timedelta = PROBE_EVERY) -> None:
        self._events, self._now, self.probe_every = events, now, probe_every
        self._lock = threading.Lock()
        self._open: dict[Service, Outage] = {}
        self._refused = {service: 0 for service in Service}
        for service in Service:  # an outage the sync recorded before this process started
            since = OutageWatch(service, now).since
            if since is not None:
                self._open[service] = Outage(since, "", now() + probe_every)
        events.subscribe(ServiceStatusChanged, self._heard)

    def close(self) -> None:
        self._events.unsubscribe(ServiceStatusChanged, self._heard)

    def down(self, service: Service) -> Outage | None:
        with self._lock:
            return self._open.get(service)

    def check(self, *services: Service) -> None:
        """Raise ``ServiceDown`` for the first of ``services`` known to be down, unless its probe is due."""
        now = self._now()
        with self._lock:
            for service in services:
                outage = self._open.get(service)
                if outage is None:
                    continue
                if now >= outage.probe_at:
                    outage.probe_at = now + self.probe_every  # this call is the probe; the others wait
                    continue
                self._refused[service] += 1
                raise ServiceDown(service, since=outage.since, detail=outage.sentence,
                                  retry_at=outage.probe_at)

    def refused(self, service: Service) -> int:
        """How many calls to ``service`` were refused so far (a caller tells "refused" from "answered")."""
        with self._lock:
            return self._refused[service]

    def answered(self, service: Service) -> None:
        """A call of the ship flow got its answer: the service is back (the status bar is told)."""
        with self._lock:
            was_down = self._open.pop(service, None) is not None
        if was_down:
            self._events.publish(ServiceStatusChanged(service, reachable=True))

    def let_next_through(self, service: Service) -> None:
        """A person pressed Retry: the next call tries the service whatever the probe time."""
        with self._lock:
            outage = self._open.get(service)
            if outage is not None:
                outage.probe_at = self._now()

    def _heard(self, event: ServiceStatusChanged) -> None:
        with self._lock:
            if event.reachable:
                self._open.pop(event.service, None)
                return
            outage = self._open.get(event.service)
            now = self._now()
            if outage is None:
                self._open[event.service] = Outage(now, event.sentence, now + self.probe_every)
            elif event.sentence:
                outage.sentence = event.sentence
