"""Named points of the ship flow where whoever built the flow may look in: a no-op unless one is given.

The flow calls its ``Checkpoint`` with each ``Step`` it passes. Production passes nothing (``no_checkpoint``);
the crash test (``tests/support/pausing_ship.py``) installs one that blocks at a step so the process can be
killed exactly there, and a flow test runs a concurrent worker at one. Steps:
- ``before_ship``: the shipment is checked (and claimed in Acumatica without a shared store), nothing of the job
  is committed yet;
- ``before_request``: the job is committed as requesting, UPS not called yet;
- ``after_label``: UPS's answer committed, nothing printed or written back;
- ``during_writeback``: tracking numbers written to Acumatica, label files not attached yet;
- ``after_writeback``: everything written to Acumatica, the job's ``written_back`` not committed yet (in a batch
  it waits for the next label's first transaction: ``group_commit``).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum


class Step(StrEnum):
    BEFORE_SHIP = "before_ship"
    BEFORE_REQUEST = "before_request"
    AFTER_LABEL = "after_label"
    DURING_WRITEBACK = "during_writeback"
    AFTER_WRITEBACK = "after_writeback"


Checkpoint = Callable[[Step], None]


def no_checkpoint(_step: Step) -> None:
    """The default: the flow goes straight through."""
