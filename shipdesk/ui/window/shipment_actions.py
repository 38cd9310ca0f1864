"""What the toolbar, shortcuts, scan-to-ship and Retry buttons do: each action runs through the bridge
and reports in the notice bar (a sentence), the status bar (which service failed) and the detail pane.

``ShipmentActions`` knows the window only through :class:`ActionHost`, so it stays about actions:
which shipments are selected, where to show things, and whom to tell when an action is over.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from shipdesk.errors import RemoteError, ShipdeskError
from shipdesk.ui.bridge import TaskBridge
from shipdesk.ui.dialogs.address_dialog import AddressDialog
from shipdesk.ui.dialogs.batch_dialog import BatchShipDialog
from shipdesk.ui.services import Services
from shipdesk.ui.view_data import ActionResult, AddressCheck, RateLine
from shipdesk.ui.window.detail_pane import DetailPane
from shipdesk.ui.window.notice_bar import NoticeBar
from shipdesk.ui.window.status_bar import ConnectionStatusBar

log = logging.getLogger(__name__)

YES, NO = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


class ActionHost(Protocol):
    notice: NoticeBar
    status: ConnectionStatusBar
    detail: DetailPane

    def selected_shipments(self) -> list[str]: ...

    def action_done(self, name: str, *, refresh: bool = True) -> None:
        """An action is over; ``refresh`` re-reads the list and status (it may have changed shipments)."""


class ShipmentActions(QObject):
    def __init__(self, services: Services, bridge: TaskBridge, host: ActionHost, window: QWidget) -> None:
        super().__init__(window)
        self.services, self.bridge = services, bridge
        self._host, self._window = host, window
        self.batch: BatchShipDialog | None = None
        self.syncing = False
        self.stopped = False  # the window is closing: no new background work

    @property
    def notice(self) -> NoticeBar:
        return self._host.notice

    # -- shipping ----------------------------------------------------------------------------------
    def _need_selection(self) -> list[str]:
        nbrs = self._host.selected_shipments()
        if not nbrs:
            self.notice.show_message("Select a shipment first (scan it or click its row).")
        return nbrs

    def ship_selected(self) -> None:
        nbrs = self._need_selection()
        if len(nbrs) == 1:
            self.ship(nbrs[0])
        elif nbrs:
            self.ship_batch(nbrs)

    def ship(self, nbr: str) -> None:
        self.notice.show_message(f"Creating the UPS label for {nbr}…")
        self._run("ship", self.services.ship, nbr, retry=lambda: self.ship(nbr))

    def ship_batch(self, nbrs: list[str]) -> BatchShipDialog:
        dialog = BatchShipDialog(self.services, self.bridge, nbrs, parent=self._window)
        dialog.finished_batch.connect(lambda _results: self._host.action_done("ship"))
        self.batch = dialog
        dialog.start()
        return dialog

    # -- address -----------------------------------------------------------------------------------
    def validate_selected(self) -> None:
        nbrs = self._need_selection()
        if nbrs:
            self.validate(nbrs[0])

    def validate(self, nbr: str) -> None:
        self.notice.show_message(f"Checking the address of {nbr} with UPS…")
        self.bridge.run_task(self.services.validate_address, nbr, on_success=self._on_validated,
                             on_error=self._failed("validate", lambda: self.validate(nbr)))

    def _on_validated(self, check: AddressCheck) -> None:
        if check.status == "valid":
            kind = f" ({check.classification})" if check.classification else ""
            self.notice.show_message(f"UPS confirms the address of {check.shipment}{kind}.")
            self._host.action_done("validate")
            return
        self._decide_address(check)

    def _decide_address(self, check: AddressCheck, *, stopped_ship: ActionResult | None = None) -> None:
        """Ask the clerk to pick a UPS candidate or keep the address with a reason; when a ship stopped
        for this (``stopped_ship``), ship at once with the decision, as the ship action would have."""
        nbr = check.shipment
        self.notice.hide()
        dialog = AddressDialog(check, self._window)  # a decision only a person can make
        decision: tuple[Callable[[str, Any], None], int | str, str] | None = None
        if dialog.exec() != AddressDialog.DialogCode.Accepted:
            pass
        elif dialog.chosen_index is not None:
            decision = (self.services.choose_candidate, dialog.chosen_index,
                        f"The address of {nbr} now uses UPS's suggestion.")
        elif dialog.override_reason:
            decision = (self.services.override_address, dialog.override_reason,
                        f"The address of {nbr} is kept as entered (reason recorded).")
        if stopped_ship is None:
            if decision is None:
                self._host.action_done("validate")
            else:
                self._run("validate", decision[0], nbr, decision[1], done=decision[2])
        elif decision is None:  # cancelled: the shipment stays in needs attention, saying why
            self.notice.show_error(stopped_ship.message)
            self._host.action_done("ship")
        else:
            decide, answer, _done = decision

            def decide_and_ship() -> ActionResult:
                decide(nbr, answer)
                return self.services.ship(nbr)

            self.notice.show_message(f"Creating the UPS label for {nbr}…")
            self._run("ship", decide_and_ship, retry=lambda: self.ship(nbr))

    # -- after the label ---------------------------------------------------------------------------
    def rate_selected(self) -> None:
        nbrs = self._need_selection()
        if not nbrs:
            return
        nbr = nbrs[0]

        def shown(rates: list[RateLine]) -> None:
            if self._host.detail.shipment == nbr:
                self._host.detail.show_rates(rates)
            best = min(rates, key=lambda r: r.negotiated or r.amount, default=None)
            self.notice.show_message(f"{nbr}: {best.service} {best.negotiated or best.amount}."
                                     if best else f"UPS gave no rate for {nbr}.")
            self._host.action_done("rate", refresh=False)

        self.notice.show_message(f"Asking UPS for rates for {nbr}…")
        self.bridge.run_task(self.services.rate, nbr, on_success=shown,
                             on_error=self._failed("rate", self.rate_selected, refresh=False))

    def reprint_selected(self) -> None:
        for nbr in self._need_selection():
            self._run("reprint", self.services.reprint, nbr)

    def void_selected(self) -> None:
        nbrs = self._need_selection()
        if not nbrs:
            return
        nbr = nbrs[0]
        if self.services.config.ui.confirm_void and QMessageBox.question(
                self._window, "Void label",
                f"Void the UPS label of {nbr}? UPS cancels the shipment and its tracking numbers are removed "
                "from Acumatica. The package must not be handed to UPS.", YES | NO, NO) != YES:
            return
        self._run("void", self.services.void, nbr)

    def retry(self, nbr: str, action: str) -> None:
        """The detail pane's Retry (or "Create a new label anyway", which must be confirmed)."""
        if action == "validate":
            self.validate(nbr)
            return
        if action == "force_new" and QMessageBox.warning(
                self._window, "Create a new label",
                f"UPS may already have made a label for {nbr}. Create a new one anyway? If the first label "
                "turns up later, shipdesk voids it.", YES | NO, NO) != YES:
            return
        self._run("retry", self.services.retry, nbr, action)

    # -- Acumatica ---------------------------------------------------------------------------------
    def pull(self) -> None:
        self.notice.show_message("Fetching shipments from Acumatica…")

        def shown(summary: str) -> None:
            self.notice.show_message(summary)
            self._host.action_done("refresh")

        self.bridge.run_task(self.services.pull, on_success=shown, on_error=self._failed("refresh", self.pull))

    def sync_now(self) -> None:
        """A background cycle; quiet unless it fails (outages show in the status bar)."""
        if self.syncing or self.stopped:
            return
        self.syncing = True

        def done(summary: str) -> None:
            self.syncing = False
            log.info("sync: %s", summary)
            self._host.action_done("sync")

        def failed(error: ShipdeskError) -> None:
            self.syncing = False
            self.note_connection(error)
            log.warning("sync failed: %s", error)
            self._host.action_done("sync")

        self.bridge.run_task(self.services.sync_once, on_success=done, on_error=failed)

    # -- plumbing ----------------------------------------------------------------------------------
    def _run(self, name: str, fn: Callable[..., Any], *args: Any, done: str | None = None,
             retry: Callable[[], None] | None = None) -> None:
        def success(result: Any) -> None:
            if isinstance(result, ActionResult) and result.address is not None:
                self._decide_address(result.address, stopped_ship=result)  # the address needs a person
                return
            if isinstance(result, ActionResult):
                if result.ok:
                    self.notice.show_message(result.message)
                else:  # a person must act: the detail pane shows the reason and the right fix
                    self.notice.show_error(result.message)
            elif done:
                self.notice.show_message(done)
            self._host.action_done(name)

        self.bridge.run_task(fn, *args, on_success=success, on_error=self._failed(name, retry))

    def _failed(self, name: str, retry: Callable[[], None] | None = None, *,
                refresh: bool = True) -> Callable[[ShipdeskError], None]:
        def shown(error: ShipdeskError) -> None:
            self.note_connection(error)
            # Retry only where trying again can work (a network blip, a busy service), not for a refusal
            worth_retrying = isinstance(error, RemoteError) and error.retryable
            self.notice.show_error(str(error), retry=retry if worth_retrying else None)
            self._host.action_done(name, refresh=refresh)
        return shown

    def note_connection(self, error: ShipdeskError) -> None:
        if isinstance(error, RemoteError):
            self._host.status.set_service_problem(error.service, str(error))
