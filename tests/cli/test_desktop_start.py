"""``shipdesk`` with no command on a machine where Qt cannot load: a sentence saying what to install."""

from __future__ import annotations

import importlib.abc
import logging
import sys

import pytest

from shipdesk import cli
from shipdesk.core.settings.paths import DataPaths


class _AppImportFails(importlib.abc.MetaPathFinder):
    """Importing the desktop app raises ``error``, as a machine without Qt's libraries does."""

    def __init__(self, error: ImportError) -> None:
        self.error = error

    def find_spec(self, name, path, target=None):
        if name == "shipdesk.ui.app":
            raise self.error
        return None


@pytest.fixture
def app_import_fails(monkeypatch):
    def install(error: ImportError) -> None:
        monkeypatch.delitem(sys.modules, "shipdesk.ui.app", raising=False)
        monkeypatch.setattr(sys, "meta_path", [_AppImportFails(error), *sys.meta_path])
    return install


def run_bare(capsys) -> tuple[int, str]:
    try:
        code = cli.main([])
    finally:
        for handler in logging.getLogger().handlers:
            handler.flush()
    return code, capsys.readouterr().err


def test_a_missing_system_library_is_named_with_the_package_to_install(app_import_fails, capsys):
    app_import_fails(ImportError("libEGL.so.1: cannot open shared object file: No such file or directory"))

    code, err = run_bare(capsys)

    assert code == 2 and "Traceback" not in err and "not built" not in err
    assert err.startswith("shipdesk: The desktop app cannot start: Qt could not load libEGL.so.1")
    assert "apt install libegl1" in err and "shipdesk --help" in err
    logged = (DataPaths.default().logs / "shipdesk.log").read_text(encoding="utf-8")
    assert "Traceback" in logged and "libEGL.so.1: cannot open shared object file" in logged


def test_an_unknown_missing_library_is_still_named(app_import_fails, capsys):
    app_import_fails(ImportError("libQt6Fancy.so.6: cannot open shared object file: No such file or directory"))
    code, err = run_bare(capsys)
    assert code == 2 and "Qt could not load libQt6Fancy.so.6" in err and "provides libQt6Fancy.so.6" in err


def test_pyside6_missing_says_to_reinstall(app_import_fails, capsys):
    app_import_fails(ModuleNotFoundError("No module named 'PySide6'", name="PySide6"))
    code, err = run_bare(capsys)
    assert code == 2 and "PySide6" in err and "Reinstall shipdesk" in err


def test_a_broken_import_in_shipdesk_itself_is_reported_as_a_bug(app_import_fails, capsys):
    app_import_fails(ImportError("cannot import name 'MainWindow' from 'shipdesk.ui.window.main_window'"))
    code, err = run_bare(capsys)
    assert code == 1 and err.startswith("shipdesk: unexpected error (ImportError: cannot import name")
    assert "shipdesk.log" in err
