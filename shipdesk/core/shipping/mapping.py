"""Acumatica shipment + settings → the UPS request (``ups.models.ShipmentSpec``). Pure and table-tested.

Where UPS puts the reference numbers (package level for US→US and PR→PR, shipment level otherwise)
and how long each field may be on the wire is the UPS client's business (``ups.wire``); this module
decides WHAT is asked for: who ships to whom, which service, which packages, which references.
Call :func:`shipdesk.core.shipping.checks.check_shipment` first: this module assumes the data is complete.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Literal, cast

from shipdesk.acumatica.models import Package, Shipment
from shipdesk.core.region import region_of, ups_weight_unit
from shipdesk.core.settings.config import Config
from shipdesk.core.shipping.checks import UPS_TEXT_MAX, ship_to_name, wrapped_line_warnings
from shipdesk.core.shipping.international import CustomsInvoice
from shipdesk.core.shipping.ups_units import for_origin
from shipdesk.errors import ShipmentDataError
from shipdesk.i18n import N_, _
from shipdesk.ups.models import (
    InvoiceForm,
    LabelFormat,
    PackageSpec,
    Party,
    Reference,
    ShipmentSpec,
    ShipOptions,
    UpsAddress,
)

WeightUnit = Literal["LBS", "KGS", "OZS"]
#: the description of goods of a documents-only shipment
DOCUMENTS = "Documents"
DimensionUnit = Literal["IN", "CM"]

#: Acumatica's weight unit names → UPS's
WEIGHT_UNITS: dict[str, WeightUnit] = {
    "LB": "LBS", "LBS": "LBS", "KG": "KGS", "KGS": "KGS", "OZ": "OZS", "OZS": "OZS",
}


@dataclass(frozen=True)
class MappingSettings:
    """The part of the configuration mapping needs (built from ``Config`` by :func:`settings_from_config`)."""

    shipper: Party
    account_number: str
    services: Mapping[str, str]
    label_format: LabelFormat = "GIF"
    negotiated_rates: bool = True
    default_weight_unit: WeightUnit = "LBS"  # when Acumatica leaves the package UOM empty
    #: None: follow the weight unit (KG → CM, else IN), as UPS expects one system per package (it refuses
    #: KGS/IN and LBS/CM, 110548); ``settings_from_config`` leaves it None for that reason
    dimension_unit: DimensionUnit | None = None
    shipment_ref_code: str = ""
    order_ref_code: str = ""
    goods_description: str = "Merchandise"  # international shipments need a description of the goods
    currency: str = "USD"  # of declared values and amounts that come without one


@dataclass(frozen=True)
class MappedShipment:
    spec: ShipmentSpec
    warnings: tuple[str, ...] = field(default=())


def settings_from_config(config: Config, *, label_format: str | None = None) -> MappingSettings:
    """``label_format`` follows the chosen printer (raw ZPL printer → ZPL); default: the UPS setting."""
    shipper = config.shipper
    party = Party(
        name=shipper.name,
        attention=shipper.attention,
        phone=shipper.phone,
        email=shipper.email,
        address=UpsAddress(lines=tuple(shipper.address_lines), city=shipper.city, state=shipper.state,
                           postal_code=shipper.postal_code, country=shipper.country),
    )
    return MappingSettings(
        shipper=party,
        account_number=config.ups.account_number,
        services=dict(config.ups.services),
        label_format=cast(LabelFormat, (label_format or config.ups.label_format).upper()),
        negotiated_rates=config.ups.negotiated_rates,
        shipment_ref_code=config.ups.references.shipment_number,
        order_ref_code=config.ups.references.order_number,
        # [region]: a warehouse in Mexico weighs in KGS (and measures in CM) where Acumatica gives no unit, and
        # declares in MXN; the box sizes follow each package's weight unit (UPS refuses mixed systems)
        default_weight_unit=ups_weight_unit(config),
        currency=region_of(config).currency,
    )


def map_shipment(
    shipment: Shipment,
    settings: MappingSettings,
    *,
    residential: bool | None = None,
    ship_to_address: UpsAddress | None = None,
    customs: CustomsInvoice | None = None,
    invoice: InvoiceForm | None = None,
    service: str = "",
    options: ShipOptions | None = None,
) -> MappedShipment:
    """The UPS request for ``shipment``.

    ``residential`` comes from UPS address validation (classification); None = not validated, use
    Acumatica's Residential Delivery flag. ``ship_to_address`` replaces the Acumatica address when the
    clerk picked a UPS candidate. ``customs``: the commercial invoice of a shipment that crosses a border
    (``core.shipping.international``): its currency is the order's, its total the customs value;
    ``invoice``: the form the Ship request carries (None: the invoice travels on paper, or documents).
    ``service``: the clerk's UPS service instead of the Ship Via's; ``options``: what the clerk ticked (a
    notification without the ship-to's email is left out, with a warning).
    """
    service = service or settings.services.get(shipment.ship_via.strip(), "")
    if not service:
        raise ShipmentDataError([_("Ship Via {ship_via} is not mapped to a UPS service.").format(
            ship_via=shipment.ship_via or "—")])
    warnings: list[str] = []
    ship_to = _ship_to(shipment, residential, ship_to_address, warnings)
    options = _usable(options or ShipOptions(), warnings)
    packages = tuple(_package(p, settings) for p in shipment.packages)
    international = ship_to.address.country != settings.shipper.address.country
    declared = [p.declared_value for p in shipment.packages if p.declared_value]
    goods_value = sum(declared, Decimal(0)) if international and declared else None
    documents = customs is not None and customs.documents_only
    if customs is not None and customs.form is not None:
        goods_value = customs.form.total  # the order's prices, in the order's currency
    spec = ShipmentSpec(
        shipper=settings.shipper,
        shipper_number=settings.account_number,
        ship_to=ship_to,
        service_code=service,
        packages=packages,
        references=references_for(shipment, settings),
        negotiated_rates=settings.negotiated_rates,
        label_format=settings.label_format,
        description=(DOCUMENTS if documents else _goods_description(shipment, settings, customs))
        if international else "",
        currency=customs.currency if customs is not None and customs.currency else settings.currency,
        invoice_total=goods_value,
        invoice=invoice,
        documents_only=documents,
        options=options,
    )
    return MappedShipment(spec, tuple(warnings))


def _usable(options: ShipOptions, warnings: list[str]) -> ShipOptions:
    """Notifications go to the ship-to contact's email: without one (or with one UPS refuses) they are dropped."""
    email = options.notify_email.strip()
    if options.notifications and (not email or len(email) > 50 or "@" not in email):
        warnings.append(_("No UPS email notifications: the ship-to contact has no usable email address in Acumatica."))
        return replace(options, notifications=())
    return options


def map_shipment_party(shipment: Shipment, settings: MappingSettings) -> Party:
    """The consignee as Acumatica has it (the invoice's buyer), with the same fitting as the ship-to."""
    return _ship_to(shipment, None, None, [])


def references_for(shipment: Shipment, settings: MappingSettings) -> tuple[Reference, ...]:
    """Shipment number first (the key for reconciling by reference), then the order number(s)."""
    refs = [Reference(value=shipment.shipment_nbr[:UPS_TEXT_MAX], code=settings.shipment_ref_code)]
    orders = ",".join(dict.fromkeys(o.order_nbr for o in shipment.orders if o.order_nbr))
    if orders:
        refs.append(Reference(value=orders[:UPS_TEXT_MAX], code=settings.order_ref_code))
    return tuple(refs)


def _ship_to(shipment: Shipment, residential: bool | None, override: UpsAddress | None,
             warnings: list[str]) -> Party:
    a, c = shipment.ship_to_address, shipment.ship_to_contact
    address = override or UpsAddress(
        lines=tuple(line.strip() for line in (a.line1, a.line2) if line.strip()),
        city=a.city.strip(),
        state=a.state.strip().upper(),
        postal_code=a.postal_code.strip(),
        country=a.country.strip().upper(),
    )
    name = _fit(ship_to_name(shipment), N_("name"), warnings)
    # UPS needs an attention name across a border and for Next Day Air Early (error 120201): the attention
    # line, else the name (a person shipping to a home has only one of the two)
    attention = _fit(c.attention.strip(), N_("attention"), warnings) if c.business_name.strip() else name
    warnings += wrapped_line_warnings(address)
    return Party(
        name=name,
        attention=attention,
        phone=c.phone.strip(),
        email=c.email.strip(),
        address=address,
        residential=bool(shipment.residential) if residential is None else residential,
    )


def _fit(value: str, what: str, warnings: list[str]) -> str:
    """Cut to UPS's limit (never refuse: a short name on the label beats no label) and say so."""
    if len(value) <= UPS_TEXT_MAX:
        return value
    cut = value[:UPS_TEXT_MAX].rstrip()
    warnings.append(_("Ship-to {field} shortened to UPS's {limit} characters: '{cut}'.").format(
        field=_(what), limit=UPS_TEXT_MAX, cut=cut))  # i18n: `what` is N_()-marked by the callers
    return cut


def _package(package: Package, settings: MappingSettings) -> PackageSpec:
    """Acumatica's unit, one system a package; converted to pounds and inches from the US (``ups_units``)."""
    unit = WEIGHT_UNITS.get(package.uom.strip().upper(), settings.default_weight_unit)
    dims = (package.length, package.width, package.height)
    has_dims = all(d is not None and d > 0 for d in dims)
    return for_origin(PackageSpec(
        weight=package.weight or Decimal(0),
        weight_unit=unit,
        length=package.length if has_dims else None,
        width=package.width if has_dims else None,
        height=package.height if has_dims else None,
        dimension_unit=settings.dimension_unit or ("CM" if unit == "KGS" else "IN"),
        description=package.description.strip()[:UPS_TEXT_MAX],
        declared_value=package.declared_value,
    ), settings.shipper.address.country)


def _goods_description(shipment: Shipment, settings: MappingSettings, customs: CustomsInvoice | None = None) -> str:
    """What the goods are, for customs: the invoice's products when there is an invoice, else the packages'."""
    if customs is not None and customs.form is not None:
        return ", ".join(dict.fromkeys(p.description for p in customs.form.products))[:UPS_TEXT_MAX].strip(" ,")
    described = [p.description.strip() for p in shipment.packages if p.description.strip()]
    return (", ".join(dict.fromkeys(described)) or settings.goods_description)[:UPS_TEXT_MAX]
