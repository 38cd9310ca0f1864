"""What the packing station changes before the label: the packages (box, weight, sizes) and, per shipment, the
service and the options UPS is asked for. The ERP stays the truth: package edits go to the Acumatica shipment
(while it is Open, before any label) and are read back before anything is sent to UPS.

- :func:`edit_packages`: the packages as the clerk wants them (one :class:`PackageEdit` each, in order; rows
  beyond the list are removed, extra edits are new rows). A box from ``[[packing.boxes]]`` gives its sizes
  when the edit gives none.
- :class:`StationChoice`: another service than the Ship Via's (with the reason, written to the shipment's
  note) and the options of this one shipment (``options_for`` starts from ``[[packing.option_defaults]]``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.models import Shipment
from shipdesk.acumatica.packages import PackageRow
from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.domain.outcomes import ShipOutcome
from shipdesk.core.settings.config import Config, Notify, Signature
from shipdesk.core.store import audit_log, shipments
from shipdesk.devices.scales import ScaleReading, ups_weight
from shipdesk.errors import ShipdeskError
from shipdesk.i18n import _
from shipdesk.ups.models import ShipOptions
from shipdesk.ups.services import service_name

#: the note line (one per shipment, replaced on the next change) that says the service was changed; never
#: translated: shipdesk finds its line again by this marker (the sentence after it is in the station's language)
SERVICE_NOTE_MARKER = "[shipdesk service]"
NOTIFICATION_CODES = {Notify.SHIP: "6", Notify.EXCEPTION: "7", Notify.DELIVERY: "8"}
SIGNATURES = {Signature.NONE: "", Signature.REQUIRED: "signature", Signature.ADULT: "adult"}


@dataclass(frozen=True)
class PackageEdit:
    box: str  # a Box ID of Acumatica's Boxes screen
    weight: Decimal  # in the shipment's weight unit (Acumatica's UOM of the rows)
    length: Decimal | None = None  # None: the box's size from [[packing.boxes]] (else Acumatica's default)
    width: Decimal | None = None
    height: Decimal | None = None


@dataclass(frozen=True)
class OptionChanges:
    """The options the clerk changed from the shipment's defaults (None: as the default)."""

    signature: Literal["", "signature", "adult"] | None = None
    saturday_delivery: bool | None = None
    notifications: tuple[str, ...] | None = None  # UPS codes (NOTIFICATION_CODES' values)
    send_declared_value: bool | None = None
    declared_value: Decimal | None = None  # per package, instead of Acumatica's

    def applied(self, options: ShipOptions) -> ShipOptions:
        changed = {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}
        return replace(options, **changed)


@dataclass(frozen=True)
class StationChoice:
    """What the clerk chose for one shipment; the defaults change nothing."""

    service: str = ""  # a UPS service code instead of the Ship Via's ("" = the mapped one)
    reason: str = ""  # why (required with ``service``): audit log and the shipment's note
    options: ShipOptions | None = None  # every option, as the station shows them (None: the defaults...)
    changes: OptionChanges = OptionChanges()  # ...with these changes

    def options_for(self, config: Config, shipment: Shipment) -> ShipOptions:
        return self.options or self.changes.applied(options_for(config, shipment))

    def check(self) -> None:
        if self.service and not self.reason.strip():
            raise ShipdeskError(_("Say why the shipment goes with another service than its Ship Via's."),
                                hint=_("The reason is kept in the history and written to the shipment's note."))


def options_for(config: Config, shipment: Shipment) -> ShipOptions:
    """The options a shipment gets unless the clerk changes them: its customer's, else its Ship Via's."""
    return default_options(config, shipment.ship_via, shipment.customer_id, shipment.ship_to_contact.email)


def default_options(config: Config, ship_via: str, customer: str, email: str) -> ShipOptions:
    """:func:`options_for` from the shipment's Ship Via, customer and ship-to email."""
    row = config.packing.defaults_for(ship_via, customer)
    return ShipOptions(signature=SIGNATURES[row.signature], saturday_delivery=row.saturday_delivery,  # type: ignore[arg-type]
                       notifications=tuple(NOTIFICATION_CODES[Notify(n)] for n in row.notify),
                       notify_email=email.strip(), send_declared_value=row.declared_value)


def package_rows(config: Config, shipment: Shipment, edits: Sequence[PackageEdit]) -> list[PackageRow]:
    """The rows to send: the shipment's rows in order keep their ids; sizes from the configured box."""
    if not edits:
        raise ShipdeskError(_("Shipment {shipment} needs at least one package.").format(
            shipment=shipment.shipment_nbr))
    rows = []
    for index, edit in enumerate(edits):
        if edit.weight <= 0:
            raise ShipdeskError(_("Package {number} of shipment {shipment} has no weight.").format(
                number=index + 1, shipment=shipment.shipment_nbr), hint=_("Put it on the scale, or type its weight."))
        box = config.packing.box(edit.box)
        sizes = [edit.length, edit.width, edit.height]
        if box is not None and all(size is None for size in sizes) and box.length and box.width and box.height:
            sizes = [Decimal(str(box.length)), Decimal(str(box.width)), Decimal(str(box.height))]
        package_id = shipment.packages[index].id if index < len(shipment.packages) else ""
        rows.append(PackageRow(package_id, edit.box.strip().upper(), edit.weight, *sizes))
    return rows


def edit_packages(acu: AcumaticaClient, config: Config, nbr: str, edits: Sequence[PackageEdit]) -> Shipment:
    """Write the packages to the Acumatica shipment, read them back, keep the saved shipment in the store."""
    shipment = acu.get_shipment(nbr)
    if shipment.tracking_numbers:
        raise ShipdeskError(_("Shipment {shipment} already has a label: its packages cannot change now.").format(
            shipment=nbr), hint=_("Void the label first, then change the packages and ship again."))
    if shipment.status not in ("Open", "On Hold"):
        raise ShipdeskError(_("Shipment {shipment} is {status} in Acumatica: its packages can change only while it is "
                              "Open.").format(shipment=nbr, status=shipment.status or "—"),
                            hint=_("Correct the shipment in Acumatica first."))
    saved = acu.write_packages(shipment, package_rows(config, shipment, edits))
    shipments.upsert_shipment(saved)
    audit_log.record(AuditAction.PACKAGES_EDITED, shipment_nbr=nbr, detail="; ".join(
        f"{p.box_id} {p.weight} {p.uom}".strip() for p in saved.packages))
    return saved


def service_change_line(shipment: Shipment, mapped: str, chosen: str, reason: str) -> str:
    """``Shipped UPS Next Day Air instead of UPS Ground (Ship Via UPSGROUND): customer asked``."""
    # read by customer service on the shipment's note (the marker, SERVICE_NOTE_MARKER, stays as it is)
    if mapped:
        return _("Shipped {chosen} instead of {mapped} (Ship Via {ship_via}): {reason}").format(
            chosen=service_name(chosen), mapped=service_name(mapped), ship_via=shipment.ship_via, reason=reason.strip())
    return _("Shipped {chosen} instead of its Ship Via (Ship Via {ship_via}): {reason}").format(
        chosen=service_name(chosen), ship_via=shipment.ship_via, reason=reason.strip())


def record_service_change(config: Config, acu: AcumaticaClient, shipment: Shipment, choice: StationChoice,
                          outcome: ShipOutcome) -> ShipOutcome:
    """After a label with another service: the reason in the history and on the shipment's note (one line,
    replaced on the next change). A note that cannot be saved is a warning: the label is made."""
    mapped = config.ups.services.get(shipment.ship_via.strip(), "")
    if not outcome.ok or choice.service == mapped:
        return outcome
    line = service_change_line(shipment, mapped, choice.service, choice.reason)
    audit_log.record(AuditAction.SERVICE_CHANGED, shipment_nbr=shipment.shipment_nbr, job_id=outcome.job_id,
                     detail=line)
    try:
        acu.set_note_status_line("Shipment", [shipment.shipment_nbr], line, marker=SERVICE_NOTE_MARKER)
    except ShipdeskError as exc:
        return replace(outcome, warnings=(*outcome.warnings, _("The service change is not on the shipment's note "
                                                               "in Acumatica: {reason}").format(reason=exc)))
    return outcome


def delivery_date(shipped: date, business_days: int | None) -> date | None:
    """The day UPS delivers when it takes ``business_days`` (Monday to Friday) from ``shipped``."""
    if business_days is None:
        return None
    day, left = shipped, business_days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def station_weight(reading: ScaleReading, nbr: str, default_unit: str = "LBS") -> Decimal:
    """The scale's stable weight in the shipment's weight unit (Acumatica's UOM of its rows, as last pulled;
    ``default_unit`` when unknown: the warehouse's, ``ups_weight_unit(config)``), rounded up as UPS takes it: a
    scale set to kg at a company that weighs in pounds still fits."""
    record = shipments.get_shipment(nbr)
    unit = (record.weight_unit if record is not None else "").strip().upper() or default_unit.upper()
    return ups_weight(reading, "KGS" if unit.startswith("KG") else "OZS" if unit.startswith("OZ") else "LBS")
