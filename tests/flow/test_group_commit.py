"""A batch's written-back state rides with the next label's first commit, and is never left uncommitted.

(The kill-the-process version, a crash before that commit, is in test_crash_exactly_once.)
"""

from __future__ import annotations

import threading
import time

from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.domain.outcomes import ProgressEvent, Reason, ShipOutcome
from shipdesk.core.domain.states import State
from shipdesk.core.shipping.checkpoints import Step
from shipdesk.core.store import audit_log, repository, transaction

BATCH = ["SH000101", "SH000105"]


def job_state(nbr: str) -> State:
    job = repository.latest_job(nbr)
    assert job is not None
    return job.state


def test_a_label_is_committed_written_back_with_the_next_labels_first_transaction(flow):
    flow.pull()
    first_label: list[State] = []  # its state as each label's job is committed, right before its Ship call

    def checkpoint(step: Step) -> None:
        if step == Step.BEFORE_REQUEST:
            first_label.append(job_state(BATCH[0]))
    flow.parts.checkpoint = checkpoint

    def progress(event: ProgressEvent) -> None:
        if event.step == "starting" and event.shipment_nbr == BATCH[1]:
            first_label.append(job_state(BATCH[0]))

    outcomes = flow.ship_many(BATCH, print_labels=False, progress=progress)

    assert [o.state for o in outcomes] == [State.WRITTEN_BACK, State.WRITTEN_BACK]
    # written back in Acumatica, then committed with the second label's job
    assert first_label == [State.REQUESTING, State.LABELLED, State.WRITTEN_BACK]
    assert [job_state(nbr) for nbr in BATCH] == [State.WRITTEN_BACK, State.WRITTEN_BACK]  # the last one at the end
    assert [repository.get_shipment(nbr).state for nbr in BATCH] == [State.WRITTEN_BACK, State.WRITTEN_BACK]


def test_a_label_waiting_for_its_written_back_commit_stays_locked(make_flow):
    """Its lock goes with its written-back state: another window (station, the sync's retry) finds it being
    written back, instead of a labelled job with a free lock that it would write back a second time and report
    as its own label (the stations benchmark saw one shipment "labelled" by two stations)."""
    batch, window = make_flow(), make_flow()  # two windows of one PC: one store, one lock folder
    batch.pull()
    seen: list[object] = []

    def progress(event: ProgressEvent) -> None:
        if event.step == "starting" and event.shipment_nbr == BATCH[1]:
            seen.append(job_state(BATCH[0]))  # written back in Acumatica, the state not committed yet
            seen.append(window.ship(BATCH[0], print_labels=False))

    outcomes = batch.ship_many(BATCH, print_labels=False, progress=progress)

    assert [o.reason for o in outcomes] == [Reason.LABELLED, Reason.LABELLED]
    waiting, elsewhere = seen
    assert waiting == State.LABELLED
    assert isinstance(elsewhere, ShipOutcome) and not elsewhere.ok and elsewhere.reason == Reason.BUSY_ELSEWHERE
    written = [e for e in audit_log.entries(BATCH[0]) if e.action == AuditAction.TRACKING_WRITTEN]
    assert len(written) == 1
    assert job_state(BATCH[0]) == State.WRITTEN_BACK
    assert window.ship(BATCH[0], print_labels=False).reason == Reason.ALREADY_LABELLED  # once committed


def test_a_single_label_commits_written_back_before_it_returns(flow):
    flow.pull()
    assert flow.ship(BATCH[0], print_labels=False).state == State.WRITTEN_BACK
    assert job_state(BATCH[0]) == State.WRITTEN_BACK


def test_writes_taken_by_a_transaction_that_fails_wait_for_the_next(flow):
    flow.pull()
    group = flow.parts.group
    done = threading.Event()
    with group.batch():
        group.commit(lambda: repository.set_state(BATCH[0], State.NEEDS_ATTENTION, reason="test"))
        try:
            with group.riding() as ride, transaction.write():
                ride()
                raise RuntimeError("this transaction is rolled back")
        except RuntimeError:
            pass
        assert repository.get_shipment(BATCH[0]).state == State.READY  # undone with it, waiting again
        with group.riding() as ride, transaction.write():
            ride()
        done.set()
    assert done.is_set() and repository.get_shipment(BATCH[0]).state == State.NEEDS_ATTENTION


def test_writes_no_next_label_takes_are_committed_on_their_own_soon(flow, monkeypatch):
    flow.pull()
    group = flow.parts.group
    monkeypatch.setattr("shipdesk.core.shipping.group_commit.IDLE_SECONDS", 0.05)
    with group.batch():
        group.commit(lambda: repository.set_state(BATCH[0], State.NEEDS_ATTENTION, reason="test"))
        deadline = time.monotonic() + 10
        while repository.get_shipment(BATCH[0]).state != State.NEEDS_ATTENTION:  # the batch is still open
            assert time.monotonic() < deadline, "the waiting writes were never committed"
            time.sleep(0.01)
