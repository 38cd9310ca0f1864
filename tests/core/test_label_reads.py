"""A label reads its shipment, packages and job in one query; a batch reads all its shipments in one."""

from __future__ import annotations

from shipdesk.core.domain.states import State
from shipdesk.core.store import jobs
from shipdesk.core.store import repository as repo
from shipdesk.core.store.label_reads import read_for_labels
from tests.support.factories import requesting_job

from .factories import ship_result, shipment


def _statements(store, action):
    """What ``action`` returns, and the statements it ran (SQLite reports them; PostgreSQL's driver does not)."""
    seen: list[str] = []
    if store.shared:
        return action(), None
    store.db.connection().set_trace_callback(seen.append)
    try:
        return action(), seen
    finally:
        store.db.connection().set_trace_callback(None)


def test_one_read_gives_each_shipment_its_packages_in_line_order_and_the_job_that_matters(store):
    for nbr, packages in (("000001", 3), ("000002", 1), ("000003", 0)):
        repo.upsert_shipment(shipment(nbr, packages=packages))
        repo.set_state(nbr, State.READY)
    failed = requesting_job("000001")
    repo.mark_job(failed, State.FAILED, error="UPS refused")
    repo.set_state("000001", State.READY)
    live = requesting_job("000001")
    repo.record_label(live, ship_result("1ZA", "1ZB", "1ZC"))
    newer_failed = requesting_job("000002")
    repo.mark_job(newer_failed, State.FAILED, error="UPS refused")

    read, statements = _statements(store, lambda: read_for_labels(["000001", "000002", "000003", "000404"]))

    assert set(read) == {"000001", "000002", "000003"}  # a number the store does not have is left out
    one = read["000001"]
    assert [p.line_nbr for p in one.packages] == [1, 2, 3]
    assert [p.tracking_number for p in one.packages] == ["1ZA", "1ZB", "1ZC"]
    assert one.job is not None and one.job.job_id == live  # the live one, not the older failed one
    assert one.job.state is State.LABELLED and one.job.shipment.shipment_nbr == "000001"
    assert one.record.state is State.LABELLED
    assert read["000002"].job is not None and read["000002"].job.job_id == newer_failed  # no live job: the newest
    assert len(read["000002"].packages) == 1
    assert read["000003"].packages == () and read["000003"].job is None
    # the same as the three reads a label used to make
    assert one.job.job_id == jobs.latest_job("000001").job_id
    if statements is not None:
        assert len(statements) == 1
