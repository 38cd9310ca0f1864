"""The ship flow: a released Acumatica shipment becomes a UPS label, printed and written back. Exactly once.

    pull → check → validate address → label (UPS Ship) → print → write back (→ confirm)

Exactly once, because UPS Ship has no idempotency key:
- the label job (its id is also the UPS ``transId``) and the request are COMMITTED as ``requesting``
  before the Ship call, and the call runs under a per-job OS lock (``job_lock``);
- UPS's answer (tracking numbers, shipment id, charges, label files in the archive) is committed in
  one transaction (``labelled``) before printing or writing back;
- a job found ``requesting`` with its lock free (the worker died) or whose answer was lost
  (``OutcomeUnknown``) is ``uncertain``: it is reconciled through UPS reference tracking, and a new
  label is bought only on an explicit user decision (``force_new_label``);
- Ship is never called while a job of the shipment has, or may have, a label.
Write-back failures leave the job ``labelled`` with the reason; ``retry_writebacks`` finishes it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator, Sequence

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.models import Shipment
from shipdesk.core import address_check, audit, reconcile, test_hooks
from shipdesk.core.context import AppContext
from shipdesk.core.job_lock import JobLock, in_flight
from shipdesk.core.labelling import LabelPrinter, Labels
from shipdesk.core.mapping import map_shipment, settings_from_config
from shipdesk.core.outcomes import Progress, ProgressEvent, PullResult, ShipOutcome
from shipdesk.core.pull import pull_shipments
from shipdesk.core.readiness import settle, shipment_problems
from shipdesk.core.states import State
from shipdesk.core.store import repository
from shipdesk.core.store.models import LabelJob
from shipdesk.core.voiding import void_label
from shipdesk.core.writeback import RECONFIRM_KEY, write_back
from shipdesk.errors import (
    ApiRefused,
    AuthenticationFailed,
    ConnectionFailed,
    OutcomeUnknown,
    RateLimited,
    ServerError,
    ShipdeskError,
    ShipmentDataError,
)
from shipdesk.ups import wire
from shipdesk.ups.models import AddressValidation, RateQuote, ShipmentSpec, UpsAddress

log = logging.getLogger(__name__)

Step = Callable[[str], None]
DONE_STATES = frozenset({State.WRITTEN_BACK, State.IN_TRANSIT, State.DELIVERED, State.EXCEPTION})


def _quiet(_step: str) -> None:
    pass


class _Stop(Exception):
    """Internal: the shipment cannot go further now; carries the outcome to return."""

    def __init__(self, outcome: ShipOutcome) -> None:
        self.outcome = outcome
        super().__init__(outcome.message)


class ShipFlow:
    def __init__(self, context: AppContext, *, correct_confirmed: bool = False,
                 printer: LabelPrinter | None = None) -> None:
        """``correct_confirmed`` (admin setting): a Confirmed shipment without tracking is corrected in
        Acumatica, labelled, written back and confirmed again. ``printer`` replaces the headless printer
        (the desktop app passes its Qt printer)."""
        self.context = context
        self.config = context.config
        self.correct_confirmed = correct_confirmed
        self.labels = Labels(context, printer)
        self._local = threading.local()

    # -- Acumatica session: one per command / worker thread ---------------------------------------
    @contextlib.contextmanager
    def session(self) -> Iterator[AcumaticaClient]:
        """Reuse the thread's open client, or open one signed out at the end (also on Ctrl+C)."""
        current = getattr(self._local, "acu", None)
        if current is not None:
            yield current
            return
        with self.context.acumatica() as acu:
            self._local.acu = acu
            try:
                yield acu
            finally:
                self._local.acu = None

    # -- pull ------------------------------------------------------------------------------------
    def pull(self) -> PullResult:
        """Refresh the local list from Acumatica (see ``core.pull``)."""
        with self.session() as acu:
            return pull_shipments(acu, self.config, correct_confirmed=self.correct_confirmed)

    def _problems(self, shipment: Shipment) -> list[str]:
        return shipment_problems(shipment, self.config, correct_confirmed=self.correct_confirmed)

    # -- address and rates -----------------------------------------------------------------------
    def validate_address(self, nbr: str) -> AddressValidation:
        with self.session() as acu:
            shipment = acu.get_shipment(nbr)
        repository.upsert_shipment(shipment)
        return address_check.validate(self._validate_call, shipment)

    def choose_candidate(self, nbr: str, index: int) -> None:
        with self.session() as acu:
            shipment = acu.get_shipment(nbr)
        address_check.choose(shipment, index)

    def override_address(self, nbr: str, reason: str) -> None:
        with self.session() as acu:
            shipment = acu.get_shipment(nbr)
        repository.upsert_shipment(shipment)
        address_check.override(shipment, reason)

    def rate(self, nbr: str, shop: bool = False) -> list[RateQuote]:
        with self.session() as acu:
            shipment = acu.get_shipment(nbr)
        problems = self._problems(shipment)
        if problems:
            raise ShipdeskError(" ".join(problems))
        remembered = address_check.remembered(shipment) or {}  # UPS's classification, when validated
        decision = address_check.AddressDecision(residential=remembered.get("residential"))
        quotes = self.context.ups.rate(self._spec(shipment, decision)[0], shop=shop)
        audit.record("rate", shipment_nbr=nbr, detail=f"{len(quotes)} quote(s){' (shop)' if shop else ''}")
        return quotes

    def _validate_call(self, address: UpsAddress, name: str) -> AddressValidation:
        return self.context.ups.validate_address(address, name=name)

    def _spec(self, shipment: Shipment, decision: address_check.AddressDecision) -> tuple[ShipmentSpec, list[str]]:
        settings = settings_from_config(self.config, label_format=self.context.label_format())
        mapped = map_shipment(shipment, settings, residential=decision.residential,
                              ship_to_address=decision.address)
        return mapped.spec, list(mapped.warnings)

    # -- ship ------------------------------------------------------------------------------------
    def ship(self, nbr: str, *, print_labels: bool = True, accept_ambiguous: bool = False,
             force_new_label: bool = False, progress: Progress | None = None) -> ShipOutcome:
        """Label one shipment (or finish what an earlier run started). Problems come back as the outcome;
        only errors that stop everything (configuration, Acumatica or UPS unreachable) are raised."""
        def step(name: str) -> None:
            if progress is not None:
                progress(ProgressEvent(nbr, name))

        with self.session() as acu:
            try:
                job = self._job_to_finish(nbr, force_new_label=force_new_label)
                warnings: list[str] = []
                if job is None:
                    job, warnings = self._new_label(acu, nbr, accept_ambiguous=accept_ambiguous, step=step)
                return self._finish(acu, job, print_labels=print_labels, step=step, warnings=warnings)
            except _Stop as stop:
                return stop.outcome

    def ship_many(self, nbrs: Sequence[str], cancel: threading.Event | None = None,
                  progress: Progress | None = None, *, print_labels: bool = True,
                  accept_ambiguous: bool = False, force_new_label: bool = False) -> list[ShipOutcome]:
        """Ship each in turn; one failure never stops the others; ``cancel`` is honoured between shipments."""
        outcomes: list[ShipOutcome] = []
        with self.session():
            for done, nbr in enumerate(nbrs):
                if cancel is not None and cancel.is_set():
                    break
                if progress is not None:
                    progress(ProgressEvent(nbr, "starting", done, len(nbrs)))
                try:
                    outcome = self.ship(nbr, print_labels=print_labels, accept_ambiguous=accept_ambiguous,
                                        force_new_label=force_new_label)
                except ShipdeskError as exc:
                    log.info("shipment %s failed: %s", nbr, exc)
                    record = repository.get_shipment(nbr)
                    state = State(record.state) if record else State.PENDING
                    outcome = ShipOutcome(nbr, False, state, str(exc))
                outcomes.append(outcome)
                if progress is not None:
                    progress(ProgressEvent(nbr, "done", done + 1, len(nbrs)))
        return outcomes

    def ready_shipments(self) -> list[str]:
        """Shipment numbers the local list shows as ready (``ship --all-ready``)."""
        rows = repository.list_shipments([State.READY]).rows
        return sorted(row.shipment_nbr for row in rows)

    def _job_to_finish(self, nbr: str, *, force_new_label: bool) -> LabelJob | None:
        """The job an earlier run left behind (None: a new label may be bought)."""
        job = repository.latest_job(nbr)
        if job is None:
            return None
        state = State(job.state)
        if state == State.REQUESTING:
            if in_flight(self.context.paths.root / "locks", job.job_id):
                raise _Stop(ShipOutcome(nbr, False, state, f"Shipment {nbr} is being labelled right now by "
                                        "another shipdesk window or command.", job_id=job.job_id))
            self._mark_uncertain(job, "shipdesk stopped while waiting for UPS's answer")
            state = State.UNCERTAIN
        if state == State.UNCERTAIN:
            if self._reconcile(job):
                return repository.require_job(job.job_id)
            if not force_new_label:
                raise _Stop(self._uncertain_outcome(job))
            self._supersede(job)
            return None
        if state == State.LABELLED or state in DONE_STATES:
            return job
        return None

    def _new_label(self, acu: AcumaticaClient, nbr: str, *, accept_ambiguous: bool,
                   step: Step) -> tuple[LabelJob, list[str]]:
        """Check, validate, map and buy the label; returns the labelled job and the mapping's warnings."""
        step("checking")
        shipment = acu.get_shipment(nbr)
        repository.upsert_shipment(shipment)
        if shipment.status == "Confirmed" and self.correct_confirmed and not shipment.tracking_numbers:
            shipment = self._correct(acu, shipment)
        problems = self._problems(shipment)
        if problems:
            settle(nbr, State.NEEDS_ATTENTION, " ".join(problems))
            raise _Stop(ShipOutcome(nbr, False, State.NEEDS_ATTENTION, " ".join(problems),
                                    problems=tuple(problems)))
        step("validating")
        try:
            decision = address_check.decide(self._validate_call, shipment, self.config.ups.address_validation,
                                            accept_ambiguous=accept_ambiguous)
        except address_check.AddressNeedsAttention as exc:
            settle(nbr, State.NEEDS_ATTENTION, str(exc))
            raise _Stop(ShipOutcome(nbr, False, State.NEEDS_ATTENTION, str(exc), problems=(str(exc),))) from exc
        spec, warnings = self._spec(shipment, decision)
        try:
            request = wire.ship_request(spec)
        except ShipmentDataError as exc:  # UPS's own rules, checked before anything is sent
            settle(nbr, State.NEEDS_ATTENTION, str(exc))
            raise _Stop(ShipOutcome(nbr, False, State.NEEDS_ATTENTION, str(exc), problems=tuple(exc.reasons))) from exc
        settle(nbr, State.READY)
        step("labelling")
        job_id = repository.start_label_job(nbr, request, label_format=spec.label_format)
        audit.record("label_requested", shipment_nbr=nbr, job_id=job_id, detail="; ".join(warnings))
        self._call_ship(nbr, job_id, spec)
        return repository.require_job(job_id), warnings

    def _call_ship(self, nbr: str, job_id: str, spec: ShipmentSpec) -> None:
        lock = JobLock(self.context.paths.root / "locks", job_id)
        lock.acquire()  # a fresh job id: nobody else can hold it
        try:
            test_hooks.pause_at("before_ship")
            try:
                result = self.context.ups.ship(spec, trans_id=job_id)
            except (OutcomeUnknown, ServerError) as exc:
                job = repository.require_job(job_id)
                self._mark_uncertain(job, str(exc))
                if self._reconcile(job):
                    return
                raise _Stop(self._uncertain_outcome(repository.require_job(job_id))) from exc
            except (ApiRefused, ConnectionFailed, RateLimited, AuthenticationFailed) as exc:
                # UPS answered with a refusal, or the request never arrived: no label was made
                repository.mark_job(job_id, State.FAILED, error=str(exc))
                audit.record("label_refused", shipment_nbr=nbr, job_id=job_id, detail=str(exc))
                raise _Stop(ShipOutcome(nbr, False, State.FAILED, str(exc), job_id=job_id)) from exc
            paths = self.labels.archive_result(nbr, result)
            repository.record_label(job_id, result, label_paths=paths)
        finally:
            lock.release()
        audit.record("labelled", shipment_nbr=nbr, job_id=job_id, detail=", ".join(result.tracking_numbers))
        test_hooks.pause_at("after_label")

    def _finish(self, acu: AcumaticaClient, job: LabelJob, *, print_labels: bool,
                step: Step | None = None, warnings: Sequence[str] = ()) -> ShipOutcome:
        """Print (once) and write back a labelled job; a done job is reported as it is."""
        notify = step or _quiet
        nbr = job.shipment.shipment_nbr
        numbers = tuple(repository.job_tracking_numbers(job))
        if State(job.state) in DONE_STATES:
            return ShipOutcome(nbr, True, State(job.state), f"Shipment {nbr} is already labelled.",
                               tracking_numbers=numbers, job_id=job.job_id, written_back=True,
                               printed=job.printed_at is not None)
        notes = list(warnings)
        printed = job.printed_at is not None
        if print_labels and not printed:
            notify("printing")
            try:
                self.labels.print_job(job)
                printed = True
            except ShipdeskError as exc:
                notes.append(f"The label was made but not printed: {exc}")
        notify("writing_back")
        try:
            result = write_back(acu, job, config=self.config, labels=self.labels.file_for,
                                correct_confirmed=self.correct_confirmed)
        except ShipdeskError as exc:
            reason = f"Labelled, but the tracking numbers are not in Acumatica yet: {exc}"
            repository.note_job_error(job.job_id, reason)
            repository.set_state(nbr, State.LABELLED, reason=reason)
            audit.record("writeback_failed", shipment_nbr=nbr, job_id=job.job_id, detail=str(exc))
            return ShipOutcome(nbr, False, State.LABELLED, reason, tracking_numbers=numbers,
                               warnings=tuple(notes), job_id=job.job_id, printed=printed)
        notes.extend(result.warnings)
        notify("done")
        return ShipOutcome(nbr, True, State.WRITTEN_BACK, f"Shipment {nbr} labelled: {', '.join(numbers)}.",
                           tracking_numbers=numbers, warnings=tuple(notes), job_id=job.job_id,
                           printed=printed, written_back=True)

    def _correct(self, acu: AcumaticaClient, shipment: Shipment) -> Shipment:
        nbr = shipment.shipment_nbr
        acu.correct_shipment(nbr)
        repository.set_value(RECONFIRM_KEY + nbr, "1")
        audit.record("corrected", shipment_nbr=nbr, detail="Confirmed without tracking: corrected to label it")
        shipment = acu.get_shipment(nbr)
        repository.upsert_shipment(shipment)
        return shipment

    # -- uncertain jobs ----------------------------------------------------------------------------
    def _mark_uncertain(self, job: LabelJob, why: str) -> None:
        repository.mark_job(job.job_id, State.UNCERTAIN, error=why)
        audit.record("uncertain", shipment_nbr=job.shipment.shipment_nbr, job_id=job.job_id, detail=why)

    def _reconcile(self, job: LabelJob) -> bool:
        """Look the job up at UPS by reference; True when its label was found and adopted."""
        nbr = job.shipment.shipment_nbr
        others = reconcile.known_tracking_numbers(nbr)
        found = reconcile.labels_by_reference(self.context.ups, nbr, since=job.created_at.date(), exclude=others)
        if not found:
            audit.record("reconciled_not_found", shipment_nbr=nbr, job_id=job.job_id)
            return False
        reconcile.adopt(self.context.ups, self.context.archive, repository.require_job(job.job_id), found)
        return True

    def _uncertain_outcome(self, job: LabelJob) -> ShipOutcome:
        nbr = job.shipment.shipment_nbr
        message = (f"UPS may or may not have made a label for shipment {nbr} (the answer was lost), and UPS "
                   "does not list one under its reference yet. Wait a few minutes and try again; ship a new "
                   f"label only if you are sure there is none (`shipdesk ship {nbr} --force-new-label`): a "
                   "duplicate found later is voided automatically.")
        repository.set_state(nbr, State.UNCERTAIN, reason=message)
        return ShipOutcome(nbr, False, State.UNCERTAIN, message, job_id=job.job_id)

    def _supersede(self, job: LabelJob) -> None:
        nbr = job.shipment.shipment_nbr
        repository.mark_job(job.job_id, State.FAILED, error="replaced by a new label on the user's decision")
        reconcile.watch_superseded(job)
        audit.record("force_new_label", shipment_nbr=nbr, job_id=job.job_id,
                     detail="user chose to buy a new label for an uncertain one")

    def reconcile_uncertain(self) -> list[ShipOutcome]:
        """At start-up and from the sync: settle jobs a dead worker left, void late duplicates."""
        outcomes = []
        for job in repository.jobs_in(State.REQUESTING):
            if not in_flight(self.context.paths.root / "locks", job.job_id):
                self._mark_uncertain(job, "shipdesk stopped while waiting for UPS's answer")
        for job in repository.jobs_in(State.UNCERTAIN):
            nbr = job.shipment.shipment_nbr
            if self._reconcile(job):
                with self.session() as acu:
                    outcomes.append(self._finish(acu, repository.require_job(job.job_id), print_labels=False))
            else:
                outcomes.append(self._uncertain_outcome(job))
                log.info("label job for %s still uncertain", nbr)
        reconcile.void_late_duplicates(self.context.ups)
        return outcomes

    def retry_writebacks(self) -> list[ShipOutcome]:
        """Finish every job that is labelled but not yet written back (the sync calls this)."""
        jobs = repository.jobs_in(State.LABELLED)
        if not jobs:
            return []
        with self.session() as acu:
            return [self._finish(acu, job, print_labels=False) for job in jobs]

    # -- after the label -------------------------------------------------------------------------
    def reprint(self, nbr: str) -> ShipOutcome:
        """Print the labels again from the archive (UPS Label Recovery only for a missing file)."""
        job = self._labelled_job(nbr)
        self.labels.print_job(job)
        audit.record("reprint", shipment_nbr=nbr, job_id=job.job_id)
        return ShipOutcome(nbr, True, State(job.state), f"Labels of shipment {nbr} sent to the printer.",
                           tracking_numbers=tuple(repository.job_tracking_numbers(job)), job_id=job.job_id,
                           printed=True)

    def void(self, nbr: str) -> ShipOutcome:
        """Void at UPS first; only when UPS confirms, clear the tracking numbers in Acumatica."""
        return void_label(self.context.ups, self.session, nbr)

    def _labelled_job(self, nbr: str) -> LabelJob:
        job = repository.latest_job(nbr)
        if job is None or State(job.state) not in (State.LABELLED, *DONE_STATES):
            raise ShipdeskError(f"Shipment {nbr} has no label to print.", hint="Ship it first.")
        return job
