"""What an earlier run left behind, and what to do with it before (or instead of) buying a label.

- a prepared job (``ready``: committed, never sent) is continued under its id, without asking;
- a ``requesting`` job is either being sent right now by a live worker (leave it), or its worker died
  (``reconcile.still_requesting`` makes it ``uncertain``);
- an ``uncertain`` job is looked up at UPS by reference; found → it is finished like any labelled job,
  not found → only a person's ``force_new_label`` replaces it;
- a labelled job is printed and written back; a done one is reported as it is.
``settle_uncertain`` does the same for every such job at the start of ``ship`` and in each sync cycle.
"""

from __future__ import annotations

import logging

from shipdesk.core.domain.outcomes import ShipOutcome
from shipdesk.core.domain.states import State
from shipdesk.core.shipping import after_label, reconcile
from shipdesk.core.shipping.label_job import busy_outcome
from shipdesk.core.shipping.parts import FlowParts
from shipdesk.core.store import jobs
from shipdesk.core.store.label_reads import LabelRead
from shipdesk.core.store.models import LabelJob

log = logging.getLogger(__name__)

#: an earlier job in these states is continued (prepared) or finished (labelled, done): never a new label
FINISHABLE = frozenset({State.READY, State.LABELLED, *after_label.DONE_STATES})


def job_to_finish(parts: FlowParts, nbr: str, *, force_new_label: bool,
                  read: LabelRead | None = None) -> LabelJob | ShipOutcome | None:
    """The job an earlier run left: labelled or done (finish it), prepared (continue it under its id:
    nothing was sent), None (a new label may be bought), or the outcome when the shipment must wait
    (being labelled elsewhere right now, or still uncertain). ``read``: what this label read from the store
    (its job is not read again)."""
    job = read.job if read is not None else jobs.latest_job(nbr)
    if job is None:
        return None
    if job.state == State.REQUESTING:
        if reconcile.still_requesting(parts, job):
            return busy_outcome(nbr, job.job_id, station=job.station, here=parts.station)
        job = jobs.require_job(job.job_id)  # now uncertain (or answered meanwhile)
    if job.state == State.UNCERTAIN:
        if reconcile.found_at_ups(parts, job):
            return jobs.require_job(job.job_id)
        if not force_new_label:
            return reconcile.uncertain_outcome(job)
        reconcile.supersede(job)
        return None
    if job.state == State.LABELLED_TWICE:  # a person decides (void it, or write it back after all)
        return after_label.as_it_is(job)
    return job if job.state in FINISHABLE else None


def settle_uncertain(parts: FlowParts) -> list[ShipOutcome]:
    """Settle the jobs dead workers left (found at UPS → finished, else reported uncertain) and void late
    duplicates of replaced labels. Returns one outcome per uncertain job."""
    for job in jobs.jobs_in(State.REQUESTING):
        reconcile.still_requesting(parts, job)
    outcomes = []
    for job in jobs.jobs_in(State.UNCERTAIN):
        if reconcile.found_at_ups(parts, job):
            with parts.session() as acu:
                outcomes.append(after_label.finish(parts, acu, jobs.require_job(job.job_id), print_labels=False))
        else:
            outcomes.append(reconcile.uncertain_outcome(job))
            log.info("label job for %s still uncertain", job.shipment.shipment_nbr)
    reconcile.void_late_duplicates(parts.ups)
    return outcomes
