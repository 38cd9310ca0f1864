"""No "API Login Limit": every command signs out of Acumatica, also when it is stopped with Ctrl+C.

The Acumatica sandbox has two licensed API seats (``max_sessions=2``) and keeps a seat for 10
minutes when a session is not logged out, as Acumatica does: a command that forgot to log out
would lock the third command out.
"""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from shipdesk import cli
from shipdesk.cli.signals import STOPPING_AFTER_THE_STEP
from shipdesk.demo.settings import demo_config

from .conftest import PYTHON, stats, subprocess_env

COMMANDS = 50
LIST_ROUTE = "GET /AcumaticaERP/entity/{endpoint}/{version}/Shipment"
LOGIN_ROUTE = "POST /AcumaticaERP/entity/auth/login"


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


def shipdesk(config_file: Path, tmp_path: Path, *command: str) -> subprocess.Popen[str]:
    """``python -m shipdesk --config FILE COMMAND`` as a child process, with the demo secrets in its environment."""
    env = subprocess_env(SHIPDESK_DATA_DIR=str(tmp_path / "data"), SHIPDESK_ACUMATICA_PASSWORD="demo",
                         SHIPDESK_UPS_CLIENT_SECRET="demo")
    return subprocess.Popen([PYTHON, "-m", "shipdesk", "--config", str(config_file), *command],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def finish(process: subprocess.Popen[str], timeout: float = 30) -> tuple[int, str]:
    try:
        out, err = process.communicate(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return process.returncode, out + err


def hold(sandboxes, route: str) -> None:
    """Acumatica holds the next request on ``route`` until the faults are cleared: the command waits there, for
    as long as the test needs (no race with a delay running out under load)."""
    sandboxes.acumatica.add_fault(route=route, hold=True, count=1)


def shipment_route(sandboxes) -> str:
    version = demo_config(sandboxes.acumatica_url, sandboxes.ups_url).acumatica.version
    return f"/AcumaticaERP/entity/Default/{version}/Shipment"


POSIX_SIGNALS = pytest.mark.skipif(sys.platform == "win32", reason="sends POSIX signals to a child process")


@POSIX_SIGNALS
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"])
def test_ctrl_c_during_a_command_still_logs_out(sandboxes, config_file: Path, tmp_path, sig, code):
    """The pull waits for the shipment query, held by Acumatica, when the signal lands. (An earlier version
    delayed the first request under the endpoint by 10 s: that was the Ship Via lookup, so the query the test
    waited for arrived after the delay was over, and a quick pull could finish before the signal: exit 0.)"""
    hold(sandboxes, shipment_route(sandboxes))
    process = shipdesk(config_file, tmp_path, "pull")
    try:
        wait_until(lambda: stats(sandboxes.acumatica_url)["requests"].get(LIST_ROUTE, 0) >= 1, 30,
                   "the pull to reach Acumatica")
        assert stats(sandboxes.acumatica_url)["sessions_open"] == 1
        process.send_signal(sig)
        returncode, output = finish(process)
    finally:
        sandboxes.acumatica.clear_faults()

    assert returncode == code, output
    assert "Stopped." in output
    acumatica = stats(sandboxes.acumatica_url)
    assert acumatica["sessions_open"] == 0 and acumatica["logouts"] == 1


@POSIX_SIGNALS
def test_a_stop_during_the_sign_in_waits_for_it_then_signs_out(sandboxes, config_file: Path, tmp_path):
    """Cut short, a sign-in whose request reached Acumatica left a seat nobody could sign out."""
    hold(sandboxes, "/AcumaticaERP/entity/auth/login")
    process = shipdesk(config_file, tmp_path, "pull")
    said: queue.Queue[str] = queue.Queue()
    assert process.stderr is not None
    reader = threading.Thread(target=lambda: [said.put(line) for line in process.stderr], daemon=True)  # type: ignore[union-attr]
    reader.start()
    try:
        wait_until(lambda: stats(sandboxes.acumatica_url)["requests"].get(LOGIN_ROUTE, 0) >= 1, 30,
                   "the sign-in to reach Acumatica")
        process.send_signal(signal.SIGTERM)
        # the command says it waits for the sign-in: only then does Acumatica answer it
        heard = []
        while STOPPING_AFTER_THE_STEP not in "".join(heard):
            heard.append(said.get(timeout=30))
        sandboxes.acumatica.clear_faults()
        returncode = process.wait(timeout=30)
        reader.join(timeout=5)
    finally:
        sandboxes.acumatica.clear_faults()
        if process.poll() is None:
            process.kill()
            process.wait()
    output = "".join(heard) + "".join(said.queue)

    assert returncode == 143, output
    acumatica = stats(sandboxes.acumatica_url)
    assert acumatica["logins"] == acumatica["logouts"] == 1 and acumatica["sessions_open"] == 0


@POSIX_SIGNALS
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_stopping_a_long_running_sync_mid_request_frees_the_seat(sandboxes, config_file: Path, tmp_path, sig):
    """The sync cycle runs on a worker thread; a stop that waited for its Acumatica request (minutes, when
    Acumatica queues) ended the process first and left the seat open."""
    hold(sandboxes, shipment_route(sandboxes))
    process = shipdesk(config_file, tmp_path, "sync")
    try:
        wait_until(lambda: stats(sandboxes.acumatica_url)["requests"].get(LIST_ROUTE, 0) >= 1, 30,
                   "the sync cycle to reach Acumatica")
        process.send_signal(sig)
        returncode, output = finish(process, timeout=20)
        acumatica = stats(sandboxes.acumatica_url)  # read while the cycle's request is still held
    finally:
        sandboxes.acumatica.clear_faults()

    assert returncode == 0, output  # the sync's normal end
    assert acumatica["sessions_open"] == 0 and acumatica["logouts"] == 1


def test_ship_all_ready_signs_in_once(sandboxes, config_file, secrets_in_env, capsys):
    code = cli.main(["--config", str(config_file), "--json", "ship", "--all-ready", "--no-print"])

    assert code == 1, capsys.readouterr().err  # SH000119's address is unknown to UPS
    acumatica = stats(sandboxes.acumatica_url)
    assert acumatica["logins"] == acumatica["logouts"] == 1 and acumatica["sessions_open"] == 0
