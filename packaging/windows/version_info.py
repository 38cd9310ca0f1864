"""The Windows version resource (Properties → Details, what IT inventories read) and the installer's
version numbers, both from ``shipdesk.__version__``: the one place the version is written.

Used by ``packaging/shipdesk.spec`` (PyInstaller reads the text this writes) and ``packaging/build.py``
(the installer's defines). Standard library plus ``packaging``; no Windows needed.
"""

from __future__ import annotations

from pathlib import Path

from packaging.version import Version

PRODUCT = "shipdesk"
PUBLISHER = "shipdesk"  # the company name IT sees in Programs and Features; change it here only
COPYRIGHT = "Proprietary software; all rights reserved."


def file_version(version: str) -> tuple[int, int, int, int]:
    """Windows wants four numbers of 0..65535: the release part of the version, padded (0.2.0rc1 -> 0.2.0.0)."""
    parts = [*Version(version).release, 0, 0, 0][:4]
    return (min(parts[0], 65535), min(parts[1], 65535), min(parts[2], 65535), min(parts[3], 65535))


def dotted(version: str) -> str:
    return ".".join(str(n) for n in file_version(version))


def version_info_text(version: str, *, exe_name: str, description: str) -> str:
    """PyInstaller's version-file text (a ``VSVersionInfo(...)`` expression) for one program."""
    numbers = file_version(version)
    strings = {
        "CompanyName": PUBLISHER,
        "FileDescription": description,
        "FileVersion": version,
        "InternalName": exe_name,
        "LegalCopyright": COPYRIGHT,
        "OriginalFilename": f"{exe_name}.exe",
        "ProductName": PRODUCT,
        "ProductVersion": version,
    }
    structs = ",\n          ".join(f"StringStruct({key!r}, {value!r})" for key, value in strings.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040904B0', [
          {structs}])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""


def write_version_file(folder: Path, version: str, *, exe_name: str, description: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"version-{exe_name}.txt"
    path.write_text(version_info_text(version, exe_name=exe_name, description=description), encoding="utf-8")
    return path
