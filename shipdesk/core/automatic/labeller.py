"""Label every ready shipment with no hands: what the sync does each cycle and after each push.

The same door a clerk uses (``ShipFlow.ship``): the same checks, the same address policy (an ambiguous or
unknown address is never guessed: the shipment waits in Needs attention for a person), the exactly-once
label job (a run killed anywhere is continued or reconciled by the next one, never bought twice), print and
write-back. Only what the sync runs decides who labels: on a shared store, the station holding the sync's
lease. Labels go to ``[ship] automatic_printer`` at once, or only to the archive (``automatic_labels =
"archive"``) for a station to print when the box is scanned (:func:`print_when_scanned`).

Guards (``switch``): a stopped mode labels nothing; each label counts towards ``[ship] daily_cap``, and the
label that would pass it is not bought: the mode stops itself and says so (log, report, the app).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from shipdesk.core.automatic import switch
from shipdesk.core.context import AppContext
from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.domain.outcomes import Reason, ShipOutcome
from shipdesk.core.domain.states import LABEL_EXISTS, State
from shipdesk.core.events import ShipmentsChanged
from shipdesk.core.settings.config import AutomaticLabels
from shipdesk.core.shipping.flow import ShipFlow
from shipdesk.core.shipping.labelling import headless_printer
from shipdesk.core.store import audit_log, jobs, shipments
from shipdesk.core.tracking.outages import is_outage
from shipdesk.errors import PrintError, RemoteError, ShipdeskError
from shipdesk.i18n import _
from shipdesk.labels.decode import DecodedLabel
from shipdesk.labels.printers import PrinterProfile

log = logging.getLogger(__name__)

#: a new label was bought by this call (and not only finished or found)
BOUGHT = frozenset({Reason.LABELLED, Reason.PRINT_FAILED, Reason.LABEL_UNREADABLE, Reason.WRITEBACK_PENDING})


@dataclass
class AutomaticRun:
    labelled: list[str] = field(default_factory=list)
    attention: list[str] = field(default_factory=list)  # waiting for a person (address, data)
    failures: list[str] = field(default_factory=list)  # one sentence each
    stopped: str = ""  # the stop sentence, when the mode is (or just got) stopped and shipments wait


class AutoLabeller:
    def __init__(self, context: AppContext, *, today: Callable[[], date] | None = None,
                 flow: ShipFlow | None = None) -> None:
        """``today``: the day the cap counts (by default the context clock's date in local time)."""
        self.context = context
        self.today = today or (lambda: context.now().astimezone().date())
        self.flow = flow or ShipFlow(context, printer=self._print)

    @property
    def enabled(self) -> bool:
        return self.context.config.ship.automatic

    def candidates(self) -> list[str]:
        """Ready shipments of the chosen Ship Vias (every mapped one when none is chosen); no return labels."""
        config = self.context.config
        ship_vias = set(config.ship.automatic_ship_vias or config.ups.services)
        rows = shipments.list_shipments([State.READY]).rows
        return sorted(r.shipment_nbr for r in rows if not r.return_of and r.ship_via in ship_vias)

    def run(self, stop: threading.Event | None = None, *, only: Sequence[str] | None = None) -> AutomaticRun:
        """Label the candidates (those of ``only`` when given) one by one until done, stopped or capped."""
        run = AutomaticRun()
        if not self.enabled:
            return run
        if self.context.config.ups.address_validation == "never":
            run.failures.append(_("Automatic labelling needs UPS address validation: set [ups] address_validation "
                                  "to \"ask\" or \"always\" (an address is never guessed without a person)."))
            return run
        waiting = self.candidates()
        if only is not None:
            waiting = [n for n in waiting if n in set(only)]
        if not waiting:
            return run
        note = switch.stopped()
        if note is not None:
            run.stopped = note.sentence
            return run
        print_labels = self.context.config.ship.automatic_labels == AutomaticLabels.PRINT
        with self.flow.session():
            for nbr in waiting:
                if stop is not None and stop.is_set():
                    break
                if not self._within_cap(run):
                    break
                if not self._label(nbr, print_labels, run):
                    break
        return run

    # -- inside -------------------------------------------------------------------------------------
    def _within_cap(self, run: AutomaticRun) -> bool:
        cap = self.context.config.ship.daily_cap
        if switch.labels_on(self.today()) < cap:
            return True
        # stored in the store and read back later: the reason is kept in the language of the station that stopped
        note = switch.stop(_("{count} automatic labels today reached [ship] daily_cap. Check the released shipments "
                             "in Acumatica, then start it again (`shipdesk auto start`, or the app).").format(
                                 count=cap),
                           now=self.context.now(), by=_("the daily cap"))
        log.warning("%s", note.sentence)
        run.stopped = note.sentence
        self.context.events.publish(ShipmentsChanged(()))
        return False

    def _label(self, nbr: str, print_labels: bool, run: AutomaticRun) -> bool:
        """One shipment; False when the run must end (a service is down: the next cycle tries again)."""
        before = jobs.latest_job(nbr)
        had_label = before is not None and before.state in LABEL_EXISTS
        try:
            outcome = self.flow.ship(nbr, print_labels=print_labels)
        except RemoteError as exc:
            run.failures.append(_("Automatic labelling of {shipment} stopped: {reason}").format(
                shipment=nbr, reason=exc))
            return not is_outage(exc)
        except ShipdeskError as exc:
            run.failures.append(_("Automatic labelling of {shipment}: {reason}").format(shipment=nbr, reason=exc))
            return True
        if outcome.reason in BOUGHT and not had_label and outcome.tracking_numbers:
            switch.count_label(self.today())
            audit_log.record(AuditAction.AUTOMATIC_LABEL, shipment_nbr=nbr, job_id=outcome.job_id,
                             detail=", ".join(outcome.tracking_numbers))
            run.labelled.append(nbr)
        elif outcome.state == State.NEEDS_ATTENTION:
            run.attention.append(nbr)
        elif not outcome.ok:
            run.failures.append(outcome.message)
        return True

    def _print(self, profile: PrinterProfile, labels: Sequence[DecodedLabel], job_name: str) -> None:
        """Automatic labels go to ``[ship] automatic_printer`` (the default profile when empty)."""
        name = self.context.config.ship.automatic_printer
        chosen = self.context.printer(name) if name else profile
        if chosen is None:
            raise PrintError(_("The automatic printer {name!r} is not one of the printer profiles.").format(name=name),
                             hint=_("Set [ship] automatic_printer to a [[printing.profiles]] name, or leave it empty."))
        headless_printer(chosen, labels, job_name)


def print_when_scanned(flow: ShipFlow, nbr: str) -> ShipOutcome | None:
    """A scanned shipment that is already labelled and whose labels were never printed (automatic mode's
    archive): print them now. None when there is nothing to print (not labelled, or printed before)."""
    job = jobs.latest_job(nbr)
    if job is None or job.state not in LABEL_EXISTS or job.printed_at is not None or job.voided_at is not None:
        return None
    return flow.reprint(nbr)
