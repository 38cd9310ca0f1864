"""A read the window repeats whenever it is told something changed, showing only the newest answer.

Requests that come while a read runs fold into one more read when it is over (a batch of fifty labels
means two reads of the table, not fifty), and an answer already overtaken by a newer request is not
shown: an older, slower read never overwrites a newer one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject

from shipdesk.errors import ShipdeskError
from shipdesk.ui.bridge import TaskBridge, async_slot, run_in_worker

K = TypeVar("K")  # what is read (a shipment number; None for the whole list)
T = TypeVar("T")


class LatestRead(QObject, Generic[K, T]):
    def __init__(self, bridge: TaskBridge, read: Callable[[K], T], show: Callable[[K, T], None],
                 failed: Callable[[K, ShipdeskError], None], parent: QObject | None = None) -> None:
        super().__init__(parent or bridge)
        self.bridge = bridge
        self._read, self._show, self._failed = read, show, failed
        self._wanted: tuple[K] | None = None  # the newest request not read yet (K itself may be None)
        self._running = False
        self.stopped = False  # the window is closing: no new reads

    def request(self, key: K) -> None:
        if self.stopped:
            return
        self._wanted = (key,)
        if not self._running:
            self._running = True
            self._read_until_current()

    @async_slot
    async def _read_until_current(self) -> None:
        try:
            while self._wanted is not None and not self.stopped:
                (key,), self._wanted = self._wanted, None
                try:
                    value = await run_in_worker(self._read, key)
                except ShipdeskError as error:
                    if self._wanted is None:
                        self._failed(key, error)
                    continue
                if self._wanted is None:  # nothing newer asked for meanwhile
                    self._show(key, value)
        finally:
            self._running = False
