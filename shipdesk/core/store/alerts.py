"""Track Alert subscriptions: which packages UPS pushes scans for, until when, and when it last pushed."""

from __future__ import annotations

from datetime import datetime

from shipdesk.core.store.models import AlertSubscription
from shipdesk.core.store.transaction import write


def save_subscription(tracking_number: str, *, subscribed_at: datetime, expires_at: datetime) -> None:
    with write():
        (AlertSubscription.insert(tracking_number=tracking_number, subscribed_at=subscribed_at,
                                  expires_at=expires_at, active=True)
         .on_conflict(conflict_target=[AlertSubscription.tracking_number],
                      update={AlertSubscription.subscribed_at: subscribed_at,
                              AlertSubscription.expires_at: expires_at, AlertSubscription.active: True})
         .execute())


def end_subscription(tracking_number: str) -> None:
    with write():
        AlertSubscription.update(active=False).where(
            AlertSubscription.tracking_number == tracking_number).execute()


def subscriptions() -> dict[str, AlertSubscription]:
    """Every subscription kept (active or ended), by tracking number."""
    return {row.tracking_number: row for row in AlertSubscription.select()}


def running_subscriptions(now: datetime) -> list[AlertSubscription]:
    """Active subscriptions that have not run out at ``now``."""
    return list(AlertSubscription.select().where(AlertSubscription.active & (AlertSubscription.expires_at > now)))


def drop_subscription(tracking_number: str) -> None:
    """Forget the package's subscription (and when it last pushed)."""
    with write():
        AlertSubscription.delete().where(AlertSubscription.tracking_number == tracking_number).execute()


def heard(tracking_number: str, at: datetime) -> None:
    """UPS pushed an event for the package at ``at`` (kept on its subscription, if it has one)."""
    with write():
        AlertSubscription.update(heard_at=at).where(AlertSubscription.tracking_number == tracking_number).execute()
