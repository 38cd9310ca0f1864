"""The command line speaks the language of ``[region] language`` (issue 17): help, sentences and errors."""

from __future__ import annotations

import pytest

from shipdesk import cli
from shipdesk.i18n import current_language


def spanish_config(isolated_dirs) -> str:
    path = isolated_dirs / "config.toml"
    path.write_text('[region]\nlanguage = "es"\n', encoding="utf-8")
    return str(path)


def test_the_language_is_chosen_from_the_config_before_the_command_runs(isolated_dirs, capsys):
    assert cli.main(["--config", spanish_config(isolated_dirs), "list", "--json"]) == 0
    assert current_language() == "es"
    capsys.readouterr()


def test_a_machine_in_spanish_gets_spanish_when_the_config_says_nothing(isolated_dirs, monkeypatch, capsys):
    monkeypatch.setenv("LANGUAGE", "es_MX")
    assert cli.main(["list", "--json"]) == 0
    assert current_language() == "es"


def test_help_is_in_spanish(isolated_dirs, capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["--config", spanish_config(isolated_dirs), "--help"])
    out = capsys.readouterr().out
    assert stopped.value.code == 0
    assert out.startswith("uso: shipdesk") and "opciones:" in out
    assert "Envíos de Acumatica a etiquetas UPS y de vuelta" in out
    assert "muestra esta ayuda y termina" in out


def test_a_command_speaks_spanish(isolated_dirs, capsys):
    config = spanish_config(isolated_dirs)
    assert cli.main(["--config", config, "list"]) == 0
    assert capsys.readouterr().out.strip().endswith("0 envíos.")
    assert cli.main(["--config", config, "list", "--state", "nada"]) == 2
    assert "'nada' no es un estado." in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["--config", config, "auto", "nada"])
    assert "error: argumento action: opción no válida: 'nada' (elija entre 'stop', 'start', 'status')" in \
        capsys.readouterr().err


def test_argparse_errors_keep_their_meaning_in_english(capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["validate", "SH000101", "--choose", "x"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.endswith("shipdesk validate: error: argument --choose: 'x' is not a whole number\n")


def test_the_command_line_program_speaks_spanish_too(isolated_dirs, capsys):
    """``shipdesk-cli`` (the console program IT's scripts and the service run) builds its own parser."""
    from shipdesk.entry_points import cli_main

    assert cli_main(["--config", spanish_config(isolated_dirs)]) == 2  # no command: the help, and why
    captured = capsys.readouterr()
    assert captured.out.startswith("uso: shipdesk-cli")
    assert "la línea de comandos para scripts" in " ".join(captured.out.split())  # argparse wraps lines
    assert "shipdesk-cli solo ejecuta comandos" in captured.err
