"""The Acumatica sandbox's entity routes: answers valid per the vendor spec, behaving as Acumatica does."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from shipdesk.sandbox.acumatica.app import AcumaticaSandbox
from shipdesk.specs import validate_acumatica_response

V24 = "24.200.001"
EXPAND = "Packages,Orders,ShippingSettings,ShippingSettings/ShipToAddress,ShippingSettings/ShipToContact"


@pytest.fixture
def sandbox(acumatica_sandbox_shared: AcumaticaSandbox) -> AcumaticaSandbox:
    """The module's sandbox, back to the seed data with no faults."""
    acumatica_sandbox_shared.clear_faults()
    acumatica_sandbox_shared.reset()
    return acumatica_sandbox_shared


@pytest.fixture
def session(sandbox: AcumaticaSandbox) -> Iterator[requests.Session]:
    """Logged in with the demo credentials; logged out afterwards so the seat is free again."""
    with requests.Session() as logged_in:
        answer = logged_in.post(f"{sandbox.tenant_url}/entity/auth/login",
                                json={"name": "admin", "password": "demo", "tenant": "Demo"}, timeout=5)
        assert answer.status_code == 204
        yield logged_in
        logged_in.post(f"{sandbox.tenant_url}/entity/auth/logout", timeout=5)


def entity_url(sandbox: AcumaticaSandbox, rel: str, version: str = V24) -> str:
    return f"{sandbox.tenant_url}/entity/Default/{version}{rel}"


def get_checked(session: requests.Session, sandbox: AcumaticaSandbox, rel: str, version: str = V24,
                **params: str) -> requests.Response:
    answer = session.get(entity_url(sandbox, rel, version), params=params, timeout=5)
    validate_acumatica_response(version, "GET", rel, answer.status_code, answer.json())
    return answer


def shipment(session: requests.Session, sandbox: AcumaticaSandbox, nbr: str, version: str = V24) -> dict:
    return get_checked(session, sandbox, f"/Shipment/{nbr}", version, **{"$expand": EXPAND}).json()


def test_entity_lists_the_three_versions(sandbox):
    listing = requests.get(f"{sandbox.tenant_url}/entity", timeout=5).json()
    assert [e["version"] for e in listing["endpoints"]] == ["22.200.001", "23.200.001", "24.200.001"]
    assert all(e["href"].startswith("/AcumaticaERP/entity/Default/") for e in listing["endpoints"])


def test_unknown_version_or_endpoint_is_a_plain_404(sandbox, session):
    for rel in ("/entity/Default/20.200.001/Shipment", "/entity/Custom/24.200.001/Shipment"):
        answer = session.get(sandbox.tenant_url + rel, timeout=5)
        assert answer.status_code == 404
        assert "json" not in answer.headers["Content-Type"]


@pytest.mark.parametrize("version", ["22.200.001", "23.200.001", V24])
def test_list_with_filter_and_expand_is_valid_for_each_version(sandbox, session,
                                                              version):
    answer = get_checked(session, sandbox, "/Shipment", version,
                         **{"$filter": "Status eq 'Open'", "$expand": EXPAND})
    records = answer.json()
    assert len(records) >= 20
    assert {r["Status"]["value"] for r in records} == {"Open"}
    first = records[0]
    assert first["Packages"] and first["Orders"] and "ShipToAddress" in first["ShippingSettings"]
    assert first["_links"]["files:put"].startswith(f"/AcumaticaERP/entity/Default/{version}/files/")
    assert ("UnlimitedPackages" in first) == (version == V24)  # only the fields of that version's contract


def test_unexpanded_details_are_left_out(sandbox, session):
    record = get_checked(session, sandbox, "/Shipment/SH000101").json()
    assert record["ShipmentNbr"] == {"value": "SH000101"}
    assert "Packages" not in record and "ShippingSettings" not in record


def test_filter_with_datetimeoffset_and_or_parentheses(sandbox, session):
    everything = get_checked(session, sandbox, "/Shipment").json()
    stamps = sorted(r["LastModifiedDateTime"]["value"] for r in everything)
    watermark = stamps[len(stamps) // 2]
    expected = {r["ShipmentNbr"]["value"] for r in everything
                if r["LastModifiedDateTime"]["value"] > watermark
                and r["Status"]["value"] in ("Open", "On Hold")}
    query = (f"(Status eq 'Open' or Status eq 'On Hold') and "
             f"LastModifiedDateTime gt datetimeoffset'{watermark}'")
    found = get_checked(session, sandbox, "/Shipment", **{"$filter": query}).json()
    assert {r["ShipmentNbr"]["value"] for r in found} == expected
    assert 0 < len(expected) < len(everything)


def test_filter_on_an_unknown_field_is_a_500(sandbox, session):
    answer = get_checked(session, sandbox, "/Shipment",
                         **{"$filter": "Packages/TrackingNbr eq ''"})
    assert answer.status_code == 500
    assert "TrackingNbr" in answer.json()["exceptionMessage"]


def test_select_top_skip(sandbox, session):
    answer = get_checked(session, sandbox, "/Shipment",
                         **{"$select": "ShipmentNbr,Packages/TrackingNbr", "$expand": "Packages",
                            "$top": "2", "$skip": "1"}).json()
    assert [r["ShipmentNbr"]["value"] for r in answer] == ["SH000102", "SH000103"]
    assert "Status" not in answer[0]
    assert set(answer[1]["Packages"][0]) >= {"id", "TrackingNbr"}
    assert "Weight" not in answer[1]["Packages"][0]


def test_missing_record_is_500_no_entity(sandbox, session):
    answer = get_checked(session, sandbox, "/Shipment/SH999999")
    assert answer.status_code == 500
    assert answer.json()["exceptionMessage"] == "No entity satisfies the condition."


def test_record_by_guid(sandbox, session):
    record = shipment(session, sandbox, "SH000103")
    by_id = get_checked(session, sandbox, f"/Shipment/{record['id']}").json()
    assert by_id["ShipmentNbr"]["value"] == "SH000103"


@pytest.mark.parametrize("version", ["22.200.001", V24])
def test_put_tracking_numbers_by_row_id(sandbox, session, version):
    before = shipment(session, sandbox, "SH000103", version)
    rows = [{"id": p["id"], "TrackingNbr": {"value": f"1ZA1B2C3020000000{i}"}}
            for i, p in enumerate(before["Packages"])]
    body = {"id": before["id"], "Packages": rows}
    answer = session.put(entity_url(sandbox, "/Shipment", version), json=body,
                                           params={"$expand": "Packages"}, timeout=5)
    validate_acumatica_response(version, "PUT", "/Shipment", answer.status_code, answer.json())
    sent = [r["TrackingNbr"]["value"] for r in rows]
    assert [p["TrackingNbr"]["value"] for p in answer.json()["Packages"]] == sent
    after = shipment(session, sandbox, "SH000103", version)
    assert [p["TrackingNbr"]["value"] for p in after["Packages"]] == sent
    assert after["LastModifiedDateTime"]["value"] > before["LastModifiedDateTime"]["value"]
    assert sandbox.stats_payload()["writes"] == 1


def test_put_inserts_and_deletes_rows_note_and_custom(sandbox, session):
    before = shipment(session, sandbox, "SH000101")
    body = {"ShipmentNbr": {"value": "SH000101"}, "note": {"value": "Labelled by shipdesk"},
            "Packages": [{"id": before["Packages"][0]["id"], "delete": True}, {"Weight": {"value": 3.5}}],
            "custom": {"Document": {"UsrUpsStatus": {"type": "CustomStringField", "value": "In transit"},
                                    "UsrUnknown": {"type": "CustomStringField", "value": "dropped"}}}}
    answer = session.put(entity_url(sandbox, "/Shipment"), json=body,
                                           params={"$expand": "Packages"}, timeout=5).json()
    assert [p["Weight"]["value"] for p in answer["Packages"]] == [3.5]
    assert answer["note"]["value"] == "Labelled by shipdesk"
    kept = {"type": "CustomStringField", "value": "In transit"}
    assert answer["custom"] == {"Document": {"UsrUpsStatus": kept}}
    again = get_checked(session, sandbox, "/Shipment/SH000101",
                        **{"$custom": "Document.UsrUpsStatus"}).json()
    assert again["custom"]["Document"]["UsrUpsStatus"]["value"] == "In transit"
    assert again["PackageCount"]["value"] == 1


def test_put_on_confirmed_shipment_changes_no_package(sandbox, session):
    before = shipment(session, sandbox, "SH000115")
    assert before["Status"]["value"] == "Confirmed"
    body = {"id": before["id"], "Packages": [{"id": before["Packages"][0]["id"],
                                               "TrackingNbr": {"value": "1ZA1B2C30300000011"}}]}
    answer = session.put(entity_url(sandbox, "/Shipment"), json=body,
                                           params={"$expand": "Packages"}, timeout=5)
    assert answer.status_code == 200
    assert answer.json()["Packages"][0]["TrackingNbr"] == {}  # still empty: the row is read-only
    after = shipment(session, sandbox, "SH000115")
    assert after["Packages"] == before["Packages"]


def test_put_on_confirmed_shipment_drops_header_and_custom_fields_but_keeps_the_note(sandbox, session):
    """SOShipment_RowSelected: header cache AllowUpdate = isNotConfirmed; PXCache.Update returns 0 without an
    error; PXNoteAttribute writes the note straight to the Note table (docs/evidence/real-services.md 12.8)."""
    before = shipment(session, sandbox, "SH000115")
    body = {"id": before["id"], "FreightCost": {"value": 12.5}, "ShipVia": {"value": "UPS2DAY"},
            "note": {"value": "[shipdesk] UPS: Delivered"},
            "custom": {"Document": {"UsrUpsStatus": {"type": "CustomStringField", "value": "Delivered"}}}}
    answer = session.put(entity_url(sandbox, "/Shipment"), json=body, timeout=5,
                         params={"$custom": "Document.UsrUpsStatus"})

    assert answer.status_code == 200  # no error: the writes are dropped silently
    kept = answer.json()
    assert kept["FreightCost"] == before["FreightCost"] and kept["ShipVia"] == before["ShipVia"]
    assert "Document" not in kept["custom"]  # the custom field was not set
    assert kept["note"]["value"] == "[shipdesk] UPS: Delivered"
    again = get_checked(session, sandbox, "/Shipment/SH000115", **{"$custom": "Document.UsrUpsStatus"}).json()
    assert again["note"]["value"] == "[shipdesk] UPS: Delivered" and "Document" not in again["custom"]
    # the note went to the Note table in its own transaction: the shipment row was not saved, so a pull by
    # LastModifiedDateTime does not see the shipment again for it
    assert again["LastModifiedDateTime"] == before["LastModifiedDateTime"]


def test_put_with_a_bad_value_type_is_422_with_error_on_the_field(sandbox, session):
    before = shipment(session, sandbox, "SH000102")
    row = {"id": before["Packages"][0]["id"], "Weight": {"value": "heavy"}}
    body = {"id": before["id"], "Packages": [row]}
    answer = session.put(entity_url(sandbox, "/Shipment"), json=body, timeout=5)
    assert answer.status_code == 422
    validate_acumatica_response(V24, "PUT", "/Shipment", 422, answer.json())
    assert "heavy" in answer.json()["Packages"][0]["Weight"]["error"]
    assert shipment(session, sandbox, "SH000102")["Packages"] == before["Packages"]


REFUSED_SHIP_VIA = "Ship Via 'UPSGROUND' cannot be found in the system."
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _write_tracking(session, sandbox, nbr: str) -> tuple[dict, requests.Response]:
    before = shipment(session, sandbox, nbr)
    body = {"id": before["id"], "Packages": [{"id": before["Packages"][0]["id"],
                                               "TrackingNbr": {"value": "1ZA1B2C30300000011"}}]}
    return before, session.put(entity_url(sandbox, "/Shipment"), json=body, params={"$expand": "Packages"},
                               timeout=5)


def test_a_business_rule_refusal_is_422_with_the_record_and_the_field(sandbox, session):
    """As Acumatica's own client test records it (tests/samples/acumatica_422_record_with_field_errors_
    acumatica_client_test.json): ``error`` on the record and on the refused field, nothing saved."""
    requests.post(f"{sandbox.url}/_sandbox/save_rules", timeout=5,
                  json={"shipment": "SH000102", "field": "ShipVia", "message": REFUSED_SHIP_VIA})
    before, answer = _write_tracking(session, sandbox, "SH000102")
    assert answer.status_code == 422
    validate_acumatica_response(V24, "PUT", "/Shipment", 422, answer.json())
    refused = answer.json()
    assert refused["error"] == "Updating  'Shipment' record raised at least one error. Please review the errors."
    assert refused["ShipVia"] == {"value": "UPSGROUND", "error": REFUSED_SHIP_VIA}
    assert shipment(session, sandbox, "SH000102")["Packages"] == before["Packages"]


def test_a_business_rule_refusal_can_come_as_500_outcome_entity_has_errors(sandbox, session):
    """As integrators meet it (tests/samples/acumatica_500_outcome_entity_has_errors.json, constructed)."""
    assert requests.post(f"{sandbox.url}/_sandbox/options", json={"refusal_status": 500},
                         timeout=5).json()["refusal_status"] == 500
    try:
        sandbox.refuse_saves("SH000102", "ShipVia", REFUSED_SHIP_VIA)
        before, answer = _write_tracking(session, sandbox, "SH000102")
        sample = json.loads((SAMPLES / "acumatica_500_outcome_entity_has_errors.json").read_text("utf-8"))
        assert answer.status_code == 500
        assert set(answer.json()) == set(sample)
        assert answer.json()["exceptionType"] == sample["exceptionType"]
        assert answer.json()["exceptionMessage"] == sample["exceptionMessage"]
        assert shipment(session, sandbox, "SH000102")["Packages"] == before["Packages"]
        sandbox.reset()  # the rule goes with the data; the answer's form stays as set
        _before, saved = _write_tracking(session, sandbox, "SH000102")
        assert saved.status_code == 200
    finally:
        sandbox.documents.refusal_status = 422


def test_refusal_options_are_checked(sandbox):
    assert requests.post(f"{sandbox.url}/_sandbox/options", json={"refusal_status": 409}, timeout=5
                         ).status_code == 400
    assert requests.post(f"{sandbox.url}/_sandbox/save_rules", json={"shipment": "NOPE", "field": "ShipVia",
                                                                     "message": "x"}, timeout=5).status_code == 400


def test_file_attach_list_and_download(sandbox, session):
    label = b"^XA^FO50,50^FDlabel^FS^XZ"
    put = session.put(entity_url(sandbox, "/Shipment/SH000104/files/Label %231ZTEST.zpl"), data=label,
                      headers={"Content-Type": "application/octet-stream"}, timeout=5)
    assert put.status_code == 204
    record = get_checked(session, sandbox, "/Shipment/SH000104").json()
    link = record["_links"]["files:put"].replace("{filename}", "second.pdf")
    assert session.put(sandbox.url + link, data=b"%PDF", timeout=5).status_code == 204
    names = [f["filename"] for f in record["files"]]
    assert names == ["Shipments (SH000104)\\Label #1ZTEST.zpl"]
    download = session.get(sandbox.url + record["files"][0]["href"], timeout=5)
    assert download.content == label
    again = get_checked(session, sandbox, "/Shipment/SH000104").json()
    assert len(again["files"]) == 2
    assert sandbox.stats_payload()["files_attached"] == 2


def run_action(session, sandbox, action: str, nbr: str) -> list[int]:
    """Start the action, poll its Location until done; the status codes seen, in order."""
    start = session.post(entity_url(sandbox, f"/Shipment/{action}"),
                         json={"entity": {"ShipmentNbr": {"value": nbr}}, "parameters": {}}, timeout=5)
    validate_acumatica_response(V24, "POST", f"/Shipment/{action}", start.status_code, None)
    seen = [start.status_code]
    location = start.headers["Location"]
    assert location.startswith("/AcumaticaERP/entity/Default/24.200.001/Shipment/")
    while seen[-1] == 202 and len(seen) < 10:
        seen.append(session.get(sandbox.url + location, timeout=5).status_code)
    return seen


def test_confirm_then_correct_polls_202_then_204(sandbox, session):
    assert run_action(session, sandbox, "ConfirmShipment", "SH000101") == [202, 202, 204]
    assert shipment(session, sandbox, "SH000101")["Status"]["value"] == "Confirmed"
    assert run_action(session, sandbox, "CorrectShipment", "SH000101") == [202, 202, 204]
    assert shipment(session, sandbox, "SH000101")["Status"]["value"] == "Open"
    assert sandbox.stats_payload()["confirmations"] == 1


def test_confirm_of_a_shipment_that_is_not_open_fails(sandbox, session):
    assert run_action(session, sandbox, "ConfirmShipment", "SH000117")[-1] == 500


def test_confirm_with_a_carrier_plugin_overwrites_tracking(sandbox, session):
    before = shipment(session, sandbox, "SH000112")
    ours = "1ZA1B2C30312345675"
    session.put(entity_url(sandbox, "/Shipment"), timeout=5, json={
        "id": before["id"],
        "Packages": [{"id": before["Packages"][0]["id"], "TrackingNbr": {"value": ours}}]})
    run_action(session, sandbox, "ConfirmShipment", "SH000112")
    after = shipment(session, sandbox, "SH000112")
    assert after["Packages"][0]["TrackingNbr"]["value"] not in ("", ours)


def test_sales_order_by_key_list_and_note(sandbox, session):
    answer = session.get(entity_url(sandbox, "/SalesOrder/SO/SO005127"),
                                           params={"$expand": "Shipments"}, timeout=5)
    # specs.py matches one path segment per parameter; the two keys are the spec's {ids}
    validate_acumatica_response(V24, "GET", "/SalesOrder/SO005127", answer.status_code, answer.json())
    order = answer.json()
    assert [s["ShipmentNbr"]["value"] for s in order["Shipments"]] == ["SH000127"]
    answer = session.put(entity_url(sandbox, "/SalesOrder"), timeout=5, json={
        "OrderType": {"value": "SO"}, "OrderNbr": {"value": "SO005127"}, "note": {"value": "Delivered"}})
    validate_acumatica_response(V24, "PUT", "/SalesOrder", answer.status_code, answer.json())
    changed = get_checked(session, sandbox, "/SalesOrder", **{
        "$filter": f"LastModified ge datetimeoffset'{answer.json()['LastModified']['value']}'"}).json()
    assert [o["OrderNbr"]["value"] for o in changed] == ["SO005127"]
    assert changed[0]["note"]["value"] == "Delivered"


def test_ship_via_list_shows_the_external_plugin_box_and_the_plugin(sandbox, session):
    vias = get_checked(session, sandbox, "/ShipVia",
                       **{"$custom": "Carrier.IsExternal,CarrierCurrent.CarrierPluginID"}).json()
    by_code = {v["CarrierID"]["value"]: v["custom"] for v in vias}
    assert {"UPSGROUND", "UPS2DAY", "UPSNEXTDAY", "UPSSAVER", "UPSWWEXP", "FEDEXGROUND", "UPSPLUGIN"} <= set(by_code)
    assert {code for code, c in by_code.items() if c["Carrier"]["IsExternal"]["value"]} == {"UPSPLUGIN"}
    assert by_code["UPSPLUGOFF"]["CarrierCurrent"]["CarrierPluginID"]["value"] == "UPS"  # chosen, not ticked
    assert by_code["UPSGROUND"]["CarrierCurrent"]["CarrierPluginID"] == {"type": "CustomStringField", "value": None}
    # the two views are the same DAC: a field reads the same under either name
    other = get_checked(session, sandbox, "/ShipVia/UPSPLUGIN", **{"$custom": "Carrier.CarrierPluginID"}).json()
    assert other["custom"]["Carrier"]["CarrierPluginID"]["value"] == "UPS"


def test_injected_fault_has_acumatica_error_shape(sandbox, session):
    sandbox.add_fault("/AcumaticaERP/entity/Default", status=503, count=1)
    answer = session.get(entity_url(sandbox, "/Shipment"), timeout=5)
    assert answer.status_code == 503
    assert set(answer.json()) >= {"message", "exceptionMessage", "exceptionType"}


def test_reset_restores_the_seed(sandbox, session):
    before = shipment(session, sandbox, "SH000101")
    session.put(entity_url(sandbox, "/Shipment"), timeout=5,
                                  json={"id": before["id"], "note": {"value": "changed"}})
    requests.post(f"{sandbox.url}/_sandbox/reset", timeout=5)
    assert shipment(session, sandbox, "SH000101")["note"] == before["note"]


def test_expanded_list_can_be_refused_like_a_real_instance(sandbox, session):
    sandbox.refuse_expanded_lists = True
    try:
        refused = get_checked(session, sandbox, "/Shipment", **{"$expand": "Packages"})
        assert refused.status_code == 500
        assert "Optimization cannot be performed" in refused.json()["exceptionMessage"]
        assert get_checked(session, sandbox, "/Shipment/SH000101", **{"$expand": "Packages"}).status_code == 200
    finally:
        sandbox.refuse_expanded_lists = False


# -- two saves of one shipment at once (stations without a shared store) ------------------------------------
def _note_put(session: requests.Session, sandbox: AcumaticaSandbox, nbr: str, note: str) -> requests.Response:
    return session.put(entity_url(sandbox, "/Shipment"), timeout=10,
                       json={"ShipmentNbr": {"value": nbr}, "note": {"value": note}})


def test_overlapping_saves_of_one_shipment_fail_the_later_one_as_acumatica_does(sandbox, session):
    """A save works on its own copy of the record for a while; one that landed meanwhile wins, and the later
    one fails with Acumatica's PXLockViolationException (HTTP 500). Nothing of the failed save is kept."""
    answer = session.post(f"{sandbox.url}/_sandbox/options", json={"save_ms": 400}, timeout=5)
    assert answer.json()["save_ms"] == 400
    second_seat = requests.Session()
    assert second_seat.post(f"{sandbox.tenant_url}/entity/auth/login",
                            json={"name": "admin", "password": "demo", "tenant": "Demo"}, timeout=5).status_code == 204
    answers: dict[str, requests.Response] = {}
    started = threading.Event()

    def first() -> None:
        started.set()
        answers["first"] = _note_put(session, sandbox, "SH000101", "first station")

    thread = threading.Thread(target=first)
    thread.start()
    started.wait(5)
    answers["second"] = _note_put(second_seat, sandbox, "SH000101", "second station")
    thread.join(10)
    second_seat.post(f"{sandbox.tenant_url}/entity/auth/logout", timeout=5)

    statuses = sorted(a.status_code for a in answers.values())
    assert statuses == [200, 500]
    [failed] = [a for a in answers.values() if a.status_code == 500]
    assert failed.json()["exceptionType"] == "PX.Data.PXLockViolationException"
    assert "Another process has updated the 'SOShipment' record" in failed.json()["exceptionMessage"]
    [won] = [name for name, a in answers.items() if a.status_code == 200]
    assert shipment(session, sandbox, "SH000101")["note"]["value"] == f"{won} station"
    assert sandbox.stats_payload()["lock_violations"] == 1


def test_saves_one_after_the_other_both_land_and_the_last_note_stays(sandbox, session):
    sandbox.save_seconds = 0.05
    assert _note_put(session, sandbox, "SH000101", "first").status_code == 200
    assert _note_put(session, sandbox, "SH000101", "second").status_code == 200
    assert shipment(session, sandbox, "SH000101")["note"]["value"] == "second"  # what a read-back sees
    assert sandbox.stats_payload()["lock_violations"] == 0


def test_a_tracking_number_replaced_by_another_is_counted(sandbox, session):
    record = shipment(session, sandbox, "SH000101")
    row = record["Packages"][0]["id"]

    def put_tracking(number: str) -> None:
        answer = session.put(entity_url(sandbox, "/Shipment"), timeout=5, json={
            "id": record["id"], "Packages": [{"id": row, "TrackingNbr": {"value": number}}]})
        assert answer.status_code == 200

    put_tracking("1ZFIRST0000000001")
    put_tracking("1ZFIRST0000000001")  # the same number again: no change
    assert sandbox.stats_payload()["tracking_overwritten"] == 0
    put_tracking("1ZSECOND000000002")  # another station's label replacing the first one's
    assert sandbox.stats_payload()["tracking_overwritten"] == 1
    put_tracking("")  # cleared after a void: not an overwrite
    assert sandbox.stats_payload()["tracking_overwritten"] == 1


def test_the_save_time_option_is_checked(sandbox):
    answer = requests.post(f"{sandbox.url}/_sandbox/options", json={"save_ms": "slow"}, timeout=5)
    assert answer.status_code == 400 and "save_ms" in answer.json()["message"]


def test_the_license_seat_count_is_an_option(sandbox, session):
    """A warehouse with four stations has a license with more API seats than the demo's two."""
    def sign_in() -> int:
        return requests.post(f"{sandbox.tenant_url}/entity/auth/login", timeout=5,
                             json={"name": "admin", "password": "demo", "tenant": "Demo"}).status_code

    assert requests.post(f"{sandbox.url}/_sandbox/options", json={"max_sessions": 0}, timeout=5).status_code == 400
    opened = [sign_in() for _ in range(2)]  # the fixture's session holds one seat already
    assert opened[0] == 204 and opened[1] != 204  # the demo's two seats
    assert requests.post(f"{sandbox.url}/_sandbox/options", json={"max_sessions": 3},
                         timeout=5).json()["max_sessions"] == 3
    assert sign_in() == 204


# -- paths as IIS and ASP.NET take them (docs/evidence/real-services.md 12.10) ------------------------------
def raw_get(sandbox: AcumaticaSandbox, session: requests.Session, raw_rel: str) -> requests.Response:
    """GET a path exactly as written (requests would re-encode a prepared URL's path)."""
    request = session.prepare_request(requests.Request("GET", entity_url(sandbox, "/Shipment")))
    request.url = entity_url(sandbox, raw_rel)
    return session.send(request, timeout=5)


def test_a_slash_encoded_in_a_key_is_a_slash_by_the_time_acumatica_routes_it(sandbox, session):
    """IIS decodes the path once before routing: %2F names a second key, and the shipment is not found."""
    assert raw_get(sandbox, session, "/Shipment/SH000136%2FB").status_code == 404
    by_filter = get_checked(session, sandbox, "/Shipment", **{"$filter": "ShipmentNbr eq 'SH000136/B'"}).json()
    [found] = by_filter
    assert found["ShipmentNbr"]["value"] == "SH000136/B"
    assert get_checked(session, sandbox, f"/Shipment/{found['id']}").json()["ShipmentNbr"]["value"] == "SH000136/B"


@pytest.mark.parametrize(("raw", "status"), [
    ("/Shipment/SH000101%252F", 404),  # a second decoding would change it: IIS 404.11
    ("/Shipment/SH%2B000101", 404),  # "+" in the path: IIS 404.11
    ("/Shipment/SH000101%3A1", 400),  # ":" after decoding: ASP.NET's "potentially dangerous Request.Path"
    ("/Shipment/SH000101%26", 400),
    ("/Shipment/SH%25zz0101", 400),  # "%" left after one decoding (not an escape, so no second change)
])
def test_paths_iis_refuses_never_reach_acumatica(sandbox, session, raw, status):
    answer = raw_get(sandbox, session, raw)
    assert answer.status_code == status and answer.headers["Content-Type"].startswith("text/html")


def test_a_vertical_bar_separates_keys_like_a_slash(sandbox, session):
    order = get_checked(session, sandbox, "/SalesOrder/SO|SO005127").json()
    assert order["OrderNbr"]["value"] == "SO005127"
    assert raw_get(sandbox, session, "/Shipment/SH000101|X").status_code == 500  # one key too many
