"""What IT's inventory and Explorer's Properties → Details show for both programs: the package's version."""

from __future__ import annotations

import pytest

from shipdesk import __version__

from .conftest import load_packaging_module

version_info = load_packaging_module("windows/version_info.py")


@pytest.mark.parametrize(("version", "numbers"), [
    ("0.1.0", (0, 1, 0, 0)),
    ("1.2", (1, 2, 0, 0)),
    ("0.2.0rc1", (0, 2, 0, 0)),
    ("2.0.1.7.9", (2, 0, 1, 7)),
])
def test_windows_file_version_is_four_numbers(version, numbers):
    assert version_info.file_version(version) == numbers
    assert version_info.dotted(version) == ".".join(map(str, numbers))


def test_version_resource_loads_as_pyinstaller_loads_it(tmp_path, monkeypatch):
    why = "PyInstaller and pefile are in the build extra: pip install -e .[build]"
    compat = pytest.importorskip("PyInstaller.compat", reason=why)
    pytest.importorskip("pefile", reason=why)
    monkeypatch.setattr(compat, "win32api", None, raising=False)  # only used to write into a .exe, on Windows
    from PyInstaller.utils.win32 import versioninfo
    path = version_info.write_version_file(tmp_path, __version__, exe_name="shipdesk-cli",
                                           description="shipdesk command line and sync service")

    info = versioninfo.load_version_info_from_text_file(str(path))

    numbers = version_info.file_version(__version__)
    assert info.ffi.fileVersionMS == (numbers[0] << 16) | numbers[1]
    assert info.ffi.fileVersionLS == (numbers[2] << 16) | numbers[3]
    strings = {s.name: s.val for s in info.kids[0].kids[0].kids}
    assert strings["ProductVersion"] == __version__ and strings["FileVersion"] == __version__
    assert strings["OriginalFilename"] == "shipdesk-cli.exe" and strings["ProductName"] == "shipdesk"
