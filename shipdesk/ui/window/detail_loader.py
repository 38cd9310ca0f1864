"""Fills the detail pane with the current shipment, read off the GUI thread a moment after the selection
settles (arrowing down the list reads only where it stops); a newer selection wins over a slower read."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

from shipdesk.errors import ShipdeskError
from shipdesk.i18n import N_, _
from shipdesk.ui.bridge import TaskBridge
from shipdesk.ui.latest_read import LatestRead
from shipdesk.ui.view_data import ShipmentDetail
from shipdesk.ui.window.detail_pane import DetailPane, decoded_preview

DETAIL_DELAY_MS = 80
PLACEHOLDER = N_("Scan or pick a shipment to see its details.")  # shown with _()


class DetailLoader(QObject):
    #: a shipment's detail is shown (its number)
    loaded = Signal(str)

    def __init__(self, bridge: TaskBridge, read: Callable[[str], ShipmentDetail], pane: DetailPane,
                 current: Callable[[], str | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pane, self._current = pane, current
        # the worker that reads the detail also decodes its label preview (PNG decoding is ~10 ms)
        self._reads: LatestRead[str, tuple[ShipmentDetail, QImage | None]] = LatestRead(
            bridge, lambda nbr: _with_preview(read(nbr)), self._show, self._failed, self)
        self._timer = QTimer(self, singleShot=True, interval=DETAIL_DELAY_MS)
        self._timer.timeout.connect(self.load)

    def load_soon(self) -> None:
        self._timer.start()

    def load(self) -> None:
        nbr = self._current()
        if nbr is None:
            self._pane.show_placeholder(_(PLACEHOLDER))  # i18n: marked with N_()
        else:
            self._reads.request(nbr)

    def stop(self) -> None:
        self._timer.stop()
        self._reads.stopped = True

    def _show(self, nbr: str, read: tuple[ShipmentDetail, QImage | None]) -> None:
        detail, preview = read
        if nbr == self._current():  # the selection did not move on meanwhile
            self._pane.show_detail(detail, preview)
            self.loaded.emit(detail.shipment)

    def _failed(self, nbr: str, error: ShipdeskError) -> None:
        if nbr == self._current():
            self._pane.show_error(nbr, str(error))


def _with_preview(detail: ShipmentDetail) -> tuple[ShipmentDetail, QImage | None]:
    return detail, decoded_preview(detail.label_previews[0]) if detail.label_previews else None
