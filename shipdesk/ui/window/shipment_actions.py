"""What the toolbar, shortcuts, scan-to-ship and Retry buttons do: each action is a coroutine on the bridge
(``ui/bridge.py``) that reads top to bottom, and reports in the notice bar (a sentence) and the detail pane.
Which service failed reaches the status bar as a core event, not from here.

``ShipmentActions`` knows the window only through :class:`ActionHost`, so it stays about actions:
which shipments are selected, where to show things, and whom to tell when an action is over.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QWidget

from shipdesk.errors import RemoteError, ServiceDown, ShipdeskError
from shipdesk.i18n import _, ngettext
from shipdesk.ui.bridge import TaskBridge, async_slot, run_in_worker
from shipdesk.ui.dialogs.address_dialog import AddressDialog
from shipdesk.ui.dialogs.batch_confirm import BatchConfirmDialog
from shipdesk.ui.dialogs.batch_dialog import BatchShipDialog
from shipdesk.ui.dialogs.confirm import ask
from shipdesk.ui.dialogs.day_summary_dialog import DaySummaryDialog
from shipdesk.ui.dialogs.pack_dialog import PackDialog
from shipdesk.ui.dialogs.rates_dialog import RatesDialog
from shipdesk.ui.dialogs.return_dialog import ReturnChoice, ReturnDialog
from shipdesk.ui.packing_view import PackChoice
from shipdesk.ui.scanner import closed_by_scans
from shipdesk.ui.services import Services
from shipdesk.ui.view_data import ActionResult, AddressCheck, RetryAction
from shipdesk.ui.window.detail_pane import DetailPane
from shipdesk.ui.window.notice_bar import NoticeBar

log = logging.getLogger(__name__)

#: a notice about a service not answering: taken away when a later call shows it answers again
SERVICE_TOPIC = "service"


class ActionHost(Protocol):
    notice: NoticeBar
    detail: DetailPane

    def selected_shipments(self) -> list[str]: ...

    def action_done(self, name: str, *, refresh: bool = True) -> None:
        """An action is over; ``refresh`` re-reads the list and status (it may have changed shipments)."""


@dataclass(frozen=True)
class AddressDecision:
    """What the clerk decided in the address dialog: a UPS candidate, or the address kept with a reason."""

    candidate: int | None = None
    override_reason: str = ""

    @classmethod
    def asked(cls, check: AddressCheck, parent: QWidget) -> AddressDecision | None:
        """Open the address dialog (a decision only a person can make); None when it was cancelled."""
        dialog = AddressDialog(check, parent)
        try:
            if dialog.exec() != AddressDialog.DialogCode.Accepted:
                return None
            if dialog.chosen_index is not None:
                return cls(candidate=dialog.chosen_index)
            return cls(override_reason=dialog.override_reason) if dialog.override_reason else None
        finally:
            dialog.deleteLater()

    def apply(self, services: Services, shipment: str) -> None:
        """Record the decision (on a worker thread: it talks to Acumatica)."""
        if self.candidate is not None:
            services.choose_candidate(shipment, self.candidate)
        else:
            services.override_address(shipment, self.override_reason)

    def sentence(self, shipment: str) -> str:
        if self.candidate is not None:
            return _("The address of {shipment} now uses UPS's suggestion.").format(shipment=shipment)
        return _("The address of {shipment} is kept as entered (reason recorded): it is ready to ship "
                 "(Ctrl+L).").format(shipment=shipment)


class ShipmentActions(QObject):
    def __init__(self, services: Services, bridge: TaskBridge, host: ActionHost, window: QWidget) -> None:
        super().__init__(window)
        self.services, self.bridge = services, bridge
        self._host, self._window = host, window
        self.batch: BatchShipDialog | None = None
        self.confirming: BatchConfirmDialog | None = None
        self.syncing = False
        self.stopped = False  # the window is closing: no new background work

    @property
    def notice(self) -> NoticeBar:
        return self._host.notice

    def _need_selection(self) -> list[str]:
        nbrs = self._host.selected_shipments()
        if not nbrs:
            self.notice.show_message(_("Select a shipment first (scan it or click its row)."))
        return nbrs

    # -- shipping ----------------------------------------------------------------------------------
    def ship_selected(self) -> None:
        nbrs = self._need_selection()
        if len(nbrs) == 1:
            self.ship(nbrs[0])
        elif nbrs:
            self.ship_batch(nbrs)

    @async_slot
    async def ship(self, nbr: str) -> None:
        self.notice.show_message(_("Creating the UPS label for {shipment}…").format(shipment=nbr))
        await self._act("ship", self.services.ship, nbr, retry=lambda: self.ship(nbr))

    @async_slot
    async def scanned(self, nbr: str, *, ship: bool) -> None:
        """A scan: labels made with no hands and never printed are printed now; else ``ship`` (scan to ship)."""
        try:
            printed = await run_in_worker(self.services.print_if_unprinted, nbr)
        except ShipdeskError as error:
            self._show_error(error, retry=lambda: self._reprint(nbr))
            return
        if printed is not None:
            self._show_result(printed)
            self._host.action_done("reprint")
        elif self.services.config.scale.kind != "none":  # a scale at the station: weigh, then Enter ships
            self.pack(nbr, scanned=True)
        elif ship:
            self.ship(nbr)

    @async_slot
    async def set_automatic(self, running: bool) -> None:
        try:
            self.notice.show_message(await run_in_worker(self.services.set_automatic, running))
        except ShipdeskError as error:
            self._show_error(error, None)
        self._host.action_done("automatic", refresh=True)

    def ship_batch(self, nbrs: list[str]) -> BatchShipDialog | None:
        """Ask first ("Ship 21 shipments with UPS?" with the estimated charges), then ship them all."""
        confirm = BatchConfirmDialog(self.services, self.bridge, nbrs, parent=self._window)
        self.confirming = confirm
        confirm.start_estimate()
        answer = confirm.exec()
        self.confirming = None
        # the quotes still running hold an Acumatica session: the batch starts when they stopped, so it
        # never needs one sign-in more than the licence allows
        estimating = confirm.estimating
        if not estimating:
            confirm.deleteLater()
        if answer != QDialog.DialogCode.Accepted or self.stopped:
            if estimating:
                confirm.estimate_stopped.connect(confirm.deleteLater)
            self.notice.show_message(ngettext("Nothing was shipped: the {count} shipment is as it was.",
                                              "Nothing was shipped: the {count} shipments are as they were.",
                                              len(nbrs)).format(count=len(nbrs)))
            self._host.action_done("ship", refresh=False)
            return None
        dialog = BatchShipDialog(self.services, self.bridge, nbrs, parent=self._window)
        dialog.finished_batch.connect(lambda results: self._batch_done(results))
        self.batch = dialog
        if estimating:
            dialog.open()
            confirm.estimate_stopped.connect(dialog.start)
            confirm.estimate_stopped.connect(confirm.deleteLater)
        else:
            dialog.start()
        return dialog

    def _batch_done(self, results: list[ActionResult]) -> None:
        if any(r.ok for r in results):
            self.notice.clear(SERVICE_TOPIC)
        self._host.action_done("ship")

    # -- address -----------------------------------------------------------------------------------
    def validate_selected(self) -> None:
        nbrs = self._need_selection()
        if nbrs:
            self.validate(nbrs[0])

    @async_slot
    async def validate(self, nbr: str) -> None:
        self.notice.show_message(_("Checking the address of {shipment} with UPS…").format(shipment=nbr))
        try:
            check = await run_in_worker(self.services.validate_address, nbr)
            if check.status == "valid":
                confirmed = {"residential": _("UPS confirms the address of {shipment} (residential)."),
                             "commercial": _("UPS confirms the address of {shipment} (commercial).")}.get(
                    check.classification, _("UPS confirms the address of {shipment}."))
                self.notice.show_message(confirmed.format(shipment=check.shipment))
            elif decision := self._ask_address(check):
                await run_in_worker(decision.apply, self.services, nbr)
                self.notice.show_message(decision.sentence(nbr))
            else:
                self.notice.show_message(_("Nothing was decided for the address of {shipment}.").format(
                    shipment=nbr))
        except ShipdeskError as error:
            self._show_error(error, retry=lambda: self.validate(nbr))
        self._host.action_done("validate")

    def _ask_address(self, check: AddressCheck) -> AddressDecision | None:
        self.notice.hide()
        return AddressDecision.asked(check, self._window)

    # -- after the label ---------------------------------------------------------------------------
    def rate_selected(self) -> None:
        nbrs = self._need_selection()
        if nbrs:
            self.rate(nbrs[0])

    def shop_selected(self) -> None:
        nbrs = self._need_selection()
        if nbrs:
            self.rate(nbrs[0], shop=True)

    @async_slot
    async def rate(self, nbr: str, shop: bool = False) -> None:
        """UPS's quote for the mapped service, or with ``shop`` every service, in a dialog."""
        asking = _("Asking UPS for every service for {shipment}…") if shop else _(
            "Asking UPS for a rate for {shipment}…")
        self.notice.show_message(asking.format(shipment=nbr))
        try:
            rates = await run_in_worker(self.services.rate, nbr, shop=shop)
        except ShipdeskError as error:
            self._show_error(error, retry=lambda: self.rate(nbr, shop))
            self._host.action_done("rate", refresh=False)
            return
        self.notice.clear(SERVICE_TOPIC)
        if self._host.detail.shipment == nbr:
            self._host.detail.show_rates(rates.lines)
        best = rates.lines[0] if rates.lines else None
        self.notice.show_message(_("{shipment}: {service} {amount} at best.").format(
            shipment=nbr, service=best.service, amount=best.negotiated or best.amount)
                                 if best else _("UPS gave no rate for {shipment}.").format(shipment=nbr))
        dialog = RatesDialog(rates, self._window)
        self._host.action_done("rate", refresh=False)
        dialog.exec()
        dialog.deleteLater()

    def reprint_selected(self) -> None:
        for nbr in self._need_selection():
            self._reprint(nbr)

    @async_slot
    async def _reprint(self, nbr: str) -> None:
        await self._act("reprint", self.services.reprint, nbr)

    def return_selected(self) -> None:
        """Shipment › Return label…: the clerk chooses print or email (and the RMA order when asked for)."""
        nbrs = self._need_selection()
        if not nbrs:
            return
        asks_rma = self.services.config.returns.write_to == "rma_order"
        dialog = ReturnDialog(nbrs[0], asks_rma=asks_rma, parent=self._window)
        # a scan's Enter must not press OK
        closed_by_scans(dialog, _("no return label was made for {shipment}").format(shipment=nbrs[0]))
        accepted = dialog.exec() == ReturnDialog.DialogCode.Accepted
        choice = dialog.choice
        dialog.deleteLater()
        if accepted:
            self._return(nbrs[0], choice)

    @async_slot
    async def _return(self, nbr: str, choice: ReturnChoice) -> None:
        self.notice.show_message(_("Creating the UPS return label for {shipment}…").format(shipment=nbr))
        await self._act("return", self._return_label, nbr, choice)

    def _return_label(self, nbr: str, choice: ReturnChoice) -> ActionResult:
        return self.services.return_label(nbr, electronic=choice.electronic, email=choice.email, rma=choice.rma)

    def pack_selected(self) -> None:
        """Shipment › Pack…: packages (box, weight, sizes), service with price and date, options; Enter ships."""
        nbrs = self._need_selection()
        if nbrs:
            self.pack(nbrs[0])

    @async_slot
    async def pack(self, nbr: str, *, scanned: bool = False) -> None:
        self.notice.show_message(_("Reading the packages of {shipment} and UPS's prices…").format(shipment=nbr))
        try:
            view = await run_in_worker(self.services.packing, nbr)
        except ShipdeskError as error:
            self._show_error(error, None)
            return
        if view.labelled:
            if not scanned:
                self.notice.show_message(_("{shipment} already has a label: void it to change its packages.").format(
                    shipment=nbr))
            return
        dialog = PackDialog(view, lambda: self.services.weigh(view.weight_unit), self.bridge, parent=self._window)
        if dialog.exec() != PackDialog.DialogCode.Accepted:
            return
        choice, ship = dialog.choice(), dialog.ship_now
        saving = _("Saving the packages of {shipment} in Acumatica and creating the UPS label…") if ship else _(
            "Saving the packages of {shipment} in Acumatica…")
        self.notice.show_message(saving.format(shipment=nbr))
        await self._act("ship" if ship else "pack", self._pack, nbr, choice, ship)

    def _pack(self, nbr: str, choice: PackChoice, ship: bool) -> ActionResult:
        return self.services.pack(nbr, choice, ship=ship)

    def day_summary(self) -> None:
        """Tools › Day summary…: save the day's PDF, open or print it."""
        folder = Path.home() / "Documents"
        DaySummaryDialog(self.services, self.bridge, folder if folder.is_dir() else Path.home(),
                         parent=self._window).exec()

    def void_selected(self) -> None:
        nbrs = self._need_selection()
        if nbrs and (not self.services.config.ui.confirm_void or ask(
                self._window, _("Void label"),
                _("Void the UPS label of {shipment}? UPS cancels the shipment and its tracking numbers are removed "
                  "from Acumatica. The package must not be handed to UPS.").format(shipment=nbrs[0]),
                yes=_("Void the label"),
                undone=_("the label of {shipment} was not voided").format(shipment=nbrs[0]))):
            self._void(nbrs[0])

    @async_slot
    async def _void(self, nbr: str) -> None:
        await self._act("void", self.services.void, nbr)

    def retry(self, nbr: str, action: RetryAction) -> None:
        """The detail pane's Retry (or "Create a new label anyway", which must be confirmed)."""
        if action is RetryAction.VALIDATE:
            self.validate(nbr)
        elif action is not RetryAction.FORCE_NEW or ask(
                self._window, _("Buy a new label"),
                _("UPS still lists no label for {shipment}. Buy a new one? Do it only if the box has no UPS label on "
                  "it. If the first label turns up at UPS later, shipdesk voids it. Your decision is recorded with "
                  "your name.").format(shipment=nbr), yes=_("Buy a new label"),
                undone=_("no new label was bought for {shipment}").format(shipment=nbr), warning=True):
            self._retry(nbr, action)

    @async_slot
    async def _retry(self, nbr: str, action: RetryAction) -> None:
        await self._act("retry", self.services.retry, nbr, action)

    # -- Acumatica ---------------------------------------------------------------------------------
    @async_slot
    async def pull(self) -> None:
        self.notice.show_message(_("Fetching shipments from Acumatica…"))
        try:
            self.notice.show_message(await run_in_worker(self.services.pull))
        except ShipdeskError as error:
            self._show_error(error, retry=self.pull)
        self._host.action_done("refresh")

    @async_slot
    async def sync_now(self) -> None:
        """A background cycle; quiet unless it fails (outages show in the status bar, told by the sync)."""
        if self.syncing or self.stopped:
            return
        self.syncing = True
        try:
            log.info("sync: %s", await run_in_worker(self.services.sync_once))
        except ShipdeskError as error:
            log.warning("sync failed: %s", error)
        else:
            self.notice.clear(SERVICE_TOPIC)
        finally:
            self.syncing = False
        self._host.action_done("sync")

    # -- reporting ---------------------------------------------------------------------------------
    async def _act(self, name: str, act: Callable[..., ActionResult], *args: object,
                   retry: Callable[[], None] | None = None) -> None:
        """Run one action on a shipment and report its result. A ship that stopped at an unclear address
        asks the clerk, records the decision and ships, as the ship action would have."""
        try:
            result: ActionResult | None = await run_in_worker(act, *args)
            while result is not None and result.address is not None:
                result = await self._ship_after_decision(result.address, stopped=result)
            if result is not None:
                log.info("%s %s: %s", name, args[0] if args else "", "done" if result.ok else "not done")
                self._show_result(result)
            else:
                log.info("%s %s: cancelled", name, args[0] if args else "")
        except ShipdeskError as error:
            log.info("%s %s: failed (%s)", name, args[0] if args else "", type(error).__name__)
            self._show_error(error, retry)
        self._host.action_done(name)

    async def _ship_after_decision(self, check: AddressCheck, *, stopped: ActionResult) -> ActionResult | None:
        """The new result once the clerk decided about the address; None when they cancelled."""
        decision = self._ask_address(check)
        if decision is None:  # the shipment stays in needs attention, saying why
            self.notice.show_error(stopped.message)
            return None
        self.notice.show_message(_("Creating the UPS label for {shipment}…").format(shipment=check.shipment))
        return await run_in_worker(self._decide_and_ship, decision, check.shipment)

    def _decide_and_ship(self, decision: AddressDecision, nbr: str) -> ActionResult:
        decision.apply(self.services, nbr)
        return self.services.ship(nbr)

    def _show_result(self, result: ActionResult) -> None:
        if result.ok:
            charge = _("UPS charge: {amount}.").format(amount=result.charge) if result.charge else ""
            self.notice.show_message(f"{result.message} {charge}".strip())
        else:  # a person must act: the detail pane shows the reason and the right fix
            self.notice.show_error(result.message)

    def _show_error(self, error: ShipdeskError, retry: Callable[[], None] | None) -> None:
        # Retry only where trying again can work (a network blip, a busy service), not for a refusal
        worth_retrying = isinstance(error, RemoteError) and error.retryable
        if isinstance(error, ServiceDown) and retry is not None:
            service, again = error.service, retry

            def retry_now() -> None:  # a person asked: this once, the service is tried whatever is known
                self.services.let_next_through(service)
                again()
            retry = retry_now
        self.notice.show_error(str(error), retry=retry if worth_retrying else None,
                               topic=SERVICE_TOPIC if worth_retrying else "")
