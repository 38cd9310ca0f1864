"""When the sync asks UPS about a package again: each package is polled only when it is due.

Polling every package every cycle costs ~192,000 track calls a day for 2,000 packages, most of
them answering "nothing new". The cadence (``[sync]`` settings) instead:
- a label without scans waits ``first_poll_after_minutes`` from the label (UPS shows nothing before
  the pickup), then the same again from each poll while UPS still has only the label;
- a package out for delivery, or due today once the delivery day started, every
  ``poll_due_today_minutes`` (so the delivery and its signer show up soon after they happen);
- any other package in transit (exceptions too) every ``poll_every_minutes``;
- delivered, returned and voided packages never (the store stops listing them as tracked).
Polls happen on sync cycles, so a package counts as due when its time comes within half a cycle
(or half its cadence, if shorter): a package polled 5 minutes into a cycle is then polled again
on the cycle an hour later, not on the one after it.

"Last polled at" and UPS's scheduled delivery date are columns of the package row: one query with
the package's label time reads everything the decision needs for thousands of packages.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from shipdesk.core.settings.config import SyncConfig
from shipdesk.core.store import tracking
from shipdesk.core.tracking import scans

#: UPS delivers from about this local time: before it, a package due today is polled like any other
DELIVERY_DAY_STARTS = time(7, 0)
OUT_FOR_DELIVERY = "OUT FOR DELIVERY"


@dataclass(frozen=True)
class Cadence:
    every: timedelta
    due_today: timedelta
    first_poll_after: timedelta
    cycle: timedelta  # the sync's interval: polls can only happen on cycles

    @classmethod
    def from_config(cls, sync: SyncConfig) -> Cadence:
        return cls(every=timedelta(minutes=sync.poll_every_minutes),
                   due_today=timedelta(minutes=sync.poll_due_today_minutes),
                   first_poll_after=timedelta(minutes=sync.first_poll_after_minutes),
                   cycle=timedelta(minutes=sync.interval_minutes))


@dataclass(frozen=True)
class PackagePoll:
    """What the schedule knows about one tracked package."""

    tracking_number: str
    status_type: str = ""
    status_description: str = ""
    scheduled_delivery: date | None = None
    polled_at: datetime | None = None
    labelled_at: datetime | None = None  # the latest label job of its shipment

    @property
    def category(self) -> str:
        return scans.package_category(self.status_type, self.status_description)

    @property
    def has_moved(self) -> bool:
        """UPS has more than the label for it (a pickup or later scan)."""
        return bool(self.status_type) and self.category != scans.LABEL_CREATED

    @property
    def out_for_delivery(self) -> bool:
        return OUT_FOR_DELIVERY in self.status_description.upper()


def wait_after_poll(package: PackagePoll, local_now: datetime, cadence: Cadence) -> timedelta | None:
    """How long the package waits between polls right now; None: never polled again.

    ``local_now`` is the PC's local time: "due today" is the PC's today.
    """
    category = package.category
    if category in (scans.DELIVERED, scans.RETURNED, scans.VOIDED):
        return None
    if not package.has_moved:
        return cadence.first_poll_after
    delivery_day = package.scheduled_delivery == local_now.date() and local_now.time() >= DELIVERY_DAY_STARTS
    if package.out_for_delivery or delivery_day:
        return min(cadence.due_today, cadence.every)
    return cadence.every


def next_poll_at(package: PackagePoll, now: datetime, cadence: Cadence) -> datetime | None:
    """When the package is due (already due: a time not after ``now``); None: never."""
    wait = wait_after_poll(package, now.astimezone(), cadence)
    if wait is None:
        return None
    if package.polled_at is not None:
        since = package.polled_at
    elif package.labelled_at is not None and not package.has_moved:
        since = package.labelled_at
    else:  # moved before the sync ever asked (pushed scans), or labelled before the cadence existed
        return now
    slack = min(wait, cadence.cycle) / 2
    return since + wait - slack


def due(packages: Collection[PackagePoll], now: datetime, cadence: Cadence) -> list[str]:
    """The tracking numbers to poll now, the longest overdue first (else in the given order)."""
    waiting: list[tuple[datetime, str]] = []
    for package in packages:
        at = next_poll_at(package, now, cadence)
        if at is not None and at <= now:
            waiting.append((at, package.tracking_number))
    return [number for _, number in sorted(waiting, key=lambda item: item[0])]


# -- the store -------------------------------------------------------------------------------------
def tracked_packages(exclude: Collection[str] = ()) -> list[PackagePoll]:
    """Every package the sync tracks (labelled, not delivered, shipment not voided), in one query."""
    skip = set(exclude)
    return [PackagePoll(*row) for row in tracking.tracked_packages() if row.tracking_number not in skip]


#: the sync records each poll (and the delivery date UPS gave) on the package
mark_polled = tracking.mark_polled
