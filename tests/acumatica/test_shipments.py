"""Shipment reads and write-backs against `responses`: URLs, bodies, read-back checks, actions."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import responses

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.errors import TrackingNotSaved
from shipdesk.acumatica.parse import shipment_from_json
from shipdesk.errors import ApiRefused, NotFound, OutcomeUnknown
from tests.acumatica.conftest import BASE, ROOT, assert_bodies_follow_spec, count, make_client
from tests.acumatica.samples import PACKAGE_IDS, SHIPMENT_ID, sales_order_json, shipment_json

EXPAND = "Packages,Orders,ShippingSettings,ShippingSettings/ShipToAddress,ShippingSettings/ShipToContact"
TRACKING = ("1Z999AA10123456784", "1Z999AA10123456793")


def _query(call: responses.Call) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(call.request.url).query).items()}


def _last_put(mocked: responses.RequestsMock) -> responses.Call:
    return [c for c in mocked.calls if c.request.method == "PUT"][-1]


def _json_body(call: responses.Call) -> dict:
    return json.loads(call.request.body)


def echo_put(record: dict[str, Any]) -> Callable[[Any], tuple[int, dict[str, str], str]]:
    """A PUT answered as Acumatica does when it keeps what it was sent: the record with the note and custom values
    written (the client reads them back)."""
    def answer(request: Any) -> tuple[int, dict[str, str], str]:
        sent = json.loads(request.body)
        return 200, {}, json.dumps({**record, **{k: v for k, v in sent.items() if k in ("note", "custom")}})
    return answer


# -- reading -----------------------------------------------------------------------------------


def test_ready_shipments_is_one_filtered_expanded_get(client: AcumaticaClient, mocked) -> None:
    mocked.add(responses.GET, f"{ROOT}/Shipment", json=[shipment_json("000123"), shipment_json("000124")])
    since = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)
    shipments = client.ready_shipments(statuses=("Open", "On Hold"), modified_since=since)
    assert [s.shipment_nbr for s in shipments] == ["000123", "000124"]
    gets = [c for c in mocked.calls if c.request.method == "GET"]
    assert len(gets) == 1
    params = _query(gets[0])
    assert params["$filter"] == (
        "(Status eq 'Open' or Status eq 'On Hold') and "
        "LastModifiedDateTime gt datetimeoffset'2026-11-23T10:00:00Z'"
    )
    assert params["$expand"] == EXPAND
    assert "$top" not in params and "+" not in gets[0].request.url


def test_ready_shipments_pages_with_top_and_skip(client: AcumaticaClient, mocked) -> None:
    for page in (["1", "2"], ["3", "4"], ["5"]):
        mocked.add(responses.GET, f"{ROOT}/Shipment", json=[shipment_json(n) for n in page])
    shipments = client.ready_shipments(top=2)
    assert [s.shipment_nbr for s in shipments] == ["1", "2", "3", "4", "5"]
    pages = [_query(c) for c in mocked.calls if c.request.method == "GET"]
    assert [(p["$top"], p["$skip"]) for p in pages] == [("2", "0"), ("2", "2"), ("2", "4")]


def test_optimization_failure_falls_back_to_reading_each_key(client: AcumaticaClient, mocked) -> None:
    mocked.add(
        responses.GET,
        f"{ROOT}/Shipment",
        status=500,
        json={
            "message": "An error has occurred.",
            "exceptionMessage": "Optimization cannot be performed. The query includes detail entities.",
        },
    )
    mocked.add(
        responses.GET,
        f"{ROOT}/Shipment",
        json=[
            {"id": "a", "ShipmentNbr": {"value": "000123"}},
            {"id": "b", "ShipmentNbr": {"value": "000124"}},
        ],
    )
    mocked.add(responses.GET, f"{ROOT}/Shipment/000123", json=shipment_json("000123"))
    mocked.add(
        responses.GET,
        f"{ROOT}/Shipment/000124",
        status=500,
        json={"message": "No entity satisfies the condition."},
    )  # deleted meanwhile: skipped
    shipments = client.ready_shipments()
    assert [s.shipment_nbr for s in shipments] == ["000123"]
    key_list = _query(mocked.calls[2])
    assert key_list["$select"] == "ShipmentNbr" and "$expand" not in key_list
    assert _query(mocked.calls[3])["$expand"] == EXPAND


def test_a_number_that_would_not_survive_a_url_path_is_found_by_filter_then_used_by_id(
        client: AcumaticaClient, mocked) -> None:
    """Key values are slash-delimited in the path, and IIS decodes %2F to a slash before routing: Acumatica's help
    says to refer to such a record by its entity ID (issue 12.10)."""
    mocked.add(responses.GET, f"{ROOT}/Shipment", json=[shipment_json("SH/00 12")])
    mocked.add(responses.GET, f"{ROOT}/Shipment/{SHIPMENT_ID}", json=shipment_json("SH/00 12"))
    files_put = f"{ROOT}/files/PX.Objects.SO.SOShipmentEntry/Document/"
    mocked.add(responses.PUT, f"{files_put}{SHIPMENT_ID}/Label%20%231Z999AA10123456784.zpl", status=204)

    assert client.get_shipment("SH/00 12").shipment_nbr == "SH/00 12"
    first = mocked.calls[-1].request
    assert _query(mocked.calls[-1])["$filter"] == "ShipmentNbr eq 'SH/00 12'"
    assert urlsplit(first.url).path.endswith("/Shipment")  # the number only ever in the query string
    client.get_shipment("SH/00 12")
    client.attach_file("SH/00 12", "Label #1Z999AA10123456784.zpl", b"^XA")
    assert [urlsplit(c.request.url).path.rsplit("/", 1)[-1] for c in mocked.calls[-2:]] == [
        SHIPMENT_ID, "Label%20%231Z999AA10123456784.zpl"]
    assert all("SH" not in urlsplit(c.request.url).path for c in mocked.calls)


@pytest.mark.parametrize("nbr", ["SH/0012", "SH|0012", "SH+1", "SH.1", "SH&1", "SH%2F1"])
def test_only_letters_digits_dash_and_underscore_go_into_a_path(client: AcumaticaClient, mocked, nbr) -> None:
    mocked.add(responses.GET, f"{ROOT}/Shipment", json=[shipment_json(nbr)])
    client.get_shipment(nbr)
    assert urlsplit(mocked.calls[-1].request.url).path.endswith("/Shipment")


def test_a_number_acumatica_does_not_have_is_not_found(client: AcumaticaClient, mocked) -> None:
    mocked.add(responses.GET, f"{ROOT}/Shipment", json=[])
    with pytest.raises(NotFound, match="no Shipment SH/0012"):
        client.get_shipment("SH/0012")


def test_missing_shipment_is_not_found(client: AcumaticaClient, mocked) -> None:
    mocked.add(
        responses.GET,
        f"{ROOT}/Shipment/999999",
        status=500,
        json={
            "message": "An error has occurred.",
            "exceptionMessage": "No entity satisfies the condition.",
            "exceptionType": "PX.Api.ContractBased.NoEntitySatisfiesTheConditionException",
        },
    )
    with pytest.raises(NotFound) as caught:
        client.get_shipment("999999")
    assert "999999" in str(caught.value)
    assert count(mocked.calls, "GET", f"{BASE}/entity?") + count(mocked.calls, "GET", f"{BASE}/entity") == 1


def test_sales_order_and_ship_via(client: AcumaticaClient, mocked) -> None:
    mocked.add(responses.GET, f"{ROOT}/SalesOrder/SO/SO004512", json=sales_order_json())
    mocked.add(
        responses.GET,
        f"{ROOT}/ShipVia",
        json=[
            {"id": "1", "CarrierID": {"value": "UPSGROUND"}, "Description": {"value": "UPS Ground"}},
            {"id": "2", "CarrierID": {"value": "WILLCALL"}, "Description": {"value": "Customer pick-up"}},
        ],
    )
    assert client.get_sales_order("SO", "SO004512").customer_order == "PO-7781"
    assert client.ship_via_codes() == [("UPSGROUND", "UPS Ground"), ("WILLCALL", "Customer pick-up")]
    assert _query(mocked.calls[-1])["$select"] == "CarrierID,Description"


# -- write tracking ----------------------------------------------------------------------------


def test_write_tracking_puts_rows_by_id_and_reads_back(client: AcumaticaClient, mocked) -> None:
    mocked.add(responses.PUT, f"{ROOT}/Shipment", json=shipment_json(tracking=TRACKING))
    shipment = shipment_from_json(shipment_json())
    saved = client.write_tracking(
        shipment, dict(zip(PACKAGE_IDS, TRACKING, strict=True)), freight_cost=Decimal("18.40")
    )
    assert saved.tracking_numbers == TRACKING
    put = next(c for c in mocked.calls if c.request.method == "PUT")
    assert _json_body(put) == {
        "ShipmentNbr": {"value": "000123"},
        "id": SHIPMENT_ID,
        "Packages": [
            {"id": PACKAGE_IDS[0], "TrackingNbr": {"value": TRACKING[0]}},
            {"id": PACKAGE_IDS[1], "TrackingNbr": {"value": TRACKING[1]}},
        ],
        "FreightCost": {"value": 18.4},
    }
    assert _query(put)["$expand"] == EXPAND


def test_write_tracking_on_confirmed_shipment_says_what_to_do(client: AcumaticaClient, mocked) -> None:
    # Acumatica answers 200 but package rows are read-only once Confirmed: nothing was kept
    mocked.add(responses.PUT, f"{ROOT}/Shipment", json=shipment_json(status="Confirmed"))
    shipment = shipment_from_json(shipment_json(status="Confirmed"))
    with pytest.raises(TrackingNotSaved) as caught:
        client.write_tracking(shipment, dict(zip(PACKAGE_IDS, TRACKING, strict=True)))
    error = caught.value
    assert isinstance(error, ApiRefused)
    assert (
        error.missing == dict(zip(PACKAGE_IDS, TRACKING, strict=True))
        and error.shipment_status == "Confirmed"
    )
    text = str(error)
    assert "2 of 2 packages of shipment 000123" in text and "package 1: wanted 1Z999AA10123456784" in text
    assert "read-only once a shipment is Confirmed" in text and "correct the shipment first" in text


def test_write_tracking_partial_overwrite_is_reported(client: AcumaticaClient, mocked) -> None:
    mocked.add(
        responses.PUT, f"{ROOT}/Shipment", json=shipment_json(tracking=(TRACKING[0], "1ZCARRIERPLUGIN01"))
    )
    with pytest.raises(TrackingNotSaved) as caught:
        client.write_tracking(
            shipment_from_json(shipment_json()), dict(zip(PACKAGE_IDS, TRACKING, strict=True))
        )
    assert list(caught.value.missing) == [PACKAGE_IDS[1]]
    assert "1ZCARRIERPLUGIN01" in str(caught.value) and "carrier plug-in" in str(caught.value)


def test_write_tracking_refuses_unknown_package_ids(client: AcumaticaClient, mocked) -> None:
    with pytest.raises(ValueError):
        client.write_tracking(shipment_from_json(shipment_json()), {"not-a-row": TRACKING[0]})
    assert len(mocked.calls) == 0


def test_clear_tracking_blanks_every_labelled_package(client: AcumaticaClient, mocked) -> None:
    mocked.add(responses.PUT, f"{ROOT}/Shipment", json=shipment_json())
    saved = client.clear_tracking(shipment_from_json(shipment_json(tracking=TRACKING)))
    assert saved.tracking_numbers == ()
    rows = _json_body(_last_put(mocked))["Packages"]
    assert rows == [{"id": p, "TrackingNbr": {"value": ""}} for p in PACKAGE_IDS]


def test_422_on_write_lists_the_field_error(client: AcumaticaClient, mocked) -> None:
    refused = shipment_json()
    refused["Packages"][0]["TrackingNbr"] = {"value": "X", "error": "The value is too long."}
    mocked.add(responses.PUT, f"{ROOT}/Shipment", status=422, json=refused)
    with pytest.raises(ApiRefused, match=r"Packages\[1\]\.TrackingNbr: The value is too long"):
        client.write_tracking(shipment_from_json(shipment_json()), {PACKAGE_IDS[0]: "X"})


# -- files, custom fields, notes --------------------------------------------------------------


def test_attach_file_encodes_hash_and_space(client: AcumaticaClient, mocked) -> None:
    url = f"{ROOT}/Shipment/000123/files/Label%20%231Z999AA10123456784.zpl"
    mocked.add(responses.PUT, url, status=204)
    client.attach_file("000123", "Label #1Z999AA10123456784.zpl", b"^XA^FDlabel^XZ")
    put = next(c for c in mocked.calls if c.request.method == "PUT")
    assert put.request.url == url
    assert put.request.headers["Content-Type"] == "application/octet-stream"
    assert put.request.body == b"^XA^FDlabel^XZ"
    assert unquote(urlsplit(put.request.url).path).endswith("/files/Label #1Z999AA10123456784.zpl")


def test_set_custom_fields_uses_typed_custom_format(client: AcumaticaClient, mocked) -> None:
    mocked.add_callback(responses.PUT, f"{ROOT}/Shipment", callback=echo_put(shipment_json()))
    client.set_custom_fields(
        "000123",
        {
            "UsrUpsStatus": "Delivered",
            "UsrDelivered": True,
            "UsrDeliveredAt": datetime(2026, 11, 25, 14, 3, tzinfo=UTC),
        },
    )
    assert _json_body(_last_put(mocked)) == {
        "ShipmentNbr": {"value": "000123"},
        "custom": {
            "Document": {
                "UsrUpsStatus": {"type": "CustomStringField", "value": "Delivered"},
                "UsrDelivered": {"type": "CustomBooleanField", "value": True},
                "UsrDeliveredAt": {"type": "CustomDateTimeField", "value": "2026-11-25T14:03:00+00:00"},
            }
        },
    }


def test_note_status_line_keeps_human_text_and_writes_only_on_change(client: AcumaticaClient, mocked) -> None:
    human = "Customer asked for a call\n[shipdesk] In transit\nGate code 4411"
    mocked.add(responses.GET, f"{ROOT}/SalesOrder/SO/SO004512", json=sales_order_json(note=human))
    mocked.add_callback(responses.PUT, f"{ROOT}/SalesOrder", callback=echo_put(sales_order_json()))
    assert client.set_note_status_line(
        "SalesOrder", ["SO", "SO004512"], "Delivered 2026-11-25, signed J. DOE"
    )
    put = next(c for c in mocked.calls if c.request.method == "PUT")
    body = _json_body(put)
    assert body["note"] == {
        "value": "Customer asked for a call\n[shipdesk] Delivered 2026-11-25, signed J. DOE\nGate code 4411"
    }
    assert body["OrderType"] == {"value": "SO"} and body["OrderNbr"] == {"value": "SO004512"} and body["id"]

    mocked.replace(
        responses.GET, f"{ROOT}/SalesOrder/SO/SO004512", json=sales_order_json(note=body["note"]["value"])
    )
    assert not client.set_note_status_line(
        "SalesOrder", ["SO", "SO004512"], "Delivered 2026-11-25, signed J. DOE"
    )
    assert count(mocked.calls, "PUT", ROOT) == 1


# -- actions -----------------------------------------------------------------------------------


def test_confirm_polls_location_until_done_without_doubling_the_instance_path(mocked) -> None:
    mocked.add(responses.POST, f"{BASE}/entity/auth/login", status=204)
    mocked.add(responses.POST, f"{BASE}/entity/auth/logout", status=204)
    status_path = "/AcumaticaERP/entity/Default/24.200.001/Shipment/ConfirmShipment/status/5f1c"
    mocked.add(
        responses.POST, f"{ROOT}/Shipment/ConfirmShipment", status=202, headers={"Location": status_path}
    )
    status_url = f"https://acme.example.com{status_path}"
    mocked.add(responses.GET, status_url, status=202)
    mocked.add(responses.GET, status_url, status=202)
    mocked.add(responses.GET, status_url, status=204)
    sleeps: list[float] = []
    with make_client() as acu:
        acu._sleep = sleeps.append  # count the waits instead of sleeping
        acu.confirm_shipment("000123")
    assert count(mocked.calls, "GET", status_url) == 3 and len(sleeps) == 3
    post = next(c for c in mocked.calls if c.request.url.endswith("/ConfirmShipment"))
    assert _json_body(post) == {"entity": {"ShipmentNbr": {"value": "000123"}}, "parameters": {}}


def test_correct_shipment_done_at_once(client: AcumaticaClient, mocked) -> None:
    mocked.add(responses.POST, f"{ROOT}/Shipment/CorrectShipment", status=204)
    client.correct_shipment("000123")
    assert count(mocked.calls, "POST", f"{ROOT}/Shipment/CorrectShipment") == 1


def test_action_that_never_finishes_stops_waiting(session_routes) -> None:
    session_routes.add(
        responses.POST,
        f"{ROOT}/Shipment/ConfirmShipment",
        status=202,
        headers={"Location": "/AcumaticaERP/entity/Default/24.200.001/status/1"},
    )
    session_routes.add(responses.GET, f"{ROOT}/status/1", status=202)
    with (
        make_client(action_poll_seconds=1.0, action_timeout_seconds=5.0) as acu,
        pytest.raises(OutcomeUnknown, match="still working"),
    ):
        acu.confirm_shipment("000123")
    assert count(session_routes.calls, "GET", f"{ROOT}/status/1") == 5


@pytest.mark.parametrize("version", ["22.200.001", "23.200.001", "24.200.001"])
def test_write_bodies_follow_every_supported_spec(session_routes, version: str) -> None:
    root = f"{BASE}/entity/Default/{version}"
    session_routes.add(responses.PUT, f"{root}/Shipment", json=shipment_json(tracking=TRACKING))
    session_routes.add(responses.GET, f"{root}/Shipment/000123", json=shipment_json())
    session_routes.add(responses.POST, f"{root}/Shipment/ConfirmShipment", status=204)
    session_routes.add(responses.POST, f"{root}/Shipment/CorrectShipment", status=204)
    with make_client(version=version) as acu:
        acu.write_tracking(
            shipment_from_json(shipment_json()),
            dict(zip(PACKAGE_IDS, TRACKING, strict=True)),
            freight_cost=Decimal("12.00"),
        )
        session_routes.replace(responses.PUT, f"{root}/Shipment", json=shipment_json())
        acu.clear_tracking(shipment_from_json(shipment_json(tracking=TRACKING)))
        session_routes.remove(responses.PUT, f"{root}/Shipment")
        session_routes.add_callback(responses.PUT, f"{root}/Shipment", callback=echo_put(shipment_json()))
        acu.set_custom_fields("000123", {"UsrUpsStatus": "Delivered", "UsrWeight": Decimal("1.5")})
        acu.set_note_status_line("Shipment", ["000123"], "Label printed")
        acu.confirm_shipment("000123")
        acu.correct_shipment("000123")
    assert assert_bodies_follow_spec(session_routes.calls, version) == 6


def test_the_spec_check_catches_an_unwrapped_value(session_routes) -> None:
    """Guard for the check above: a bare value where Acumatica wants {"value": ...} is caught."""
    from shipdesk.specs import SpecViolation

    session_routes.add(responses.PUT, f"{ROOT}/Shipment", json=shipment_json())
    with make_client() as acu:
        acu.transport.request("PUT", f"{ROOT}/Shipment", json={"ShipmentNbr": "000123"})
    with pytest.raises(SpecViolation):
        assert_bodies_follow_spec(session_routes.calls)
    session_routes.calls.reset()  # the fixture's own check would fail on it too
