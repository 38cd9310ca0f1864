"""``service install|remove|start|stop|status`` and the hidden ``service run``: the sync as a Windows service.

Everything Windows-specific is in ``shipdesk/service/windows_service.py``; this module maps the command line
to it (the contract is in packaging/README.md). The service uses the machine's folders: ``install`` writes the
config file and data folder into the service's own command line (``--config`` and ``--data-dir`` when given,
else ``SHIPDESK_CONFIG`` / ``SHIPDESK_DATA_DIR``, else the machine-wide ones), so it shares one store with the
app, the commands and the scheduled task. On Linux ``install`` prints the systemd unit to use instead.
"""

from __future__ import annotations

import argparse
import getpass
import os
import shutil
import sys
from pathlib import Path

from shipdesk.cli.exit_codes import EXIT_OK, EXIT_USAGE
from shipdesk.cli.output import Output, to_stderr
from shipdesk.core.logfile import log_to_file
from shipdesk.core.settings.paths import DATA_DIR_ENV, DataPaths, Scope, locations
from shipdesk.errors import ConfigError
from shipdesk.i18n import _
from shipdesk.service import systemd, windows_service
from shipdesk.service.factory import sync_factory

SERVICE_LOG = "shipdesk-service.log"


def service(args: argparse.Namespace, out: Output) -> int:
    actions = {"install": install, "remove": remove, "start": start, "stop": stop, "status": status, "run": run}
    return actions[args.action](args, out)


def service_locations(config: str | None, data_dir: str | None) -> tuple[Path, Path]:
    """The config file and data folder the service runs with: the ones given, else the machine's."""
    where = locations(config, scope=Scope.MACHINE)
    return where.config, Path(data_dir).expanduser() if data_dir else where.data


def install(args: argparse.Namespace, out: Output) -> int:
    config, data = service_locations(args.config, args.data_dir)
    if sys.platform != "win32":
        return _systemd_instead(config, data, out)
    password = _read_password(args.account) if args.account else None
    windows_service.install(data_dir=data, config=config, start_type=args.start, account=args.account,
                            password=password)
    account = args.account or "LocalSystem"
    out.emit({"installed": True, "service": windows_service.SERVICE_NAME, "config": str(config),
              "data_dir": str(data), "start": args.start, "account": account},
             [_("The shipdesk sync service is installed ({start} start, as {account}): it reads {config} and keeps "
                "its data in {data}.").format(start=args.start, account=account, config=config, data=data),
              _("Start it with `shipdesk-cli service start`; its log is {log}.").format(
                  log=DataPaths(data).logs / SERVICE_LOG)])
    return EXIT_OK


def remove(args: argparse.Namespace, out: Output) -> int:
    windows_service.remove()
    out.emit({"installed": False, "service": windows_service.SERVICE_NAME},
             [_("The shipdesk sync service is removed (its data folder is kept).")])
    return EXIT_OK


def start(args: argparse.Namespace, out: Output) -> int:
    windows_service.start()
    out.emit({"service": windows_service.SERVICE_NAME, "status": "starting"},
             [_("The shipdesk sync service is starting; `shipdesk-cli service status` tells when it runs.")])
    return EXIT_OK


def stop(args: argparse.Namespace, out: Output) -> int:
    windows_service.stop()
    out.emit({"service": windows_service.SERVICE_NAME, "status": "stopped"},
             [_("The shipdesk sync service has stopped (signed out of Acumatica).")])
    return EXIT_OK


def status(args: argparse.Namespace, out: Output) -> int:
    state = windows_service.status()
    out.emit({"service": windows_service.SERVICE_NAME, "status": state},
             [_("shipdesk sync service: {state}.").format(state=state_words(state))])
    return EXIT_OK


def run(args: argparse.Namespace, out: Output) -> int:
    """What Windows' service manager starts (``service_command_line``): the sync, until the service stops."""
    config, data = service_locations(args.config, args.data_dir)  # install always writes both; else the machine's
    os.environ[DATA_DIR_ENV] = str(data)  # anything in this process that asks for the data folder gets this one
    log_to_file(DataPaths(data), SERVICE_LOG)
    windows_service.host(sync_factory(config, data))
    return EXIT_OK


def _read_password(account: str) -> str:
    """The service account's password: from the keyboard without echo, or the first line piped in."""
    password = (getpass.getpass(_("Password of {account}: ").format(account=account)) if sys.stdin.isatty()
                else sys.stdin.readline().rstrip("\r\n"))
    if not password:
        raise ConfigError(_("No password was given for {account}.").format(account=account),
                          hint=_("Type it, or pipe it in on standard input."))
    return password


def _systemd_instead(config: Path, data: Path, out: Output) -> int:
    """Linux: the sync runs under systemd; print the unit filled in for this install, and what to do with it."""
    unit = systemd.unit_text(_cli_program(), config=config, data_dir=data)
    steps = systemd.install_steps(data)
    sentence = _("The shipdesk sync service is a Windows service; on Linux systemd runs the sync. The unit is "
                 "printed on standard output.")
    if out.as_json:
        out.emit({"installed": False, "platform": sys.platform, "message": sentence, "unit": unit, "steps": steps}, [])
    else:
        out.stream.write(unit)
        out.stream.flush()
        to_stderr("shipdesk: " + _("{sentence} As root:").format(sentence=sentence))  # i18n: the program's name
        for number, step in enumerate(steps, start=1):
            to_stderr(f"  {number}. {step}")
    return EXIT_USAGE


def state_words(state: str) -> str:
    """The service's state (``windows_service.status()``'s words) in the chosen language."""
    words = {"not installed": _("not installed"), "stopped": _("stopped"), "starting": _("starting"),
             "running": _("running"), "stopping": _("stopping"), "paused": _("paused")}
    return words.get(state, state)


def _cli_program() -> str:
    """This install's ``shipdesk-cli``: beside the running Python (a venv's bin/), else on PATH."""
    beside = Path(sys.executable).with_name("shipdesk-cli")
    if beside.is_file():
        return str(beside)
    return shutil.which("shipdesk-cli") or "/opt/shipdesk/venv/bin/shipdesk-cli"
