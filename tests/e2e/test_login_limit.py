"""No "API Login Limit": every command signs out of Acumatica, also when it is stopped with Ctrl+C.

The Acumatica sandbox has two licensed API seats (``max_sessions=2``) and keeps a seat for 10
minutes when a session is not logged out, as Acumatica does: a command that forgot to log out
would lock the third command out.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from shipdesk import cli
from shipdesk.demo.settings import demo_config

from .conftest import PYTHON, stats, subprocess_env

COMMANDS = 50
LIST_ROUTE = "GET /AcumaticaERP/entity/{endpoint}/{version}/Shipment"


@pytest.fixture
def secrets_in_env(monkeypatch):
    monkeypatch.setenv("SHIPDESK_ACUMATICA_PASSWORD", "demo")
    monkeypatch.setenv("SHIPDESK_UPS_CLIENT_SECRET", "demo")


def test_fifty_commands_in_a_row_never_hit_the_login_limit(sandboxes, config_file, secrets_in_env, capsys):
    assert sandboxes.acumatica.seats.max_sessions == 2
    cycle = (["pull"], ["ping"], ["list"], ["validate", "SH000101"], ["rate", "SH000102"])
    signing_in = 0
    for index in range(COMMANDS):
        command = cycle[index % len(cycle)]
        code = cli.main(["--config", str(config_file), *command])
        assert code == 0, f"`shipdesk {' '.join(command)}` (command {index + 1}) failed: {capsys.readouterr().err}"
        if command != ["list"]:  # `list` reads the local store only
            signing_in += 1

    acumatica = stats(sandboxes.acumatica_url)
    assert acumatica["login_limit_hits"] == 0
    assert acumatica["sessions_open"] == 0
    assert acumatica["logins"] == acumatica["logouts"] == signing_in  # one session per command, ended
    assert "SH000101" in capsys.readouterr().out  # `list` shows what `pull` brought in


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``condition`` (a cheap stats read) until it holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    ready = threading.Event()
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        ready.wait(0.02)


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT to a child process")
def test_ctrl_c_during_a_command_still_logs_out(sandboxes, config_file: Path, tmp_path):
    # Acumatica is slow to answer the shipment query, so Ctrl+C lands while the command waits for it (the
    # fault names the Shipment entity: on the whole endpoint it would delay the pull's Ship Via lookup
    # instead, and the pull could finish between the list arriving and the Ctrl+C)
    version = demo_config(sandboxes.acumatica_url, sandboxes.ups_url).acumatica.version
    sandboxes.acumatica.add_fault(route=f"/AcumaticaERP/entity/Default/{version}/Shipment", delay_ms=10_000,
                                  count=1)
    env = subprocess_env(SHIPDESK_DATA_DIR=str(tmp_path / "data"), SHIPDESK_ACUMATICA_PASSWORD="demo",
                         SHIPDESK_UPS_CLIENT_SECRET="demo")
    process = subprocess.Popen([PYTHON, "-m", "shipdesk", "--config", str(config_file), "pull"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        wait_until(lambda: stats(sandboxes.acumatica_url)["requests"].get(LIST_ROUTE, 0) >= 1, 30,
                   "the pull to reach Acumatica")
        assert stats(sandboxes.acumatica_url)["sessions_open"] == 1
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()

    assert process.returncode == 130, out + err
    assert "Stopped." in err
    acumatica = stats(sandboxes.acumatica_url)
    assert acumatica["sessions_open"] == 0 and acumatica["logouts"] == 1
