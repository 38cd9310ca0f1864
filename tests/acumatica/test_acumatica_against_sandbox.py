"""The client against the local Acumatica sandbox: real HTTP on 127.0.0.1, real sessions and seats."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from shipdesk.acumatica.auth import CookieAuth, OAuthAuth
from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.errors import TrackingNotSaved
from shipdesk.errors import (
    ApiRefused,
    AuthenticationFailed,
    EndpointVersionNotFound,
    LoginLimitReached,
    NotFound,
    ServerError,
)
from shipdesk.net.retry import no_wait_policy
from shipdesk.net.transport import Transport

sandbox_app = pytest.importorskip("shipdesk.sandbox.acumatica.app")


@pytest.fixture
def sandbox() -> Iterator[Any]:
    server = sandbox_app.AcumaticaSandbox(port=0, max_sessions=2)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def stats(sandbox: Any) -> dict[str, Any]:
    return requests.get(f"{sandbox.url}/_sandbox/stats", timeout=5).json()


def client_for(sandbox: Any, *, version: str = "24.200.001", password: str = "demo") -> AcumaticaClient:
    transport = Transport("Acumatica", policy=no_wait_policy(3), sleep=lambda _s: None)
    return AcumaticaClient(url=sandbox.tenant_url, version=version, transport=transport,
                           auth=CookieAuth("admin", password, "Demo"), action_poll_seconds=0.01)


def test_fifty_commands_never_hit_the_login_limit(sandbox: Any) -> None:
    for _ in range(50):
        with client_for(sandbox) as acu:
            assert acu.ready_shipments(statuses=("On Hold",))
    after = stats(sandbox)
    assert after["login_limit_hits"] == 0
    assert after["logins"] == 50
    assert after["sessions_open"] == 0


def test_a_third_open_session_hits_the_limit_with_a_useful_message(sandbox: Any) -> None:
    with client_for(sandbox) as first, client_for(sandbox) as second:
        first.login()
        second.login()
        with client_for(sandbox) as third, pytest.raises(LoginLimitReached, match="SM604000"):
            third.login()
    assert stats(sandbox)["sessions_open"] == 0


@pytest.mark.parametrize("body", ["json", "html", "iis"])
def test_a_429_sign_in_is_the_api_login_limit_whatever_its_body(sandbox: Any, body: str) -> None:
    """Acumatica's JSON, a page titled "API Login Limit", or IIS's bare sentence
    (tests/samples/acumatica_login_429_iis_plain_text.txt): every 429 on sign-in is the login limit."""
    sandbox.login_limit_body = body
    with client_for(sandbox) as first, client_for(sandbox) as second:
        first.login()
        second.login()
        with client_for(sandbox) as third, pytest.raises(LoginLimitReached) as refused:
            third.login()
    message = str(refused.value)
    assert "API login limit" in message and refused.value.status == 429 and refused.value.retryable
    assert "password" not in message and "custom error module" not in message and "<" not in message


def test_wrong_password_names_user_and_tenant(sandbox: Any) -> None:
    with client_for(sandbox, password="not-it") as acu, pytest.raises(AuthenticationFailed) as caught:
        acu.login()
    assert "admin" in str(caught.value) and "Demo" in str(caught.value) and "not-it" not in str(caught.value)


def test_unknown_version_lists_the_published_ones(sandbox: Any) -> None:
    with client_for(sandbox, version="24.300.001") as acu, pytest.raises(EndpointVersionNotFound) as caught:
        acu.get_shipment("SH000101")
    assert "24.300.001" in str(caught.value)
    assert caught.value.available == ["22.200.001", "23.200.001", "24.200.001"]


@pytest.mark.parametrize("version", ["22.200.001", "24.200.001"])
def test_ready_shipments_come_expanded_and_typed(sandbox: Any, version: str) -> None:
    with client_for(sandbox, version=version) as acu:
        ready = {s.shipment_nbr: s for s in acu.ready_shipments()}
        held = acu.ready_shipments(statuses=("On Hold",))
    assert {s.status for s in ready.values()} == {"Open"}
    assert "SH000101" in ready and "SH000113" not in ready
    assert {s.shipment_nbr for s in held} >= {"SH000113", "SH000114"}
    plain = ready["SH000101"]
    assert plain.ship_to_address.city and plain.ship_to_address.postal_code and plain.packages
    assert plain.packages[0].id and plain.packages[0].weight
    assert ready["SH000103"].packages and len(ready["SH000103"].packages) == 3
    assert plain.orders and plain.last_modified is not None


def test_watermark_returns_only_what_changed(sandbox: Any) -> None:
    with client_for(sandbox) as acu:
        everything = acu.ready_shipments()
        watermark = max(s.last_modified for s in everything if s.last_modified)
        target = acu.get_shipment("SH000132")
        acu.set_note_status_line("Shipment", ["SH000132"], "touched")
        changed = acu.ready_shipments(modified_since=watermark)
    assert "SH000132" in {s.shipment_nbr for s in changed}
    assert len(changed) < len(everything)
    assert target.status == "Open"


def test_write_back_flow_tracking_file_note_confirm(sandbox: Any) -> None:
    with client_for(sandbox) as acu:
        shipment = acu.get_shipment("SH000103")
        numbers = {p.id: f"1Z999AA1012345678{i}" for i, p in enumerate(shipment.packages)}
        saved = acu.write_tracking(shipment, numbers)
        assert {p.id: p.tracking_nbr for p in saved.packages} == numbers
        acu.attach_file("SH000103", "Label #1Z999AA10123456780.zpl", b"^XA^XZ")
        assert acu.set_note_status_line("Shipment", ["SH000103"], "Label printed")
        acu.confirm_shipment("SH000103")
        reread = acu.get_shipment("SH000103")
    assert reread.status == "Confirmed"
    assert reread.tracking_numbers == tuple(numbers.values())
    assert any(f.filename.endswith("Label #1Z999AA10123456780.zpl") for f in reread.files)
    assert reread.note.endswith("[shipdesk] Label printed")


def test_confirmed_shipment_keeps_no_tracking(sandbox: Any) -> None:
    with client_for(sandbox) as acu:
        shipment = acu.get_shipment("SH000115")
        with pytest.raises(TrackingNotSaved, match="correct the shipment first"):
            acu.write_tracking(shipment, {p.id: "1Z999AA10123456784" for p in shipment.packages})
        acu.correct_shipment("SH000115")
        reopened = acu.get_shipment("SH000115")
        saved = acu.write_tracking(reopened, {p.id: "1Z999AA10123456784" for p in reopened.packages})
    assert reopened.status == "Open" and saved.tracking_numbers


@pytest.mark.parametrize("status", [422, 500])
def test_a_record_acumatica_refuses_is_a_refusal_not_an_outage(sandbox: Any, status: int) -> None:
    """A business rule refuses the shipment: as 422 with the record (the documented form) or as 500
    OutcomeEntityHasErrorsException, as integrators meet it (tests/samples/acumatica_500_outcome_entity_has_errors
    .json)."""
    sandbox.documents.refusal_status = status
    sandbox.refuse_saves("SH000103", "ShipVia", "Ship Via 'UPSGROUND' cannot be found in the system.")
    with client_for(sandbox) as acu:
        shipment = acu.get_shipment("SH000103")
        with pytest.raises(ApiRefused) as refused:
            acu.write_tracking(shipment, {p.id: "1Z999AA10123456784" for p in shipment.packages})
    error = refused.value
    assert not isinstance(error, ServerError) and not error.retryable and error.status == status
    assert "Updating 'Shipment' record raised at least one error" in str(error)  # Acumatica's sentence
    assert "Correct the record in Acumatica" in str(error)
    if status == 422:  # the record names the field to fix
        assert "ShipVia: Ship Via 'UPSGROUND' cannot be found in the system." in str(error)


def test_missing_shipment_and_sales_order_and_ship_via(sandbox: Any) -> None:
    with client_for(sandbox) as acu:
        with pytest.raises(NotFound):
            acu.get_shipment("NOPE99")
        shipment = acu.get_shipment("SH000127")
        order = acu.get_sales_order(shipment.orders[0].order_type, shipment.orders[0].order_nbr)
        codes = dict(acu.ship_via_codes())
    assert order.order_nbr == shipment.orders[0].order_nbr
    assert "UPSGROUND" in codes


def test_oauth_password_grant_against_sandbox(sandbox: Any) -> None:
    auth = OAuthAuth(sandbox_app.DEFAULT_OAUTH_CLIENT_ID, "demo", "admin", "demo")
    transport = Transport("Acumatica", policy=no_wait_policy(3), sleep=lambda _s: None)
    with AcumaticaClient(url=sandbox.tenant_url, version="24.200.001", auth=auth, transport=transport) as acu:
        assert acu.get_shipment("SH000101").shipment_nbr == "SH000101"
    assert auth.grants == 1


def test_carrier_plugins_read_the_external_plugin_box_as_the_ship_via_screen_binds_it(sandbox: Any) -> None:
    with client_for(sandbox) as acu:
        assert acu.carrier_plugin_fields_listed()
        found = acu.carrier_plugins()
    assert found.active == {"UPSPLUGIN"} and found.plugin_ids == {"UPSPLUGIN": "UPS"}
    assert found.unknown == frozenset()  # UPSPLUGOFF names a plug-in but its box is unticked: not active


def test_custom_fields_of_a_confirmed_shipment_are_read_back_and_what_did_not_stick_is_named(sandbox: Any) -> None:
    from shipdesk.acumatica.errors import FieldsNotSaved

    with client_for(sandbox) as acu:
        acu.set_custom_fields("SH000101", {"UsrUpsStatus": "In transit"})  # Open: kept
        with pytest.raises(FieldsNotSaved) as dropped:
            acu.set_custom_fields("SH000115", {"UsrUpsStatus": "Delivered", "UsrSignedBy": "J SMITH"})
        assert acu.set_note_status_line("Shipment", ["SH000115"], "UPS: Delivered")  # the note sticks
    assert set(dropped.value.fields) == {"UsrUpsStatus", "UsrSignedBy"}
    assert dropped.value.fields["UsrUpsStatus"] == ("Delivered", None) and dropped.value.record_status == "Confirmed"
    assert "status Confirmed" in str(dropped.value) and "read-only" in str(dropped.value)


def test_the_notes_of_many_records_come_in_a_few_list_reads_and_each_put_is_read_back(sandbox: Any) -> None:
    """A dense run of numbers is read as a range (a page of up to 500 a request), scattered ones by name; a
    record missing from the answer is simply not there (the caller reads it alone)."""
    with sandbox.lock:
        made = sandbox.documents.copy_shipments("SH000101", 30, "NT", status="Confirmed")
        sandbox.documents.shipment(made[3])["note"] = "Dock 4"
    wanted = [(nbr,) for nbr in made[:20]] + [(made[25],), ("SH000101",), ("NT999999",)]
    with client_for(sandbox) as acu:
        acu.login()
        before = stats(sandbox)["requests"]
        notes = acu.read_notes("Shipment", wanted)
        reads = {route: n - before.get(route, 0) for route, n in stats(sandbox)["requests"].items()
                 if n != before.get(route, 0)}
        assert notes[(made[3],)] == "Dock 4" and notes[(made[0],)] == ""
        assert set(notes) == set(wanted) - {("NT999999",)}
        assert sum(n for route, n in reads.items() if route.startswith("GET ")) == 2  # one range, one by names

        with pytest.raises(ApiRefused, match="UsrUpsStatus") as refused:  # Confirmed: the field is dropped, and said
            acu.save_note("Shipment", [made[3]], "Dock 4\n[shipdesk] UPS: Delivered",
                          custom={"UsrUpsStatus": "Delivered"})
        assert list(refused.value.fields) == ["UsrUpsStatus"]  # the note stuck in the same PUT
    with sandbox.lock:
        assert sandbox.documents.shipment(made[3])["note"] == "Dock 4\n[shipdesk] UPS: Delivered"
