"""Store records become the rows and detail the window shows (real store in a temp folder, no network)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from shipdesk.acumatica.models import Address, Contact, OrderLink, Package, Shipment
from shipdesk.core.domain.states import State
from shipdesk.core.store import open_store
from shipdesk.core.store import repository as repo
from shipdesk.labels import LabelArchive
from shipdesk.ui import store_views
from shipdesk.ui.view_data import Col
from shipdesk.ups.models import PackageResult, ShipResult
from tests.support.factories import requesting_job

SERVICES = {"UPSGROUND": "03"}


def shipment(nbr: str, ship_via: str = "UPSGROUND") -> Shipment:
    return Shipment(
        id=f"id-{nbr}", shipment_nbr=nbr, status="Open", customer_id="CAFEOLE", ship_via=ship_via,
        ship_to_address=Address(line1="1 Rue Café", city="Chicago", state="IL", postal_code="60601",
                                country="US"),
        ship_to_contact=Contact(business_name="Café Olé", phone="3125550100"),
        packages=(Package(id=f"p1-{nbr}", line_nbr=1, weight=Decimal("11.0"), uom="LB"),
                  Package(id=f"p2-{nbr}", line_nbr=2, weight=Decimal("4.5"), uom="LB")),
        orders=(OrderLink("SO", "005124"),),
    )


@pytest.fixture
def store(tmp_path):
    opened = open_store(tmp_path / "data")
    yield opened
    opened.close()


def test_listing_rows_carry_what_the_table_shows(store):
    repo.upsert_shipment(shipment("SH1"))
    repo.upsert_shipment(shipment("SH2", ship_via="FEDEX"))
    listing = store_views.listing(SERVICES)
    rows = {r[Col.SHIPMENT]: r for r in listing.rows}
    assert rows["SH1"][Col.CUSTOMER] == "Café Olé"
    assert rows["SH1"][Col.SERVICE] == "UPSGROUND → Ground"
    assert rows["SH2"][Col.SERVICE] == "FEDEX → not mapped"
    assert rows["SH1"][Col.PACKAGES] == 2 and rows["SH1"][Col.WEIGHT] == 15.5
    assert listing.counts == {"pending": 2}


def test_detail_of_a_shipment_needing_attention_gives_the_reason(store, tmp_path):
    repo.upsert_shipment(shipment("SH1", ship_via="FEDEX"))
    reason = "Ship Via FEDEX is not mapped to a UPS service: map it in Settings › Ship Via."
    repo.set_state("SH1", State.NEEDS_ATTENTION, reason=reason)
    detail = store_views.detail("SH1", SERVICES, LabelArchive(tmp_path / "labels"))
    assert detail.state_label == "Needs attention"
    assert detail.problem == reason
    assert detail.retry_action is None  # fixed in Acumatica or the settings, then refreshed
    assert detail.ship_to.one_line() == "1 Rue Café, Chicago, IL 60601, US"
    assert [p.weight for p in detail.packages] == ["11 lb", "4.5 lb"]  # the symbol a person reads


def test_an_ambiguous_address_offers_to_check_it_again(store, tmp_path):
    repo.upsert_shipment(shipment("SH1"))
    repo.record_address_check("SH1", status="ambiguous")
    repo.set_state("SH1", State.NEEDS_ATTENTION, reason="UPS is not sure about the ship-to address.")
    detail = store_views.detail("SH1", SERVICES, LabelArchive(tmp_path / "labels"))
    assert detail.retry_action == "validate"
    assert detail.validation == "UPS is not sure about this address"


def test_an_uncertain_label_offers_a_lookup_before_anything_else(store, tmp_path):
    repo.upsert_shipment(shipment("SH1"))
    repo.set_state("SH1", State.READY)
    job = requesting_job("SH1", {"ShipmentRequest": {}}, label_format="GIF")
    repo.mark_job(job, State.UNCERTAIN, error="UPS did not answer after the request was sent.")
    detail = store_views.detail("SH1", SERVICES, LabelArchive(tmp_path / "labels"))
    assert detail.retry_action == "reconcile"
    assert "did not answer" in detail.problem


def test_a_labelled_shipment_shows_tracking_and_its_write_back_problem(store, tmp_path):
    repo.upsert_shipment(shipment("SH1"))
    repo.set_state("SH1", State.READY)
    job = requesting_job("SH1")
    repo.record_label(job, ShipResult("1ZSHIP", (PackageResult("1ZA1B2C30300000011"),
                                                  PackageResult("1ZA1B2C30300000022"))))
    repo.note_job_error(job, "Acumatica is unreachable.")
    listing = store_views.listing(SERVICES)
    assert listing.rows[0][Col.TRACKING] == "1ZA1B2C30300000011, 1ZA1B2C30300000022"
    detail = store_views.detail("SH1", SERVICES, LabelArchive(tmp_path / "labels"))
    assert detail.retry_action == "writeback"
    assert "not in Acumatica yet: Acumatica is unreachable." in detail.problem
    assert [p.tracking for p in detail.packages] == ["1ZA1B2C30300000011", "1ZA1B2C30300000022"]


def test_order_numbers_read_as_acumatica_shows_them() -> None:
    from shipdesk.ui.store_views import order_display

    assert order_display("SO SO005101, SO SO005133") == "SO005101, SO005133"
    assert order_display("SO 000123") == "SO 000123"  # the type says what the bare number is
    assert order_display("") == ""


def test_scan_events_in_different_time_zones_show_newest_first_by_the_actual_instant(store, tmp_path):
    from datetime import datetime, timedelta, timezone

    from shipdesk.ups.models import TrackEvent

    repo.upsert_shipment(shipment("SH1"))
    repo.set_state("SH1", State.READY)
    job = requesting_job("SH1")
    repo.record_label(job, ShipResult("1ZSHIP", (PackageResult("1ZA1B2C30300000011"),)))
    new_york, los_angeles = timezone(timedelta(hours=-5)), timezone(timedelta(hours=-8))
    departed = TrackEvent("I", "DP", "Departed from facility", "New York, NY, US",
                          datetime(2026, 3, 2, 9, 0, tzinfo=new_york))  # 14:00 UTC
    arrived = TrackEvent("I", "AR", "Arrived at facility", "Los Angeles, CA, US",
                         datetime(2026, 3, 2, 8, 0, tzinfo=los_angeles))  # 16:00 UTC: later, earlier on the clock
    repo.add_tracking_events("1ZA1B2C30300000011", [departed, arrived])
    detail = store_views.detail("SH1", SERVICES, LabelArchive(tmp_path / "labels"))
    assert [e.description for e in detail.events] == ["Arrived at facility", "Departed from facility"]
    assert [e.when for e in detail.events] == ["2026-03-02 08:00", "2026-03-02 09:00"]  # each place's own time


def test_the_table_shows_what_a_label_costs_the_shipper_once_it_is_bought(store):
    from shipdesk.ups.models import Money

    repo.upsert_shipment(shipment("SH1"))
    repo.upsert_shipment(shipment("SH2"))
    repo.set_state("SH1", State.READY)
    job = requesting_job("SH1")
    repo.record_label(job, ShipResult("1ZSHIP", (PackageResult("1ZA1B2C30300000011"),),
                                      total_charges=Money(Decimal("21.40"), "USD"),
                                      negotiated_charges=Money(Decimal("17.15"), "USD")))
    rows = {r[Col.SHIPMENT]: r for r in store_views.listing(SERVICES).rows}
    assert rows["SH1"][Col.CHARGE] == 17.15  # the negotiated rate: what the account pays
    assert rows["SH2"][Col.CHARGE] == 0  # no label, no charge (shown empty)


def test_box_sizes_show_their_unit_in_the_weights_system(store, tmp_path):
    """A box in a kilogram warehouse is measured in centimetres, one in pounds in inches (UPS wants one system)."""
    metric = Shipment(id="id-M", shipment_nbr="SHM", status="Open", customer_id="C", ship_via="UPSGROUND",
                      ship_to_address=Address(line1="1 Av", city="Monterrey", postal_code="64000", country="MX"),
                      packages=(Package(id="pm", line_nbr=1, weight=Decimal("2.5"), uom="KG", length=Decimal(40),
                                        width=Decimal(30), height=Decimal(20)),))
    repo.upsert_shipment(metric)
    boxed = Package(id="pi", line_nbr=1, weight=Decimal(11), uom="LB", length=Decimal(18), width=Decimal(14),
                    height=Decimal(12))
    repo.upsert_shipment(replace(shipment("SHI"), packages=(boxed,)))
    archive = LabelArchive(tmp_path / "labels")
    assert [p.dimensions for p in store_views.detail("SHM", SERVICES, archive).packages] == ["40×30×20 cm"]
    assert [p.dimensions for p in store_views.detail("SHI", SERVICES, archive).packages] == ["18×14×12 in"]
