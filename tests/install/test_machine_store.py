"""One store for the PC: with the machine scope IT sets (``[paths] scope = "machine"`` in the machine config
file, or the installer's ``SHIPDESK_SCOPE``), a clerk's command, the desktop app and the sync service all
use the same config file, database, label archive and UPS token, so the service tracks the labels the
clerks bought (issue 17: a scheduled task under another account used to get a store of its own)."""

from __future__ import annotations

import dataclasses
import json
import queue

import pytest

from shipdesk import cli
from shipdesk.cli.commands.service import service_locations
from shipdesk.core.settings import paths
from shipdesk.core.settings.config import PathsConfig, load_config, save_config
from shipdesk.core.tracking.cycle_report import CycleReport
from shipdesk.demo.settings import demo_config
from shipdesk.sandbox import Sandboxes
from shipdesk.service.factory import sync_factory


@pytest.fixture
def machine_scope(started_sandboxes: Sandboxes, monkeypatch, tmp_path):
    """A PC IT set to machine scope: the machine config file points at the sandboxes and says so."""
    started_sandboxes.reset()
    for name in ("SHIPDESK_DATA_DIR", "SHIPDESK_CONFIG", "SHIPDESK_SCOPE"):
        monkeypatch.delenv(name, raising=False)
    machine = tmp_path / "ProgramData" / "shipdesk"
    monkeypatch.setattr(paths, "user_config_dir", lambda: tmp_path / "clerk" / "AppData" / "Roaming" / "shipdesk")
    monkeypatch.setattr(paths, "user_data_dir", lambda: tmp_path / "clerk" / "AppData" / "Local" / "shipdesk")
    monkeypatch.setattr(paths, "machine_config_dir", lambda: machine)
    monkeypatch.setattr(paths, "machine_data_dir", lambda: machine)
    config = demo_config(started_sandboxes.acumatica_url, started_sandboxes.ups_url)
    save_config(machine / "config.toml", dataclasses.replace(config, paths=PathsConfig(scope=paths.Scope.MACHINE)))
    monkeypatch.setenv("SHIPDESK_ACUMATICA_PASSWORD", "demo")  # as the service's secrets would be
    monkeypatch.setenv("SHIPDESK_UPS_CLIENT_SECRET", "demo")
    return machine


def test_a_command_the_app_and_the_service_share_the_machine_store(machine_scope, started_sandboxes, capsys):
    from shipdesk.ui.app import _services, _Started

    # a clerk labels a shipment from the command line (or a scheduled task does)
    code = cli.main(["--json", "ship", "SH000101", "--no-print"])
    (result,) = json.loads(capsys.readouterr().out)["results"]
    assert code == 0 and result["ok"], result
    tracking = result["tracking_numbers"]
    assert (machine_scope / "shipdesk.db").is_file()
    assert not (machine_scope.parent.parent / "clerk").exists()  # nothing in the clerk's own folders

    # the desktop app of another clerk opens the same store, and saves its settings to the machine file
    where = paths.locations()
    file_config = load_config(where.config)
    services = _services(file_config, file_config, where, demo=False, started=_Started())
    try:
        detail = services.detail("SH000101")
        assert services.context.paths.root == machine_scope
    finally:
        services.close()
    assert [p.tracking for p in detail.packages] == tracking
    assert detail.state == "written_back"

    # the sync service, installed with no folders given, tracks that label
    config_file, data = service_locations(None, None)
    assert (config_file, data) == (machine_scope / "config.toml", machine_scope)
    reports: queue.Queue[CycleReport] = queue.Queue()
    running = sync_factory(config_file, data, on_report=reports.put)()
    try:
        report = reports.get(timeout=120)
    finally:
        running.stop()
    assert report.ok, report.failures
    assert report.polled + report.covered + report.waiting >= len(tracking)  # it knows the clerk's packages
    # one UPS token for all three: the encrypted token cache is in the shared folder too (all three run as one
    # account here; the cache's key is in each account's keyring, so another account gets a token of its own)
    assert started_sandboxes.ups.stats_payload()["tokens_granted"] == 1
    assert started_sandboxes.acumatica.stats_payload().get("sessions_open", 0) == 0
