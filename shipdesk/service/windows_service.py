"""The sync as a Windows service (pywin32's service framework); imports pywin32 only when called on Windows.

What the command line needs (``shipdesk-cli service install|remove|start|stop|status`` and the hidden
``service run`` that Windows' service manager starts):

- :func:`install` registers ``"<shipdesk-cli.exe>" --config FILE service run --data-dir DIR``: the data
  folder and config file are written into the service's own command line, because a service does not
  see machine environment variables set after boot, and it must use the same store as the clerk's app.
  It starts with Windows (delayed, so the network is up) and restarts after a crash.
- :func:`host` is what ``service run`` calls: it hands the process to the service manager, which then
  drives a :class:`~shipdesk.service.runner.SyncServiceRunner` around the factory the command line gives.
- :func:`remove`, :func:`start`, :func:`stop`, :func:`status` for IT and the uninstaller.

Every failure reaches the caller as a ``ShipdeskError`` sentence (not an administrator, service missing...).
The service's log file is set up by the caller (the shared data folder's ``logs/``) before :func:`host`;
the Windows event log gets one line per start, stop and failure.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from shipdesk.errors import ShipdeskError
from shipdesk.i18n import _
from shipdesk.service.runner import SyncFactory, SyncServiceRunner

SERVICE_NAME = "shipdesk-sync"
DISPLAY_NAME = "shipdesk sync"
DESCRIPTION = ("Pulls ready shipments from Acumatica, tracks UPS packages, receives UPS Track Alert "
               "events and writes statuses back (shipdesk).")
#: how long Windows waits for the sync to stop (a cycle in flight ends its current step first)
STOP_WAIT_MS = 60_000
#: restart after a crash: 1 minute, then 5, then every 15; the failure count resets after a day
RESTART_DELAYS_MS = (60_000, 300_000, 900_000)
START_TYPES = ("auto", "delayed", "manual")
#: the command line's arguments for the process the service manager starts (the CLI contract)
RUN_ARGUMENTS = ("service", "run")

# Set by :func:`host` before the service manager creates the service object (it takes no arguments).
_factory: SyncFactory | None = None


def service_arguments(*, data_dir: str | Path, config: str | Path | None) -> list[str]:
    """What follows ``shipdesk-cli.exe`` on the service's command line (``--config`` is the global option)."""
    return [*(["--config", str(config)] if config else []), *RUN_ARGUMENTS, "--data-dir", str(data_dir)]


def host_program() -> Path:
    """The installed ``shipdesk-cli.exe`` (beside ``shipdesk.exe`` in the frozen build): the program Windows runs.

    A pip install has no such program (a venv's python.exe only relays to the real one, which the service
    manager cannot drive): it runs ``shipdesk-cli sync`` from Task Scheduler instead."""
    if not getattr(sys, "frozen", False):
        raise ShipdeskError(_("The sync service runs from the installed shipdesk (its shipdesk-cli.exe)."),
                            hint=_("With a pip install, run `shipdesk-cli sync` from Task Scheduler instead."))
    return Path(sys.executable).with_name("shipdesk-cli.exe")


def service_command_line(exe: str | Path, *, data_dir: str | Path, config: str | Path | None) -> str:
    """The command line Windows runs for the service (quoted the way ``CreateService`` wants it)."""
    return subprocess.list2cmdline([str(exe), *service_arguments(data_dir=data_dir, config=config)])


def install(*, data_dir: str | Path, config: str | Path | None = None, start_type: str = "delayed",
            account: str | None = None, password: str | None = None, exe: str | Path | None = None) -> None:
    """Register the service, or update its settings when it exists (an administrator's job; the installer's
    ``/SERVICE=1`` calls it on every install and update). ``exe`` defaults to :func:`host_program`.

    ``account``/``password``: the Windows account the sync runs as (default LocalSystem). The secrets
    (``shipdesk-cli credentials set``) must be stored as that account: the Credential Manager is per account.
    """
    if start_type not in START_TYPES:
        raise ShipdeskError(_("'{start_type}' is not a service start type.").format(start_type=start_type),
                            hint=_("Use one of {names}.").format(names=', '.join(START_TYPES)))
    win32service, win32serviceutil = _pywin32()
    program = str(exe or host_program())
    args = subprocess.list2cmdline(service_arguments(data_dir=data_dir, config=config))
    startup = win32service.SERVICE_DEMAND_START if start_type == "manual" else win32service.SERVICE_AUTO_START
    options = {"startType": startup, "userName": account, "password": password, "exeName": program,
               "exeArgs": args, "description": DESCRIPTION, "delayedstart": start_type == "delayed"}
    exists = status() != "not installed"
    with _admin_action(_("update the shipdesk sync service") if exists else _("install the shipdesk sync service")):
        if exists:
            win32serviceutil.ChangeServiceConfig(f"{__name__}.ShipdeskSyncService", SERVICE_NAME,
                                                 displayName=DISPLAY_NAME, **options)
        else:
            win32serviceutil.InstallService(f"{__name__}.ShipdeskSyncService", SERVICE_NAME, DISPLAY_NAME, **options)
        _restart_after_crash(win32service)


def remove() -> None:
    """Stop the service if it runs, then unregister it. Removing a service that is not there is not an error."""
    win32service, win32serviceutil = _pywin32()
    if status() == "not installed":
        return
    with _admin_action(_("remove the shipdesk sync service")):
        try:
            win32serviceutil.StopService(SERVICE_NAME)
            win32serviceutil.WaitForServiceStatus(SERVICE_NAME, win32service.SERVICE_STOPPED, STOP_WAIT_MS // 1000)
        except Exception:  # not running: nothing to stop
            pass
        win32serviceutil.RemoveService(SERVICE_NAME)


def start() -> None:
    _win32service, win32serviceutil = _pywin32()
    with _admin_action(_("start the shipdesk sync service")):
        win32serviceutil.StartService(SERVICE_NAME)


def stop() -> None:
    win32service, win32serviceutil = _pywin32()
    with _admin_action(_("stop the shipdesk sync service")):
        win32serviceutil.StopService(SERVICE_NAME)
        win32serviceutil.WaitForServiceStatus(SERVICE_NAME, win32service.SERVICE_STOPPED, STOP_WAIT_MS // 1000)


def status() -> str:
    """``not installed``, ``stopped``, ``starting``, ``running``, ``stopping`` or ``paused``."""
    win32service, win32serviceutil = _pywin32()
    try:
        state = win32serviceutil.QueryServiceStatus(SERVICE_NAME)[1]
    except Exception as exc:
        if getattr(exc, "winerror", None) == 1060:  # ERROR_SERVICE_DOES_NOT_EXIST
            return "not installed"
        raise ShipdeskError(_("Windows could not tell the state of the shipdesk sync service: {reason}.").format(
                                reason=exc)) from exc
    names = {win32service.SERVICE_STOPPED: "stopped", win32service.SERVICE_START_PENDING: "starting",
             win32service.SERVICE_RUNNING: "running", win32service.SERVICE_STOP_PENDING: "stopping"}
    return names.get(state, "paused")


def host(factory: SyncFactory) -> None:
    """Run as the service: called by ``shipdesk-cli service run``, which Windows' service manager starts.

    Returns when the service has stopped. Started by hand from a console it raises a sentence instead.
    """
    global _factory
    _pywin32()  # a sentence, not an ImportError, where there is no service manager
    _factory = factory
    import servicemanager

    servicemanager.Initialize()
    servicemanager.PrepareToHostSingle(_service_class())
    try:
        servicemanager.StartServiceCtrlDispatcher()
    except Exception as exc:
        if getattr(exc, "winerror", None) == 1063:  # ERROR_FAILED_SERVICE_CONTROLLER_CONNECT
            raise ShipdeskError(_("'service run' is started by Windows' service manager, not by hand."),
                                hint=_("Use `shipdesk-cli service start`, or `shipdesk-cli sync` in a "
                                       "console.")) from exc
        raise


def _pywin32() -> tuple[Any, Any]:
    if sys.platform != "win32":
        raise ShipdeskError(_("The shipdesk sync service is a Windows service."),
                            hint=_("On Linux systemd runs the sync: `shipdesk-cli service install` prints the unit "
                                   "(packaging/linux/shipdesk-sync.service)."))
    import win32service
    import win32serviceutil

    return win32service, win32serviceutil


@contextmanager
def _admin_action(what: str) -> Iterator[None]:
    try:
        yield
    except ShipdeskError:
        raise
    except Exception as exc:
        code = getattr(exc, "winerror", None)
        if code == 5:  # ERROR_ACCESS_DENIED
            raise ShipdeskError(_("Windows refused to {what}: that needs an administrator.").format(what=what),
                                hint=_("Run it from a command prompt opened with 'Run as administrator'.")) from exc
        if code == 1060:
            raise ShipdeskError(_("Could not {what}: it is not installed.").format(what=what),
                                hint=_("Run `shipdesk-cli service install` as an administrator.")) from exc
        detail = getattr(exc, "strerror", None) or str(exc)
        raise ShipdeskError(_("Windows could not {what}: {detail}.").format(what=what, detail=detail)) from exc


def _restart_after_crash(win32service: Any) -> None:
    manager = win32service.OpenSCManager(None, None, win32service.SC_MANAGER_ALL_ACCESS)
    try:
        handle = win32service.OpenService(manager, SERVICE_NAME, win32service.SERVICE_ALL_ACCESS)
        try:
            actions = [(win32service.SC_ACTION_RESTART, delay) for delay in RESTART_DELAYS_MS]
            win32service.ChangeServiceConfig2(handle, win32service.SERVICE_CONFIG_FAILURE_ACTIONS,
                                              {"ResetPeriod": 86_400, "RebootMsg": None, "Command": None,
                                               "Actions": actions})
        finally:
            win32service.CloseServiceHandle(handle)
    finally:
        win32service.CloseServiceHandle(manager)


@cache
def _service_class() -> type:
    """pywin32's ``ServiceFramework`` subclass; defined on first use so importing this module needs no pywin32."""
    import servicemanager
    import win32service
    import win32serviceutil

    class _ShipdeskSyncService(win32serviceutil.ServiceFramework):
        _svc_name_ = SERVICE_NAME
        _svc_display_name_ = DISPLAY_NAME
        _svc_description_ = DESCRIPTION

        def __init__(self, args: Sequence[str]) -> None:
            super().__init__(args)
            if _factory is None:
                raise RuntimeError("shipdesk.service.windows_service.host() sets the sync factory first")  # i18n: a bug
            self.runner = SyncServiceRunner(_factory)

        def SvcStop(self) -> None:
            # the control handler must answer at once: the stop runs on its own thread, SvcDoRun waits for it
            self.ReportServiceStatus(win32service.SERVICE_STOP_PENDING, waitHint=STOP_WAIT_MS)
            threading.Thread(target=self.runner.stop, name="shipdesk-service-stop").start()

        SvcShutdown = SvcStop  # Windows shutting down: sign out of Acumatica like a stop

        def SvcDoRun(self) -> None:
            servicemanager.LogInfoMsg(f"{DISPLAY_NAME}: starting")
            if not self.runner.start():
                servicemanager.LogErrorMsg(f"{DISPLAY_NAME} {self.runner.error}")
                raise RuntimeError(self.runner.error)  # i18n: a bug
            self.runner.wait()
            problem = f" ({self.runner.error})" if self.runner.error else ""
            servicemanager.LogInfoMsg(f"{DISPLAY_NAME}: stopped{problem}")

    _ShipdeskSyncService.__name__ = _ShipdeskSyncService.__qualname__ = "ShipdeskSyncService"
    return _ShipdeskSyncService


def __getattr__(name: str) -> Any:
    # ``ShipdeskSyncService`` exists only where pywin32 does; the service manager asks for it by this name
    if name == "ShipdeskSyncService":
        return _service_class()
    raise AttributeError(name)
