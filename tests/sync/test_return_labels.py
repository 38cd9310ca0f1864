"""Return labels against the sandboxes: both kinds made, written back to Acumatica, tracked to delivery."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shipdesk.core.domain.states import State
from shipdesk.core.settings.config import ReturnTarget
from shipdesk.core.shipping.flow import ShipFlow
from shipdesk.core.shipping.returns import ReturnOptions
from shipdesk.core.store import repository
from shipdesk.core.store.shipments import list_shipments
from shipdesk.errors import ShipdeskError
from shipdesk.sandbox.seed import RMA_FOR, RMA_ORDER

from .conftest import acumatica_record, ship

DELIVERY_HOURS = 40  # the UPS sandbox delivers 36 h after the label
DELIVERED_EARLIER = "SH000117"  # Completed in the seed, with a tracking number


def _last_ship_body(sandboxes) -> dict:
    with sandboxes.ups.lock:
        record = list(sandboxes.ups.shipments.values())[-1]
    return {"return_service": record.return_service, "email": record.label_email,
            "origin": record.origin.country, "destination": record.destination.country}


def test_a_print_return_label_is_printed_written_to_the_shipment_and_tracked_to_delivery(sandboxes, make_context,
                                                                                          make_service):
    context = make_context()
    outcome = ShipFlow(context).return_label(DELIVERED_EARLIER, ReturnOptions())

    assert outcome.ok, outcome.message
    assert outcome.shipment_nbr == f"{DELIVERED_EARLIER}-R1" and outcome.printed and outcome.written_back
    tracking = outcome.tracking_numbers[0]
    made = _last_ship_body(sandboxes)
    assert made["return_service"] == "9" and (made["origin"], made["destination"]) == ("US", "US")
    record = acumatica_record(sandboxes, "Shipment", DELIVERED_EARLIER)
    assert f"[shipdesk {DELIVERED_EARLIER}-R1] UPS return label {tracking} (print)" in record["note"]
    assert any(f"Return label #{tracking}." in f["filename"] for f in record["files"])
    printed = list((context.paths.root / "printed").glob("*"))
    assert printed, "the print return label goes to the printer"

    sandboxes.advance(hours=DELIVERY_HOURS)
    report = make_service(context).run_cycle()

    assert report.ok, report.failures
    row = repository.get_shipment(f"{DELIVERED_EARLIER}-R1")
    assert row.state == State.DELIVERED.value and row.return_of == DELIVERED_EARLIER
    assert all(p.delivered_at is not None for p in repository.packages_of(row.shipment_nbr))
    note = acumatica_record(sandboxes, "Shipment", DELIVERED_EARLIER)["note"]
    assert f"[shipdesk {DELIVERED_EARLIER}-R1] UPS: Delivered" in note  # replaced the write-back line: one line
    assert note.count(f"[shipdesk {DELIVERED_EARLIER}-R1]") == 1


def test_an_electronic_return_label_is_emailed_by_ups_and_nothing_is_printed(sandboxes, make_context):
    context = make_context()
    outcome = ShipFlow(context).return_label(DELIVERED_EARLIER, ReturnOptions(electronic=True,
                                                                               email="returns@customer.example"))

    assert outcome.ok, outcome.message
    assert not outcome.printed and "emailed by UPS" in outcome.message
    made = _last_ship_body(sandboxes)
    assert made["return_service"] == "8" and made["email"] == "returns@customer.example"
    record = acumatica_record(sandboxes, "Shipment", DELIVERED_EARLIER)
    assert "(electronic, emailed to returns@customer.example)" in record["note"]
    assert not any("Return label #" in f["filename"] for f in record["files"])  # UPS sent no label to attach
    assert not (context.paths.root / "printed").exists()


def test_a_return_from_canada_carries_the_partial_invoice_and_the_invoice_total(sandboxes, make_context):
    context = make_context()
    ship(context, "SH000106")
    outcome = ShipFlow(context).return_label("SH000106", ReturnOptions(electronic=True))

    assert outcome.ok, outcome.message
    job = repository.latest_job("SH000106-R1")
    shipment = job.request["ShipmentRequest"]["Shipment"]
    forms = shipment["ShipmentServiceOptions"]["InternationalForms"]
    assert forms["FormType"] == ["05"] and forms["ReasonForExport"] == "RETURN" and forms["CurrencyCode"] == "CAD"
    assert shipment["InvoiceLineTotal"]["CurrencyCode"] == "CAD"  # CA → US returns need it
    assert shipment["ShipFrom"]["Address"]["CountryCode"] == "CA" and shipment["ShipTo"]["Address"]["CountryCode"] \
        == "US"
    assert shipment["ShipmentServiceOptions"]["LabelDelivery"]["EMail"]["EMailAddress"] == \
        "imports@mapleleaftools.example"  # the ship-to contact's email when none is given


def test_with_rma_orders_the_return_is_written_to_the_rma(sandboxes, make_context):
    context = make_context()
    context.reconfigure(replace(context.config, returns=replace(context.config.returns,
                                                                  write_to=ReturnTarget.RMA_ORDER)))
    outcome = ShipFlow(context).return_label(RMA_FOR, ReturnOptions(rma=RMA_ORDER))

    assert outcome.ok, outcome.message
    assert f"RMA order RM {RMA_ORDER}" in outcome.message
    rma = acumatica_record(sandboxes, "SalesOrder", "RM", RMA_ORDER)
    assert f"[shipdesk {RMA_FOR}-R1] UPS return label" in rma["note"]
    assert any("Return label #" in f["filename"] for f in rma["files"])
    assert "[shipdesk" not in (acumatica_record(sandboxes, "Shipment", RMA_FOR)["note"] or "")


def test_the_table_lists_returns_beside_their_shipment_and_ship_all_ready_never_takes_one(sandboxes, make_context):
    context = make_context()
    flow = ShipFlow(context)
    first = flow.return_label(DELIVERED_EARLIER, ReturnOptions())
    second = flow.return_label(DELIVERED_EARLIER, ReturnOptions(electronic=True, email="a@b.example"))

    assert (first.shipment_nbr, second.shipment_nbr) == (f"{DELIVERED_EARLIER}-R1", f"{DELIVERED_EARLIER}-R2")
    rows = {row.shipment_nbr: row for row in list_shipments().rows}
    assert rows[f"{DELIVERED_EARLIER}-R2"].return_of == DELIVERED_EARLIER
    assert rows[f"{DELIVERED_EARLIER}-R1"].tracking_numbers == first.tracking_numbers[0]
    assert not [n for n in flow.ready_shipments() if "-R" in n]


@pytest.mark.parametrize(("nbr", "options", "problem"), [
    ("SH000101", ReturnOptions(), "has not shipped yet"),
    ("SH000102", ReturnOptions(electronic=True), "--email"),  # made Completed without an email below
])
def test_no_return_label_for_what_has_not_shipped_or_cannot_be_emailed(sandboxes, make_context, nbr, options,
                                                                         problem):
    context = make_context()
    if problem == "--email":
        with sandboxes.acumatica.lock:
            shipment = sandboxes.acumatica.documents.shipment(nbr)
            shipment["Status"] = "Completed"
            shipment["ShippingSettings"]["ShipToContact"]["Email"] = ""
    outcome = ShipFlow(context).return_label(nbr, options)

    assert not outcome.ok and problem in outcome.message
    assert int(sandboxes.ups.stats_payload()["shipments_created"]) == 0


def test_a_return_label_is_voided_at_ups_and_its_line_says_so(sandboxes, make_context):
    context = make_context()
    flow = ShipFlow(context)
    made = flow.return_label(DELIVERED_EARLIER, ReturnOptions(electronic=True, email="a@b.example"))
    with pytest.raises(ShipdeskError, match="UPS emailed it"):
        flow.reprint(made.shipment_nbr)
    voided = flow.void(made.shipment_nbr)

    assert voided.ok and voided.state == State.VOIDED
    assert int(sandboxes.ups.stats_payload()["voided"]) == 1
    note = acumatica_record(sandboxes, "Shipment", DELIVERED_EARLIER)["note"]
    assert f"[shipdesk {made.shipment_nbr}] UPS return label {made.tracking_numbers[0]} voided on" in note


def test_a_return_written_back_late_is_finished_by_the_sync_and_never_bought_twice(sandboxes, make_context,
                                                                                   make_service):
    context = make_context()
    shipment_path = sandboxes.acumatica.tenant_url.replace(sandboxes.acumatica.url, "") + \
        "/entity/Default/24.200.001/Shipment"
    sandboxes.acumatica.add_fault(route=f"{shipment_path}/{DELIVERED_EARLIER}/files", status=500)
    made = ShipFlow(context).return_label(DELIVERED_EARLIER, ReturnOptions())

    assert not made.ok and made.reason.value == "writeback_pending" and made.tracking_numbers
    assert repository.get_shipment(made.shipment_nbr).state == State.LABELLED.value
    sandboxes.acumatica.clear_faults()
    report = make_service(context).run_cycle()

    assert report.ok, report.failures
    assert repository.get_shipment(made.shipment_nbr).state == State.WRITTEN_BACK.value
    files = acumatica_record(sandboxes, "Shipment", DELIVERED_EARLIER)["files"]
    assert any(f"Return label #{made.tracking_numbers[0]}." in f["filename"] for f in files)
    assert int(sandboxes.ups.stats_payload()["shipments_created"]) == 1


def test_ship_never_buys_a_forward_label_for_a_return_row(sandboxes, make_context):
    context = make_context()
    flow = ShipFlow(context)
    made = flow.return_label(DELIVERED_EARLIER, ReturnOptions())
    flow.void(made.shipment_nbr)
    created = int(sandboxes.ups.stats_payload()["shipments_created"])

    outcome = flow.ship(made.shipment_nbr)

    assert not outcome.ok and "is a return label" in outcome.message
    assert int(sandboxes.ups.stats_payload()["shipments_created"]) == created
