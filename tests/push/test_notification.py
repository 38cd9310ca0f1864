"""Reading Acumatica's push body: which shipments it names, and what is not a push (pure, table-driven)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shipdesk.core.acumatica_push.notification import parse_notification, ticks
from shipdesk.errors import InvalidPush

BODY = {"Inserted": [{"ShipmentNbr": "SH2", "Status": "Open"}, {"ShipmentNbr": "SH3"}],
        "Deleted": [{"ShipmentNbr": "SH2", "Status": "On Hold"}, {"ShipmentNbr": "SH1"}],
        "Query": "shipdesk: UPS shipments released", "CompanyId": "Company",
        "Id": "0c0d9a43-1d6c-4a5e-9a89-3b7c2f1f0e55", "TimeStamp": 639322489312170000, "AdditionalInfo": {}}


def test_a_push_names_the_changed_released_and_withdrawn_shipments_once_each():
    push = parse_notification(BODY, "ShipmentNbr")
    assert push.inserted == ("SH2", "SH3") and push.deleted == ("SH2", "SH1")
    assert push.named == ("SH2", "SH3", "SH1")
    assert push.sent_at == datetime(2026, 12, 7, 14, 2, 11, 217000, tzinfo=UTC)
    assert ticks(push.sent_at) == BODY["TimeStamp"]


def test_the_shipment_column_is_found_under_its_caption_or_table_prefixed_name():
    body = {"Inserted": [{"SOShipment_shipmentNbr": " SH9 "}], "Deleted": []}
    assert parse_notification(body, "ShipmentNbr").inserted == ("SH9",)


def test_the_same_rows_under_another_id_have_the_same_fingerprint():
    first = parse_notification(BODY, "ShipmentNbr")
    again = parse_notification({**BODY, "Id": "other", "TimeStamp": 1}, "ShipmentNbr")
    assert first.fingerprint == again.fingerprint and first.replay_key != again.replay_key


@pytest.mark.parametrize("body", [
    [], "text", {}, {"Inserted": {"ShipmentNbr": "SH1"}}, {"Inserted": ["SH1"]},
    {"Inserted": [{"Other": "SH1"}]}, {"Inserted": [{"ShipmentNbr": ""}]},
    {"Deleted": [], "TimeStamp": "soon"}, {"Deleted": [], "TimeStamp": -1}, {"Deleted": [], "TimeStamp": True},
])
def test_what_is_not_a_push_is_refused(body):
    with pytest.raises(InvalidPush):
        parse_notification(body, "ShipmentNbr")
