"""The PyInstaller build (``packaging/shipdesk.spec``) on this machine: two programs in one folder that start,
answer ``--version``, keep the command line away from the app, and carry the specs and the icon support."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from shipdesk import __version__

from .conftest import load_packaging_module

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]
pytest.importorskip("PyInstaller", reason="PyInstaller is in the build extra: pip install -e .[build] (.ci/run does)")

build = load_packaging_module("build.py")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("pyinstaller")
    return build.build_programs(tmp / "dist", tmp / "work")


def run(folder: Path, program: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SHIPDESK_RESOURCES", "PYTHONPATH")}
    return subprocess.run([str(folder / program), *args], env=env, capture_output=True, text=True, timeout=300,
                          cwd=folder)


@pytest.mark.parametrize("program", ["shipdesk", "shipdesk-cli"])
def test_both_programs_tell_their_version(folder, program):
    result = run(folder, program, "--version")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"shipdesk {__version__}"


def test_cli_program_without_a_command_prints_help(folder):
    result = run(folder, "shipdesk-cli")

    assert result.returncode == 2
    assert result.stdout.startswith("usage: shipdesk-cli") and "runs commands only" in result.stderr


def test_cli_program_runs_the_demo_with_the_bundled_specs(folder):
    try:
        ping = run(folder, "shipdesk-cli", "--demo", "ping")
        pull = run(folder, "shipdesk-cli", "--demo", "pull")
        listed = run(folder, "shipdesk-cli", "--demo", "list")
    finally:  # the demo day (a process of the frozen program) outlives the commands until reset
        reset = run(folder, "shipdesk-cli", "--demo", "reset")

    assert ping.returncode == 0, ping.stderr
    assert "Acumatica: OK" in ping.stdout and "UPS: OK" in ping.stdout
    assert "SH000122: Ship-to postal code is empty" in pull.stdout, pull.stderr  # sandbox validated by the specs
    assert "SH000122" in listed.stdout and reset.returncode == 0, listed.stderr + reset.stderr


@pytest.mark.skipif(os.name == "nt", reason="on Windows `service install` installs the real service")
def test_cli_program_prints_the_service_unit_for_itself_and_checks_for_updates(folder, tmp_path):
    import json

    unit = run(folder, "shipdesk-cli", "--json", "service", "install", "--data-dir", str(tmp_path / "shared"))
    update = run(folder, "shipdesk-cli", "--json", "update", "check")

    assert unit.returncode == 2, unit.stderr  # Linux: the systemd unit to save, nothing installed
    assert f"ExecStart={folder / 'shipdesk-cli'} sync\n" in json.loads(unit.stdout)["unit"]
    assert update.returncode == 2 and json.loads(update.stdout)["status"] == "off", update.stderr  # none configured


def test_one_shared_library_folder_with_resources_and_svg_support(folder):
    internal = folder / "_internal"

    assert sorted(p.name for p in folder.iterdir()) == ["_internal", "shipdesk", "shipdesk-cli"]
    resources = internal / "shipdesk" / "_resources"
    for vendor in ("ups", "acumatica"):
        assert (resources / "specs" / vendor / "LICENSE").is_file()
        assert (resources / "specs" / vendor / "SOURCE.md").is_file()
    assert (resources / "icons" / "ship.svg").is_file()
    plugins = internal / "PySide6" / "Qt" / "plugins"
    assert list((plugins / "iconengines").glob("*qsvgicon*")), "the toolbar's SVG icons need Qt's SVG icon engine"


def test_the_build_carries_both_catalogues_and_qts_own_words(folder):
    """Spanish and French on a PC without Python: shipdesk's catalogues, Babel's locale data, Qt's qtbase_xx.qm."""
    internal = folder / "_internal"
    for code in ("es", "fr"):
        assert (internal / "shipdesk" / "_resources" / "locale" / code / "LC_MESSAGES" / "shipdesk.mo").is_file()
        assert list(internal.rglob(f"qtbase_{code}.qm")), f"Qt's {code} buttons would stay in English"
        assert list(internal.rglob(f"babel/locale-data/{code}.dat"))

    config = folder.parent / "spanish.toml"
    config.write_text('[region]\nlanguage = "es"\n', encoding="utf-8")
    spanish = run(folder, "shipdesk-cli", "--config", str(config), "--help")
    english = run(folder, "shipdesk-cli", "--help")
    assert spanish.returncode == english.returncode == 0, spanish.stderr + english.stderr
    assert spanish.stdout != english.stdout  # the commands' help comes from the bundled catalogue
