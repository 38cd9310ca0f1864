"""Before the label: read the shipment fresh from Acumatica, check it, settle its address, build UPS's request.

Anything missing stops here, before UPS is asked: the shipment becomes *needs attention* and the outcome
says what to fix (``Reason.NEEDS_ATTENTION``, or ``ADDRESS_AMBIGUOUS`` / ``ADDRESS_UNKNOWN`` when UPS
could not confirm the address).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.models import Shipment
from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.domain.outcomes import Reason, ShipOutcome
from shipdesk.core.domain.states import State
from shipdesk.core.settings.config import Config, InvoiceSource
from shipdesk.core.settings.schema import keys_of
from shipdesk.core.shipping import address_check, carrier_plugins, international
from shipdesk.core.shipping.international import CustomsInvoice
from shipdesk.core.shipping.mapping import map_shipment, map_shipment_party, settings_from_config
from shipdesk.core.shipping.packing import StationChoice
from shipdesk.core.shipping.papers import invoice_pdf
from shipdesk.core.shipping.parts import FlowParts, Notify
from shipdesk.core.shipping.readiness import (
    busy_sentence,
    labelled_meanwhile_sentence,
    needs_attention,
    shipment_problems,
)
from shipdesk.core.store import audit_log, jobs, shipments, transaction
from shipdesk.core.store.label_reads import LabelRead
from shipdesk.core.store.models import ShipmentRecord
from shipdesk.errors import AddressNeedsAttention, ConfigError, ShipdeskError, ShipmentDataError
from shipdesk.i18n import _
from shipdesk.ups import wire
from shipdesk.ups.models import AddressValidation, InvoiceForm, Party, RateQuote, ShipmentSpec, UpsAddress


@dataclass(frozen=True)
class LabelRequest:
    """Everything the label job sends, from a fresh read of the shipment."""

    shipment: Shipment  # as read now: the write-back reuses it (package row ids)
    spec: ShipmentSpec
    body: dict[str, Any]  # UPS's request, committed with the job before it is sent
    warnings: list[str]  # non-blocking: the label is made, the outcome mentions them
    customs: CustomsInvoice | None = None  # the commercial invoice, when the goods cross a border
    #: claim the shipment in Acumatica before buying (stations without a shared store); False when Acumatica is
    #: down and the supervisor chose to label from the pulled data (the write-back's check catches a double)
    claim: bool = True
    #: the shipment passed its checks: it becomes ``ready`` with the job (``label_job.buy_label``), one commit
    settle_ready: bool = False
    #: store writes of the checks (the address check's outcome), run in the job's first transaction
    first: tuple[Callable[[], None], ...] = ()


def label_request(parts: FlowParts, acu: AcumaticaClient, nbr: str, *, accept_ambiguous: bool,
                  step: Notify, choice: StationChoice | None = None,
                  read: LabelRead | None = None) -> LabelRequest | ShipOutcome:
    """The request for a new label, or why the shipment cannot be labelled now (nothing sent to UPS).
    ``choice``: the clerk's service and options for this shipment (None: the Ship Via's and the defaults).
    ``read``: the shipment's rows as the caller read them (not read again)."""
    step("checking")
    shipment = acu.get_shipment(nbr)
    stored = read.record if read is not None else None
    # most were pulled moments ago and are stored as they are: then nothing is written
    shipments.upsert_shipment(shipment, skip_unchanged=True, known=stored,
                              known_packages=read.packages if read is not None else None)
    if shipment.status == "Confirmed" and parts.correct_confirmed and not shipment.tracking_numbers:
        shipment = _correct_confirmed(acu, shipment)
    parts.plugins_checked = carrier_plugins.refresh_detected(acu, known=parts.plugins_checked)
    return request_for(parts, shipment, acu, accept_ambiguous=accept_ambiguous, step=step, choice=choice,
                       stored=stored)


def request_for(parts: FlowParts, shipment: Shipment, acu: AcumaticaClient | None, *, accept_ambiguous: bool,
                step: Notify, choice: StationChoice | None = None,
                stored: ShipmentRecord | None = None) -> LabelRequest | ShipOutcome:
    """The request for ``shipment`` as read (fresh from Acumatica, or as last pulled while it is down: ``acu``
    None, so a shipment needing a customs invoice, read from Acumatica, waits for it). ``choice``, ``stored``:
    as for :func:`label_request`."""
    nbr = shipment.shipment_nbr
    problems = shipment_problems(shipment, parts.config, correct_confirmed=parts.correct_confirmed)
    if problems:
        return needs_attention(nbr, problems)
    require_shipper(parts.config)
    step("validating")
    later: address_check.Later = []  # the address check's outcome: committed with what comes next
    try:
        checked = _checked_request(parts, acu, shipment, accept_ambiguous=accept_ambiguous, choice=choice,
                                   stored=stored, later=later)
    except BaseException:
        address_check.run_later(later)
        raise
    if isinstance(checked, LabelRequest):
        return replace(checked, first=tuple(later))
    with transaction.write():  # the address check's outcome and what needs attention: one commit
        address_check.run_later(later)
        return needs_attention(nbr, *checked)


def _checked_request(parts: FlowParts, acu: AcumaticaClient | None, shipment: Shipment, *, accept_ambiguous: bool,
                     choice: StationChoice | None, stored: ShipmentRecord | None, later: address_check.Later
                     ) -> LabelRequest | tuple[list[str], Reason]:
    """The request, or what needs attention first (the problems and their reason)."""
    nbr = shipment.shipment_nbr
    try:
        decision = address_check.decide(validate_call(parts), shipment, parts.config.ups.address_validation,
                                        accept_ambiguous=accept_ambiguous, stored=stored, later=later)
    except AddressNeedsAttention as exc:
        return [str(exc)], Reason.ADDRESS_AMBIGUOUS if exc.ambiguous else Reason.ADDRESS_UNKNOWN
    if acu is None and international.needs_customs(shipment, parts.config.shipper.country):
        return [_("Shipment {shipment} needs a commercial invoice, made from its order lines in Acumatica, which is "
                  "not answering: ship it when Acumatica answers again.").format(shipment=nbr)], Reason.NEEDS_ATTENTION
    customs = customs_for(parts, acu, shipment) if acu is not None else None
    if isinstance(customs, list):
        return customs, Reason.NEEDS_ATTENTION
    spec, warnings = spec_for(parts, shipment, decision, customs=customs, choice=choice)
    if customs is not None and customs.form is not None:
        spec = replace(spec, invoice=invoice_to_send(parts, customs, spec))
    if decision.warning:
        warnings.insert(0, decision.warning)
    try:
        body = wire.ship_request(spec)
    except ShipmentDataError as exc:  # UPS's own rules, checked before anything is sent
        return list(exc.reasons), Reason.NEEDS_ATTENTION
    return LabelRequest(shipment, spec, body, warnings, customs, settle_ready=True)


def customs_for(parts: FlowParts, acu: AcumaticaClient, shipment: Shipment) -> CustomsInvoice | list[str] | None:
    """The commercial invoice of a shipment whose goods cross a border (None when they do not), or the
    sentences saying what to fill in first."""
    if not international.needs_customs(shipment, parts.config.shipper.country):
        return None
    data = international.read_customs(acu, shipment)
    return international.build_invoice(shipment, data, parts.config.international,
                                       buyer=mapping_buyer(parts, shipment), today=parts.context.now().date())


def mapping_buyer(parts: FlowParts, shipment: Shipment) -> Party:
    """The buyer on the invoice (Sold To): the consignee as Acumatica has it."""
    settings = settings_from_config(parts.config, label_format=parts.context.label_format())
    return map_shipment_party(shipment, settings)


def invoice_to_send(parts: FlowParts, customs: CustomsInvoice, spec: ShipmentSpec) -> InvoiceForm | None:
    """What the Ship request carries: UPS's invoice, or shipdesk's PDF uploaded first (paperless), or nothing."""
    config = parts.config.international
    destination = spec.ship_to.address.country
    document_ids: list[str] = []
    if (config.invoice is InvoiceSource.SHIPDESK and international.paperless_for(config, destination)
            and customs.form is not None):
        pdf = invoice_pdf(customs.form, spec)
        document_ids.append(parts.ups.upload_document(pdf, f"Invoice {customs.form.invoice_number}.pdf"))
        audit_log.record(AuditAction.PAPERLESS_UPLOADED, shipment_nbr=customs.form.invoice_number,
                         detail=_("commercial invoice, UPS document {id}").format(id=document_ids[0]))
    return international.request_form(customs, config, destination, document_ids)


def labelled_meanwhile(parts: FlowParts, nbr: str) -> ShipOutcome:
    """Another worker or station got a label job going for the shipment while this one checked it."""
    live = jobs.latest_job(nbr)
    station = live.station if live is not None else ""
    state = live.state if live is not None else State.REQUESTING
    if state == State.REQUESTING:
        return ShipOutcome(nbr, False, state, busy_sentence(nbr, station, here=parts.station),
                           job_id=live.job_id if live else "", reason=Reason.BUSY_ELSEWHERE)
    return ShipOutcome(nbr, False, state, labelled_meanwhile_sentence(nbr, state, station, here=parts.station),
                       job_id=live.job_id if live else "", reason=Reason.LABEL_EXISTS)


def require_shipper(config: Config) -> None:
    """The settings every label and quote needs, checked before UPS is asked: an empty one is named with
    where to fill it in, instead of UPS refusing the request with a schema error."""
    missing = [f"{_(key.setting.label)} ([{section}] {key.name})"  # i18n: declarations are in the catalogue
               for section in ("ups", "shipper")
               for key in keys_of(type(getattr(config, section)))
               if key.is_required(getattr(config, section)) and not getattr(getattr(config, section), key.name)]
    if missing:
        names = ", ".join(missing)
        raise ConfigError(_("Settings UPS needs are empty: {names}. Nothing was sent to UPS.").format(names=names),
                          hint=_("Fill them in under Settings (the UPS and Shipper address tabs), or in the config "
                                 "file, then try again."))


def rate_quotes(parts: FlowParts, shipment: Shipment, *, shop: bool = False) -> list[RateQuote]:
    """UPS's price for the label the shipment would get (``shop``: every service)."""
    problems = shipment_problems(shipment, parts.config, correct_confirmed=parts.correct_confirmed, quote=True)
    if problems:
        raise ShipdeskError(" ".join(problems))
    require_shipper(parts.config)
    # the address the label would go to: the clerk's chosen candidate, UPS's classification
    decision = address_check.for_quote(shipment, parts.config.ups.address_validation)
    customs = None
    if international.needs_customs(shipment, parts.config.shipper.country):
        with parts.session() as acu:  # the customs value, in the order's currency
            found = customs_for(parts, acu, shipment)
        customs = found if isinstance(found, CustomsInvoice) else None
    quotes = parts.ups.rate(spec_for(parts, shipment, decision, customs=customs)[0], shop=shop)
    audit_log.record(AuditAction.RATE, shipment_nbr=shipment.shipment_nbr,
                     detail=(_("{count} quote(s) (shop)") if shop else _("{count} quote(s)")).format(count=len(quotes)))
    return quotes


def validate_call(parts: FlowParts) -> address_check.Validate:
    def validate(address: UpsAddress, name: str) -> AddressValidation:
        return parts.ups.validate_address(address, name=name)
    return validate


def spec_for(parts: FlowParts, shipment: Shipment, decision: address_check.AddressDecision, *,
             customs: CustomsInvoice | None = None, choice: StationChoice | None = None,
             ) -> tuple[ShipmentSpec, list[str]]:
    settings = settings_from_config(parts.config, label_format=parts.context.label_format())
    choice = choice or StationChoice()
    options = choice.options_for(parts.config, shipment)
    mapped = map_shipment(shipment, settings, residential=decision.residential, ship_to_address=decision.address,
                          customs=customs, service=choice.service, options=options)
    return mapped.spec, list(mapped.warnings)


def _correct_confirmed(acu: AcumaticaClient, shipment: Shipment) -> Shipment:
    """Correct a Confirmed shipment without tracking in Acumatica, so its packages can take the numbers;
    the write-back confirms it again."""
    nbr = shipment.shipment_nbr
    acu.correct_shipment(nbr)
    shipments.set_reconfirm(nbr, True)
    audit_log.record(AuditAction.CORRECTED, shipment_nbr=nbr,
                     detail=_("Confirmed without tracking: corrected to label it"))
    shipment = acu.get_shipment(nbr)
    shipments.upsert_shipment(shipment)
    return shipment
