"""The ship flow: a released Acumatica shipment becomes a UPS label, printed and written back. Exactly once.

    pull → check → validate address → label (UPS Ship) → print → write back (→ confirm)

Exactly once, because UPS Ship has no idempotency key:
- the label job (its id is also the UPS ``transId``) and the request are COMMITTED as prepared
  (``ready``) first; then, under a per-job OS lock (``job_lock``), the job is flipped to ``requesting``
  in its own short transaction right before the Ship call. A run that stops between the two commits
  left nothing at UPS: the next run continues the prepared job under the same id, without asking;
- UPS's answer (tracking numbers, shipment id, charges, label files in the archive) is committed in
  one transaction (``labelled``) before printing or writing back;
- a job found ``requesting`` with its lock free (the worker died) or whose answer was lost
  (``OutcomeUnknown``) is ``uncertain``: it is reconciled through UPS reference tracking, and a new
  label is bought only on an explicit user decision (``force_new_label``);
- Ship is never called while a job of the shipment has, or may have, a label.
Write-back failures leave the job ``labelled`` with the reason; ``retry_writebacks`` finishes it. The
job lock stays held from the Ship call through printing and write-back, and every later print/write-back
takes it too, so the sync never writes back (or confirms) a label another worker is still finishing.
Label data UPS sent but that cannot be decoded never costs the tracking numbers: the job is labelled,
written back, the raw data archived, and Reprint fetches the label with UPS Label Recovery.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.models import Shipment
from shipdesk.core.context import AppContext
from shipdesk.core.domain import audit
from shipdesk.core.domain.outcomes import Progress, ProgressEvent, PullResult, ShipOutcome
from shipdesk.core.domain.states import State
from shipdesk.core.shipping import address_check, carrier_plugins, reconcile
from shipdesk.core.shipping import checkpoints as test_hooks
from shipdesk.core.shipping.job_lock import JobLock, in_flight
from shipdesk.core.shipping.labelling import ArchivedResult, LabelPrinter, Labels
from shipdesk.core.shipping.mapping import map_shipment, settings_from_config
from shipdesk.core.shipping.pull import pull_shipments
from shipdesk.core.shipping.readiness import settle, shipment_problems
from shipdesk.core.shipping.voiding import void_label
from shipdesk.core.shipping.writeback import RECONFIRM_KEY, label_filename, write_back
from shipdesk.core.store import repository
from shipdesk.core.store.models import LabelJob
from shipdesk.core.tracking.outages import is_outage
from shipdesk.errors import (
    AddressNeedsAttention,
    ApiRefused,
    AuthenticationFailed,
    ConnectionFailed,
    InvalidTransition,
    LabelAlreadyExists,
    OutcomeUnknown,
    RateLimited,
    RemoteError,
    ServerError,
    ShipdeskError,
    ShipmentDataError,
    StoreError,
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


class _Labelled(NamedTuple):
    """A label bought in this run, with what the write-back and the report need from the run."""

    job: LabelJob
    shipment: Shipment  # as read before labelling: reused by the write-back (package row ids)
    warnings: list[str]
    label_problem: str  # one sentence when UPS's label data cannot be used ("" when it can)
    lock: JobLock  # held from the Ship call until printed and written back: the caller releases it


class ShipFlow:
    def __init__(self, context: AppContext, *, correct_confirmed: bool | None = None,
                 printer: LabelPrinter | None = None) -> None:
        """``correct_confirmed``: a Confirmed shipment without tracking is corrected in Acumatica,
        labelled, written back and confirmed again; None follows the admin's ``[acumatica]
        correct_confirmed`` setting. ``printer`` replaces the headless printer (the desktop app passes
        its Qt printer)."""
        self.context = context
        self.config = context.config
        self.correct_confirmed = (self.config.acumatica.correct_confirmed if correct_confirmed is None
                                  else correct_confirmed)
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
        """Refresh the local list from Acumatica (see ``core.shipping.pull``)."""
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
        # the address the label would go to: the clerk's chosen candidate, UPS's classification
        decision = address_check.for_quote(shipment, self.config.ups.address_validation)
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

        # the admin can turn automatic printing off ([printing] print_after_label); Reprint still prints
        print_labels = print_labels and self.config.printing.print_after_label

        with self.session() as acu:
            try:
                earlier = self._job_to_finish(nbr, force_new_label=force_new_label)
                if earlier is not None and State(earlier.state) != State.READY:
                    return self._finish(acu, earlier, print_labels=print_labels, step=step)
                prepared = earlier.job_id if earlier is not None else None
                new = self._new_label(acu, nbr, accept_ambiguous=accept_ambiguous, step=step, prepared=prepared)
                try:
                    return self._print_and_write_back(acu, new.job, print_labels=print_labels, step=step,
                                                      warnings=new.warnings, shipment=new.shipment,
                                                      label_problem=new.label_problem)
                finally:
                    new.lock.release()
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
        """The job an earlier run left behind: labelled or done (finish it), prepared (continue it under
        its id: nothing was sent), or None (a new label may be bought)."""
        job = repository.latest_job(nbr)
        if job is None:
            return None
        state = State(job.state)
        if state == State.READY:
            return job
        if state == State.REQUESTING:
            if in_flight(self.context.paths.root / "locks", job.job_id):
                raise _Stop(self._busy_outcome(nbr, job.job_id))
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

    def _new_label(self, acu: AcumaticaClient, nbr: str, *, accept_ambiguous: bool, step: Step,
                   prepared: str | None = None) -> _Labelled:
        """Check, validate, map and buy the label (``prepared``: the id of a job an earlier run prepared
        but never sent, continued with a request rebuilt from fresh data)."""
        step("checking")
        shipment = acu.get_shipment(nbr)
        repository.upsert_shipment(shipment)
        if shipment.status == "Confirmed" and self.correct_confirmed and not shipment.tracking_numbers:
            shipment = self._correct(acu, shipment)
        carrier_plugins.refresh_detected(acu)
        problems = self._problems(shipment)
        if problems:
            settle(nbr, State.NEEDS_ATTENTION, " ".join(problems))
            raise _Stop(ShipOutcome(nbr, False, State.NEEDS_ATTENTION, " ".join(problems),
                                    problems=tuple(problems)))
        step("validating")
        try:
            decision = address_check.decide(self._validate_call, shipment, self.config.ups.address_validation,
                                            accept_ambiguous=accept_ambiguous)
        except AddressNeedsAttention as exc:
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
        job_id = repository.prepare_label_job(nbr, request, label_format=spec.label_format, job_id=prepared)
        resumed = ["continues a job an earlier run prepared but never sent"] if prepared else []
        audit.record("label_requested", shipment_nbr=nbr, job_id=job_id, detail="; ".join(resumed + warnings))
        test_hooks.pause_at("before_ship")
        label_problem, lock = self._call_ship(nbr, job_id, spec)
        return _Labelled(repository.require_job(job_id), shipment, warnings, label_problem, lock)

    def _call_ship(self, nbr: str, job_id: str, spec: ShipmentSpec) -> tuple[str, JobLock]:
        """Flip the prepared job to requesting and call UPS Ship, under the job lock; commit the answer.
        Returns one sentence when UPS's label data cannot be used ("" when it can), and the job lock,
        still held (released here only when no label was committed)."""
        lock = JobLock(self.context.paths.root / "locks", job_id)
        if not lock.acquire():
            raise _Stop(self._busy_outcome(nbr, job_id))
        try:
            try:
                repository.begin_request(job_id)
            except (InvalidTransition, LabelAlreadyExists) as exc:  # another worker won the race
                raise _Stop(ShipOutcome(nbr, False, State(repository.require_job(job_id).state), str(exc),
                                        job_id=job_id)) from exc
            test_hooks.pause_at("before_request")
            try:
                result = self.context.ups.ship(spec, trans_id=job_id)
            except (OutcomeUnknown, ServerError) as exc:
                job = repository.require_job(job_id)
                self._mark_uncertain(job, str(exc))
                if self._reconcile(job):
                    return "", lock
                raise _Stop(self._uncertain_outcome(repository.require_job(job_id))) from exc
            except (ApiRefused, ConnectionFailed, RateLimited, AuthenticationFailed) as exc:
                # UPS answered with a refusal, or the request never arrived: no label was made
                repository.mark_job(job_id, State.FAILED, error=str(exc))
                audit.record("label_refused", shipment_nbr=nbr, job_id=job_id, detail=str(exc))
                raise _Stop(ShipOutcome(nbr, False, State.FAILED, str(exc), job_id=job_id)) from exc
            try:
                archived = self.labels.archive_result(nbr, result, spec.label_format)
            except StoreError as exc:  # the label exists at UPS: a disk problem must not cost its numbers
                archived = ArchivedResult([], f"{exc.message.rstrip('.')}; the tracking numbers are saved, and "
                                              "Reprint fetches the labels again from UPS with Label Recovery.")
            repository.record_label(job_id, result, label_paths=archived.paths)
            audit.record("labelled", shipment_nbr=nbr, job_id=job_id, detail=", ".join(result.tracking_numbers))
            if archived.problem:
                audit.record("label_undecodable", shipment_nbr=nbr, job_id=job_id, detail=archived.problem)
            test_hooks.pause_at("after_label")
        except BaseException:
            lock.release()
            raise
        return archived.problem, lock

    @staticmethod
    def _busy_outcome(nbr: str, job_id: str) -> ShipOutcome:
        return ShipOutcome(nbr, False, State.REQUESTING, f"Shipment {nbr} is being labelled right now by "
                           "another shipdesk window or command.", job_id=job_id)

    def _finish(self, acu: AcumaticaClient, job: LabelJob, *, print_labels: bool, step: Step | None = None,
                warnings: Sequence[str] = (), shipment: Shipment | None = None,
                label_problem: str = "", raise_outage: bool = False) -> ShipOutcome:
        """Print (once) and write back a labelled job; a done job is reported as it is.

        ``shipment``: this run's fresh read from before labelling, reused by the write-back (None: a retry,
        read it again). ``label_problem``: UPS's label data was unusable; nothing is printed (Reprint
        fetches the label with Label Recovery) and the sentence is reported once."""
        if State(job.state) in DONE_STATES:
            return self._print_and_write_back(acu, job, print_labels=print_labels)  # reported as it is
        # one writer per job: the sync's retry and the window that is labelling it must not both write
        # back (and confirm) the same label
        lock = JobLock(self.context.paths.root / "locks", job.job_id)
        if not lock.acquire():
            nbr = job.shipment.shipment_nbr
            return ShipOutcome(nbr, False, State(job.state), f"Shipment {nbr} is being printed or written back "
                               "right now by another shipdesk window or the sync.",
                               tracking_numbers=tuple(repository.job_tracking_numbers(job)), job_id=job.job_id)
        try:
            return self._print_and_write_back(acu, repository.require_job(job.job_id), step=step,
                                              print_labels=print_labels, warnings=warnings,
                                              shipment=shipment, label_problem=label_problem,
                                              raise_outage=raise_outage)
        finally:
            lock.release()

    def _print_and_write_back(self, acu: AcumaticaClient, job: LabelJob, *, print_labels: bool,
                              step: Step | None = None, warnings: Sequence[str] = (),
                              shipment: Shipment | None = None, label_problem: str = "",
                              raise_outage: bool = False) -> ShipOutcome:
        """``raise_outage``: a write-back failing because Acumatica is down is raised (the job stays
        labelled), for the caller to report the outage once."""
        notify = step or _quiet
        nbr = job.shipment.shipment_nbr
        numbers = tuple(repository.job_tracking_numbers(job))
        if State(job.state) in DONE_STATES:  # done, possibly by the worker that held the lock before
            return ShipOutcome(nbr, True, State(job.state), f"Shipment {nbr} is already labelled.",
                               tracking_numbers=numbers, job_id=job.job_id, written_back=True,
                               printed=job.printed_at is not None)
        notes = [*warnings, *([label_problem] if label_problem else [])]
        printed = job.printed_at is not None
        if print_labels and not printed and not label_problem:
            notify("printing")
            try:
                self.labels.print_job(job)
                printed = True
            except ShipdeskError as exc:
                notes.append(f"The label was made but not printed: {exc}")
        notify("writing_back")
        try:
            result = write_back(acu, job, config=self.config, labels=self.labels.attachable,
                                correct_confirmed=self.correct_confirmed, current=shipment)
        except ShipdeskError as exc:
            reason = f"Labelled, but the tracking numbers are not in Acumatica yet: {exc}"
            repository.note_job_error(job.job_id, reason)
            # the shipment's attention reason only when a person must act (Acumatica refused the record):
            # trying again cannot help until it is corrected; an outage only needs time (the sync retries)
            refused = isinstance(exc, RemoteError) and not exc.retryable
            repository.set_state(nbr, State.LABELLED, reason=reason if refused else "")
            audit.record("writeback_failed", shipment_nbr=nbr, job_id=job.job_id, detail=str(exc))
            if raise_outage and is_outage(exc):
                raise
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

    def retry_writebacks(self, *, on_outage: Callable[[RemoteError], None] | None = None) -> list[ShipOutcome]:
        """Finish every job that is labelled but not yet written back (the sync calls this).

        ``on_outage``: when Acumatica is down or throttling (:func:`outages.is_outage`), it is told once
        and the remaining jobs wait for the next retry, all staying labelled; no outcome is returned
        for them (the outage is one failure, not one per job). Without it each job reports its own."""
        locks = self.context.paths.root / "locks"
        # a job another worker is still printing or writing back is theirs to finish: no failure to report
        jobs = [job for job in repository.jobs_in(State.LABELLED) if not in_flight(locks, job.job_id)]
        if not jobs:
            return []
        outcomes = []
        with self.session() as acu:
            for job in jobs:
                try:
                    outcomes.append(self._finish(acu, job, print_labels=False, raise_outage=on_outage is not None))
                except RemoteError as exc:
                    if on_outage is None or not is_outage(exc):
                        raise
                    on_outage(exc)
                    break
        return outcomes

    # -- after the label -------------------------------------------------------------------------
    def reprint(self, nbr: str) -> ShipOutcome:
        """Print the labels again from the archive (UPS Label Recovery for a missing or unusable one).

        A label recovered because UPS's first data was unusable is then attached in Acumatica too, when
        the write-back already ran without it."""
        job = self._labelled_job(nbr)
        numbers = repository.job_tracking_numbers(job)
        awaiting = [t for t in numbers if self.labels.awaits_reprint(nbr, t)]
        self.labels.print_job(job)
        audit.record("reprint", shipment_nbr=nbr, job_id=job.job_id,
                     detail=f"recovered {', '.join(awaiting)}" if awaiting else "")
        warnings = self._attach_recovered(job, awaiting) if awaiting else ()
        return ShipOutcome(nbr, True, State(job.state), f"Labels of shipment {nbr} sent to the printer.",
                           tracking_numbers=tuple(numbers), warnings=warnings, job_id=job.job_id, printed=True)

    def _attach_recovered(self, job: LabelJob, numbers: Sequence[str]) -> tuple[str, ...]:
        """Attach labels Reprint recovered; a labelled job's own write-back retry attaches them anyway."""
        nbr = job.shipment.shipment_nbr
        if State(job.state) not in DONE_STATES:
            return ()
        try:
            with self.session() as acu:
                for tracking in numbers:
                    label = self.labels.file_for(nbr, tracking)
                    name = label_filename(tracking, label.format)
                    acu.attach_file(nbr, name, label.data)
                    audit.record("label_attached", shipment_nbr=nbr, job_id=job.job_id, detail=name)
        except ShipdeskError as exc:
            return (f"The label was printed but is not attached to shipment {nbr} in Acumatica: {exc}",)
        return ()

    def void(self, nbr: str) -> ShipOutcome:
        """Void at UPS first; only when UPS confirms, clear the tracking numbers in Acumatica."""
        return void_label(self.context.ups, self.session, nbr)

    def _labelled_job(self, nbr: str) -> LabelJob:
        job = repository.latest_job(nbr)
        if job is None or State(job.state) not in (State.LABELLED, *DONE_STATES):
            raise ShipdeskError(f"Shipment {nbr} has no label to print.", hint="Ship it first.")
        return job
