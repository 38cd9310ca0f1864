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
    config: Config = field(init=False)
    #: when the Ship Vias' carrier plug-ins were last looked up, as this flow last saw it (``carrier_plugins``)
    plugins_checked: datetime | None = field(default=None, init=False)
    _local: threading.local = field(default_factory=threading.local, init=False, repr=False)
    #: the open client of each thread (by thread id), so a stopping service can sign out a worker's session
    _open: dict[int, AcumaticaClient] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self.config = self.context.config

    @property
    def station(self) -> str:
        return self.context.station

    @property
    def ups(self) -> UpsClient:
        """Made on first use: a step that never calls UPS needs no UPS settings."""
        return self.context.ups

    @contextlib.contextmanager
    def session(self) -> Iterator[AcumaticaClient]:
        """The thread's open Acumatica client, or a new one signed out at the end (also on Ctrl+C):
        one session per command or worker, however many steps use it."""
        current = getattr(self._local, "acu", None)
        if current is not None:
            yield current
            return
        with self.context.acumatica() as acu:
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
