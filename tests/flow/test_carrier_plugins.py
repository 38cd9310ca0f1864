"""Ship Vias with an Acumatica carrier plug-in: detected, remembered for an hour, never a blocker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shipdesk.core.shipping import carrier_plugins
from shipdesk.core.store import open_store
from shipdesk.demo.settings import demo_config
from shipdesk.errors import ServerError


class FakeAcumatica:
    def __init__(self, answer: set[str] | Exception) -> None:
        self.answer = answer
        self.calls = 0

    def carrier_plugin_ship_vias(self) -> set[str]:
        self.calls += 1
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def test_detected_plugins_join_the_configured_ones_and_are_asked_hourly(tmp_path) -> None:
    store = open_store(tmp_path)
    config = demo_config("http://127.0.0.1:1/AcumaticaERP", "http://127.0.0.1:2")
    acu = FakeAcumatica({"UPSPLUGIN"})
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

    carrier_plugins.refresh_detected(acu, now=now)  # type: ignore[arg-type]
    carrier_plugins.refresh_detected(acu, now=now + timedelta(minutes=30))  # type: ignore[arg-type]
    assert acu.calls == 1
    assert "UPSPLUGIN" in carrier_plugins.plugin_ship_vias(config)

    carrier_plugins.refresh_detected(acu, now=now + timedelta(hours=2))  # type: ignore[arg-type]
    assert acu.calls == 2
    store.close()


def test_an_instance_that_hides_the_field_still_uses_the_configured_list(tmp_path) -> None:
    store = open_store(tmp_path)
    config = demo_config("http://127.0.0.1:1/AcumaticaERP", "http://127.0.0.1:2")
    acu = FakeAcumatica(ServerError("no such custom field", service="Acumatica", status=500))

    carrier_plugins.refresh_detected(acu)  # type: ignore[arg-type]

    assert carrier_plugins.plugin_ship_vias(config) == tuple(sorted(config.acumatica.carrier_plugin_ship_vias))
    store.close()


def test_a_failed_recheck_keeps_the_plugins_found_before(tmp_path) -> None:
    """Forgetting a plug-in Ship Via for an hour would let Confirm buy a second label through it."""
    from shipdesk.errors import ConnectionFailed

    store = open_store(tmp_path)
    config = demo_config("http://127.0.0.1:1/AcumaticaERP", "http://127.0.0.1:2")
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    carrier_plugins.refresh_detected(FakeAcumatica({"UPSPLUGIN"}), now=now)  # type: ignore[arg-type]

    offline = FakeAcumatica(ConnectionFailed("Cannot reach Acumatica.", service="Acumatica"))
    carrier_plugins.refresh_detected(offline, now=now + timedelta(hours=2))  # type: ignore[arg-type]

    assert offline.calls == 1 and "UPSPLUGIN" in carrier_plugins.plugin_ship_vias(config)
    store.close()
