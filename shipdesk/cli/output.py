"""What a command prints: sentences for people on stdout, or exactly one JSON document with ``--json``.

Also the two pieces of output several commands share: one line per shipment outcome, and the
progress bar a long ``ship`` shows on a terminal (stderr, so stdout stays the result).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TextIO

from shipdesk.core.domain.outcomes import ProgressEvent, ShipOutcome
from shipdesk.i18n import _

PROGRESS_WIDTH = 30


class Output:
    """Human sentences on stdout, or exactly one JSON document with ``--json``."""

    def __init__(self, as_json: bool, stream: TextIO | None = None) -> None:
        self.as_json = as_json
        self.stream = stream or sys.stdout

    def emit(self, data: Any, lines: list[str]) -> None:
        """The command's result: ``data`` as JSON, or ``lines`` as sentences."""
        if self.as_json:
            self.stream.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
        else:
            for line in lines:
                self.stream.write(line + "\n")
        self.stream.flush()

    def line(self, text: str) -> None:
        """One line now (a long-running command's output as it happens)."""
        self.stream.write(text + "\n")
        self.stream.flush()


def to_stderr(text: str) -> None:
    """A line about the command itself (starting, stopping) that must not mix with a JSON stdout."""
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def outcome_line(outcome: ShipOutcome) -> str:
    """``OK   SH000101: ...`` or ``FAIL SH000111: ...``, warnings on indented lines below."""
    mark = _("OK") if outcome.ok else _("FAIL")
    text = f"{mark:<4} {outcome.shipment_nbr}: {outcome.message}"
    return text + "".join("\n     " + _("warning: {warning}").format(warning=w) for w in outcome.warnings)


def progress_bar(stream: TextIO | None = None) -> Callable[[ProgressEvent], None]:
    """A one-line ``[####....] 3/10 SH000103`` redrawn on each event (stderr by default)."""
    target = stream or sys.stderr

    def show(event: ProgressEvent) -> None:
        filled = PROGRESS_WIDTH * event.done // max(event.total, 1)
        bar = "#" * filled + "." * (PROGRESS_WIDTH - filled)
        target.write(f"\r[{bar}] {event.done}/{event.total} {event.shipment_nbr:<10}")
        if event.done == event.total and event.step == "done":
            target.write("\n")
        target.flush()
    return show
