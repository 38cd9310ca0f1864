"""Before the label: read the shipment fresh from Acumatica, check it, settle its address, build UPS's request.

Anything missing stops here, before UPS is asked: the shipment becomes *needs attention* and the outcome
says what to fix (``Reason.NEEDS_ATTENTION``, or ``ADDRESS_AMBIGUOUS`` / ``ADDRESS_UNKNOWN`` when UPS
could not confirm the address).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.models import Shipment
from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.domain.outcomes import Reason, ShipOutcome
from shipdesk.core.domain.states import State
from shipdesk.core.settings.config import Config
from shipdesk.core.settings.schema import keys_of
from shipdesk.core.shipping import address_check, carrier_plugins
from shipdesk.core.shipping.mapping import map_shipment, settings_from_config
from shipdesk.core.shipping.parts import FlowParts, Notify
from shipdesk.core.shipping.readiness import needs_attention, settle, shipment_problems
from shipdesk.core.shipping.writeback import RECONFIRM_KEY
from shipdesk.core.store import audit_log, shipments, sync_state
from shipdesk.errors import AddressNeedsAttention, ConfigError, ShipdeskError, ShipmentDataError
from shipdesk.ups import wire
from shipdesk.ups.models import AddressValidation, RateQuote, ShipmentSpec, UpsAddress


@dataclass(frozen=True)
class LabelRequest:
    """Everything the label job sends, from a fresh read of the shipment."""

    shipment: Shipment  # as read now: the write-back reuses it (package row ids)
    spec: ShipmentSpec
    body: dict[str, Any]  # UPS's request, committed with the job before it is sent
    warnings: list[str]  # non-blocking: the label is made, the outcome mentions them


def label_request(parts: FlowParts, acu: AcumaticaClient, nbr: str, *, accept_ambiguous: bool,
                  step: Notify) -> LabelRequest | ShipOutcome:
    """The request for a new label, or why the shipment cannot be labelled now (nothing sent to UPS)."""
    step("checking")
    shipment = acu.get_shipment(nbr)
    shipments.upsert_shipment(shipment)
    if shipment.status == "Confirmed" and parts.correct_confirmed and not shipment.tracking_numbers:
        shipment = _correct_confirmed(acu, shipment)
    carrier_plugins.refresh_detected(acu)
    return request_for(parts, shipment, accept_ambiguous=accept_ambiguous, step=step)


def request_for(parts: FlowParts, shipment: Shipment, *, accept_ambiguous: bool,
                step: Notify) -> LabelRequest | ShipOutcome:
    """The request for ``shipment`` as read (fresh from Acumatica, or as last pulled while it is down)."""
    nbr = shipment.shipment_nbr
    problems = shipment_problems(shipment, parts.config, correct_confirmed=parts.correct_confirmed)
    if problems:
        return needs_attention(nbr, problems)
    require_shipper(parts.config)
    step("validating")
    try:
        decision = address_check.decide(validate_call(parts), shipment, parts.config.ups.address_validation,
                                        accept_ambiguous=accept_ambiguous)
    except AddressNeedsAttention as exc:
        return needs_attention(nbr, [str(exc)], Reason.ADDRESS_AMBIGUOUS if exc.ambiguous else Reason.ADDRESS_UNKNOWN)
    spec, warnings = spec_for(parts, shipment, decision)
    try:
        body = wire.ship_request(spec)
    except ShipmentDataError as exc:  # UPS's own rules, checked before anything is sent
        return needs_attention(nbr, exc.reasons)
    settle(nbr, State.READY)
    return LabelRequest(shipment, spec, body, warnings)


def require_shipper(config: Config) -> None:
    """The settings every label and quote needs, checked before UPS is asked: an empty one is named with
    where to fill it in, instead of UPS refusing the request with a schema error."""
    missing = [f"{key.setting.label} ([{section}] {key.name})" for section in ("ups", "shipper")
               for key in keys_of(type(getattr(config, section)))
               if key.is_required(getattr(config, section)) and not getattr(getattr(config, section), key.name)]
    if missing:
        names = ", ".join(missing)
        raise ConfigError(f"Settings UPS needs are empty: {names}. Nothing was sent to UPS.",
                          hint="Fill them in under Settings (the UPS and Shipper address tabs), or in the config "
                               "file, then try again.")


def rate_quotes(parts: FlowParts, shipment: Shipment, *, shop: bool = False) -> list[RateQuote]:
    """UPS's price for the label the shipment would get (``shop``: every service)."""
    problems = shipment_problems(shipment, parts.config, correct_confirmed=parts.correct_confirmed, quote=True)
    if problems:
        raise ShipdeskError(" ".join(problems))
    require_shipper(parts.config)
    # the address the label would go to: the clerk's chosen candidate, UPS's classification
    decision = address_check.for_quote(shipment, parts.config.ups.address_validation)
    quotes = parts.ups.rate(spec_for(parts, shipment, decision)[0], shop=shop)
    audit_log.record(AuditAction.RATE, shipment_nbr=shipment.shipment_nbr,
                     detail=f"{len(quotes)} quote(s){' (shop)' if shop else ''}")
    return quotes


def validate_call(parts: FlowParts) -> address_check.Validate:
    def validate(address: UpsAddress, name: str) -> AddressValidation:
        return parts.ups.validate_address(address, name=name)
    return validate


def spec_for(parts: FlowParts, shipment: Shipment,
             decision: address_check.AddressDecision) -> tuple[ShipmentSpec, list[str]]:
    settings = settings_from_config(parts.config, label_format=parts.context.label_format())
    mapped = map_shipment(shipment, settings, residential=decision.residential, ship_to_address=decision.address)
    return mapped.spec, list(mapped.warnings)


def _correct_confirmed(acu: AcumaticaClient, shipment: Shipment) -> Shipment:
    """Correct a Confirmed shipment without tracking in Acumatica, so its packages can take the numbers;
    the write-back confirms it again."""
    nbr = shipment.shipment_nbr
    acu.correct_shipment(nbr)
    sync_state.set_value(RECONFIRM_KEY + nbr, "1")
    audit_log.record(AuditAction.CORRECTED, shipment_nbr=nbr,
                     detail="Confirmed without tracking: corrected to label it")
    shipment = acu.get_shipment(nbr)
    shipments.upsert_shipment(shipment)
    return shipment
