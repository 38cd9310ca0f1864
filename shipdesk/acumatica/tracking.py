"""Did Acumatica keep the tracking numbers? PUT writes only what business logic allows: compare.

Package rows are read-only once a shipment is Confirmed (the PUT still answers 200), and a Ship
Via with an Acumatica carrier plug-in may overwrite the numbers: both are reported, per package.
"""

from __future__ import annotations

from collections.abc import Mapping

from shipdesk.acumatica.errors import TrackingNotSaved
from shipdesk.acumatica.models import Shipment

READ_ONLY_WHEN_CONFIRMED = (
    "package rows are read-only once a shipment is Confirmed; correct the shipment first "
    "(Correct Shipment in Acumatica), then write the tracking numbers again"
)


def check_tracking_saved(saved: Shipment, expected: Mapping[str, str]) -> None:
    """Raise :class:`TrackingNotSaved` unless every package in ``expected`` (row id → number) holds it."""
    by_id = {p.id: p for p in saved.packages}
    missing = {pid: nbr for pid, nbr in expected.items()
               if pid not in by_id or by_id[pid].tracking_nbr != nbr}
    if not missing:
        return
    lines = []
    for pid, nbr in missing.items():
        package = by_id.get(pid)
        name = f"package {package.line_nbr}" if package and package.line_nbr is not None else f"package {pid}"
        kept = package.tracking_nbr if package else ""
        wanted = nbr or "(blank)"
        lines.append(f"{name}: wanted {wanted}, Acumatica kept {kept or '(blank)'}")
    if saved.status == "Confirmed":
        reason = READ_ONLY_WHEN_CONFIRMED
    else:
        reason = (f"Acumatica's business logic kept other values (status {saved.status or 'unknown'}); "
                  f"check that Ship Via {saved.ship_via or '(none)'} does not use a carrier plug-in")
    raise TrackingNotSaved(
        f"Acumatica did not save the tracking number on {len(missing)} of {len(expected)} packages of "
        f"shipment {saved.shipment_nbr} ({'; '.join(lines)}): {reason}.",
        shipment_nbr=saved.shipment_nbr, missing=missing, status=saved.status,
    )
