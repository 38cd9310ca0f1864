"""Two commits before the Ship call: prepared (nothing sent) → requesting (under the job lock).

A job found prepared is continued under the same id without asking anybody; only ``requesting``
can mean "UPS may have made a label". (The kill-the-process version is in test_crash_exactly_once.)
"""

from __future__ import annotations

import pytest

from shipdesk.core.domain.outcomes import Reason
from shipdesk.core.domain.states import State
from shipdesk.core.store import repository
from shipdesk.errors import InvalidTransition, LabelAlreadyExists
from tests.support.factories import requesting_job

from .conftest import ship_requests

NBR = "SH000101"


def continue_prepared(job_id: str) -> None:
    """What the ship flow does with a prepared job it finds: flipped to requesting under its id."""
    repository.open_label_job(NBR, {}, job_id=job_id, label_format="GIF", prepared=True)


@pytest.fixture
def prepared(flow) -> str:
    """A job an earlier run committed as prepared, with a request built from older data."""
    flow.pull()
    return repository.prepare_label_job(NBR, {"ShipmentRequest": {"stale": True}}, label_format="GIF")


def test_a_prepared_job_is_continued_under_its_id_with_a_fresh_request(sandboxes, flow, prepared):
    assert repository.require_job(prepared).state is State.READY
    assert repository.get_shipment(NBR).state is State.READY  # still shippable: nothing was sent

    outcome = flow.ship(NBR, print_labels=False)  # no force_new_label

    assert outcome.ok and outcome.state == State.WRITTEN_BACK and outcome.job_id == prepared
    job = repository.require_job(prepared)
    sent = job.request["ShipmentRequest"]
    assert "stale" not in sent and sent["Shipment"]["Shipper"]["ShipperNumber"] == "A1B2C3"
    assert job.attempts == 2
    assert ship_requests(sandboxes) == 1
    assert [r.trans_id for r in sandboxes.ups.shipments.values()] == [prepared.replace("-", "")]


def test_a_prepared_job_another_worker_is_sending_is_left_alone(sandboxes, flow, prepared):
    with flow.locks.lock(prepared):  # another window holds it
        outcome = flow.ship(NBR, print_labels=False)

    assert not outcome.ok and outcome.reason == Reason.BUSY_ELSEWHERE
    assert ship_requests(sandboxes) == 0
    assert repository.require_job(prepared).state is State.READY


def test_the_flip_to_requesting_refuses_when_another_job_got_a_label(flow, prepared):
    other = requesting_job(NBR)

    with pytest.raises(LabelAlreadyExists):
        continue_prepared(prepared)
    assert repository.require_job(prepared).state is State.READY

    repository.mark_job(other, State.FAILED, error="UPS refused")
    repository.set_state(NBR, State.READY)  # as the flow settles it after its checks
    continue_prepared(prepared)
    assert repository.require_job(prepared).state is State.REQUESTING
    with pytest.raises(InvalidTransition):  # a job is flipped once: a second worker backs off
        continue_prepared(prepared)
