"""The two programs IT installs: ``shipdesk`` opens the app, ``shipdesk-cli`` never does."""

from __future__ import annotations

import sys

import pytest

from shipdesk import __version__, entry_points
from shipdesk.demo.launcher import ACUMATICA_URL_ENV, UPS_URL_ENV


@pytest.fixture
def app_starts(monkeypatch) -> list[object]:
    """Records a start of the desktop app instead of opening it."""
    import shipdesk.ui.app

    started: list[object] = []
    monkeypatch.setattr(shipdesk.ui.app, "run_app", lambda args: started.append(args) or 0)
    return started


@pytest.mark.parametrize("argv", [[], ["--demo"], ["--verbose", "--config", "x.toml"]])
def test_cli_without_a_command_prints_help_and_never_opens_the_app(argv, app_starts, capsys):
    code = entry_points.cli_main(argv)

    out, err = capsys.readouterr()
    assert code == 2 and app_starts == []
    assert out.startswith("usage: shipdesk-cli") and "ping" in out and "sync" in out
    assert "runs commands only" in err and "never opens the desktop app" in out


@pytest.mark.parametrize("main", [entry_points.cli_main, lambda argv: _app_main_with(argv)])
def test_version_on_both_programs(main, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])

    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"shipdesk {__version__}"


def test_cli_runs_commands(started_sandboxes, monkeypatch, capsys, app_starts):
    started_sandboxes.reset()
    monkeypatch.setenv(ACUMATICA_URL_ENV, started_sandboxes.acumatica_url)
    monkeypatch.setenv(UPS_URL_ENV, started_sandboxes.ups_url)

    code = entry_points.cli_main(["--demo", "ping"])

    out = capsys.readouterr().out
    assert code == 0 and "Acumatica: OK" in out and "UPS: OK" in out and app_starts == []


def test_cli_usage_errors_are_argparse_errors(capsys):
    with pytest.raises(SystemExit) as exited:
        entry_points.cli_main(["shipp"])

    assert exited.value.code == 2
    assert "shipdesk-cli: error: argument COMMAND: invalid choice: 'shipp'" in capsys.readouterr().err


def test_bare_shipdesk_opens_the_app(app_starts):
    assert _app_main_with([]) == 0
    assert len(app_starts) == 1


def _app_main_with(argv: list[str]) -> int:
    saved = sys.argv
    sys.argv = ["shipdesk", *argv]
    try:
        return entry_points.app_main()
    finally:
        sys.argv = saved
