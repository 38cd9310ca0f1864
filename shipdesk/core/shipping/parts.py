"""What every step of the ship flow shares: the app context, the Acumatica session of the thread, the label
files, the job locks, the claims (stations without a shared store) and the checkpoint. ``ShipFlow`` builds
one; each step module takes it first."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.core.context import AppContext
from shipdesk.core.settings.config import Config
from shipdesk.core.shipping.checkpoints import Checkpoint
from shipdesk.core.shipping.claims import Claims
from shipdesk.core.shipping.group_commit import GroupCommit
from shipdesk.core.shipping.job_lock import JobLocks
from shipdesk.core.shipping.labelling import Labels
from shipdesk.ups.client import UpsClient

#: tells the caller which step a shipment is at ("checking", "validating", "labelling", "printing"...)
Notify = Callable[[str], None]


def quiet(_step: str) -> None:
    """A ``Notify`` for callers that do not show progress."""


@dataclass
class FlowParts:
    context: AppContext
    #: a Confirmed shipment without tracking is corrected in Acumatica, labelled and confirmed again
    correct_confirmed: bool
    labels: Labels
    locks: JobLocks
    checkpoint: Checkpoint
    claims: Claims
    #: None: a session per use, signed out at its end (a command). Seconds: one session shared by every thread
    #: (the desktop app: its worker and the sync), signed out after that long unused (:class:`KeptSession`)
    keep_session: float | None = None
    config: Config = field(init=False)
    #: when the Ship Vias' carrier plug-ins were last looked up, as this flow last saw it (``carrier_plugins``)
    plugins_checked: datetime | None = field(default=None, init=False)
    _local: threading.local = field(default_factory=threading.local, init=False, repr=False)
    #: the open client of each thread (by thread id), so a stopping service can sign out a worker's session
    _open: dict[int, AcumaticaClient] = field(default_factory=dict, init=False, repr=False)
    _kept: KeptSession | None = field(default=None, init=False, repr=False)
    #: a batch's written-back states, committed with the next label's first transaction (``group_commit``)
    group: GroupCommit = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.config = self.context.config
        self.group = GroupCommit(lambda: self.context.store.release_thread())
        if self.keep_session is not None:
            self._kept = KeptSession(self.context.acumatica, self.keep_session)

    @property
    def station(self) -> str:
        return self.context.station

    @property
    def ups(self) -> UpsClient:
        """Made on first use: a step that never calls UPS needs no UPS settings."""
        return self.context.ups

    @contextlib.contextmanager
    def session(self) -> Iterator[AcumaticaClient]:
        """The thread's open Acumatica client, or one for this use: a new one signed out at the end (also on
        Ctrl+C), or the kept one. One session per command or worker, however many steps use it."""
        current = getattr(self._local, "acu", None)
        if current is not None:
            yield current
            return
        with self._kept.borrow() if self._kept is not None else self.context.acumatica() as acu:
            self._local.acu = acu
            self._open[threading.get_ident()] = acu
            try:
                yield acu
            finally:
                self._local.acu = None
                self._open.pop(threading.get_ident(), None)

    def abandon_session(self, thread: threading.Thread) -> bool:
        """Sign out the session ``thread`` holds now, from the calling thread (a stop that cannot wait for the
        thread's request to end): its next Acumatica call fails instead of signing in again. False when it
        holds none."""
        acu = self._open.get(thread.ident) if thread.ident is not None else None
        if acu is None:
            return False
        acu.abandon()
        return True

    def close(self) -> None:
        """Sign out the kept session now (the app is closing, or its settings changed)."""
        if self._kept is not None:
            self._kept.close()


class KeptSession:
    """One Acumatica session lent to every thread that asks (several at once: the client is thread-safe), signed
    in on the first call and signed out ``idle_seconds`` after the last use ended: one sign-in and one API seat
    for the app while it is in use, and no seat held while nobody works."""

    def __init__(self, make: Callable[[], AcumaticaClient], idle_seconds: float) -> None:
        self._make = make
        self.idle_seconds = idle_seconds
        self._lock = threading.Lock()
        self._client: AcumaticaClient | None = None
        self._users = 0
        self._timer: threading.Timer | None = None

    @contextlib.contextmanager
    def borrow(self) -> Iterator[AcumaticaClient]:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._client is None or self._client.closed:  # signed out for a stop: a fresh one
                self._client = self._make()
            client = self._client
            self._users += 1
        try:
            yield client
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0 and self._client is client:
                    self._timer = threading.Timer(self.idle_seconds, self._sign_out_if_idle, args=(client,))
                    self._timer.daemon = True
                    self._timer.start()

    def _sign_out_if_idle(self, client: AcumaticaClient) -> None:
        with self._lock:
            if self._users or self._client is not client:
                return
            self._client, self._timer = None, None
        client.close()

    def close(self) -> None:
        with self._lock:
            client, self._client = self._client, None
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        if client is not None:  # signed out for good: a thread still using it fails its next call, never signs in
            client.abandon()
            client.close()
