"""Before a batch buys labels: "Ship 21 shipments with UPS?", with what they will cost.

The estimate is honest about where it comes from: UPS is asked for a rate quote for each shipment (one
Rate call each, in the background, while the dialog says "estimating…"), the negotiated rate when the
account has one. A shipment UPS cannot rate is listed first, with why: it would fail to ship as well.
The person may ship (or cancel) before the estimate is complete; closing the dialog stops the quotes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget
from shiboken6 import isValid

from shipdesk.errors import ShipdeskError
from shipdesk.i18n import N_, _, ngettext
from shipdesk.ui.bridge import TaskBridge, async_slot, progress_callback, run_in_worker
from shipdesk.ui.scanner import closed_by_scans
from shipdesk.ui.services import Services
from shipdesk.ui.view_data import ChargeEstimate

ESTIMATE_SOURCE = N_("Estimated from a UPS rate quote for each shipment (your negotiated rate where UPS gives one), "
                   "asked now: one Rate call per shipment. The label's charge can differ slightly.")


class BatchConfirmDialog(QDialog):
    #: the quotes stopped (all done, failed, or cancelled by the answer): their Acumatica session is closed
    estimate_stopped = Signal()

    def __init__(self, services: Services, bridge: TaskBridge, shipments: Sequence[str], *,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchConfirmDialog")
        count = len(shipments)
        self.setWindowTitle(ngettext("Ship {count} shipment", "Ship {count} shipments", count).format(count=count))
        self.setMinimumWidth(560)
        self._services, self.bridge = services, bridge
        self._shipments = list(shipments)
        self.cancel_event = threading.Event()
        self.estimate: ChargeEstimate | None = None
        self.estimating = False
        self.question = QLabel(ngettext("<b>Ship {count} shipment with UPS?</b> A label is bought from UPS for it "
                                        "at once.",
                                        "<b>Ship {count} shipments with UPS?</b> A label is bought from UPS for each "
                                        "one at once.", count).format(count=count))
        self.question.setWordWrap(True)
        self.charges = QLabel(_("Estimated charges: estimating… ({done} of {count})").format(done=0, count=count))
        self.charges.setObjectName("estimatedCharges")
        self.charges.setWordWrap(True)
        self.source = QLabel(_(ESTIMATE_SOURCE))  # i18n: marked with N_() above
        self.source.setWordWrap(True)
        self.source.setStyleSheet("color:#6b7480")
        self.details = QTextBrowser()
        self.details.setObjectName("estimateDetails")
        self.details.hide()
        self.buttons = QDialogButtonBox()
        self.ship_button: QPushButton = self.buttons.addButton(_("Ship {count}").format(count=count),
                                                                 QDialogButtonBox.ButtonRole.AcceptRole)
        self.ship_button.setObjectName("confirmShip")
        self.ship_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.question, self.charges, self.source, self.details, self.buttons):
            layout.addWidget(widget)
        closed_by_scans(self, ngettext("the shipment was not shipped", "none of the {count} shipments was shipped",
                                       count).format(count=count))
        self.finished.connect(lambda _code: self.cancel_event.set())  # no more quotes once it is answered

    def start_estimate(self) -> None:
        self.estimating = True
        self._estimate()

    @async_slot
    async def _estimate(self) -> None:
        on_progress: Callable[[int], None] = progress_callback(self, self._on_progress)
        try:
            estimate = await run_in_worker(self._services.estimate_charges, self._shipments,
                                           cancel=self.cancel_event, progress=on_progress)
        except ShipdeskError as error:
            if isValid(self):
                self.charges.setText(_("Estimated charges: not available ({problem})").format(problem=error))
            return
        finally:  # whatever happened, the quotes are over: a batch waiting for them may start
            if isValid(self):
                self._stopped()
        if isValid(self):  # not answered and gone meanwhile
            self.estimate = estimate
            self._show(estimate)

    def _stopped(self) -> None:
        self.estimating = False
        self.estimate_stopped.emit()

    def _on_progress(self, done: int) -> None:
        if self.estimate is None and not self.cancel_event.is_set():
            self.charges.setText(_("Estimated charges: estimating… ({done} of {count})").format(
                done=done, count=len(self._shipments)))

    def _show(self, estimate: ChargeEstimate) -> None:
        rated = [line for line in estimate.lines if not line.problem]
        failing = [line for line in estimate.lines if line.problem]
        total = " + ".join(estimate.totals) or _("nothing")
        text = ngettext("Estimated charges: <b>{total}</b> for {rated} of {count} shipment.",
                        "Estimated charges: <b>{total}</b> for {rated} of {count} shipments.",
                        len(self._shipments)).format(total=escape(total), rated=len(rated), count=len(self._shipments))
        if failing:
            text += " <span style='color:#9b1c13'>{}</span>".format(escape(ngettext(
                "{count} cannot be rated and will not ship (below).",
                "{count} cannot be rated and will not ship (below).", len(failing)).format(count=len(failing))))
        self.charges.setText(text)
        rows = [f"<p style='color:#9b1c13'>✗ <b>{escape(x.shipment)}</b>: {escape(x.problem)}</p>" for x in failing]
        rows += [f"<p>{escape(x.shipment)}: {escape(x.service)}, {escape(x.amount)}</p>" for x in rated]
        self.details.setHtml("".join(rows))
        self.details.setVisible(bool(rows))
