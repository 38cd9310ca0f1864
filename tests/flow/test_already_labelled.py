"""A shipment whose Acumatica packages already carry tracking numbers is not labelled again; what the clerk is
told depends on what the store knows of those numbers. "Void that label" is said only of a label known never
to have been printed: any other label may be on a box."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

import pytest

from shipdesk.acumatica.models import Package
from shipdesk.core.domain.states import State
from shipdesk.core.shipping.readiness import labelled_before
from shipdesk.core.store import Store, jobs, open_store
from shipdesk.core.store import repository as repo
from tests.core.factories import ship_result, shipment
from tests.support.factories import requesting_job

NUMBER = "1ZA1B2C30900000011"


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    opened = open_store(tmp_path / "data", station="PACK-02")
    yield opened
    opened.close()


def in_acumatica_with(number: str):  # the shipment as Acumatica shows it now
    return replace(shipment("000900", packages=1),
                   packages=(Package(id="pkg-000900-1", line_nbr=1, weight=Decimal("5.5"), uom="LB",
                                     tracking_nbr=number),))


def labelled_here(station: str = "PACK-01") -> str:
    repo.upsert_shipment(shipment("000900", packages=1))
    repo.set_state("000900", State.READY)
    job_id = requesting_job("000900", station=station)
    repo.record_label(job_id, ship_result(NUMBER))
    return job_id


def test_a_label_the_store_does_not_know_is_never_called_voidable(store):
    said = labelled_before(in_acumatica_with(NUMBER))
    assert f"already has tracking number(s) {NUMBER}" in said
    assert "station without this shared store, or outside shipdesk" in said
    assert "void" not in said.replace("before voiding anything", "")


def test_without_a_shared_store_the_other_station_is_not_said_to_lack_one(store):
    said = labelled_before(in_acumatica_with(NUMBER), shared=False)
    assert "labelled at another station (each station keeps its own database), or outside shipdesk" in said
    assert "shared store" not in said


def test_a_printed_label_is_on_its_box(store):
    job_id = labelled_here()
    repo.mark_printed(job_id)
    said = labelled_before(in_acumatica_with(NUMBER))
    assert "labelled at PACK-01 and the label was printed, so it is on its box" in said
    assert "void" not in said.lower()


def test_only_a_label_never_printed_may_be_voided(store):
    labelled_here()
    said = labelled_before(in_acumatica_with(NUMBER))
    assert "labelled at PACK-01 but that label was never printed" in said
    assert "void that label" in said


def test_a_voided_label_left_in_acumatica_is_cleared_by_hand(store):
    job_id = labelled_here()
    jobs.mark_voided(job_id)
    said = labelled_before(in_acumatica_with(NUMBER))
    assert "of a label shipdesk voided at PACK-01" in said and "Clear Packages › Tracking Number" in said
