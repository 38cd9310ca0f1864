"""A shipment's package rows edited from the packing station, and the Boxes screen's box list.

Acumatica keeps package rows editable only while the shipment is not Confirmed, takes a ``BoxID`` only when
the Boxes screen (CS207600, entity ``ShippingBox``) has it (else the row is refused: "Box ID 'X' cannot be
found in the system."), keeps the row's ``Type`` and ``UOM`` (the company's weight unit) to itself, and
fills a new box's sizes from that screen. A PUT answers 200 whatever it kept, so every edit is read back
and compared, as tracking numbers are (``PackagesNotSaved``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from shipdesk.acumatica import query
from shipdesk.acumatica.errors import SERVICE
from shipdesk.acumatica.models import Package, Shipment
from shipdesk.acumatica.parse import shipment_from_json
from shipdesk.acumatica.session import AcumaticaSession
from shipdesk.acumatica.values import get_decimal, get_str, wrap
from shipdesk.errors import ApiRefused
from shipdesk.i18n import _


@dataclass(frozen=True)
class PackageRow:
    """One package as the station wants it: ``id`` of an existing row, or "" for a new one."""

    id: str
    box_id: str
    weight: Decimal
    length: Decimal | None = None  # None: the box's size (a new box), or as it is
    width: Decimal | None = None
    height: Decimal | None = None

    def wire(self) -> dict[str, Any]:
        fields: dict[str, Any] = {"BoxID": self.box_id, "Weight": self.weight}
        for name, value in (("Length", self.length), ("Width", self.width), ("Height", self.height)):
            if value is not None:
                fields[name] = value
        return {"id": self.id, **fields} if self.id else fields


@dataclass(frozen=True)
class ShippingBox:
    box_id: str
    description: str = ""
    length: Decimal | None = None
    width: Decimal | None = None
    height: Decimal | None = None
    box_weight: Decimal | None = None


class PackagesNotSaved(ApiRefused):
    """Acumatica answered the PUT but its package rows are not what was sent (Confirmed, or business logic)."""

    def __init__(self, message: str, *, status: str) -> None:
        self.shipment_status = status
        super().__init__(message, service=SERVICE,
                         hint=_("Check the shipment in Acumatica (it must be Open), then try again."))


def shipping_boxes(session: AcumaticaSession) -> list[ShippingBox]:
    rows = session.list_records("/ShippingBox", {"$select": "BoxID,Description,Length,Width,Height,BoxWeight"},
                                None, doing=_("list the boxes (Boxes screen)"))
    return [ShippingBox(get_str(r, "BoxID"), get_str(r, "Description"), get_decimal(r, "Length"),
                        get_decimal(r, "Width"), get_decimal(r, "Height"), get_decimal(r, "BoxWeight"))
            for r in (rows if isinstance(rows, list) else []) if get_str(r, "BoxID")]


def write_packages(session: AcumaticaSession, shipment: Shipment, rows: Sequence[PackageRow]) -> Shipment:
    """Make the shipment's packages ``rows`` (rows not named are deleted), then read back and compare."""
    keep = {r.id for r in rows if r.id}
    unknown = keep - {p.id for p in shipment.packages}
    if unknown:
        raise ValueError(f"package ids {sorted(unknown)} are not on shipment {shipment.shipment_nbr}")  # i18n: a bug
    wire = [r.wire() for r in rows] + [{"id": p.id, "delete": True} for p in shipment.packages if p.id not in keep]
    fields: dict[str, Any] = {"ShipmentNbr": shipment.shipment_nbr, "Packages": wire}
    if shipment.id:
        fields["id"] = shipment.id
    entity = session.call_json("PUT", session.url("/Shipment"), json=wrap(fields),
                               params={"$expand": query.field_list(query.SHIPMENT_EXPAND)},
                               doing=_("save the packages of shipment {shipment}").format(
                                   shipment=shipment.shipment_nbr))
    saved = shipment_from_json(entity)
    session.remember("Shipment", [saved.shipment_nbr], entity)
    check_packages_saved(saved, rows)
    return saved


def check_packages_saved(saved: Shipment, rows: Sequence[PackageRow]) -> None:
    """Raise :class:`PackagesNotSaved` unless the saved rows are the ones sent, with the values sent."""
    problems = []
    if len(saved.packages) != len(rows):
        problems.append(_("{sent} packages sent, {kept} kept").format(sent=len(rows), kept=len(saved.packages)))
    by_id = {p.id: p for p in saved.packages}
    new_rows = [p for p in saved.packages if p.id not in {r.id for r in rows}]
    for row in rows:
        kept = by_id.get(row.id) if row.id else (new_rows.pop(0) if new_rows else None)
        if kept is None:
            continue
        problems += _differences(row, kept)
    if problems:
        reason = (_("package rows are read-only once a shipment is Confirmed") if saved.status == "Confirmed"
                  else _("Acumatica's business logic kept other values (status {status})").format(
                      status=saved.status or "—"))
        raise PackagesNotSaved(_("Acumatica did not save the packages of shipment {shipment} as sent ({differences}): "
                                 "{reason}.").format(shipment=saved.shipment_nbr, differences="; ".join(problems),
                                                     reason=reason), status=saved.status)


def _differences(row: PackageRow, kept: Package) -> list[str]:
    name = _("package {number}").format(number=kept.line_nbr) if kept.line_nbr is not None else _("a package")
    out = []
    if row.box_id != kept.box_id:
        out.append(_("{package} {field}: sent {sent}, kept {kept}").format(
            package=name, field="BoxID", sent=row.box_id, kept=kept.box_id or "—"))
    for field, sent, have in (("Weight", row.weight, kept.weight), ("Length", row.length, kept.length),
                              ("Width", row.width, kept.width), ("Height", row.height, kept.height)):
        if sent is not None and (have is None or Decimal(sent) != Decimal(have)):
            out.append(_("{package} {field}: sent {sent}, kept {kept}").format(
                package=name, field=field, sent=sent, kept=have if have is not None else "—"))
    return out
