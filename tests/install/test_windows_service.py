"""The Windows service glue, on Linux: its command line, its sentences, and the service class driven the way
pywin32's service manager drives it (with stand-ins for pywin32's modules, which exist on Windows only)."""

from __future__ import annotations

import sys
import threading
import types
from typing import Any

import pytest

from shipdesk.errors import ConfigError, ShipdeskError
from shipdesk.service import windows_service

WAIT = 10.0


def test_service_command_line_carries_the_shared_folder_and_config():
    line = windows_service.service_command_line(r"C:\Program Files\shipdesk\shipdesk-cli.exe",
                                                data_dir=r"C:\ProgramData\shipdesk",
                                                config=r"\\fileserver\it\shipdesk\config.toml")

    assert line == (r'"C:\Program Files\shipdesk\shipdesk-cli.exe" --config \\fileserver\it\shipdesk\config.toml '
                    r"service run --data-dir C:\ProgramData\shipdesk")
    assert windows_service.service_arguments(data_dir="D:/ship data", config=None) == [
        "service", "run", "--data-dir", "D:/ship data"]


@pytest.mark.parametrize("call", [windows_service.remove, windows_service.start, windows_service.stop,
                                  windows_service.status, lambda: windows_service.install(data_dir="/srv/x")])
def test_on_linux_every_service_command_is_a_sentence(call):
    with pytest.raises(ShipdeskError, match="is a Windows service") as raised:
        call()
    assert "systemd" in str(raised.value)


def test_a_pip_install_is_told_to_use_task_scheduler():
    with pytest.raises(ShipdeskError, match="runs from the installed shipdesk") as raised:
        windows_service.host_program()
    assert "Task Scheduler" in str(raised.value)


class FakeSync:
    def __init__(self) -> None:
        self.stopped = threading.Event()

    def stop(self) -> None:
        self.stopped.set()


@pytest.fixture
def pywin32(monkeypatch) -> types.SimpleNamespace:
    """Stand-ins for the parts of pywin32 the service class uses, recording what it tells Windows."""
    record = types.SimpleNamespace(statuses=[], events=[], installed=[], changed=[], state=None)

    class ServiceFramework:
        def __init__(self, args: Any) -> None:
            self.args = args

        def ReportServiceStatus(self, status: int, waitHint: int = 5000, **_: Any) -> None:
            record.statuses.append((status, waitHint))

    def query(name: str) -> tuple[int, int]:
        if record.state is None:
            error = OSError("The specified service does not exist as an installed service.")
            error.winerror = 1060  # type: ignore[attr-defined]
            raise error
        return (16, record.state)

    modules = {
        "servicemanager": types.SimpleNamespace(
            LogInfoMsg=lambda text: record.events.append(("info", text)),
            LogErrorMsg=lambda text: record.events.append(("error", text))),
        "win32service": types.SimpleNamespace(
            SERVICE_STOP_PENDING=3, SERVICE_STOPPED=1, SERVICE_START_PENDING=2, SERVICE_RUNNING=4,
            SERVICE_AUTO_START=2, SERVICE_DEMAND_START=3, SC_MANAGER_ALL_ACCESS=0xF003F, SERVICE_ALL_ACCESS=0xF01FF,
            SC_ACTION_RESTART=1, SERVICE_CONFIG_FAILURE_ACTIONS=2,
            OpenSCManager=lambda *a: "scm", OpenService=lambda *a: "svc", CloseServiceHandle=lambda h: None,
            ChangeServiceConfig2=lambda handle, what, value: record.changed.append(value)),
        "win32serviceutil": types.SimpleNamespace(
            ServiceFramework=ServiceFramework, QueryServiceStatus=query,
            InstallService=lambda *args, **kwargs: record.installed.append(("install", args, kwargs)),
            ChangeServiceConfig=lambda *args, **kwargs: record.installed.append(("change", args, kwargs))),
    }
    for name, module in modules.items():
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setattr(sys, "platform", "win32")
    windows_service._service_class.cache_clear()
    yield record
    windows_service._service_class.cache_clear()
    monkeypatch.setattr(windows_service, "_factory", None)


def test_windows_stops_the_service_from_its_control_thread(pywin32, monkeypatch):
    sync = FakeSync()
    monkeypatch.setattr(windows_service, "_factory", lambda: sync)
    service = windows_service._service_class()(["shipdesk-sync"])
    main = threading.Thread(target=service.SvcDoRun)
    main.start()
    assert service.runner.wait(timeout=0.05) is False  # running until told

    service.SvcStop()  # returns at once; the stop runs on its own thread

    main.join(WAIT)
    assert not main.is_alive() and sync.stopped.is_set()
    assert pywin32.statuses == [(3, windows_service.STOP_WAIT_MS)]
    assert pywin32.events == [("info", "shipdesk sync: starting"), ("info", "shipdesk sync: stopped")]


def test_a_service_that_cannot_start_tells_the_event_log_and_fails(pywin32, monkeypatch):
    def factory() -> FakeSync:
        raise ConfigError("shipdesk is not configured yet (config.toml has no Acumatica URL).")

    monkeypatch.setattr(windows_service, "_factory", factory)
    service = windows_service._service_class()(["shipdesk-sync"])

    with pytest.raises(RuntimeError, match="could not start: shipdesk is not configured yet"):
        service.SvcDoRun()  # a failed start: Windows' restart-after-failure applies
    assert pywin32.events[-1][0] == "error" and "not configured yet" in pywin32.events[-1][1]


def test_install_registers_the_cli_program_and_updates_an_existing_service(pywin32):
    exe = r"C:\Program Files\shipdesk\shipdesk-cli.exe"
    windows_service.install(exe=exe, data_dir=r"C:\ProgramData\shipdesk", config=None)
    pywin32.state = 1  # installed and stopped
    windows_service.install(exe=exe, data_dir=r"D:\shipdesk", config=r"D:\shipdesk\config.toml", start_type="manual")

    (first, args, options), (second, _, changed) = pywin32.installed
    assert (first, second) == ("install", "change")
    assert args[1:3] == ("shipdesk-sync", "shipdesk sync")
    assert options["exeName"] == exe and options["exeArgs"] == r"service run --data-dir C:\ProgramData\shipdesk"
    assert options["startType"] == 2 and options["delayedstart"] is True
    assert changed["exeArgs"] == r"--config D:\shipdesk\config.toml service run --data-dir D:\shipdesk"
    assert changed["startType"] == 3 and changed["delayedstart"] is False
    assert changed["userName"] is None  # an account IT set by hand is kept on update
    assert pywin32.changed[0]["Actions"] == [(1, 60_000), (1, 300_000), (1, 900_000)]


def test_status_and_unknown_start_type(pywin32):
    assert windows_service.status() == "not installed"
    pywin32.state = 4
    assert windows_service.status() == "running"
    with pytest.raises(ShipdeskError, match="'boot' is not a service start type"):
        windows_service.install(exe="x.exe", data_dir="C:/d", start_type="boot")
