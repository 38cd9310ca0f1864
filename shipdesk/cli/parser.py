"""The options and subcommands of ``shipdesk``: what ``shipdesk --help`` and ``COMMAND --help`` print.

``--json`` is accepted before or after the command name (the design's contract): the subcommands
share it through a parent parser whose default never overrides a value given before the command.
The parser is built once the language is chosen (``shipdesk.cli.language``), so every help text goes through
``_()``; argparse's own words (``usage:``, the section titles, ``-h``) are replaced by ours for the same reason.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

from shipdesk import __version__
from shipdesk.i18n import _

if TYPE_CHECKING:
    from collections.abc import Iterable

    _SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]



class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup], prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


class TranslatedParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose own words (section titles, ``-h``, "error:") are in the chosen language;
    the subcommands' parsers are of the same class (argparse makes them with ``type(parser)``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = _("show this help and exit")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, _("{program}: error: {message}").format(program=self.prog, message=usage_error(message)) + "\n")


def _argparse_sentences() -> list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]]:
    """argparse's own error sentences (English, from its own gettext domain) and ours for them."""
    return [
        (re.compile(r"unrecognized arguments: (.*)"),
         lambda m: _("unrecognized arguments: {arguments}").format(arguments=m[1])),
        (re.compile(r"the following arguments are required: (.*)"),
         lambda m: _("the following arguments are required: {arguments}").format(arguments=m[1])),
        (re.compile(r"invalid choice: (.*) \(choose from (.*)\)"),
         lambda m: _("invalid choice: {value} (choose from {choices})").format(value=m[1], choices=m[2])),
        (re.compile(r"invalid int value: (.*)"), lambda m: _("{value} is not a whole number").format(value=m[1])),
        (re.compile(r"invalid \w+ value: (.*)"), lambda m: _("{value} is not valid here").format(value=m[1])),
        (re.compile(r"expected one argument"), lambda m: _("a value must follow it")),
        (re.compile(r"ambiguous option: (\S+) could match (.*)"),
         lambda m: _("ambiguous option: {option} could be {options}").format(option=m[1], options=m[2])),
    ]


def usage_error(message: str) -> str:
    """argparse's error ``message`` in the chosen language (as it is when it is none of the usual ones)."""
    argument = re.fullmatch(r"argument ([^:]+): (.*)", message, re.S)
    detail = argument[2] if argument else message
    for pattern, sentence in _argparse_sentences():
        found = pattern.fullmatch(detail)
        if found:
            detail = sentence(found)
            break
    return _("argument {argument}: {problem}").format(argument=argument[1], problem=detail) if argument else detail


def _json_after_the_command() -> argparse.ArgumentParser:
    """``--json`` again on each subcommand; SUPPRESS: not given there, the value given before stays."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=_("machine-readable output"))
    return parent


def _command(sub: _SubParsers, name: str, summary: str) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=summary, parents=[_json_after_the_command()])


def build_parser() -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = TranslatedParser(
        prog="shipdesk",
        description=_("Acumatica shipments to UPS labels and back. Without a command, starts the desktop app "
        "(demo mode when nothing is configured)."),
        epilog=_("Exit codes: 0 all done, 1 some items failed (listed), 2 usage or configuration error."),
    )
    _global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _admin_commands(sub)
    _shipping_commands(sub)
    _tracking_commands(sub)
    _report_command(sub)
    _credentials_command(sub)
    _sandbox_command(sub)
    _service_command(sub)
    _update_command(sub)
    _scale_command(sub)
    return parser


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=f"shipdesk {__version__}",
                        help=_("show the version and exit"))
    parser.add_argument("--config", metavar="FILE", help=_("config file (default: $SHIPDESK_CONFIG, else the user "
                        "config folder)"))
    parser.add_argument("--demo", action="store_true",
                        help=_("use the built-in Acumatica and UPS sandboxes (already running ones when "
                             "SHIPDESK_DEMO_ACUMATICA_URL and SHIPDESK_DEMO_UPS_URL are set)"))
    parser.add_argument("--json", action="store_true", help=_("machine-readable output"))
    parser.add_argument("-v", "--verbose", action="store_true", help=_("log details to stderr"))


def _admin_commands(sub: _SubParsers) -> None:
    _command(sub, "ping", _("check both connections and credentials, say what is wrong"))


def _shipping_commands(sub: _SubParsers) -> None:
    _command(sub, "pull", _("refresh the local list of ready shipments from Acumatica"))
    p = _command(sub, "list", _("shipments known locally, with state and tracking numbers"))
    p.add_argument("--state", help=_("only shipments in this state, by name or as the list shows it, any case "
                   "(e.g. ready, \"needs attention\", labelled, exception)"))
    p = _command(sub, "validate", _("UPS address validation for one shipment"))
    p.add_argument("shipment")
    p.add_argument("--choose", type=int, metavar="N", help=_("use UPS's candidate N (from the last validation)"))
    p.add_argument("--override", metavar="REASON",
                   help=_("ship the address as typed although UPS cannot confirm it (reason kept in the audit log)"))
    p = _command(sub, "rate", _("UPS rate quote(s) for one shipment"))
    p.add_argument("shipment")
    p.add_argument("--shop", action="store_true", help=_("quote every UPS service, not only the mapped one"))
    _ship_command(sub)
    p = _command(sub, "pack", _("the packages as packed (box, weight, sizes), saved to the Acumatica shipment"))
    p.add_argument("shipment")
    p.add_argument("--box", action="append", required=True, metavar="BOX",
                   help=_("one package in this box (a Box ID of Acumatica's Boxes screen); repeat for each package"))
    p.add_argument("--weight", action="append", default=[], metavar="W", help=_("its weight, in order"))
    p.add_argument("--weigh", action="store_true", help=_("read each package's weight from the scale ([scale])"))
    p.add_argument("--dims", action="append", default=[], metavar="LxWxH",
                   help=_("its sizes, in order (default: the box's from [[packing.boxes]], else Acumatica's)"))
    p = _command(sub, "void", _("void the UPS shipment and clear the tracking numbers in Acumatica"))
    p.add_argument("shipment")
    p = _command(sub, "reprint", _("print a shipment's labels again (from the archive, else UPS)"))
    p.add_argument("shipment")
    p = _command(sub, "return", _("UPS return label for a shipped order (printed; --email: UPS emails it)"))
    p.add_argument("shipment")
    p.add_argument("--email", nargs="?", const="", default=None, metavar="ADDRESS",
                   help=_("Electronic Return Label: UPS emails it (to ADDRESS, else the shipment's ship-to email)"))
    p.add_argument("--rma", metavar="NUMBER", help=_("the RMA order the return is written to "
                   "(with [returns] write_to = \"rma_order\")"))
    p.add_argument("--no-print", action="store_true", help=_("store and write back, do not print"))


def _ship_command(sub: _SubParsers) -> None:
    p = _command(sub, "ship", _("create, store, print (unless --no-print) and write back labels "
                       "(--all-ready pulls first)"))
    p.add_argument("shipments", nargs="*", metavar="SHIPMENT")
    p.add_argument("--all-ready", action="store_true",
                   help=_("every shipment that is ready (pulls from Acumatica first)"))
    p.add_argument("--no-print", action="store_true", help=_("store and write back, do not print"))
    p.add_argument("--accept-address", action="store_true",
                   help=_("ship even when UPS finds the address ambiguous (recorded in the audit log)"))
    p.add_argument("--force-new-label", action="store_true",
                   help=_("buy a new label although an earlier one is uncertain (UPS found none by reference); "
                        "a duplicate found later is voided"))
    p.add_argument("--service", metavar="CODE", help=_("another UPS service than the Ship Via's (one shipment; "
                   "needs --reason, written to the shipment's note)"))
    p.add_argument("--reason", default="", help=_("why the service was changed"))
    p.add_argument("--signature", choices=("none", "required", "adult"),
                   help=_("signature at delivery (default: [[packing.option_defaults]])"))
    p.add_argument("--saturday", action=argparse.BooleanOptionalAction, default=None, help=_("Saturday delivery"))
    p.add_argument("--notify", metavar="EVENTS", help=_("UPS emails the ship-to contact on: ship,exception,delivery "
                   "(\"none\" for none)"))
    p.add_argument("--declared-value", metavar="AMOUNT", help=_("declared value of each package (\"none\": send "
                   "none; default: Acumatica's)"))
    p.add_argument("--correct-confirmed", action=argparse.BooleanOptionalAction, default=None,
                   help=_("a Confirmed shipment without tracking is corrected in Acumatica, labelled, written "
                        "back and confirmed again (default: [acumatica] correct_confirmed in the config)"))


def _tracking_commands(sub: _SubParsers) -> None:
    p = _command(sub, "sync", _("pull, track, renew alerts, write back"))
    p.add_argument("--once", action="store_true", help=_("run one cycle and exit"))
    p = _command(sub, "auto", _("stop, start or show automatic labelling ([ship] automatic)"))
    p.add_argument("action", choices=("stop", "start", "status"), help=_("stop: no label is bought until started "
                   "again (every station sees it); start; status: the switch and today's count"))
    p.add_argument("--reason", default="", help=_("with stop: why, kept with the switch and in the audit log"))


def _report_command(sub: _SubParsers) -> None:
    p = _command(sub, "report", _("the day's summary (PDF by default, with the driver's pickup receipt)"))
    p.add_argument("--date", metavar="D", help=_("the day, YYYY-MM-DD (default: today)"))
    p.add_argument("--csv", action="store_true", help=_("the same rows as CSV instead of the PDF"))
    p.add_argument("--out", metavar="FILE", help=_("where to write it (default: reports/ in the data folder)"))


def _credentials_command(sub: _SubParsers) -> None:
    p = _command(sub, "credentials", _("store or clear a secret in the OS keyring"))
    csub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    c = _command(csub, "set", _("store a secret (value read from stdin)"))
    c.add_argument("name", help=_("acumatica.password, acumatica.client_secret, ups.client_secret, "
                   "track_alert.client_secret, track_alert.credential or acumatica.push_secret"))
    c = _command(csub, "clear", _("remove a secret"))
    c.add_argument("name")


def _sandbox_command(sub: _SubParsers) -> None:
    # what a demo command starts in the background (shipdesk.demo.day): usable, but not listed
    sub.add_parser("demo-day").add_argument("folder")
    _command(sub, "reset", _("with --demo: end the demo day (its sandboxes and data); the next --demo command "
             "starts the seeded day again"))
    p = _command(sub, "sandbox", _("run the Acumatica and UPS sandboxes in the foreground"))
    p.add_argument("--acumatica-port", type=int, default=0, help=_("0 = any free port"))
    p.add_argument("--ups-port", type=int, default=0, help=_("0 = any free port"))
    p.add_argument("--acumatica-user", default="admin")
    p.add_argument("--acumatica-password", default="demo")
    p.add_argument("--ups-client-id", default="demo")
    p.add_argument("--ups-secret", default="demo")
    p.add_argument("--ups-account", default="A1B2C3")


def _service_command(sub: _SubParsers) -> None:
    p = _command(sub, "service", _("the sync as a Windows service (install, start, stop, status, remove)"))
    # "run" is what Windows' service manager starts: usable, but not listed
    ssub = p.add_subparsers(dest="action", metavar="{install,remove,start,stop,status}", required=True)
    s = _command(ssub, "install", _("install (or update) the service; it uses the machine's data folder "
                 "unless --data-dir or SHIPDESK_DATA_DIR says otherwise"))
    s.add_argument("--data-dir", metavar="DIR", help=_("the data folder the service uses (default: the machine's, "
                   "C:\\ProgramData\\shipdesk)"))
    s.add_argument("--start", choices=("auto", "delayed", "manual"), default="delayed",
                   help=_("when Windows starts it (default: delayed, after the network is up)"))
    s.add_argument("--account", metavar="NAME", help=_("the Windows account it runs as (default LocalSystem); "
                   "its password is read from standard input"))
    _command(ssub, "remove", _("stop and uninstall the service"))
    _command(ssub, "start", _("start the service"))
    _command(ssub, "stop", _("stop the service (waits up to 60 s for the cycle in flight)"))
    _command(ssub, "status", _("not installed, stopped, starting, running, stopping or paused"))
    run = ssub.add_parser("run", parents=[_json_after_the_command()])
    run.add_argument("--data-dir", metavar="DIR", required=True)


def _update_command(sub: _SubParsers) -> None:
    p = _command(sub, "update", _("is there a newer shipdesk? (the manifest of [updates] manifest)"))
    usub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    _command(usub, "check", _("read the update manifest and compare versions (exit 0 checked, 1 manifest "
             "unreadable, 2 none configured)"))


def _scale_command(sub: _SubParsers) -> None:
    p = _command(sub, "scale", _("the station's scale ([scale] in the config)"))
    ssub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    _command(ssub, "test", _("read one stable weight and say what the scale shows (exit 0 read, 1 not, 2 no scale)"))
