"""``ping`` and ``credentials``: what an IT admin checks and sets up before anything ships."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from shipdesk.cli.exit_codes import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE
from shipdesk.cli.output import Output
from shipdesk.core.context import AppContext
from shipdesk.core.settings import secrets
from shipdesk.errors import ConfigError, Service, ShipdeskError
from shipdesk.i18n import _


def ping(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    report: dict[str, dict[str, Any]] = {}
    codes = []
    for key, _service, check in _SIDES:
        try:
            report[key] = {"ok": True, **check(context)}
            codes.append(EXIT_OK)
        except ShipdeskError as exc:
            report[key] = {"ok": False, "message": str(exc)}
            codes.append(EXIT_USAGE if isinstance(exc, ConfigError) else EXIT_SOME_FAILED)
    out.emit(report, [(_("{side}: OK. {message}") if report[key]["ok"] else _("{side}: FAILED. {message}")).format(
        side=side_name(service), message=report[key]["message"]) for key, service, _check in _SIDES])
    return max(codes)


def _ping_acumatica(context: AppContext) -> dict[str, Any]:
    cfg = context.config.acumatica
    with context.acumatica(quick=True) as acu:  # a wrong address fails in seconds
        acu.login()
        published = acu.endpoints().get(cfg.endpoint, [])
    if published and cfg.version not in published:
        raise ConfigError(_("Signed in to {url}, but it has no endpoint {endpoint}/{version}. It publishes "
                            "{endpoint} {versions}: pick one in Settings.").format(
            url=cfg.url, endpoint=cfg.endpoint, version=cfg.version, versions=", ".join(published)))
    return {"message": _("signed in to {url} as {user}, endpoint {endpoint}/{version}.").format(
                url=cfg.url, user=cfg.username, endpoint=cfg.endpoint, version=cfg.version),
            "versions": published}


def _ping_ups(context: AppContext) -> dict[str, Any]:
    client = context.ups_client(quick=True)  # a wrong address fails in seconds
    try:
        info = client.ping()
    finally:
        client.close()
    accepted = (_("{url} accepted the credentials (new token, valid until {time} UTC); UPS tokens granted today: "
                  "{count}.") if info.granted_now else
                _("{url} accepted the credentials (cached token, valid until {time} UTC); UPS tokens granted today: "
                  "{count}."))
    return {"message": accepted.format(url=context.config.ups.base_url, time=f"{info.expires_at:%H:%M}",
                                       count=info.grants_today),
            "tokens_granted_today": info.grants_today, "token_expires_at": info.expires_at.isoformat()}


def _ping_store(context: AppContext) -> dict[str, Any]:
    """Where the data is (it opened, or the command would have stopped already), and who runs the sync."""
    from shipdesk.core.tracking.lease import who_runs_the_sync

    store = context.store
    holder = who_runs_the_sync(context.now)
    if store.shared:
        where = _("{location}, shared by the stations; this station is {station}").format(
            location=store.location, station=context.station)
    else:
        where = _("this PC's database {location}; this station is {station}").format(
            location=store.location, station=context.station)
    sync = (_("the sync runs at {station}.").format(station=holder.station) if holder is not None
            else _("no sync is running."))
    return {"message": f"{where}; {sync}", "shared": store.shared,
            "station": context.station, "sync_runs_at": holder.station if holder is not None else None}


#: (JSON key, what is checked, check): Acumatica first, as a person would check them
_SIDES: tuple[tuple[str, str, Callable[[AppContext], dict[str, Any]]], ...] = (
    ("acumatica", Service.ACUMATICA, _ping_acumatica), ("ups", Service.UPS, _ping_ups),
    ("store", "Store", _ping_store))


def side_name(service: str) -> str:
    """What ``ping`` checked, in the chosen language (the services keep their names)."""
    return _("Store") if service == "Store" else service


def credentials(args: argparse.Namespace, out: Output) -> int:
    """``credentials set NAME`` / ``credentials clear NAME``: the OS keyring only, no context needed."""
    name = args.name
    if name not in secrets.KNOWN_SECRETS:
        raise ConfigError(_("'{name}' is not a secret shipdesk uses.").format(name=name),
                          hint=_("Use one of: {names}.").format(names=", ".join(secrets.KNOWN_SECRETS)))
    if args.action == "clear":
        secrets.clear_secret(name)
        out.emit({"name": name, "stored": False}, [_("Removed {name} from the OS keyring.").format(name=name)])
        return EXIT_OK
    value = _read_secret(name)
    if not value:
        raise ConfigError(_("No value was given for {name}.").format(name=name),
                          hint=_("Type it, or pipe it in on standard input."))
    secrets.set_secret(name, value)
    out.emit({"name": name, "stored": True, "at": datetime.now(UTC).isoformat()},
             [_("Stored {name} in the OS keyring.").format(name=name)])
    return EXIT_OK


def _read_secret(name: str) -> str:
    """From the keyboard without echo, or the first line of piped standard input; never printed."""
    if sys.stdin.isatty():
        return getpass.getpass(f"{name}: ").strip()
    return sys.stdin.readline().rstrip("\r\n")
