"""What one sync cycle did: counts, the shipments that became delivered or exceptions, failures, notices.

The command line prints :meth:`CycleReport.summary` (or :meth:`CycleReport.to_json` with ``--json``),
the desktop app shows it in the status bar.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from shipdesk.i18n import _, ngettext


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
            return _("Sync: runs at {station} for every station sharing the store; this one shows what it "
                     "records.").format(station=self.runs_elsewhere)

        parts = [ngettext("{count} pulled", "{count} pulled", self.pulled).format(count=self.pulled),
                 *([ngettext("{count} labelled automatically", "{count} labelled automatically",
                             self.labelled).format(count=self.labelled)] if self.labelled else []),
                 # labels an earlier run or an outage left unwritten, finished now: the clerk waits for these
                 *([ngettext("{count} written back", "{count} written back", self.written_back).format(
                     count=self.written_back)] if self.written_back else []),
                 ngettext("{count} tracked", "{count} tracked", self.polled).format(count=self.polled)]
        if self.waiting:
            parts.append(ngettext("{count} not due yet", "{count} not due yet", self.waiting).format(
                count=self.waiting))
        if self.covered:
            parts.append(ngettext("{count} left to Track Alert", "{count} left to Track Alert", self.covered).format(
                count=self.covered))
        if self.subscribed or self.renewed:
            parts.append(_("{subscribed} subscribed, {renewed} renewed").format(subscribed=self.subscribed,
                                                                                renewed=self.renewed))
        parts += [ngettext("{count} new scan", "{count} new scans", self.new_events).format(count=self.new_events),
                  ngettext("{count} delivered", "{count} delivered", len(self.delivered)).format(
                      count=len(self.delivered)),
                  ngettext("{count} exception", "{count} exceptions", len(self.exceptions)).format(
                      count=len(self.exceptions)),
                  ngettext("{count} status written", "{count} statuses written", self.statuses_written).format(
                      count=self.statuses_written)]
        return _("Sync: {parts}.").format(parts=", ".join(parts))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(ok=self.ok, started_at=self.started_at.isoformat(),
                    finished_at=self.finished_at.isoformat() if self.finished_at else None)
        return data
