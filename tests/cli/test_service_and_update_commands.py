"""``shipdesk-cli service ...`` and ``shipdesk-cli update check`` as IT runs them (on Linux here: the service
commands say to use systemd and print the unit for this install)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from shipdesk import cli
from shipdesk.core.settings import paths
from shipdesk.core.settings.config import Config, UpdatesConfig, save_config
from shipdesk.service import systemd
from tests.install.test_updates import Intranet, manifest

ROOT = Path(__file__).resolve().parents[2]
linux_only = pytest.mark.skipif(sys.platform == "win32", reason="on Windows these commands drive the real SCM")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@linux_only
def test_service_install_on_linux_prints_the_systemd_unit_with_the_machine_folders(monkeypatch, tmp_path, capsys):
    for name in ("SHIPDESK_DATA_DIR", "SHIPDESK_CONFIG"):
        monkeypatch.delenv(name)
    monkeypatch.setattr(paths, "machine_config_dir", lambda: tmp_path / "etc" / "shipdesk")
    monkeypatch.setattr(paths, "machine_data_dir", lambda: tmp_path / "var" / "lib" / "shipdesk")

    code, out, err = run(capsys, "service", "install")

    assert code == 2  # nothing was installed: the administrator saves the unit
    assert f"Environment=SHIPDESK_CONFIG={tmp_path}/etc/shipdesk/config.toml\n" in out
    assert f"Environment=SHIPDESK_DATA_DIR={tmp_path}/var/lib/shipdesk\n" in out
    (start,) = [line for line in out.splitlines() if line.startswith("ExecStart=")]
    assert start.endswith("shipdesk-cli sync")
    assert "systemd runs the sync" in err and "systemctl daemon-reload && systemctl enable --now shipdesk-sync" in err

    code, out, _ = run(capsys, "--json", "service", "install", "--data-dir", str(tmp_path / "srv"))
    document = json.loads(out)
    assert code == 2 and document["installed"] is False
    assert f"Environment=SHIPDESK_DATA_DIR={tmp_path / 'srv'}\n" in document["unit"]


def test_the_packaged_and_documented_unit_is_the_one_the_command_prints():
    packaged = (ROOT / "packaging" / "linux" / "shipdesk-sync.service").read_text(encoding="utf-8")
    body = "".join(line for line in packaged.splitlines(keepends=True) if not line.startswith("# ") or
                   line.startswith("# SHIPDESK_") or line.startswith("# shipdesk stops"))

    printed = systemd.unit_text("/opt/shipdesk/venv/bin/shipdesk-cli", config="/etc/shipdesk/config.toml",
                                data_dir="/var/lib/shipdesk")
    assert body == printed
    assert f"```ini\n{printed}```" in (ROOT / "docs" / "command-line.md").read_text(encoding="utf-8")


@linux_only
@pytest.mark.parametrize("action", ["status", "start", "stop", "remove"])
def test_windows_service_commands_on_linux_are_sentences(action, capsys):
    code, _, err = run(capsys, "service", action)
    assert code == 1
    assert "is a Windows service" in err and "systemd" in err and "Traceback" not in err


@pytest.fixture
def intranet():
    server = Intranet()
    yield server
    server.close()


def _configure_manifest(isolated_dirs: Path, address: str) -> None:
    save_config(isolated_dirs / "config.toml", Config(updates=UpdatesConfig(manifest=address)))


def test_update_check_offers_a_newer_version_from_the_intranet(intranet, isolated_dirs, capsys):
    intranet.files["/shipdesk/latest.json"] = (200, manifest("99.0"))
    _configure_manifest(isolated_dirs, f"{intranet.url}/shipdesk/latest.json")

    code, out, _ = run(capsys, "--json", "update", "check")

    document = json.loads(out)
    assert code == 0
    assert document["status"] == "available" and document["version"] == "99.0"
    assert document["url"] == "https://intranet.example/shipdesk-0.2.0-setup.exe"

    intranet.files["/shipdesk/latest.json"] = (200, manifest("0.0.1"))
    code, out, _ = run(capsys, "update", "check")
    assert code == 0 and "up to date" in out


def test_update_check_without_a_manifest_or_with_a_broken_one(intranet, isolated_dirs, capsys):
    code, out, _ = run(capsys, "update", "check")
    assert code == 2 and out.strip()  # off: a sentence, exit 2

    _configure_manifest(isolated_dirs, f"{intranet.url}/missing.json")
    code, out, _ = run(capsys, "--json", "update", "check")
    assert code == 1 and json.loads(out)["status"] == "error" and "404" in json.loads(out)["message"]


@linux_only
def test_service_run_logs_to_the_service_log_of_its_folder(tmp_path, capsys):
    import logging

    root = logging.getLogger()
    before = list(root.handlers)
    try:
        code, _, err = run(capsys, "service", "run", "--data-dir", str(tmp_path / "shared"))
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()

    assert code == 1 and "is a Windows service" in err
    log = (tmp_path / "shared" / "logs" / "shipdesk-service.log").read_text(encoding="utf-8")
    assert "is a Windows service" in log
    assert not (tmp_path / "data" / "logs" / "shipdesk-cli.log").exists()  # not the commands' log
