"""What one sync cycle did: counts, the shipments that became delivered or exceptions, failures, notices.

The command line prints :meth:`CycleReport.summary` (or :meth:`CycleReport.to_json` with ``--json``),
the desktop app shows it in the status bar.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class CycleReport:
    started_at: datetime
    finished_at: datetime | None = None
    pulled: int = 0
    written_back: int = 0  # label write-backs finished (tracking numbers onto the shipment)
    labelled: int = 0  # labels bought by automatic mode
    subscribed: int = 0
    renewed: int = 0
    polled: int = 0  # packages asked from UPS this cycle
    covered: int = 0  # packages left to Track Alert
    waiting: int = 0  # packages tracked but not due for a poll yet
    new_events: int = 0
    delivered: list[str] = field(default_factory=list)  # shipments that became delivered
    exceptions: list[str] = field(default_factory=list)  # shipments that became exceptions
    statuses_written: int = 0  # shipments whose status went to Acumatica
    acumatica_writes: int = 0
    writeback_requests: int = 0  # Acumatica requests of the status write-back (reads of the notes included)
    failures: list[str] = field(default_factory=list)  # one sentence each; outages only once
    notices: list[str] = field(default_factory=list)  # "UPS reachable again", uncertain labels
    failed: bool = False  # something did not work this cycle (also during an outage already reported)
    runs_elsewhere: str = ""  # the station running the sync for all (this cycle was not run here)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.failures

    def fail(self, message: str | None) -> None:
        self.failed = True
        if message:
            self.failures.append(message)

    def summary(self) -> str:
        if self.runs_elsewhere:
            return (f"Sync: runs at {self.runs_elsewhere} for every station sharing the store; this one shows "
                    "what it records.")
        parts = [f"{self.pulled} pulled", *([f"{self.labelled} labelled automatically"] if self.labelled else []),
                 # labels an earlier run or an outage left unwritten, finished now: the clerk waits for these
                 *([f"{self.written_back} written back"] if self.written_back else []),
                 f"{self.polled} tracked"]
        if self.waiting:
            parts.append(f"{self.waiting} not due yet")
        if self.covered:
            parts.append(f"{self.covered} left to Track Alert")
        if self.subscribed or self.renewed:
            parts.append(f"{self.subscribed} subscribed, {self.renewed} renewed")
        parts += [f"{self.new_events} new scans", f"{len(self.delivered)} delivered",
                  f"{len(self.exceptions)} exceptions", f"{self.statuses_written} statuses written"]
        return "Sync: " + ", ".join(parts) + "."

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(ok=self.ok, started_at=self.started_at.isoformat(),
                    finished_at=self.finished_at.isoformat() if self.finished_at else None)
        return data
