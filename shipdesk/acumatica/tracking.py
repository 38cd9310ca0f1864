"""Did Acumatica keep what was written? PUT writes only what business logic allows: compare.

Package rows are read-only once a shipment is Confirmed (the PUT still answers 200), and a Ship
Via with an Acumatica carrier plug-in may overwrite the numbers: both are reported, per package.
So is the whole header of a Confirmed shipment, custom ``Usr…`` fields included: what did not stick
is reported field by field (:func:`fields_not_saved`).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from shipdesk.acumatica.errors import FieldsNotSaved, TrackingNotSaved
from shipdesk.acumatica.models import Shipment
from shipdesk.acumatica.values import parse_datetime
from shipdesk.i18n import N_, _

READ_ONLY_WHEN_CONFIRMED = N_(
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
        number = package.line_nbr if package and package.line_nbr is not None else pid
        kept = package.tracking_nbr if package else ""
        lines.append(_("package {number}: wanted {wanted}, Acumatica kept {kept}").format(
            number=number, wanted=nbr or "—", kept=kept or "—"))
    if saved.status == "Confirmed":
        reason = _(READ_ONLY_WHEN_CONFIRMED)  # i18n: N_()-marked above
    else:
        reason = _("Acumatica's business logic kept other values (status {status}); check that Ship Via {ship_via} "
                   "does not use a carrier plug-in").format(status=saved.status or "—", ship_via=saved.ship_via or "—")
    raise TrackingNotSaved(
        _("Acumatica did not save the tracking number on {missing} of {count} packages of shipment {shipment} "
          "({details}): {reason}.").format(missing=len(missing), count=len(expected), shipment=saved.shipment_nbr,
                                           details="; ".join(lines), reason=reason),
        shipment_nbr=saved.shipment_nbr, missing=missing, status=saved.status,
    )


READ_ONLY_HEADER = N_(
    "a Confirmed shipment's header is read-only in Acumatica, custom fields included, and writes to it are "
    "dropped without an error"
)


def same_value(sent: Any, kept: Any) -> bool:
    """Acumatica kept ``sent``: date-times compared as instants, numbers as numbers, text as text."""
    if sent == kept:
        return True
    sent_time, kept_time = parse_datetime(sent), parse_datetime(kept)
    if sent_time is not None and kept_time is not None:
        return sent_time == kept_time
    try:
        return Decimal(str(sent)) == Decimal(str(kept))
    except (InvalidOperation, ValueError):
        return str(sent or "").strip() == str(kept or "").strip()


def fields_not_saved(shipment_nbr: str, status: str, lost: Mapping[str, tuple[Any, Any]]) -> FieldsNotSaved:
    """The error for fields Acumatica answered with other values than were sent (name → (sent, kept))."""
    listed = "; ".join(_("{field}: sent {sent}, kept {kept}").format(field=name, sent=_shown(sent), kept=_shown(kept))
                       for name, (sent, kept) in lost.items())
    reason = _(READ_ONLY_HEADER) if status and status not in ("Open", "On Hold") else (  # i18n: N_()-marked above
        _("Acumatica's business logic kept other values (status {status})").format(status=status or "—"))
    return FieldsNotSaved(_("Acumatica did not save {fields} on shipment {shipment} (status {status}; {details}): "
                            "{reason}.").format(fields=", ".join(lost), shipment=shipment_nbr, status=status or "—",
                                                details=listed, reason=reason), fields=lost, status=status)


def _shown(value: Any) -> str:
    return "—" if value in (None, "") else repr(value) if isinstance(value, str) else str(value)
