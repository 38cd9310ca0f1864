"""Issue 13 in the core: missing settings never reach UPS (7), UPS's schema refusals as a sentence (7), a
service known down fails at once (8), Acumatica down with the supervisor's setting on labels from the last
pulled data and queues the write-back (8)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from shipdesk.core.domain.outcomes import Reason
from shipdesk.core.domain.states import State
from shipdesk.core.events import EventBus, ServiceStatusChanged
from shipdesk.core.shipping.breaker import ServiceBreakers
from shipdesk.core.shipping.label_request import require_shipper
from shipdesk.core.shipping.ups_refusal import explain_refusal
from shipdesk.errors import ApiRefused, ConfigError, Service, ServiceDown

PLAIN = "SH000101"


def test_an_empty_shipper_city_is_named_and_nothing_is_sent_to_ups(config):
    empty_city = replace(config, shipper=replace(config.shipper, city=""))
    with pytest.raises(ConfigError) as raised:
        require_shipper(empty_city)
    assert "[shipper] city" in str(raised.value) and "Nothing was sent to UPS" in str(raised.value)
    require_shipper(config)  # the demo's settings are complete


def test_ups_schema_refusal_becomes_a_sentence_naming_the_field_and_where_to_fill_it():
    error = ApiRefused("Invalid request: ShipmentRequest/Shipment/Shipper/Address/City: '' has a length outside "
                       "the allowed range (minLength 1)", service=Service.UPS, code="120100")
    sentence = explain_refusal(error, PLAIN)
    assert sentence is not None
    assert "shipper's city is empty (UPS error 120100)" in sentence
    assert "Settings › Shipper address ([shipper] city)" in sentence
    ship_to = ApiRefused("ShipmentRequest/Shipment/ShipTo/Address/PostalCode: 'ABCDEFGHIJKL' is too long",
                         service=Service.UPS, code="120100")
    assert f"Postal Code on shipment {PLAIN} in Acumatica" in (explain_refusal(ship_to, PLAIN) or "")


def test_a_breaker_refuses_at_once_then_lets_one_probe_through_and_closes_when_answered(flow):
    """(``flow``: the store the breaker reads the sync's recorded outages from.)"""
    clock = [datetime(2026, 12, 7, 10, 0, tzinfo=UTC)]
    events = EventBus()
    heard: list[ServiceStatusChanged] = []
    events.subscribe(ServiceStatusChanged, heard.append)
    breakers = ServiceBreakers(events, lambda: clock[0], probe_every=timedelta(seconds=60))
    breakers.check(Service.ACUMATICA)  # nothing known: calls go through
    events.publish(ServiceStatusChanged(Service.ACUMATICA, reachable=False, sentence="503 Service Unavailable"))
    with pytest.raises(ServiceDown) as raised:
        breakers.check(Service.UPS, Service.ACUMATICA)
    assert "Acumatica has not been answering since" in str(raised.value) and "503" in str(raised.value)
    clock[0] += timedelta(seconds=61)
    breakers.check(Service.ACUMATICA)  # the probe goes through
    with pytest.raises(ServiceDown):
        breakers.check(Service.ACUMATICA)  # the others still wait for its answer
    breakers.answered(Service.ACUMATICA)
    breakers.check(Service.ACUMATICA)
    assert heard[-1].reachable  # the status bar hears it is back
    breakers.close()


def test_acumatica_down_with_the_setting_on_labels_from_pulled_data_and_queues_the_write_back(
        sandboxes, make_flow):
    flow = make_flow(acumatica={"label_when_down": True})
    flow.pull()
    breakers = ServiceBreakers(flow.context.events, flow.context.now)
    flow.breakers = breakers
    sandboxes.acumatica.add_fault("*", status=503)
    flow.context.events.publish(ServiceStatusChanged(Service.ACUMATICA, reachable=False, sentence="503"))
    outcome = flow.ship(PLAIN, print_labels=False)
    assert outcome.ok and outcome.state == State.LABELLED and outcome.reason == Reason.WRITEBACK_PENDING
    assert "pulled at" in outcome.message and "written to Acumatica when it answers again" in outcome.message
    assert sandboxes.ups.stats_payload()["labels_created"] == 1
    sandboxes.acumatica.clear_faults()
    breakers.answered(Service.ACUMATICA)
    flow.retry_writebacks()
    assert flow.ship(PLAIN, print_labels=False).state == State.WRITTEN_BACK  # already labelled: nothing bought
    assert sandboxes.ups.stats_payload()["labels_created"] == 1
    breakers.close()


def test_acumatica_down_with_the_setting_off_fails_at_once_and_buys_nothing(sandboxes, make_flow):
    flow = make_flow()
    flow.pull()
    breakers = ServiceBreakers(flow.context.events, flow.context.now)
    flow.breakers = breakers
    flow.context.events.publish(ServiceStatusChanged(Service.ACUMATICA, reachable=False, sentence="503"))
    with pytest.raises(ServiceDown):
        flow.ship(PLAIN, print_labels=False)
    assert sandboxes.ups.stats_payload()["labels_created"] == 0
    breakers.close()
