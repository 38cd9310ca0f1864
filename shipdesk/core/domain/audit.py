"""Who did what, kept in the store: ``audit.record("ship", shipment_nbr="000123", job_id=...)``.

The user is the OS login name: warehouse PCs are often shared, and that is the name IT can trace.
"""

from __future__ import annotations

import getpass
import os

from shipdesk.core.store.models import AuditEntry, database_proxy, utcnow


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (service account without USER/LOGNAME, odd containers)
        return os.environ.get("USERNAME", "") or "unknown"


def record(
    action: str, *, shipment_nbr: str | None = None, job_id: str | None = None, detail: str = ""
) -> None:
    """Write one audit entry (never put secrets in ``detail``)."""
    with database_proxy.atomic("IMMEDIATE"):
        AuditEntry.create(at=utcnow(), user=os_user(), action=action, shipment_nbr=shipment_nbr,
                          job_id=job_id, detail=detail)


def entries(shipment_nbr: str | None = None, limit: int = 200) -> list[AuditEntry]:
    """Newest first; all entries, or those of one shipment."""
    query = AuditEntry.select().order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if shipment_nbr is not None:
        query = query.where(AuditEntry.shipment_nbr == shipment_nbr)
    return list(query)
