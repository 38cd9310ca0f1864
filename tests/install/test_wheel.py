"""``pip install shipdesk`` as IT does it: the built wheel in a fresh virtual environment, away from the
checkout, carries the icons and the vendored specs that demo mode and the sandboxes need."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow

#: what the build reads from the checkout (the rest of the repository is not part of the wheel)
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "shipdesk", "resources")


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """A fresh venv with only the built wheel installed. The third-party libraries come from this test's
    environment through a path entry (no download); shipdesk itself can only come from the wheel."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    source.mkdir()
    for name in SOURCES:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, source / name, **({"ignore": shutil.ignore_patterns("__pycache__")}
                                           if (ROOT / name).is_dir() else {}))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "wheels"), str(source)],
                   check=True, timeout=600)
    [wheel] = (tmp / "wheels").glob("shipdesk-*.whl")
    shutil.rmtree(source)  # the installed package must not find the copy it was built from either

    target = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(target)], check=True, timeout=120)
    python = target / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index",
                    str(wheel)], check=True, timeout=300)
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return target


def run(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SHIPDESK_RESOURCES", "PYTHONPATH")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_demo_mode_works_from_the_installed_wheel(venv, tmp_path):
    try:
        pull = run(venv, str(venv / "bin" / "shipdesk-cli"), "--demo", "pull", cwd=tmp_path)
        listed = run(venv, str(venv / "bin" / "shipdesk"), "--demo", "list", cwd=tmp_path)
    finally:  # the demo day's sandboxes outlive the commands until reset
        reset = run(venv, str(venv / "bin" / "shipdesk-cli"), "--demo", "reset", cwd=tmp_path)

    assert pull.returncode in (0, 1), pull.stderr  # 1: some seeded shipments need attention, by design
    assert "sandbox internal error" not in pull.stdout + pull.stderr
    assert "SH000122: Ship-to postal code is empty" in pull.stdout
    assert listed.returncode == 0, listed.stderr
    assert "SH000122" in listed.stdout  # the pull's demo day, still running
    assert reset.returncode == 0, reset.stderr


def test_icons_and_specs_load_from_the_installed_package(venv, tmp_path):
    check = """
import sys
from pathlib import Path
import shipdesk
from shipdesk.resources import resources_root
from shipdesk.specs import load_acumatica, load_ups
from PySide6.QtWidgets import QApplication
from shipdesk.ui.icons import icon

app = QApplication([])
root = resources_root()
assert Path(shipdesk.__file__).is_relative_to(sys.prefix), shipdesk.__file__
assert root == Path(shipdesk.__file__).parent / "_resources", root
image = icon("ship").pixmap(48, 48).toImage()
assert not image.isNull() and any(image.pixelColor(x, y).alpha() for x in range(48) for y in range(48))
assert "/shipments/{version}/ship" in load_ups("Shipping.yaml")["paths"]
assert load_acumatica("24.200.001")["openapi"].startswith("3.")
for vendor in ("ups", "acumatica"):
    assert (root / "specs" / vendor / "LICENSE").is_file() and (root / "specs" / vendor / "SOURCE.md").is_file()
print("ok", root)
"""
    result = run(venv, str(venv / "bin" / "python"), "-c", check, cwd=tmp_path)

    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("ok " + str(venv))


def test_vendored_files_in_the_wheel_are_the_checkout_files_unchanged(venv):
    site = next((venv / "lib").glob("python3*/site-packages"))
    installed = site / "shipdesk" / "_resources"
    canonical = sorted(p.relative_to(ROOT / "resources") for p in (ROOT / "resources").rglob("*") if p.is_file())

    assert sorted(p.relative_to(installed) for p in installed.rglob("*") if p.is_file()) == canonical
    for relative in canonical:
        assert (installed / relative).read_bytes() == (ROOT / "resources" / relative).read_bytes()
