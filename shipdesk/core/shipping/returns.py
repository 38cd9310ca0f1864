"""Return labels for shipped orders: UPS Print Return Label (PRL, ``ReturnService`` 9: printed here, put in the
box or handed over) and Electronic Return Label (ERL, 8: UPS emails it to the customer).

A return label is bought exactly like a label (``label_job``: the job committed first, flipped under its
lock, UPS's answer committed at once), for a return row of its own (``core.store.returns``, ``SH000106-R1``):
- ship from the customer (the shipment's consignee) to the warehouse (``[shipper]``), billed to the account;
- one package, like the shipment's heaviest one; the service of ``[returns] service``, else the shipment's own;
- references: the return's number (the shipment number with ``-R1``, unique, so an answer lost in transit is
  found again by reference as for any label) and the order number(s);
- across a border, the partial invoice UPS wants on a return (form 05, reason RETURN) from the shipment's lines,
  and from Canada or Puerto Rico to the US the invoice total.
Then it is printed (PRL) and written to the shipment or the RMA order (``return_writeback``); the sync tracks
it like any package, and the table shows it as a return.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.models import Package, Shipment
from shipdesk.core.domain.outcomes import Reason, ShipOutcome
from shipdesk.core.domain.states import State
from shipdesk.core.region import ups_weight_unit
from shipdesk.core.settings.config import Config, ReturnTarget
from shipdesk.core.shipping import international
from shipdesk.core.shipping.international import CustomsInvoice
from shipdesk.core.shipping.label_job import buy_label
from shipdesk.core.shipping.label_request import LabelRequest
from shipdesk.core.shipping.mapping import WEIGHT_UNITS, MappingSettings, map_shipment_party, settings_from_config
from shipdesk.core.shipping.parts import FlowParts
from shipdesk.core.shipping.return_writeback import print_and_write_back_return
from shipdesk.core.shipping.ups_units import for_origin
from shipdesk.core.store import returns, shipments
from shipdesk.errors import ShipmentDataError
from shipdesk.i18n import _
from shipdesk.ups import wire
from shipdesk.ups.models import (
    ELECTRONIC_RETURN_LABEL,
    PARTIAL_INVOICE,
    PRINT_RETURN_LABEL,
    PackageSpec,
    Reference,
    ShipmentSpec,
)

#: Acumatica statuses of a shipment that has left (a return label makes sense only then)
SHIPPED_STATUSES = ("Confirmed", "Partially Invoiced", "Invoiced", "Completed")
REASON_RETURN = "RETURN"


@dataclass(frozen=True)
class ReturnOptions:
    electronic: bool = False  # ERL: UPS emails the label; else PRL, printed here
    email: str = ""  # ERL: where UPS sends it ("" = the shipment's ship-to contact email)
    rma: str = ""  # the RMA order number, when returns are written to RMA orders
    print_label: bool = True


def create_return(parts: FlowParts, nbr: str, options: ReturnOptions) -> ShipOutcome:
    """Make, print and write back a return label for shipment ``nbr``; problems come back as the outcome."""
    with parts.session() as acu:
        shipment = acu.get_shipment(nbr)
        if shipments.get_shipment(nbr) is None:
            shipments.upsert_shipment(shipment)
        problems = return_problems(shipment, options, parts.config)
        customs = _customs(parts, acu, shipment) if not problems else None
        if isinstance(customs, list):
            problems = customs
            customs = None
        if problems:
            return _refused(nbr, problems)
        resumed = returns.prepared_return(nbr)
        return_nbr = resumed[0] if resumed else f"{nbr}{returns.SUFFIX}{len(returns.returns_of(nbr)) + 1}"
        try:
            spec = return_spec(shipment, parts, options, return_nbr=return_nbr, customs=customs)
            body = wire.ship_request(spec)
        except ShipmentDataError as exc:
            return _refused(nbr, exc.reasons)
        if resumed is None:
            return_nbr = returns.add_return(nbr, [_return_package(shipment, ups_weight_unit(parts.config))],
                                            order_numbers=_written_to(parts, options))
            spec = return_spec(shipment, parts, options, return_nbr=return_nbr, customs=customs)
            body = wire.ship_request(spec)
        request = LabelRequest(replace(shipment, shipment_nbr=return_nbr), spec, body, [], customs)
        new = buy_label(parts, request, prepared=resumed[1] if resumed else None)
        if isinstance(new, ShipOutcome):
            return new
        try:
            return print_and_write_back_return(parts, acu, new.job, print_labels=options.print_label,
                                               label_problem=new.label_problem)
        finally:
            new.lock.release()


def _refused(nbr: str, problems: list[str]) -> ShipOutcome:
    record = shipments.get_shipment(nbr)
    state = record.state if record is not None else State.PENDING
    return ShipOutcome(nbr, False, state, " ".join(problems), problems=tuple(problems), reason=Reason.NEEDS_ATTENTION)


def return_problems(shipment: Shipment, options: ReturnOptions, config: Config) -> list[str]:
    """Why no return label can be made for ``shipment`` now (one sentence each)."""
    nbr = shipment.shipment_nbr
    problems = []
    if not shipment.tracking_numbers and shipment.status not in SHIPPED_STATUSES:
        problems.append(_("Shipment {shipment} has not shipped yet (it is {status} in Acumatica, with no tracking "
                          "number): a return label is for goods the customer has.").format(
            shipment=nbr, status=shipment.status or "—"))
    if options.electronic and not (options.email.strip() or shipment.ship_to_contact.email.strip()):
        problems.append(_("An electronic return label is emailed by UPS, and shipment {shipment} has no email: give "
                          "one (--email ADDRESS), or fill in Shipping Settings › Ship-To Contact › Email in "
                          "Acumatica.").format(shipment=nbr))
    if config.returns.write_to is ReturnTarget.RMA_ORDER and not options.rma.strip():
        problems.append(_("Returns are written to RMA orders: name the RMA order of shipment {shipment} (--rma "
                          "NUMBER).").format(shipment=nbr))
    if not config.returns.service and not config.ups.services.get(shipment.ship_via.strip()):
        problems.append(_("Ship Via {ship_via} of shipment {shipment} is not mapped to a UPS service: set [returns] "
                          "service, or map the Ship Via under [ups.services].").format(
            ship_via=shipment.ship_via or "—", shipment=nbr))
    if not shipment.packages:
        problems.append(_("Shipment {shipment} has no packages to size the return package on.").format(shipment=nbr))
    return problems


def _customs(parts: FlowParts, acu: AcumaticaClient, shipment: Shipment) -> CustomsInvoice | list[str] | None:
    """The partial invoice a return across a border carries (form 05: the shipment's goods coming back)."""
    if not international.needs_customs(shipment, parts.config.shipper.country):
        return None
    data = international.read_customs(acu, shipment)
    settings = settings_from_config(parts.config)
    built = international.build_invoice(shipment, data, parts.config.international,
                                        buyer=map_shipment_party(shipment, settings), today=parts.context.now().date())
    if isinstance(built, list) or built.form is None:
        return built
    form = replace(built.form, form_type=PARTIAL_INVOICE, reason_for_export=REASON_RETURN, invoice_date=None,
                   sold_to=None, override_paperless=False)
    return CustomsInvoice(form)


def _written_to(parts: FlowParts, options: ReturnOptions) -> str:
    """The return row's ``order_numbers``: the RMA order it is written to, or "" for the shipment itself."""
    if parts.config.returns.write_to is ReturnTarget.RMA_ORDER:
        return f"{parts.config.returns.rma_order_type} {options.rma.strip()}"
    return ""


def _heaviest(shipment: Shipment) -> Package:
    return max(shipment.packages, key=lambda p: p.weight or Decimal(0))


def _return_package(shipment: Shipment, default_unit: str) -> returns.ReturnPackage:
    """The package as stored with the return: Acumatica's unit, else the one UPS got (``default_unit``)."""
    package = _heaviest(shipment)
    return returns.ReturnPackage(weight=package.weight or Decimal(1), uom=package.uom or default_unit.rstrip("S"),
                                 length=package.length, width=package.width, height=package.height)


def return_spec(shipment: Shipment, parts: FlowParts, options: ReturnOptions, *, return_nbr: str,
                customs: CustomsInvoice | None) -> ShipmentSpec:
    """UPS's request for the return: from the customer to the warehouse, billed to the account."""
    settings: MappingSettings = settings_from_config(parts.config, label_format=parts.context.label_format())
    customer = replace(map_shipment_party(shipment, settings), residential=False)
    service = parts.config.returns.service or settings.services[shipment.ship_via.strip()]
    package = _heaviest(shipment)
    unit = WEIGHT_UNITS.get(package.uom.strip().upper(), settings.default_weight_unit)
    sizes = (package.length, package.width, package.height)
    has_sizes = all(size is not None and size > 0 for size in sizes)
    orders = ",".join(dict.fromkeys(o.order_nbr for o in shipment.orders if o.order_nbr))
    references = [Reference(return_nbr[:35], code=settings.shipment_ref_code)]
    if orders:
        references.append(Reference(orders[:35], code=settings.order_ref_code))
    form = customs.form if customs is not None else None
    goods = ", ".join(dict.fromkeys(p.description for p in form.products)) if form else "Returned goods"
    declared = [p.declared_value for p in shipment.packages if p.declared_value]
    return ShipmentSpec(
        shipper=settings.shipper, shipper_number=settings.account_number, ship_to=settings.shipper,
        ship_from=customer, service_code=service,
        packages=(for_origin(PackageSpec(
            weight=package.weight or Decimal(1), weight_unit=unit, length=package.length if has_sizes else None,
            width=package.width if has_sizes else None, height=package.height if has_sizes else None,
            dimension_unit=settings.dimension_unit or ("CM" if unit == "KGS" else "IN"),
            description=f"Return of {shipment.shipment_nbr}"), settings.shipper.address.country),),
        references=tuple(references), negotiated_rates=settings.negotiated_rates,
        label_format=settings.label_format, description=goods[:35].strip(" ,"),
        currency=form.currency if form else settings.currency,
        invoice_total=form.total if form else (sum(declared, Decimal(0)) if declared else None),
        invoice=form,
        return_service=ELECTRONIC_RETURN_LABEL if options.electronic else PRINT_RETURN_LABEL,
        label_email=(options.email.strip() or shipment.ship_to_contact.email.strip()) if options.electronic else "",
    )
