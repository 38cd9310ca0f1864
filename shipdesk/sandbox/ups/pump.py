"""The background thread that delivers Track Alert pushes.

SimClock has no "advanced" hook, so the pump watches simulated time: it runs a pass every
``interval_s`` of real time, at once when woken (after the clock control route), and whenever
someone calls :meth:`EventPump.pump` (``Sandboxes.advance`` does, in the thread that moved the clock).
Passes never overlap, so an event is never pushed twice, and they run outside the sandbox lock.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import requests

from shipdesk.sandbox.ups.alerts import Push, send_pushes

log = logging.getLogger(__name__)


class EventPump:
    def __init__(self, collect: Callable[[], list[Push]], record: Callable[[int, int], None], *,
                 interval_s: float = 0.25) -> None:
        self._collect = collect  # takes the pushes that became due (under the sandbox lock)
        self._record = record  # counts (sent, failed)
        self._interval_s = interval_s
        self._pass_lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._session = requests.Session()

    def start(self) -> None:
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="ups-sandbox-pushes", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._session.close()

    def wake(self) -> None:
        self._wake.set()

    def pump(self) -> int:
        """One pass: push what became due; returns how many pushes were accepted."""
        with self._pass_lock:
            pushes = self._collect()
            if not pushes:
                return 0
            sent, failed = send_pushes(pushes, self._session)
            self._record(sent, failed)
            return sent

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(self._interval_s)
            self._wake.clear()
            if self._stopping.is_set():
                return
            try:
                self.pump()
            except Exception:  # a push bug must not kill the pump thread
                log.exception("UPS sandbox push pass failed")
