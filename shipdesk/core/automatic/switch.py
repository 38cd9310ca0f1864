"""The stop switch and the daily count of automatic mode, kept in the store (every station sees them).

A person stops and starts automatic mode (``shipdesk auto stop|start``, the app); the sync stops it itself
when the day's count reaches ``[ship] daily_cap`` (a runaway release: someone releasing 5,000 shipments by
mistake). A stopped mode stays stopped, across restarts, until a person starts it again. The count is kept
per day (the PC's date) and moved after each label bought; a sync killed between the label and the count
undercounts by that one label (the cap protects the account; it is no ledger: the audit log is).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from shipdesk.core.domain.audit import AuditAction, os_user
from shipdesk.core.store import audit_log, sync_state
from shipdesk.i18n import _

STOPPED_KEY = "automatic.stopped"
COUNT_KEY = "automatic.labels."  # + ISO date


@dataclass(frozen=True)
class StopNote:
    reason: str  # one sentence
    at: str  # ISO time
    by: str  # OS login name, or "the daily cap"

    @property
    def sentence(self) -> str:
        return _("Automatic labelling is stopped (since {time}, by {who}): {reason}").format(
            time=self.at[:16].replace("T", " "), who=self.by, reason=self.reason)


def stopped() -> StopNote | None:
    raw = sync_state.get_value(STOPPED_KEY)
    if not raw:
        return None
    try:
        data = json.loads(raw)
        return StopNote(str(data["reason"]), str(data["at"]), str(data["by"]))
    except (ValueError, KeyError, TypeError):
        return StopNote(_("the stop note in the store is unreadable"), "", "—")


def stop(reason: str, *, now: datetime, by: str | None = None) -> StopNote:
    note = StopNote(reason, now.isoformat(timespec="seconds"), by or os_user())
    sync_state.set_value(STOPPED_KEY, json.dumps({"reason": note.reason, "at": note.at, "by": note.by}))
    audit_log.record(AuditAction.AUTOMATIC_STOPPED, detail=f"{note.by}: {reason}")
    return note


def start() -> bool:
    """Start automatic mode again; False when it was not stopped."""
    if stopped() is None:
        return False
    sync_state.set_value(STOPPED_KEY, "")
    audit_log.record(AuditAction.AUTOMATIC_STARTED)
    return True


def labels_on(day: date) -> int:
    try:
        return int(sync_state.get_value(COUNT_KEY + day.isoformat()) or 0)
    except ValueError:
        return 0


def count_label(day: date) -> int:
    """One more automatic label on ``day``; the new count. (One sync labels at a time: the sync's lease.)"""
    count = labels_on(day) + 1
    sync_state.set_value(COUNT_KEY + day.isoformat(), str(count))
    return count
