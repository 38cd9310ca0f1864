"""Pure pieces: value objects, OData literals, note merging, wire JSON → typed records, errors."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from shipdesk.acumatica import query
from shipdesk.acumatica.errors import RecordRefused, error_for
from shipdesk.acumatica.models import Address, Contact
from shipdesk.acumatica.notes import merge_status_line
from shipdesk.acumatica.parse import sales_order_from_json, shipment_from_json
from shipdesk.acumatica.values import (
    custom_field,
    get_bool,
    get_date,
    get_datetime,
    get_decimal,
    get_int,
    get_str,
    unwrap,
    wrap,
)
from shipdesk.errors import ApiRefused, NotFound, ServerError
from tests.acumatica.samples import PACKAGE_IDS, SHIPMENT_ID, sales_order_json, shipment_json

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

# -- values -------------------------------------------------------------------------------------


def test_wrap_and_unwrap_are_inverse() -> None:
    plain = {
        "id": "x1",
        "ShipmentNbr": "000123",
        "FreightCost": 12.5,
        "Hold": False,
        "Packages": [{"id": "p1", "TrackingNbr": "1Z"}, {"id": "p2", "delete": True}],
        "ShippingSettings": {"ShipToAddress": {"City": "Köln"}},
    }
    wire = wrap(plain)
    assert wire["ShipmentNbr"] == {"value": "000123"}
    assert wire["id"] == "x1" and wire["Packages"][1] == {"id": "p2", "delete": True}
    assert wire["ShippingSettings"]["ShipToAddress"]["City"] == {"value": "Köln"}
    assert unwrap(wire) == plain


def test_wrap_converts_decimal_and_dates() -> None:
    wire = wrap({"FreightCost": Decimal("9.95"), "ShipmentDate": date(2026, 11, 24)})
    assert wire == {"FreightCost": {"value": 9.95}, "ShipmentDate": {"value": "2026-11-24"}}


@pytest.mark.parametrize(
    ("field", "getter", "expected"),
    [
        ({"value": 150.1}, get_decimal, Decimal("150.1")),  # no binary float noise
        ({"value": None}, get_decimal, None),
        ({}, get_decimal, None),
        ({"value": 2}, get_int, 2),
        ({"value": "x"}, get_int, None),
        ({"value": True}, get_bool, True),
        ({"value": "false"}, get_bool, False),
        ({}, get_bool, None),
        ({"value": None}, get_str, ""),
        ({"value": "2026-11-24T10:00:00"}, get_datetime, datetime(2026, 11, 24, 10, tzinfo=UTC)),
        (
            {"value": "2026-11-24T10:00:00.1234567-05:00"},
            get_datetime,
            datetime(2026, 11, 24, 10, 0, 0, 123456, tzinfo=timezone(timedelta(hours=-5))),
        ),
        ({"value": "not a date"}, get_datetime, None),
        ({"value": "2026-11-24T00:00:00+03:00"}, get_date, date(2026, 11, 24)),
    ],
)
def test_typed_getters(field, getter, expected) -> None:
    assert getter({"F": field}, "F") == expected


def test_missing_field_reads_as_empty() -> None:
    assert get_str({}, "ShipVia") == "" and get_str(None, "ShipVia") == ""


@pytest.mark.parametrize(
    ("value", "kind", "wire"),
    [
        ("Delivered", "CustomStringField", "Delivered"),
        (True, "CustomBooleanField", True),
        (3, "CustomIntField", 3),
        (Decimal("4.20"), "CustomDecimalField", 4.2),
        (datetime(2026, 11, 24, 9, 30, tzinfo=UTC), "CustomDateTimeField", "2026-11-24T09:30:00+00:00"),
    ],
)
def test_custom_field_typing(value, kind, wire) -> None:
    assert custom_field(value) == {"type": kind, "value": wire}


def test_custom_field_refuses_unknown_types() -> None:
    with pytest.raises(TypeError):
        custom_field(object())


# -- query --------------------------------------------------------------------------------------


def test_quotes_are_doubled_in_string_literals() -> None:
    assert query.string_literal("O'Brien") == "'O''Brien'"
    assert query.equals("CustomerID", "O'Brien's") == "CustomerID eq 'O''Brien''s'"


def test_datetimeoffset_is_utc_with_z() -> None:
    eastern = datetime(2026, 11, 23, 5, 0, 0, 999999, tzinfo=timezone(timedelta(hours=-5)))
    assert query.datetime_literal(eastern) == "datetimeoffset'2026-11-23T10:00:00Z'"
    assert query.datetime_literal(datetime(2026, 11, 23, 10)) == "datetimeoffset'2026-11-23T10:00:00Z'"


def test_statuses_are_ored_inside_parentheses() -> None:
    assert query.any_of("Status", ["Open"]) == "Status eq 'Open'"
    where = query.all_of(
        [
            query.any_of("Status", ["Open", "On Hold"]),
            query.after("LastModifiedDateTime", datetime(2026, 11, 23, 10, tzinfo=UTC)),
        ]
    )
    assert where == (
        "(Status eq 'Open' or Status eq 'On Hold') and "
        "LastModifiedDateTime gt datetimeoffset'2026-11-23T10:00:00Z'"
    )
    with pytest.raises(ValueError):
        query.any_of("Status", [])


def test_query_string_encodes_spaces_and_quotes() -> None:
    encoded = query.query_string({"$filter": "Status eq 'On Hold'", "$expand": "Packages,ShippingSettings/X"})
    assert encoded == "$filter=Status%20eq%20%27On%20Hold%27&$expand=Packages,ShippingSettings/X"


# -- notes --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("", "[shipdesk] Delivered"),
        ("Call before delivery", "Call before delivery\n[shipdesk] Delivered"),
        (
            "Call before\n[shipdesk] In transit\nGate code 4411",
            "Call before\n[shipdesk] Delivered\nGate code 4411",
        ),
        ("[shipdesk] Delivered", "[shipdesk] Delivered"),
        ("a\r\n[shipdesk] old\r\nb", "a\r\n[shipdesk] Delivered\r\nb"),
        ("[shipdesk] one\nhuman\n[shipdesk] two", "[shipdesk] Delivered\nhuman"),
        ("note about [shipdesk] inside a line", "note about [shipdesk] inside a line\n[shipdesk] Delivered"),
        ("  \n", "  \n[shipdesk] Delivered"),
    ],
)
def test_merge_status_line_keeps_human_text(note: str, expected: str) -> None:
    assert merge_status_line(note, "Delivered") == expected


def test_merge_status_line_custom_marker() -> None:
    assert merge_status_line("x\n#UPS: old", "new", marker="#UPS:") == "x\n#UPS: new"


# -- parse --------------------------------------------------------------------------------------


def test_realistic_shipment_becomes_typed_record() -> None:
    shipment = shipment_from_json(shipment_json(tracking=("1Z999AA10123456784", "")))
    assert shipment.id == SHIPMENT_ID and shipment.shipment_nbr == "000123"
    assert (shipment.status, shipment.ship_via, shipment.customer_id) == ("Open", "UPSGROUND", "ABARTENDE")
    assert shipment.shipment_date == date(2026, 11, 24)
    assert shipment.last_modified == datetime(2026, 11, 24, 15, 4, 5, 357000, tzinfo=UTC)
    assert shipment.residential is True and shipment.package_count == 2
    assert shipment.package_weight == Decimal("12.5")
    assert shipment.ship_to_address == Address(
        "1250 Rue Sainte-Catherine", "Suite 4", "San Francisco", "CA", "94107", "US", False
    )
    assert shipment.ship_to_contact == Contact(
        "Zoë O'Brien", "Alta Ace Bar", "zoe@example.com", "+1 (415) 555-0134"
    )
    first, second = shipment.packages
    assert first.id == PACKAGE_IDS[0] and first.line_nbr == 1 and first.box_id == "LARGE"
    assert first.weight == Decimal("8.25") and first.uom == "LB" and first.length == Decimal("16")
    assert first.declared_value == Decimal("150.1") and first.tracking_nbr == "1Z999AA10123456784"
    assert second.tracking_nbr == "" and second.length is None
    assert shipment.tracking_numbers == ("1Z999AA10123456784",)
    assert [(o.order_type, o.order_nbr) for o in shipment.orders] == [("SO", "SO004512")]
    assert shipment.note == "Leave at loading dock 3"
    assert shipment.custom == {"Document": {"UsrUpsStatus": "In transit"}}
    assert shipment.files[0].filename.endswith("Label #1Z999AA10123456784.zpl")


def test_shipment_without_expanded_parts_parses() -> None:
    shipment = shipment_from_json({"id": SHIPMENT_ID, "ShipmentNbr": {"value": "000200"}})
    assert (
        shipment.shipment_nbr == "000200"
        and shipment.packages == ()
        and shipment.ship_to_address == Address()
    )


def test_sales_order_uses_last_modified_and_customer_order() -> None:
    order = sales_order_from_json(sales_order_json(note="Rush"))
    assert (order.order_type, order.order_nbr, order.customer_order, order.note) == (
        "SO",
        "SO004512",
        "PO-7781",
        "Rush",
    )
    assert order.last_modified == datetime(2026, 11, 24, 15, tzinfo=UTC)


# -- errors -------------------------------------------------------------------------------------


def _response(status: int, body: object) -> requests.Response:
    import json

    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.headers["Content-Type"] = "application/json"
    response.url = "https://acme.example.com/entity/Default/24.200.001/Shipment"
    return response


def test_missing_record_500_is_not_found() -> None:
    error = error_for(
        _response(
            500,
            {"message": "An error has occurred.", "exceptionMessage": "No entity satisfies the condition."},
        ),
        doing="read shipment 999999",
    )
    assert isinstance(error, NotFound) and "999999" in str(error)


def test_422_lists_every_refused_field() -> None:
    body = shipment_json()
    body["error"] = "Inserting 'Shipment' record raised at least one error."
    body["Packages"][1]["TrackingNbr"] = {"value": "x" * 61, "error": "Tracking Number is too long."}
    error = error_for(_response(422, body), doing="save the tracking numbers on shipment 000123")
    assert isinstance(error, ApiRefused)
    assert "Packages[2].TrackingNbr: Tracking Number is too long." in str(error)
    assert "Inserting 'Shipment' record raised at least one error." in str(error)


def test_server_error_never_shows_the_stack_trace() -> None:
    error = error_for(
        _response(
            500,
            {
                "message": "An error has occurred.",
                "exceptionMessage": "Boom",
                "stackTrace": "at PX.Api.Internal",
            },
        ),
        doing="list the ready shipments",
    )
    assert isinstance(error, ServerError) and "Boom" in str(error) and "PX.Api" not in str(error)


# -- errors as Acumatica sends them (tests/samples/, provenance in its README) ---------------------------


def _sample(name: str) -> object:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


def test_outcome_entity_has_errors_500_is_a_refusal_with_acumatica_sentence() -> None:
    """tests/samples/acumatica_500_outcome_entity_has_errors.json (constructed from the reported envelope)."""
    error = error_for(_response(500, _sample("acumatica_500_outcome_entity_has_errors.json")),
                      doing="save the tracking numbers on shipment 000123")
    assert isinstance(error, ApiRefused) and not isinstance(error, ServerError)
    assert not error.retryable and error.status == 500
    assert str(error).startswith("Acumatica refused to save the tracking numbers on shipment 000123: Updating "
                                 "'Shipment' record raised at least one error. Please review the errors.")
    assert "Correct the record in Acumatica" in str(error) and "…" not in str(error)


def test_outcome_entity_has_errors_names_fields_acumatica_lists() -> None:
    body = dict(_sample("acumatica_500_outcome_entity_has_errors.json"))  # type: ignore[arg-type]
    body["modelState"] = {"ShipVia": ["Ship Via 'UPSGROUND' cannot be found in the system."]}
    error = error_for(_response(500, body), doing="save shipment 000123")
    assert isinstance(error, RecordRefused)
    assert error.fields == (("ShipVia", "Ship Via 'UPSGROUND' cannot be found in the system."),)
    assert "ShipVia: Ship Via 'UPSGROUND' cannot be found in the system." in str(error)


def test_a_refused_record_names_the_field_in_a_detail_row() -> None:
    """tests/samples/acumatica_422_record_with_field_errors_acumatica_client_test.json (Acumatica's own client test)."""
    error = error_for(_response(422, _sample("acumatica_422_record_with_field_errors_acumatica_client_test.json")),
                      doing="save the bill")
    assert isinstance(error, RecordRefused) and not error.retryable
    assert error.fields == (("Details[1].Project", "Project 'TES2323T  ' cannot be found in the system."),)
    assert "Inserting 'AP Transactions' record raised at least one error" in str(error)
    assert "Correct the record in Acumatica" in str(error)


@pytest.mark.parametrize(("name", "kind"), [
    ("acumatica_500_no_entity_satisfies_condition.json", NotFound),  # pass-culture's fixture, verbatim
])
def test_other_500s_keep_their_meaning(name: str, kind: type) -> None:
    assert isinstance(error_for(_response(500, _sample(name)), doing="read shipment 000123"), kind)


def test_a_real_outage_stays_retryable() -> None:
    error = error_for(_response(500, {"message": "An error has occurred.", "exceptionMessage": "Timeout expired.",
                                      "exceptionType": "System.Data.SqlClient.SqlException"}),
                      doing="save the tracking numbers on shipment 000123")
    assert isinstance(error, ServerError) and error.retryable
