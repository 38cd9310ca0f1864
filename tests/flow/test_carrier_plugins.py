"""Ship Vias with an Acumatica carrier plug-in: detected, remembered for an hour, never a blocker, and
"cannot tell" means "do not confirm" (issue 12.9)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shipdesk.acumatica.ship_via import CarrierPlugins
from shipdesk.core.shipping import carrier_plugins
from shipdesk.core.store import open_store
from shipdesk.demo.settings import demo_config
from shipdesk.errors import ConnectionFailed, ServerError

ENTITY_URL = "http://127.0.0.1:1/AcumaticaERP/entity/Default/24.200.001"


class FakeAcumatica:
    entity_url = ENTITY_URL

    def __init__(self, answer: CarrierPlugins | Exception, *, listed: bool | Exception = True) -> None:
        self.answer = answer
        self.listed = listed
        self.calls = 0
        self.schema_calls = 0

    def carrier_plugins(self) -> CarrierPlugins:
        self.calls += 1
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer

    def carrier_plugin_fields_listed(self) -> bool:
        self.schema_calls += 1
        if isinstance(self.listed, Exception):
            raise self.listed
        return self.listed


def found(active=(), unknown=()) -> CarrierPlugins:
    return CarrierPlugins(frozenset(active), frozenset(unknown), {})


@pytest.fixture
def store(tmp_path):
    opened = open_store(tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def config():
    return demo_config("http://127.0.0.1:1/AcumaticaERP", "http://127.0.0.1:2")


def test_detected_plugins_join_the_configured_ones_and_are_asked_hourly(store, config) -> None:
    acu = FakeAcumatica(found({"UPSPLUGIN"}))
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

    carrier_plugins.refresh_detected(acu, now=now)  # type: ignore[arg-type]
    carrier_plugins.refresh_detected(acu, now=now + timedelta(minutes=30))  # type: ignore[arg-type]
    assert acu.calls == 1
    assert "UPSPLUGIN" in carrier_plugins.plugin_ship_vias(config)
    assert not carrier_plugins.undetermined("UPSGROUND")

    carrier_plugins.refresh_detected(acu, now=now + timedelta(hours=2))  # type: ignore[arg-type]
    assert acu.calls == 2
    assert acu.schema_calls == 1  # the ad-hoc schema is checked once per endpoint


def test_before_acumatica_ever_answered_no_ship_via_can_be_told(store, config) -> None:
    assert carrier_plugins.undetermined("UPSGROUND")  # nothing asked yet
    acu = FakeAcumatica(ServerError("no such custom field", service="Acumatica", status=500))

    carrier_plugins.refresh_detected(acu)  # type: ignore[arg-type]

    assert carrier_plugins.plugin_ship_vias(config) == tuple(sorted(config.acumatica.carrier_plugin_ship_vias))
    assert carrier_plugins.undetermined("UPSGROUND") and carrier_plugins.undetermined("UPS2DAY")


def test_a_ship_via_acumatica_did_not_show_cannot_be_told(store) -> None:
    carrier_plugins.refresh_detected(FakeAcumatica(found({"UPSPLUGIN"}, {"UPSNEW"})))  # type: ignore[arg-type]
    assert carrier_plugins.undetermined("UPSNEW") and not carrier_plugins.undetermined("UPSGROUND")


def test_a_failed_recheck_keeps_the_plugins_found_before(store, config) -> None:
    """Forgetting a plug-in Ship Via for an hour would let Confirm buy a second label through it."""
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    carrier_plugins.refresh_detected(FakeAcumatica(found({"UPSPLUGIN"})), now=now)  # type: ignore[arg-type]

    offline = FakeAcumatica(ConnectionFailed("Cannot reach Acumatica.", service="Acumatica"))
    carrier_plugins.refresh_detected(offline, now=now + timedelta(hours=2))  # type: ignore[arg-type]

    assert offline.calls == 1 and "UPSPLUGIN" in carrier_plugins.plugin_ship_vias(config)
    assert not carrier_plugins.undetermined("UPSGROUND")


def test_the_ad_hoc_schema_answer_is_remembered_per_endpoint(store) -> None:
    unlisted = FakeAcumatica(found(), listed=False)
    carrier_plugins.refresh_detected(unlisted)  # type: ignore[arg-type]
    assert carrier_plugins.fields_listed(ENTITY_URL) is False

    failing = FakeAcumatica(found(), listed=ConnectionFailed("down", service="Acumatica"))
    failing.entity_url = ENTITY_URL.replace("24.200.001", "23.200.001")
    carrier_plugins.refresh_detected(failing, now=datetime.now(UTC) + timedelta(hours=2))  # type: ignore[arg-type]
    assert carrier_plugins.fields_listed(failing.entity_url) is None  # asked again next time
