"""Every parser of a UPS or Acumatica answer, fed answers of an unexpected shape (issue 12.7).

Real answers depart from the specs: HTML from a gateway, a JSON string where an object belongs (UPS's
``"COD": ""``), single objects for arrays, truncated JSON (docs/evidence/real-services.md 12.7). Each parser
entry point gets a valid answer with every node in turn replaced by each odd value, and the answer itself
replaced by each: it must give a result or raise a :class:`ShipdeskError` (one sentence for that one
shipment), never an ``AttributeError`` or ``TypeError`` that ends a batch.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from shipdesk.acumatica import errors as acumatica_errors
from shipdesk.acumatica.parse import note_of, sales_order_from_json, shipment_from_json
from shipdesk.acumatica.records import ref_of
from shipdesk.acumatica.ship_via import codes_from_rows, plugins_from_rows
from shipdesk.core.track_alert.push import parse_push
from shipdesk.errors import ShipdeskError
from shipdesk.ups import address_wire, track_wire, wire
from shipdesk.ups import errors as ups_errors
from tests.acumatica.samples import sales_order_json, shipment_json
from tests.ups.fakes import ship_answer

SAMPLES = Path(__file__).parent / "samples"
HTML = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>"
TRUNCATED = '{"ShipmentResponse": {"ShipmentResults": {"PackageRes'
ODD: tuple[Any, ...] = ("", HTML, TRUNCATED, "oops", 0, -1, 1.5, True, None, [], ["x"], [None], {}, {"x": 1})


def sample(name: str) -> Any:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


def paths(node: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in the document a value sits (dict keys and list positions)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*at, key)
            yield from paths(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*at, index)
            yield from paths(value, (*at, index))


def replaced(document: Any, where: tuple[Any, ...], value: Any) -> Any:
    changed = copy.deepcopy(document)
    parent = changed
    for step in where[:-1]:
        parent = parent[step]
    parent[where[-1]] = copy.deepcopy(value)
    return changed


def mutants(document: Any) -> Iterator[tuple[str, Any]]:
    for odd in ODD:
        yield f"the answer as {odd!r:.40}", odd
    for where in paths(document):
        for odd in ODD:
            yield f"{'/'.join(map(str, where))} as {odd!r:.40}", replaced(document, where, odd)


def crashes(parse: Callable[[Any], Any], document: Any) -> list[str]:
    """What made ``parse`` fail with something else than a ShipdeskError, one line per case."""
    parse(copy.deepcopy(document))  # the untouched answer parses
    found = []
    for what, mutant in mutants(document):
        try:
            parse(mutant)
        except ShipdeskError:
            continue
        except Exception as exc:  # exactly what this test looks for
            found.append(f"{what}: {type(exc).__name__}: {exc}")
    return found


XAV = {"XAVResponse": {
    "Response": {"ResponseStatus": {"Code": "1", "Description": "Success"}},
    "ValidAddressIndicator": "", "AddressClassification": {"Code": "1", "Description": "Commercial"},
    "Candidate": [{"AddressClassification": {"Code": "1"}, "AddressKeyFormat": {
        "AddressLine": ["2500 BROADWAY"], "PoliticalDivision2": "NEW YORK", "PoliticalDivision1": "NY",
        "PostcodePrimaryLow": "10025", "PostcodeExtendedLow": "4411", "CountryCode": "US"}}]}}
RECOVERY = {"LabelRecoveryResponse": {
    "Response": {"ResponseStatus": {"Code": "1"}}, "ShipmentIdentificationNumber": "1Z999AA10123456784",
    "LabelResults": [{"TrackingNumber": "1Z999AA10123456784",
                      "LabelImage": {"LabelImageFormat": {"Code": "GIF"}, "GraphicImage": "R0lGODlh"}}]}}
SUBSCRIPTION = {"validTrackingNumbers": ["1Z999AA10123456784"], "invalidTrackingNumbers": ["1Z999AA10123456793"]}
VOID = {"VoidShipmentResponse": {"Response": {"ResponseStatus": {"Code": "1"}},
                                 "SummaryResult": {"Status": {"Code": "1", "Description": "Voided"}},
                                 "PackageLevelResults": [{"TrackingNumber": "1Z999AA10123456784",
                                                          "Status": {"Code": "1"}}]}}

SHIP_VIAS = [{"id": "a", "CarrierID": {"value": "UPSPLUGIN"}, "custom": {
    "Carrier": {"IsExternal": {"type": "CustomBooleanField", "value": True}},
    "CarrierCurrent": {"CarrierPluginID": {"type": "CustomStringField", "value": "UPS"}}}},
    {"id": "b", "CarrierID": {"value": "UPSGROUND"}, "Description": {"value": "UPS Ground"}, "custom": {
        "Carrier": {"IsExternal": {"type": "CustomBooleanField", "value": False}}}}]
ACUMATICA_ERROR = {"message": "An error has occurred.", "exceptionMessage": "No entity satisfies the condition.",
                   "exceptionType": "PX.Api.ContractBased.NoEntitySatisfiesTheConditionException",
                   "stackTrace": "...", "modelState": {"ShipVia": ["Ship Via 'X' cannot be found."]}}


class Answer:
    """As much of a ``requests.Response`` as the error readers use, carrying any JSON (or text)."""

    def __init__(self, status: int, body: Any) -> None:
        self.status_code = status
        self.url = "https://acme.example.com/AcumaticaERP/entity/Default/24.200.001/Shipment"
        self.reason = "Error"
        self._body = body
        self.text = body if isinstance(body, str) else json.dumps(body)

    def json(self) -> Any:
        if isinstance(self._body, str):
            return json.loads(self._body)  # HTML or truncated JSON: ValueError, as requests raises
        return self._body


PARSERS: dict[str, tuple[Callable[[Any], Any], Any]] = {
    "UPS Ship": (wire.parse_ship_response, ship_answer(("1Z999AA10123456784", "1Z999AA10123456793"))),
    "UPS Ship, pre-v2403 shapes": (wire.parse_ship_response, sample("ups_ship_response_ca_taxes_v2205.json")),
    "UPS Void": (lambda body: wire.parse_void_response("1Z999AA10123456784", body), VOID),
    "UPS Void, CIE": (lambda body: wire.parse_void_response("1Z", body), sample("ups_void_partial_cie_issue63.json")),
    "UPS Label Recovery": (wire.parse_label_recovery, RECOVERY),
    "UPS Rating": (wire.parse_rate_response, sample("ups_rate_shoptimeintransit_ca_taxes.json")),
    "UPS Address Validation": (address_wire.parse_xav_response, XAV),
    "UPS Track": (track_wire.parse_track_response, sample("ups_track_response_activity_with_gmt_issue187.json")),
    "UPS Track, no GMT": (track_wire.parse_track_response,
                          sample("ups_track_response_activity_without_gmt_issue38.json")),
    "UPS Track Alert subscription": (track_wire.parse_subscription, SUBSCRIPTION),
    "UPS error body": (ups_errors.ups_errors, sample("ups_error_120201_ship_to_attention_name.json")),
    "Track Alert push": (parse_push, sample("ups_trackalert_v2_push_delivery_spec_example.json")),
    "Acumatica Shipment": (shipment_from_json, shipment_json()),
    "Acumatica SalesOrder": (sales_order_from_json, sales_order_json()),
    "Acumatica 422 body": (lambda body: acumatica_errors.field_errors(body),
                           sample("acumatica_422_record_with_field_errors_acumatica_client_test.json")),
    "Acumatica refusal": (lambda body: acumatica_errors.error_for(Answer(422, body), doing="save it"),  # type: ignore[arg-type]
                          sample("acumatica_422_record_with_field_errors_acumatica_client_test.json")),
    "Acumatica error envelope": (lambda body: acumatica_errors.error_for(Answer(500, body), doing="read it"),  # type: ignore[arg-type]
                                 ACUMATICA_ERROR),
    "UPS error answer": (lambda body: ups_errors.error_for(Answer(400, body), "create the label"),  # type: ignore[arg-type]
                         sample("ups_error_120201_ship_to_attention_name.json")),
    "Acumatica note": (note_of, shipment_json()),
    "Acumatica record id": (ref_of, {"id": "9b1a", "_links": {"files:put": "/x/{filename}"}}),
    "Acumatica Ship Via plug-ins": (plugins_from_rows, SHIP_VIAS),
    "Acumatica Ship Via codes": (codes_from_rows, SHIP_VIAS),
}


@pytest.mark.parametrize("name", PARSERS)
def test_an_answer_of_an_unexpected_shape_is_a_sentence_never_a_crash(name):
    parse, document = PARSERS[name]
    found = crashes(parse, document)
    assert not found, f"{len(found)} crash(es), e.g.:\n" + "\n".join(found[:15])
