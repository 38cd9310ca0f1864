"""Several processes write and rotate one log file (two clerks' apps in a machine-wide folder, a command beside
the scheduled sync): every line arrives once, whole, and rotation never overwrites another process's lines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from shipdesk.core.settings.paths import DataPaths

WRITER = r"""
import logging, sys
from pathlib import Path
from shipdesk.core import logfile
from shipdesk.core.settings.paths import DataPaths

logfile.MAX_BYTES, logfile.BACKUPS_KEPT = 20_000, 50  # rotate often, keep everything for the count
logfile.log_to_file(DataPaths(Path(sys.argv[1])), "shipdesk.log")
sys.stdout.write("ready\n"); sys.stdout.flush()
sys.stdin.readline()  # all writers start together
name = sys.argv[2]
for n in range(400):
    logging.getLogger("shipdesk.test").info("%s line %04d %s", name, n, "x" * 60)
"""

WRITERS = ("app-1", "app-2", "sync")


def test_processes_sharing_a_log_lose_no_line_when_it_rotates(tmp_path: Path):
    data = tmp_path / "ProgramData" / "shipdesk"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(data), name], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True) for name in WRITERS]
    try:
        for writer in writers:
            assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
        for writer in writers:
            assert writer.stdin is not None
            writer.stdin.write("go\n")
            writer.stdin.flush()
        for writer in writers:
            assert writer.wait(timeout=120) == 0
    finally:
        for writer in writers:
            writer.kill()

    files = sorted(DataPaths(data).logs.glob("shipdesk.log*"))
    lines = [line for file in files for line in file.read_text(encoding="utf-8").splitlines()]
    assert len(files) > 3  # it did rotate, several times
    for name in WRITERS:
        mine = sorted(line.split(f"{name} line ")[1][:4] for line in lines if f" {name} line " in line)
        assert mine == [f"{n:04d}" for n in range(400)], name
    assert all(line.endswith("x" * 60) for line in lines)


def test_the_log_is_writable_by_the_group_sharing_the_folder(tmp_path: Path):
    import logging
    import os
    import stat

    from shipdesk.core import logfile

    root = logging.getLogger()
    before = list(root.handlers)
    old_umask = os.umask(0o022)  # a typical login: new files only writable by their owner
    try:
        logfile.log_to_file(DataPaths(tmp_path), "shipdesk.log")
        logging.getLogger("shipdesk.test").warning("written")
    finally:
        os.umask(old_umask)
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()

    if sys.platform != "win32":
        assert stat.S_IMODE((tmp_path / "logs" / "shipdesk.log").stat().st_mode) & 0o060 == 0o060
    assert "written" in (tmp_path / "logs" / "shipdesk.log").read_text(encoding="utf-8")
