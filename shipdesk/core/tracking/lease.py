"""One sync for everyone sharing the store: a lease taken before each cycle, kept alive while held.

The desktop app of every station and any ``shipdesk sync`` (scheduled, always-on, or a Windows service)
may try to run the cycle; only the holder of the ``sync`` lease does. It is taken atomically in the
store (``store.leases``: an UPDATE that succeeds only when the lease ran out or is already ours) and
renewed by a small heartbeat thread every third of its life, so while the holder runs (cycles and the
quiet time between them) nobody else gets it. A holder that dies (killed, power cut, network gone)
stops renewing: the lease runs out after ``ttl`` and the next station or sync that asks takes it. The
others show the statuses the holder writes to the store, and say who runs the sync.

Times come from the context's clock; the stations' clocks only need to agree to well within ``ttl``
(90 s by default; Windows keeps domain PCs within a second or two).
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from datetime import timedelta

from shipdesk.core.clock import Clock
from shipdesk.core.store import Store, leases
from shipdesk.core.store.leases import LeaseHolder
from shipdesk.errors import ShipdeskError

log = logging.getLogger(__name__)

SYNC = "sync"
TTL = timedelta(seconds=90)


class Lease:
    def __init__(self, name: str, *, station: str, now: Clock, store: Store, ttl: timedelta = TTL) -> None:
        self.name = name
        self.station = station
        self.now = now
        self.ttl = ttl
        self.pid = os.getpid()
        #: unique per holder object: two syncs in one process (a test's stations) are two holders
        self.holder = f"{station}/{self.pid}/{uuid.uuid4().hex[:8]}"
        self._store = store
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None
        self._lock = threading.Lock()
        self.current: LeaseHolder | None = None

    def take(self) -> bool:
        """Take or renew the lease now; True when this holder has it (then it is kept alive)."""
        mine = self._renew()
        if mine:
            self._keep_alive()
        return mine

    def _renew(self) -> bool:
        now = self.now()
        self.current = leases.take(self.name, holder=self.holder, station=self.station, pid=self.pid, now=now,
                                   until=now + self.ttl)
        return self.current.holder == self.holder

    @property
    def held_elsewhere_by(self) -> str:
        """The station that holds it (as last seen), "" when nobody else does."""
        current = self.current
        return current.station if current is not None and current.holder != self.holder else ""

    def release(self) -> None:
        """Stop renewing and give it up, so another station takes over at once."""
        self._stop.set()
        beat, self._beat = self._beat, None
        if beat is not None:
            beat.join(timeout=5)
        if not self._store.in_use:
            return  # closed with its store: the lease runs out by itself
        try:
            leases.release(self.name, holder=self.holder)
        except ShipdeskError as exc:  # the store is gone: the lease runs out by itself
            log.info("lease %s not released: %s", self.name, exc)

    def _keep_alive(self) -> None:
        with self._lock:
            if self._beat is not None and self._beat.is_alive():
                return
            self._stop.clear()
            self._beat = threading.Thread(target=self._renew_until_stopped, name=f"shipdesk-lease-{self.name}",
                                          daemon=True)
            self._beat.start()

    def _renew_until_stopped(self) -> None:
        interval = self.ttl.total_seconds() / 3
        try:
            while not self._stop.wait(interval):
                if not self._store.in_use:  # the store was closed: nothing to renew in any more
                    return
                try:
                    if not self._renew():
                        log.warning("the %s lease went to %s", self.name, self.held_elsewhere_by)
                        return
                except Exception as exc:  # the store is down: the lease may run out; the next cycle asks again
                    log.warning("the %s lease could not be renewed: %s", self.name, exc)
        finally:
            self._store.release_thread()


def sync_lease(station: str, now: Clock, *, store: Store, ttl: timedelta = TTL) -> Lease:
    return Lease(SYNC, station=station, now=now, store=store, ttl=ttl)


def who_runs_the_sync(now: Clock) -> LeaseHolder | None:
    """The station and process running the sync right now, None when nobody does."""
    return leases.current(SYNC, now())
