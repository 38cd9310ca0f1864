"""Track Alert subscriptions: which packages UPS pushes to us, so the sync need not poll them.

Each cycle (``AlertSubscriptions.refresh(tracked)``, with the packages the sync tracks):
- subscriptions of packages no longer tracked (delivered, voided) are dropped locally (UPS lets
  a package subscription run out by itself);
- packages without one are subscribed, at most 100 numbers per request, each batch saved as soon
  as UPS answered; subscriptions ending within a day (or already lapsed) of packages still in
  transit are renewed the same way (a subscription lasts 14 days);
- numbers UPS called invalid are tried again after ``RETRY_INVALID_AFTER`` and polled meanwhile;
- with the account-wide subscription (``account_wide``), the account is subscribed once (UPS
  answers with an expiry such as 9999-12-31) and new packages are recorded as covered until then.
A package is *covered* (not polled) while its subscription runs and a push arrived within the last
24 hours, or it was first subscribed within them (a renewal keeps the first start): when pushes
stop, polling takes over as the safety net.
Times come from the injected clock (the sandbox's simulated one in tests).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from shipdesk.core.clock import Clock
from shipdesk.core.store import alerts, sync_state
from shipdesk.core.store.fields import to_utc
from shipdesk.ups.client import DEFAULT_SUBSCRIPTION_ID, SUBSCRIPTION_BATCH, SUBSCRIPTION_LIFETIME, UpsClient

log = logging.getLogger(__name__)

RENEW_WITHIN = timedelta(days=1)
SILENCE_LIMIT = timedelta(hours=24)
RETRY_INVALID_AFTER = timedelta(hours=6)
HEARD_KEY = "track_alert.heard."  # + tracking number: when its last push arrived
ACCOUNT_KEY = "track_alert.account_expires"


@dataclass
class AlertReport:
    subscribed: int = 0
    renewed: int = 0
    invalid: int = 0
    dropped: int = 0


def heard_from(tracking_number: str, at: datetime) -> None:
    """A push for the package arrived at ``at``."""
    sync_state.set_time(HEARD_KEY + tracking_number, at)


def _last_heard() -> dict[str, datetime]:
    return {number: to_utc(datetime.fromisoformat(value))
            for number, value in sync_state.values_under(HEARD_KEY).items() if value}


def covered(now: datetime) -> set[str]:
    """Packages UPS pushes for right now (the sync does not poll these)."""
    heard = _last_heard()
    since = now - SILENCE_LIMIT
    return {row.tracking_number for row in alerts.running_subscriptions(now)
            if max(row.subscribed_at, heard.get(row.tracking_number, row.subscribed_at)) > since}


class AlertSubscriptions:
    def __init__(self, ups: UpsClient, *, now: Clock, account_wide: bool = False,
                 subscription_id: str = DEFAULT_SUBSCRIPTION_ID, client_subscription_id: str = "") -> None:
        """``subscription_id``/``client_subscription_id``: the ids the account-wide subscription is made under."""
        self.ups = ups
        self.now = now
        self.account_wide = account_wide
        self.subscription_id = subscription_id
        self.client_subscription_id = client_subscription_id

    def refresh(self, tracked: Sequence[str]) -> AlertReport:
        report = AlertReport()
        now = self.now()
        report.dropped = self._drop_untracked(set(tracked))
        due, renewals = self._due(tracked, now)
        if not due:
            return report
        if self.account_wide:
            expires = self._account_expiry(now)
            for number in due:
                alerts.save_subscription(number, subscribed_at=now, expires_at=expires)
            report.subscribed = len(due)
            return report
        for start in range(0, len(due), SUBSCRIPTION_BATCH):
            batch = due[start:start + SUBSCRIPTION_BATCH]
            result = self.ups.subscribe(batch)
            expires = now + SUBSCRIPTION_LIFETIME
            for number in result.valid:  # a renewal keeps its start: silence is measured from there
                started = renewals.get(number, now)
                alerts.save_subscription(number, subscribed_at=started, expires_at=expires)
            for number in result.invalid:  # polled; asked again after RETRY_INVALID_AFTER
                alerts.save_subscription(number, subscribed_at=now, expires_at=now)
                alerts.end_subscription(number)
            report.renewed += len(renewals.keys() & set(result.valid))
            report.subscribed += len(set(result.valid) - renewals.keys())
            report.invalid += len(result.invalid)
        return report

    def _due(self, tracked: Sequence[str], now: datetime) -> tuple[list[str], dict[str, datetime]]:
        """Numbers to (re)subscribe, oldest first, and the renewals among them with their start."""
        rows = alerts.subscriptions()
        due: list[str] = []
        renewals: dict[str, datetime] = {}
        for number in tracked:
            row = rows.get(number)
            if row is None:
                due.append(number)
            elif row.active and row.expires_at < now + RENEW_WITHIN:
                due.append(number)
                renewals[number] = row.subscribed_at
            elif not row.active and row.subscribed_at < now - RETRY_INVALID_AFTER:
                due.append(number)
        return due, renewals

    def _drop_untracked(self, tracked: Collection[str]) -> int:
        stale = [number for number in alerts.subscriptions() if number not in tracked]
        for number in stale:
            alerts.drop_subscription(number, with_key=HEARD_KEY + number)
        return len(stale)

    def _account_expiry(self, now: datetime) -> datetime:
        stored = sync_state.get_time(ACCOUNT_KEY)
        if stored is not None and stored > now + RENEW_WITHIN:
            return stored
        result = self.ups.subscribe_account(subscription_id=self.subscription_id,
                                            client_subscription_id=self.client_subscription_id)
        expires = result.expires_at or now + SUBSCRIPTION_LIFETIME
        expires = min(expires, datetime(9999, 1, 1, tzinfo=UTC))  # room for comparisons with now + a day
        sync_state.set_time(ACCOUNT_KEY, expires)
        log.info("Track Alert account subscription runs until %s", expires.date())
        return expires
