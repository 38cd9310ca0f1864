"""The ship flow: a released Acumatica shipment becomes a UPS label, printed and written back. Exactly once.

    pull → check → validate address → label (UPS Ship) → print → write back (→ confirm)

``ShipFlow`` is the one door the command line, the desktop app and the sync use; each step is a module of
its own, sharing the ``FlowParts`` the flow builds:
- ``pull``: the local list from Acumatica; ``readiness`` / ``checks`` / ``address_check``: can it ship;
- ``label_request``: a fresh read, checked, mapped to UPS's request (problems → *needs attention*);
- ``label_job``: the job committed, flipped under its lock, UPS called, the answer committed;
- ``after_label``: printed once and written back under the job lock (retried by the sync);
- ``earlier_run`` / ``reconcile``: what an earlier run left (prepared, requesting, uncertain jobs);
- ``reprint``, ``voiding``.
Exactly once, because UPS Ship has no idempotency key: see ``label_job`` and ``reconcile``; across
stations too, through the shared store's one live job per shipment and its job locks (``job_lock``), or,
without one, a claim on the Acumatica shipment and a write-back that never replaces another station's
tracking number (``claims``, ``writeback``). Every outcome carries a ``Reason``; every operation that
changes shipments tells ``context.events`` once.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.models import Shipment
from shipdesk.core.context import AppContext
from shipdesk.core.domain.outcomes import Progress, ProgressEvent, PullResult, Reason, ShipOutcome
from shipdesk.core.domain.states import State
from shipdesk.core.events import ShipmentsChanged
from shipdesk.core.shipping import address_check, after_label
from shipdesk.core.shipping.breaker import ServiceBreakers
from shipdesk.core.shipping.checkpoints import Checkpoint
from shipdesk.core.shipping.claims import Claims, NoClaims, NoteClaims
from shipdesk.core.shipping.earlier_run import job_to_finish, settle_uncertain
from shipdesk.core.shipping.job_lock import job_locks_for
from shipdesk.core.shipping.label_job import buy_label
from shipdesk.core.shipping.label_request import label_request, rate_quotes, validate_call
from shipdesk.core.shipping.labelling import LabelPrinter, Labels
from shipdesk.core.shipping.packing import PackageEdit, StationChoice, edit_packages, record_service_change
from shipdesk.core.shipping.parts import FlowParts, Notify, quiet
from shipdesk.core.shipping.pull import pull_named_shipments, pull_shipments
from shipdesk.core.shipping.pulled_data import ship_from_pulled_data
from shipdesk.core.shipping.readiness import needs_attention, settle, shipment_problems
from shipdesk.core.shipping.reprint import reprint
from shipdesk.core.shipping.returns import ReturnOptions, create_return
from shipdesk.core.shipping.voiding import void_label
from shipdesk.core.store import returns as store_returns
from shipdesk.core.store import shipments, transaction
from shipdesk.core.store.label_reads import LabelRead, read_for_labels
from shipdesk.errors import RemoteError, Service, ShipdeskError
from shipdesk.i18n import _
from shipdesk.ups.models import AddressValidation, RateQuote

log = logging.getLogger(__name__)

ACUMATICA, UPS = Service.ACUMATICA, Service.UPS

#: a batch reads its shipments from the store this many at a time, ahead of labelling them (``label_reads``)
READ_AHEAD = 25


class ShipFlow:
    def __init__(self, context: AppContext, *, correct_confirmed: bool | None = None,
                 printer: LabelPrinter | None = None, checkpoint: Checkpoint | None = None,
                 keep_session: float | None = None, breakers: ServiceBreakers | None = None) -> None:
        """``correct_confirmed``: a Confirmed shipment without tracking is corrected in Acumatica,
        labelled, written back and confirmed again; None follows the admin's ``[acumatica]
        correct_confirmed`` setting. ``printer`` replaces the headless printer (the desktop app passes
        its Qt printer). ``checkpoint``: told each named step (tests); by default the context's.
        ``keep_session``: seconds; one Acumatica session for every use (and thread), signed out after that
        long unused (the desktop app); None: a session per use (a command). :meth:`close` signs it out.
        ``breakers``: fail at once while a service is known to be down (the desktop app; see ``breaker``)."""
        self.context = context
        self.breakers = breakers
        self.config = context.config
        self.correct_confirmed = (self.config.acumatica.correct_confirmed if correct_confirmed is None
                                  else correct_confirmed)
        self.labels = Labels(context, printer)
        self.locks = job_locks_for(context.store)
        # the shared store holds the claim on a shipment; without one, the Acumatica shipment's note does
        self.claims: Claims = (NoClaims() if context.store.shared or not self.config.station.claim
                               else NoteClaims(context.station, context.now))
        self.parts = FlowParts(context, self.correct_confirmed, self.labels, self.locks,
                               checkpoint or context.checkpoint, self.claims, keep_session=keep_session)

    def session(self) -> AbstractContextManager[AcumaticaClient]:
        """The thread's Acumatica session: reused by every step, signed out at the end (also on Ctrl+C), or,
        kept, after an idle time."""
        return self.parts.session()

    def close(self) -> None:
        """Sign out a kept Acumatica session now."""
        self.parts.close()

    # -- the local list --------------------------------------------------------------------------
    def pull(self) -> PullResult:
        """Refresh the local list from Acumatica (see ``core.shipping.pull``)."""
        self._check(ACUMATICA)
        with self.session() as acu:
            result = pull_shipments(acu, self.config, correct_confirmed=self.correct_confirmed)
        self._changed(result.shipment_nbrs)
        return result

    def pull_named(self, numbers: Sequence[str]) -> PullResult:
        """Read and store the named shipments now (a push notification named them; see ``pull``)."""
        with self.session() as acu:
            result = pull_named_shipments(acu, self.config, numbers, correct_confirmed=self.correct_confirmed)
        self._changed(result.shipment_nbrs)
        return result

    def ready_shipments(self) -> list[str]:
        """Shipment numbers the list shows as ready (``ship --all-ready``), never a return label, in number order.
        On a shared store each station goes through them in an order of its own (shuffled, seeded by its name),
        so stations shipping every ready shipment at once rarely reach the same one together: the one that
        loses would have read it from Acumatica and checked its address for nothing, and in one common order
        the stations would keep meeting."""
        ready = sorted(row.shipment_nbr for row in shipments.list_shipments([State.READY]).rows if not row.return_of)
        if self.context.store.shared:
            random.Random(self.context.station).shuffle(ready)
        return ready

    # -- address and rates -----------------------------------------------------------------------
    def validate_address(self, nbr: str) -> AddressValidation:
        self._check(ACUMATICA, UPS)
        shipment = self._read(nbr, store=True)
        try:
            return address_check.validate(validate_call(self.parts), shipment)
        finally:
            self._changed((nbr,))

    def choose_candidate(self, nbr: str, index: int) -> None:
        shipment = self._read(nbr)
        address_check.choose(shipment, index)
        self._after_address_decision(shipment)
        self._changed((nbr,))

    def override_address(self, nbr: str, reason: str) -> None:
        shipment = self._read(nbr, store=True)
        address_check.override(shipment, reason)
        self._after_address_decision(shipment)
        self._changed((nbr,))

    def rate(self, nbr: str, shop: bool = False) -> list[RateQuote]:
        self._check(ACUMATICA, UPS)
        return rate_quotes(self.parts, self._read(nbr), shop=shop)

    # -- the packing station ------------------------------------------------------------------------
    def edit_packages(self, nbr: str, edits: Sequence[PackageEdit]) -> Shipment:
        """Boxes, weights and sizes as the clerk packed them, written to the Acumatica shipment and read back
        (before the label: see ``packing``)."""
        try:
            with self.session() as acu:
                return edit_packages(acu, self.config, nbr, edits)
        finally:
            self._changed((nbr,))

    # -- labels ----------------------------------------------------------------------------------
    def ship(self, nbr: str, *, print_labels: bool = True, accept_ambiguous: bool = False,
             force_new_label: bool = False, progress: Progress | None = None,
             choice: StationChoice | None = None) -> ShipOutcome:
        """Label one shipment (or finish what an earlier run started). Problems come back as the outcome;
        only errors that stop everything (configuration, Acumatica or UPS unreachable) are raised.
        ``choice``: the clerk's service (with a reason) and options for a new label (see ``packing``)."""
        if choice is not None:
            choice.check()
        try:
            return self._ship(nbr, print_labels=print_labels, accept_ambiguous=accept_ambiguous,
                              force_new_label=force_new_label, step=_notifier(nbr, progress), choice=choice)
        finally:
            self._changed((nbr,))

    def ship_many(self, nbrs: Sequence[str], cancel: threading.Event | None = None,
                  progress: Progress | None = None, *, print_labels: bool = True,
                  accept_ambiguous: bool = False, force_new_label: bool = False) -> list[ShipOutcome]:
        """Ship each in turn; one failure never stops the others; ``cancel`` is honoured between shipments."""
        outcomes: list[ShipOutcome] = []
        tried: list[str] = []
        try:
            # each label's written-back state rides with the next label's first commit (``group_commit``)
            with self.session(), self.parts.group.batch():
                ahead: dict[str, LabelRead] = {}
                for done, nbr in enumerate(nbrs):
                    if cancel is not None and cancel.is_set():
                        break
                    if progress is not None:
                        progress(ProgressEvent(nbr, "starting", done, len(nbrs)))
                    tried.append(nbr)
                    if done % READ_AHEAD == 0:  # the next shipments' rows in one query (never older than that)
                        ahead = self._read_ahead(nbrs[done:done + READ_AHEAD])
                    outcomes.append(self._ship_one_of_many(nbr, print_labels=print_labels,
                                                           accept_ambiguous=accept_ambiguous,
                                                           force_new_label=force_new_label, read=ahead.pop(nbr, None)))
                    if progress is not None:
                        progress(ProgressEvent(nbr, "done", done + 1, len(nbrs)))
        finally:
            self._changed(tried)
        return outcomes

    def return_label(self, nbr: str, options: ReturnOptions) -> ShipOutcome:
        """A return label (print or electronic) for shipped shipment ``nbr`` (see ``core.shipping.returns``)."""
        try:
            return create_return(self.parts, nbr, options)
        finally:
            self._changed((nbr, *(r.shipment_nbr for r in store_returns.returns_of(nbr))))

    def reprint(self, nbr: str) -> ShipOutcome:
        """Print the labels again from the archive (UPS Label Recovery for a missing or unusable one)."""
        return reprint(self.parts, nbr)

    def void(self, nbr: str) -> ShipOutcome:
        """Void at UPS first; only when UPS confirms, clear the tracking numbers in Acumatica."""
        self._check(UPS, ACUMATICA)
        try:
            return void_label(self.context.ups, self.session, nbr)
        finally:
            self._changed((nbr,))

    # -- what earlier runs left (the sync calls these) ---------------------------------------------
    def reconcile_uncertain(self) -> list[ShipOutcome]:
        """At start-up and from the sync: settle jobs a dead worker left, void late duplicates."""
        outcomes = settle_uncertain(self.parts)
        self._changed(o.shipment_nbr for o in outcomes)
        return outcomes

    def retry_writebacks(self, *, on_outage: Callable[[RemoteError], None] | None = None) -> list[ShipOutcome]:
        """Finish every job that is labelled but not yet written back (see ``after_label.retry_writebacks``)."""
        outcomes = after_label.retry_writebacks(self.parts, on_outage=on_outage)
        self._changed(o.shipment_nbr for o in outcomes)
        return outcomes

    # -- inside ------------------------------------------------------------------------------------
    def _ship(self, nbr: str, *, print_labels: bool, accept_ambiguous: bool, force_new_label: bool,
              step: Notify, choice: StationChoice | None = None, read: LabelRead | None = None) -> ShipOutcome:
        """``read``: the shipment's rows as a batch read them ahead (None: read them now)."""
        # the admin can turn automatic printing off ([printing] print_after_label); Reprint still prints
        print_labels = print_labels and self.config.printing.print_after_label
        self._check(UPS)
        down = self.breakers.down(ACUMATICA) if self.breakers is not None else None
        if down is not None and self.config.acumatica.label_when_down and not force_new_label:
            return ship_from_pulled_data(self.parts, nbr, print_labels=print_labels, step=step, down_since=down.since)
        self._check(ACUMATICA)
        with self.session() as acu:
            if read is None:  # the row, its packages and its job: one query (``label_reads``)
                read = read_for_labels([nbr]).get(nbr)
            earlier = job_to_finish(self.parts, nbr, force_new_label=force_new_label, read=read)
            if isinstance(earlier, ShipOutcome):
                return earlier
            if earlier is not None and earlier.state != State.READY:
                # a label made at another station is on that station's box: it is not printed here
                elsewhere = bool(earlier.station) and earlier.station != self.context.station
                return after_label.finish(self.parts, acu, earlier, print_labels=print_labels and not elsewhere,
                                          step=step)
            stored = read.record if read is not None else None  # the checks below reuse it
            if stored is not None and stored.return_of:  # not an Acumatica shipment: `return` makes its label
                said = _("{shipment} is a return label: make another with `shipdesk return` (Shipment › Return "
                         "label…) on the shipment it returns.").format(shipment=nbr)
                return ShipOutcome(nbr, False, stored.state, said, reason=Reason.ERROR)
            request = label_request(self.parts, acu, nbr, accept_ambiguous=accept_ambiguous, step=step,
                                    choice=choice, read=read)
            self._answered(ACUMATICA)
            if isinstance(request, ShipOutcome):
                return request
            step("labelling")
            new = buy_label(self.parts, request, prepared=earlier.job_id if earlier is not None else None)
            if isinstance(new, ShipOutcome):
                if new.reason == Reason.REFUSED:
                    self._answered(UPS)
                return new
            self._answered(UPS)
            try:
                outcome = after_label.print_and_write_back(
                    self.parts, acu, new.job, print_labels=print_labels, step=step, warnings=request.warnings,
                    shipment=request.shipment, label_problem=new.label_problem, numbered=new.numbered)
            finally:  # once its written-back state is committed (in a batch it rides with the next label's)
                self.parts.group.when_committed(new.lock.release)
            if choice is not None and choice.service:
                outcome = record_service_change(self.config, acu, request.shipment, choice, outcome)
            return outcome

    def _read_ahead(self, nbrs: Sequence[str]) -> dict[str, LabelRead]:
        """The next shipments' rows for a batch; a store that will not answer now leaves each label to read its own."""
        try:
            return read_for_labels(nbrs)
        except transaction.DATABASE_ERRORS as exc:
            log.info("the batch's next shipments were not read ahead: %s", exc)
            return {}

    def _ship_one_of_many(self, nbr: str, *, print_labels: bool, accept_ambiguous: bool,
                          force_new_label: bool, read: LabelRead | None = None) -> ShipOutcome:
        """A failure that stops this shipment (a service down...) is its outcome: the others still ship."""
        try:
            return self._ship(nbr, print_labels=print_labels, accept_ambiguous=accept_ambiguous,
                              force_new_label=force_new_label, step=quiet, read=read)
        except ShipdeskError as exc:
            log.info("shipment %s failed: %s", nbr, exc)
            record = shipments.get_shipment(nbr)
            return ShipOutcome(nbr, False, record.state if record else State.PENDING, str(exc), reason=Reason.ERROR)
        except transaction.DATABASE_ERRORS as exc:  # e.g. "database is locked" past the busy timeout
            log.warning("shipment %s stopped: the store refused a write: %s", nbr, exc)
            try:
                record = shipments.get_shipment(nbr)
            except transaction.DATABASE_ERRORS:
                record = None
            return ShipOutcome(nbr, False, record.state if record else State.PENDING,
                               _("Shipment {shipment} stopped half-way: shipdesk could not save to its local "
                                 "database ({reason}). What was done is kept (a label UPS made is found again by the "
                                 "sync); try this shipment again in a moment.").format(shipment=nbr, reason=exc),
                               reason=Reason.ERROR)

    def _check(self, *services: Service) -> None:
        """Fail at once (``ServiceDown``) when one of ``services`` is known to be down (desktop app only)."""
        if self.breakers is not None:
            self.breakers.check(*services)

    def _answered(self, service: Service) -> None:
        if self.breakers is not None:
            self.breakers.answered(service)

    def _after_address_decision(self, shipment: Shipment) -> None:
        """A person chose an address or kept it: a shipment waiting for that decision is ready now (or still
        needs attention for what else is missing), so the next Ship takes it."""
        nbr = shipment.shipment_nbr
        if shipments.state_of(nbr) not in (State.NEEDS_ATTENTION, State.PENDING, State.VALIDATING, State.READY):
            return
        problems = shipment_problems(shipment, self.config, correct_confirmed=self.correct_confirmed)
        if problems:
            needs_attention(nbr, problems)
        else:
            settle(nbr, State.READY)

    def _read(self, nbr: str, *, store: bool = False) -> Shipment:
        """The shipment as Acumatica has it now (``store``: refresh the local copy too)."""
        with self.session() as acu:
            shipment = acu.get_shipment(nbr)
        if store:
            shipments.upsert_shipment(shipment)
        return shipment

    def _changed(self, nbrs: Iterable[str]) -> None:
        """Tell whoever listens (the desktop app's table) which shipments changed: once per operation."""
        changed = tuple(dict.fromkeys(nbrs))
        if changed:
            self.context.events.publish(ShipmentsChanged(changed))


def _notifier(nbr: str, progress: Progress | None) -> Notify:
    if progress is None:
        return quiet

    def step(name: str) -> None:
        progress(ProgressEvent(nbr, name))
    return step
