"""Build the two programs (PyInstaller, one folder) and, where ``makensis`` exists, the Windows installer.

    python packaging/build.py                  # dist/shipdesk/ and, with makensis, dist/shipdesk-<version>-setup.exe
    python packaging/build.py --no-installer   # the programs only
    python packaging/build.py --installer-only --payload dist/shipdesk   # the installer around a finished folder

Run from anywhere with the build tools installed (``pip install -e .[build]``). The version comes from
``shipdesk.__version__`` only. Prints how long each step took and how big the result is.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE / "windows")]

from version_info import PUBLISHER, dotted  # noqa: E402

from shipdesk import __version__  # noqa: E402

NSI = HERE / "windows" / "shipdesk.nsi"


def build_programs(dist: Path, work: Path) -> Path:
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work), str(HERE / "shipdesk.spec")], check=True)
    return dist / "shipdesk"


def makensis_command(payload: Path, installer: Path, *, makensis: str = "makensis", verbosity: int = 3) -> list[str]:
    """The compiler call with the defines the script expects (its options work on Windows and Linux alike)."""
    defines = {"VERSION": __version__, "FILEVERSION": dotted(__version__), "PUBLISHER": PUBLISHER,
               "SOURCE_DIR": str(payload.resolve()), "OUTFILE": str(installer.resolve())}
    return [makensis, f"-V{verbosity}", *(f"-D{k}={v}" for k, v in defines.items()), str(NSI)]


def build_installer(payload: Path, installer: Path) -> Path:
    makensis = shutil.which("makensis")
    if makensis is None:
        raise SystemExit("makensis was not found: install NSIS (Windows: choco install nsis; Debian: apt-get "
                         "install nsis), or build with --no-installer.")
    for program in ("shipdesk", "shipdesk-cli"):
        if not any((payload / name).is_file() for name in (f"{program}.exe", program)):
            raise SystemExit(f"{payload} has no {program} program: build the programs first.")
    installer.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(makensis_command(payload, installer, makensis=makensis), check=True, cwd=NSI.parent)
    return installer


def folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the results go (default dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller's work folder")
    parser.add_argument("--no-installer", action="store_true", help="build the programs only")
    parser.add_argument("--installer-only", action="store_true", help="only wrap an existing folder (--payload)")
    parser.add_argument("--payload", type=Path, help="the folder to wrap (default DIST/shipdesk)")
    args = parser.parse_args(argv)

    payload = args.payload or args.dist / "shipdesk"
    if not args.installer_only:
        started = time.monotonic()
        payload = build_programs(args.dist, args.work)
        print(f"programs: {payload} ({folder_size(payload) / 1e6:.0f} MB) in {time.monotonic() - started:.0f} s")
    if not args.no_installer:
        started = time.monotonic()
        installer = build_installer(payload, args.dist / f"shipdesk-{__version__}-setup.exe")
        print(f"installer: {installer} ({installer.stat().st_size / 1e6:.0f} MB) in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
