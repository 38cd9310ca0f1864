"""``python -m tests.support.pausing_ship STEP MARKER -- <shipdesk arguments>``: run ``shipdesk`` with a
checkpoint that, when the ship flow reaches ``STEP``, writes the step's name to ``MARKER`` and blocks until
the process is killed (``tests/flow/test_crash_exactly_once.py`` kills it there).

The command builds its own ``AppContext``; every context made in this process gets the checkpoint. No
environment variable is involved: production code never looks for one.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from shipdesk.core.context import AppContext
from shipdesk.core.shipping.checkpoints import Checkpoint, Step


def pause_at(step: Step, marker: Path) -> Checkpoint:
    def checkpoint(reached: Step) -> None:
        if reached == step:
            marker.write_text(reached.value, encoding="utf-8")
            threading.Event().wait()  # until the test kills this process
    return checkpoint


def install(checkpoint: Checkpoint) -> None:
    """Give every ``AppContext`` made from now on in this process the checkpoint."""
    made = AppContext.__init__

    def with_checkpoint(self: AppContext, *args: Any, **kwargs: Any) -> None:
        made(self, *args, **kwargs)
        self.checkpoint = checkpoint

    AppContext.__init__ = with_checkpoint  # type: ignore[method-assign]


def main(argv: Sequence[str]) -> int:
    step, marker, separator, *command = argv
    if separator != "--":
        raise SystemExit(__doc__)
    install(pause_at(Step(step), Path(marker)))
    from shipdesk.cli import main as shipdesk

    return shipdesk(command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
