"""A batch reads its next shipments from the store ahead (one query for 25, ``label_reads``): what another worker
did to one of them meanwhile still counts, and it is never labelled twice."""

from __future__ import annotations

from shipdesk.core.domain.outcomes import Reason
from shipdesk.core.domain.states import State
from shipdesk.core.shipping import flow as flow_module
from shipdesk.core.shipping.checkpoints import Step
from shipdesk.core.store import repository

from .conftest import ship_requests

FIRST, SECOND = "SH000101", "SH000105"


def test_a_shipment_labelled_elsewhere_after_the_batch_read_it_is_not_labelled_again(sandboxes, make_flow,
                                                                                     read_acumatica):
    batch, window = make_flow(), make_flow()  # two windows of one PC: one store
    batch.pull()
    done_elsewhere: list[str] = []

    def checkpoint(step: Step) -> None:  # the batch has read both rows and is labelling the first
        if step == Step.AFTER_LABEL and not done_elsewhere:
            done_elsewhere.append(window.ship(SECOND, print_labels=False).state)
    batch.parts.checkpoint = checkpoint

    first, second = batch.ship_many([FIRST, SECOND], print_labels=False)

    assert done_elsewhere == [State.WRITTEN_BACK]
    assert first.ok and first.state == State.WRITTEN_BACK
    assert not second.ok and second.reason == Reason.LABEL_EXISTS and "labelled meanwhile" in second.message
    assert ship_requests(sandboxes) == 2  # one label each
    job = repository.latest_job(SECOND)
    assert job is not None and job.state == State.WRITTEN_BACK
    assert read_acumatica(SECOND).tracking_numbers == tuple(job.tracking_numbers)
    assert repository.get_shipment(SECOND).state == State.WRITTEN_BACK  # nothing the batch did undid it


def test_a_batch_reads_the_store_once_per_slice_not_once_per_label(make_flow, monkeypatch):
    flow = make_flow()
    flow.pull()
    reads: list[tuple[str, ...]] = []
    real = flow_module.read_for_labels
    monkeypatch.setattr(flow_module, "read_for_labels", lambda nbrs: reads.append(tuple(nbrs)) or real(nbrs))
    monkeypatch.setattr(flow_module, "READ_AHEAD", 2)
    numbers = ["SH000101", "SH000102", "SH000105"]

    outcomes = flow.ship_many(numbers, print_labels=False)

    assert all(o.ok for o in outcomes)
    assert reads == [("SH000101", "SH000102"), ("SH000105",)]
