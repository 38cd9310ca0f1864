"""The programs IT installs: ``shipdesk`` (the desktop app; a command when given one) and ``shipdesk-cli``
(commands only, for scripts, scheduled tasks and the Windows service: it never opens a window).

The command line is imported inside each function (importing this module stays cheap and cannot fail);
they need ``shipdesk.cli.main.main(argv)`` and ``shipdesk.cli.parser.build_parser()``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

EXIT_USAGE = 2


def app_main() -> int:
    """``shipdesk``: bare, the desktop app; with a command, that command (the frozen build's windowed program)."""
    if len(sys.argv) > 1:
        _attach_parent_console()
    from shipdesk.cli import main

    return main()


def cli_main(argv: Sequence[str] | None = None) -> int:
    """``shipdesk-cli``: a command, ``--help`` or ``--version``; without a command it prints the help."""
    from shipdesk.cli.language import choose_language
    from shipdesk.cli.main import main
    from shipdesk.cli.parser import build_parser
    from shipdesk.i18n import _

    args = list(sys.argv[1:] if argv is None else argv)
    choose_language(args)  # before the parser: its help is translated
    parser = build_parser()
    parser.prog = "shipdesk-cli"
    parser.description = _("Acumatica shipments to UPS labels and back: the command line for scripts, scheduled "
                           "tasks and the sync service. It never opens the desktop app (that is `shipdesk`).")
    # --help, --version and usage errors end here, exactly as they would in main()
    if parser.parse_args(args).command is None:
        parser.print_help()
        print("\n" + _("shipdesk-cli runs commands only: give it one of the commands above."), file=sys.stderr)
        return EXIT_USAGE
    return main(args)


def _attach_parent_console() -> None:
    """A windowed program has no console, so ``shipdesk.exe --version`` typed in one would print nothing:
    attach to the console it was typed in, if any (from a shortcut there is none and nothing changes)."""
    if sys.platform != "win32" or sys.stdout is not None:
        return
    import ctypes

    if ctypes.windll.kernel32.AttachConsole(-1):  # ATTACH_PARENT_PROCESS
        sys.stdout = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115 - lives as long as the process
        sys.stderr = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115
