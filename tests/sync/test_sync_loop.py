"""The sync in its own thread, and the `shipdesk sync --once` command."""

from __future__ import annotations

import json
import threading

import pytest
import requests

from shipdesk import cli
from shipdesk.core.domain.states import State
from shipdesk.core.settings.config import ListenerConfig
from shipdesk.core.store import repository
from shipdesk.errors import ConfigError

from .conftest import ship


def test_the_loop_runs_cycles_in_the_background_and_stops_promptly(sandboxes, make_context, make_service):
    context = make_context()
    ship(context, "SH000101")
    sandboxes.advance(hours=40)
    reports = []
    cycled = threading.Event()

    def collect(report):
        reports.append(report)
        cycled.set()

    service = make_service(context, on_report=collect)
    service.start(interval_seconds=3600)

    assert cycled.wait(30)
    service.stop(timeout=10)
    assert not service.running
    assert reports[0].ok and reports[0].delivered == ["SH000101"]
    assert repository.get_shipment("SH000101").state == State.DELIVERED.value


def test_start_opens_the_listener_when_enabled_and_stop_closes_it(make_context, make_service):
    context = make_context(secrets={"track_alert.client_secret": "s"},
                           listener=ListenerConfig(enabled=True, port=0))
    service = make_service(context)
    service.start(interval_seconds=3600)
    url = service.listener.url

    assert requests.post(url, data=b"{}", timeout=5).status_code == 401
    service.stop(timeout=10)
    assert service.listener is None


@pytest.mark.parametrize(("own_id", "accepted"), [("", "demo"), ("warehouse-3", "warehouse-3")])
def test_ups_signs_in_to_the_listener_with_its_own_client_id_else_the_ups_one(make_context, make_service,
                                                                            own_id, accepted):
    context = make_context(secrets={"track_alert.client_secret": "s"},
                           listener=ListenerConfig(enabled=True, port=0, client_id=own_id))
    listener = make_service(context).build_listener().start()
    try:
        def token(client_id: str) -> int:
            return requests.post(listener.token_url, data={"grant_type": "client_credentials"},
                                 auth=(client_id, "s"), timeout=5).status_code

        assert token(accepted) == 200
        assert token("someone-else") == 401
    finally:
        listener.stop()


def test_an_enabled_listener_without_its_secret_is_a_configuration_error(make_context, make_service):
    service = make_service(make_context(listener=ListenerConfig(enabled=True, port=0)))
    with pytest.raises(ConfigError, match=r"track_alert\.client_secret"):
        service.build_listener()


def test_sync_once_from_the_command_line(capsys):
    try:
        code = cli.main(["--demo", "sync", "--once"])
    finally:
        cli.main(["--demo", "reset"])  # the demo day's sandboxes outlive the command until reset

    out = capsys.readouterr().out
    assert code == 0, out
    assert out.startswith("Sync: ") and "pulled" in out and out.count("Sync: ") == 1


def test_sync_json_prints_the_cycle_report(sandboxes, monkeypatch, capsys):
    monkeypatch.setenv("SHIPDESK_DEMO_ACUMATICA_URL", sandboxes.acumatica_url)
    monkeypatch.setenv("SHIPDESK_DEMO_UPS_URL", sandboxes.ups_url)
    assert cli.main(["--demo", "ship", "SH000101", "--no-print"]) == 0
    sandboxes.advance(hours=40)
    capsys.readouterr()

    code = cli.main(["--demo", "--json", "sync", "--once"])

    lines = capsys.readouterr().out.splitlines()
    assert code == 0 and len(lines) == 1  # one object per cycle, one line each
    report = json.loads(lines[0])
    assert report["ok"] is True and report["polled"] == 1 and report["delivered"] == ["SH000101"]
    assert report["started_at"].endswith("+00:00") and report["failures"] == []


def test_exceptions_are_listed_from_the_command_line(sandboxes, monkeypatch, capsys):
    monkeypatch.setenv("SHIPDESK_DEMO_ACUMATICA_URL", sandboxes.acumatica_url)
    monkeypatch.setenv("SHIPDESK_DEMO_UPS_URL", sandboxes.ups_url)
    assert cli.main(["--demo", "ship", "SH000126", "SH000101", "--no-print"]) == 0
    sandboxes.advance(hours=24)
    assert cli.main(["--demo", "sync", "--once"]) == 0
    capsys.readouterr()

    assert cli.main(["--demo", "list", "--state", "exception"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("SH000126") and "Delivery exception" in lines[0]
    assert lines[-1] == "1 shipment."
