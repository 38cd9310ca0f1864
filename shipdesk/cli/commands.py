"""The command-line jobs behind ``shipdesk COMMAND`` (the parser lives in ``shipdesk.cli``).

Each command prints sentences for people, or one JSON document with ``--json``, and returns the exit
code of the design: 0 all done, 1 some items failed (listed), 2 usage or configuration error.
``--demo`` runs the command against the built-in sandboxes (see ``core.demo``).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import importlib.util
import json
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, TextIO

from shipdesk.core.context import AppContext
from shipdesk.core.domain.outcomes import ProgressEvent, ShipOutcome
from shipdesk.core.domain.states import State
from shipdesk.core.settings import secrets
from shipdesk.core.settings.config import load_config
from shipdesk.core.settings.paths import config_path, data_dir
from shipdesk.core.shipping.flow import ShipFlow
from shipdesk.core.store import repository
from shipdesk.demo.launcher import DEMO_SECRETS, demo_data_dir, start_demo
from shipdesk.errors import ConfigError, ShipdeskError

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
Handler = Callable[[AppContext, argparse.Namespace, "Output"], int]


class Output:
    """Human sentences on stdout, or exactly one JSON document with ``--json``."""

    def __init__(self, as_json: bool, stream: TextIO | None = None) -> None:
        self.as_json = as_json
        self.stream = stream or sys.stdout

    def emit(self, data: Any, lines: list[str]) -> None:
        if self.as_json:
            self.stream.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
        else:
            for line in lines:
                self.stream.write(line + "\n")
        self.stream.flush()


def run_command(args: argparse.Namespace) -> int:
    out = Output(getattr(args, "json", False))
    if args.command == "credentials":
        return _credentials(args, out)
    if args.command == "sync" and not _sync_built():
        sys.stderr.write("shipdesk: 'sync' is not built yet.\n")
        return EXIT_USAGE
    handler = COMMANDS.get(args.command)
    if handler is None:
        raise ConfigError(f"'{args.command}' is not a shipdesk command.", hint="See `shipdesk --help`.")
    with open_context(args) as context:
        return handler(context, args, out)


@contextlib.contextmanager
def open_context(args: argparse.Namespace) -> Iterator[AppContext]:
    """The context for one command; demo sandboxes started here are stopped at the end."""
    if not args.demo:
        config = load_config(config_path(args.config))
        if not config.is_configured and args.command != "list":
            raise ConfigError(f"shipdesk is not configured yet ({config.source} has no Acumatica URL or UPS "
                              "client id).", hint="Fill in the settings in the app, or try `shipdesk --demo`.")
        with AppContext.from_config(config, data_dir=data_dir()) as context:
            yield context
        return
    sandboxes, config = start_demo()
    try:
        folder = demo_data_dir(data_dir(), fresh=sandboxes is not None)
        with AppContext.from_config(config, data_dir=folder, demo=True, secret_values=DEMO_SECRETS) as context:
            yield context
    finally:
        if sandboxes is not None:
            sandboxes.stop()


# -- ping ---------------------------------------------------------------------------------------------
def _ping(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    report: dict[str, dict[str, Any]] = {}
    codes = []
    for side, check in (("acumatica", _ping_acumatica), ("ups", _ping_ups)):
        try:
            report[side] = {"ok": True, **check(context)}
            codes.append(EXIT_OK)
        except ShipdeskError as exc:
            report[side] = {"ok": False, "message": str(exc)}
            codes.append(EXIT_USAGE if isinstance(exc, ConfigError) else EXIT_SOME_FAILED)
    names = {"acumatica": "Acumatica", "ups": "UPS"}
    out.emit(report, [f"{names[side]}: {'OK' if r['ok'] else 'FAILED'}. {r['message']}"
                      for side, r in report.items()])
    return max(codes)


def _ping_acumatica(context: AppContext) -> dict[str, Any]:
    cfg = context.config.acumatica
    with context.acumatica(quick=True) as acu:  # a wrong address fails in seconds
        acu.login()
        published = acu.endpoints().get(cfg.endpoint, [])
    if published and cfg.version not in published:
        raise ConfigError(f"Signed in to {cfg.url}, but it has no endpoint {cfg.endpoint}/{cfg.version}. It "
                          f"publishes {cfg.endpoint} {', '.join(published)}: pick one in Settings.")
    return {"message": f"signed in to {cfg.url} as {cfg.username}, endpoint {cfg.endpoint}/{cfg.version}.",
            "versions": published}


def _ping_ups(context: AppContext) -> dict[str, Any]:
    client = context.ups_client(quick=True)  # a wrong address fails in seconds
    try:
        info = client.ping()
    finally:
        client.close()
    fresh = "new token" if info.granted_now else "cached token"
    return {"message": f"{context.config.ups.base_url} accepted the credentials ({fresh}, valid until "
                       f"{info.expires_at:%H:%M} UTC); UPS tokens granted today: {info.grants_today}.",
            "tokens_granted_today": info.grants_today, "token_expires_at": info.expires_at.isoformat()}


# -- pull, list -----------------------------------------------------------------------------------------
def _pull(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    result = ShipFlow(context).pull()
    lines = [f"Pulled {result.pulled} shipment(s) from Acumatica ({result.new} new): {result.ready} ready to ship, "
             f"{len(result.needs_attention)} need attention."]
    lines += [f"  {nbr}: {reason}" for nbr, reason in result.needs_attention]
    out.emit(result.to_json(), lines)
    return EXIT_OK


def _list(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    states = None
    if args.state:
        try:
            states = [State(args.state)]
        except ValueError as exc:
            raise ConfigError(f"'{args.state}' is not a state.",
                              hint="Use one of: " + ", ".join(s.value for s in State) + ".") from exc
    listing = repository.list_shipments(states)
    rows = [row._asdict() for row in listing.rows]
    lines = [f"{r['shipment_nbr']:<10} {State(r['state']).label:<28} {r['ship_to_name'][:30]:<30} "
             f"{r['tracking_numbers'] or r['attention_reason'][:60]}" for r in rows]
    lines.append(f"{len(rows)} shipment(s).")
    out.emit({"shipments": rows, "counts": listing.counts}, lines)
    return EXIT_OK


# -- validate, rate -----------------------------------------------------------------------------------
def _validate(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    flow = ShipFlow(context)
    if args.override:
        flow.override_address(args.shipment, args.override)
        out.emit({"shipment": args.shipment, "status": "overridden"},
                 [f"Address check of {args.shipment} overridden: {args.override}"])
        return EXIT_OK
    if args.choose is not None:  # 0 is a wrong candidate number, not "no choice"
        flow.choose_candidate(args.shipment, args.choose - 1)
        out.emit({"shipment": args.shipment, "status": "chosen", "candidate": args.choose},
                 [f"Candidate {args.choose} will be used for {args.shipment}."])
        return EXIT_OK
    result = flow.validate_address(args.shipment)
    candidates = [{"lines": list(c.address.lines), "city": c.address.city, "state": c.address.state,
                   "postal_code": c.address.postal_code, "country": c.address.country,
                   "classification": c.classification} for c in result.candidates]
    lines = [f"{args.shipment}: address {result.status.replace('_', ' ')} ({result.classification})."]
    lines += [f"  {i}. {', '.join(c['lines'])}, {c['city']} {c['state']} {c['postal_code']} {c['country']}"
              for i, c in enumerate(candidates, start=1)]
    if result.status == "ambiguous":
        lines.append(f"Pick one with `shipdesk validate {args.shipment} --choose N`.")
    out.emit({"shipment": args.shipment, "status": result.status, "classification": result.classification,
              "candidates": candidates}, lines)
    return EXIT_OK if result.status == "valid" else EXIT_SOME_FAILED


def _rate(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    quotes = ShipFlow(context).rate(args.shipment, shop=args.shop)
    data = [{"service_code": q.service_code, "service_name": q.service_name, "total": str(q.total.amount),
             "currency": q.total.currency, "negotiated": str(q.negotiated.amount) if q.negotiated else None,
             "business_days": q.business_days} for q in quotes]
    lines = [f"{q['service_name'] or q['service_code']:<28} {q['total']:>10} {q['currency']}"
             + (f"  (negotiated {q['negotiated']})" if q["negotiated"] else "") for q in data]
    out.emit({"shipment": args.shipment, "quotes": data}, lines)
    return EXIT_OK


# -- ship, void, reprint ------------------------------------------------------------------------------
def _ship(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    if bool(args.shipments) == bool(args.all_ready):
        raise ConfigError("Name the shipments to ship, or use --all-ready (not both).")
    if args.force_new_label and args.all_ready:
        raise ConfigError("--force-new-label needs the shipments named one by one, not --all-ready.")
    flow = ShipFlow(context, correct_confirmed=args.correct_confirmed)
    settled = flow.reconcile_uncertain()  # labels an earlier, interrupted run may have left
    nbrs = list(args.shipments)
    attention: tuple[tuple[str, str], ...] = ()
    if args.all_ready:
        attention = flow.pull().needs_attention
        nbrs = flow.ready_shipments()
    cancel = threading.Event()
    progress = _progress_bar() if len(nbrs) > 1 and sys.stderr.isatty() and not out.as_json else None
    with _cancel_on_ctrl_c(cancel):
        outcomes = flow.ship_many(nbrs, cancel, progress, print_labels=not args.no_print,
                                  accept_ambiguous=args.accept_address, force_new_label=args.force_new_label)
    lines = [f"Earlier run: {_outcome_line(o)}" for o in settled]
    lines += [_outcome_line(o) for o in outcomes]
    shipped = sum(o.ok for o in outcomes)
    lines.append(f"{shipped} of {len(nbrs)} shipment(s) labelled"
                 + (" (stopped early)." if cancel.is_set() else "."))
    if attention:
        lines.append(f"{len(attention)} shipment(s) from Acumatica need attention before they can ship:")
        lines += [f"  {nbr}: {reason}" for nbr, reason in attention]
    out.emit({"results": [o.to_json() for o in outcomes], "cancelled": cancel.is_set(),
              "earlier_runs": [o.to_json() for o in settled],
              "needs_attention": [{"shipment": n, "reason": r} for n, r in attention]}, lines)
    return EXIT_OK if shipped == len(nbrs) else EXIT_SOME_FAILED


def _void(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    outcome = ShipFlow(context).void(args.shipment)
    out.emit(outcome.to_json(), [_outcome_line(outcome)])
    return EXIT_OK if outcome.ok else EXIT_SOME_FAILED


def _reprint(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    outcome = ShipFlow(context).reprint(args.shipment)
    out.emit(outcome.to_json(), [outcome.message])
    return EXIT_OK


def _outcome_line(outcome: ShipOutcome) -> str:
    mark = "OK  " if outcome.ok else "FAIL"
    text = f"{mark} {outcome.shipment_nbr}: {outcome.message}"
    return text + "".join(f"\n     warning: {w}" for w in outcome.warnings)


def _progress_bar(stream: TextIO | None = None) -> Callable[[ProgressEvent], None]:
    target = stream or sys.stderr

    def show(event: ProgressEvent) -> None:
        width = 30
        filled = width * event.done // max(event.total, 1)
        target.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {event.done}/{event.total} {event.shipment_nbr:<10}")
        if event.done == event.total and event.step == "done":
            target.write("\n")
        target.flush()
    return show


@contextlib.contextmanager
def _cancel_on_ctrl_c(cancel: threading.Event) -> Iterator[None]:
    """First Ctrl+C: finish the current shipment, then stop. Second: stop now (jobs stay safe)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        sys.stderr.write("\nStopping after the current shipment (Ctrl+C again to stop now).\n")

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


# -- sync -----------------------------------------------------------------------------------------------
def _sync_built() -> bool:
    if importlib.util.find_spec("shipdesk.core.tracking.sync") is None:
        return False
    from shipdesk.core.tracking import sync

    return callable(getattr(sync, "run_sync", None))


def _sync(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    from shipdesk.core.tracking import sync

    def write(line: str) -> None:
        out.stream.write(line + "\n")
        out.stream.flush()

    result = sync.run_sync(context, once=args.once, as_json=out.as_json, write=write)
    return result if isinstance(result, int) else EXIT_OK


# -- credentials -------------------------------------------------------------------------------------
def _credentials(args: argparse.Namespace, out: Output) -> int:
    name = args.name
    if name not in secrets.KNOWN_SECRETS:
        raise ConfigError(f"'{name}' is not a secret shipdesk uses.",
                          hint="Use one of: " + ", ".join(secrets.KNOWN_SECRETS) + ".")
    if args.action == "clear":
        secrets.clear_secret(name)
        out.emit({"name": name, "stored": False}, [f"Removed {name} from the OS keyring."])
        return EXIT_OK
    value = _read_secret(name)
    if not value:
        raise ConfigError(f"No value was given for {name}.", hint="Type it, or pipe it in on standard input.")
    secrets.set_secret(name, value)
    out.emit({"name": name, "stored": True, "at": datetime.now(UTC).isoformat()},
             [f"Stored {name} in the OS keyring."])
    return EXIT_OK


def _read_secret(name: str) -> str:
    """From the keyboard without echo, or the first line of piped standard input; never printed."""
    if sys.stdin.isatty():
        return getpass.getpass(f"{name}: ").strip()
    return sys.stdin.readline().rstrip("\r\n")


COMMANDS: dict[str, Handler] = {
    "ping": _ping, "pull": _pull, "list": _list, "validate": _validate, "rate": _rate, "ship": _ship,
    "void": _void, "reprint": _reprint, "sync": _sync,
}
