"""The audit log: who did what, where, when (``AuditAction``, the OS login name, the station, a detail sentence).

    audit_log.record(AuditAction.LABELLED, shipment_nbr="000123", job_id=..., detail="1Z...")
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from shipdesk.core.domain.audit import AuditAction, os_user
from shipdesk.core.store.db import current_station
from shipdesk.core.store.fields import utcnow
from shipdesk.core.store.models import AuditEntry
from shipdesk.core.store.transaction import keep_audit


def record(action: AuditAction, *, shipment_nbr: str | None = None, job_id: str | None = None,
           detail: str = "") -> None:
    """Write one audit entry (never put secrets in ``detail``), with the caller's transaction if any."""
    record_all([Entry(action, shipment_nbr, job_id, detail)])


class Entry(NamedTuple):
    """An audit entry kept for :func:`record_all` (several steps of one operation, written at once)."""

    action: AuditAction
    shipment_nbr: str | None = None
    job_id: str | None = None
    detail: str = ""


def record_all(kept: Sequence[Entry]) -> None:
    """Write several audit entries (inside the caller's transaction, or one of their own): every entry of one
    transaction goes in with one multi-row INSERT when it ends (``transaction.keep_audit``)."""
    if not kept:
        return
    at, user, station = utcnow(), os_user(), current_station()
    keep_audit([{"at": at, "user": user, "action": e.action, "shipment_nbr": e.shipment_nbr, "job_id": e.job_id,
                 "detail": e.detail, "station": station} for e in kept])


def entries(shipment_nbr: str | None = None, limit: int = 200) -> list[AuditEntry]:
    """Newest first; all entries, or those of one shipment."""
    query = AuditEntry.select().order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if shipment_nbr is not None:
        query = query.where(AuditEntry.shipment_nbr == shipment_nbr)
    return list(query)
